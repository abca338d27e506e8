import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/core/explain/types.ts';
import type { CliHarness } from '../helpers/cli.ts';
import { startQuestionsCli } from '../helpers/questions-cli.ts';

describe('ccost explain', () => {
  let cli: CliHarness;
  let config: string;
  const explain = async (...args: string[]) => cli.run('--config', config, 'explain', ...args);
  const json = async (...args: string[]) => {
    const out = await explain(...args, '--format', 'json');
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout) as Explanation;
  };

  beforeAll(async () => {
    ({ cli, config } = await startQuestionsCli());
  }, 120_000);
  afterAll(async () => {
    await cli.cleanup();
  });

  it('explains the figure ccost report gives, with methods, runs and the resources below it', async () => {
    const out = await explain('team payments 2026-10');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Team payments, October 2026: $336.00');
    expect(out.stdout).toContain("from 60 billed lines totalling $600.00 (this team's share 56.00%)");
    expect(out.stdout).toContain('Kafka KAFKA_NETWORK_WRITE: $216.00 of $360.00 billed on 30 lines (60.00%)');
    expect(out.stdout).toContain('usage (high): $216.00 on 30 lines');
    expect(out.stdout).toMatch(/Run run-2026-10-\w+: org-questions 2026-10, rule set [0-9a-f]{16}/);
    expect(out.stdout).toContain(
      'metrics not collected for lkc-abc12 on 1 day: $20.00 allocated by fallback',
    );
    expect(out.stdout).toContain('By resource (drill down: --resource ID)');
    const report = await cli.run('report', '--month', '2026-10', '--by', 'team', '--format', 'json');
    const row = (JSON.parse(report.stdout) as { rows: { key: string; amount: string }[] }).rows.find(
      (r) => r.key === 'payments',
    );
    expect((await json('explain', 'team', 'payments', '2026-10')).total).toBe(row!.amount);
  });

  it('drills down one flag per step: --resource, --line, --day', async () => {
    const resource = await json('team payments 2026-10', '--resource', 'lkc-abc12');
    expect(resource.level).toBe('resource');
    const first = resource.children[0]!;
    const line = await explain('team payments 2026-10', '--resource', 'lkc-abc12', '--line', first.key);
    expect(line.code).toBe(0);
    expect(line.stdout).toContain(`billing line ${first.key}`);
    expect(line.stdout).toContain('Rule: default: usage (write bytes); metrics that day: ok');
    expect(line.stdout).toContain('sa-123 (payments-api)');
    expect(line.stdout).toContain(`--resource lkc-abc12 --day ${first.day}`);
    const day = await json('team payments 2026-10', '--resource', 'lkc-abc12', '--day', first.day!);
    expect(day.level).toBe('day');
    expect(day.children.map((c) => c.key)).toContain(first.key);
  });

  it('says what is wrong with a bad step in one line', async () => {
    const bad = await explain('team payments 2026-10', '--line', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --line must be a billing line id (got "abc")\n');
    const none = await explain('team payments 2026-10', '--resource', 'lkc-dev01');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('error: team payments has no allocated cost on lkc-dev01 in October 2026\n');
    const typo = await explain('team paymnts 2026-10');
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('Did you mean `team payments`?');
    expect((await explain('top teams')).code).toBe(2);
  });
});
