import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliHarness } from '../helpers/cli.ts';
import { startQuestionsCli } from '../helpers/questions-cli.ts';

describe('ccost ask', () => {
  let cli: CliHarness;
  let config: string;

  beforeAll(async () => {
    ({ cli, config } = await startQuestionsCli());
  }, 120_000);
  afterAll(async () => {
    await cli.cleanup();
  });

  it('prints the answer and writes the chart', async () => {
    const chart = path.join(cli.env.CCOST_HOME!, 'answer.png');
    const out = await cli.run('--config', config, 'ask', 'team', 'payments', '2026-10', '--chart', chart);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Team payments, October 2026: $336.00');
    expect(out.stdout).toContain('+$46.00 (+15.9%) vs September 2026 ($290.00)');
    expect(out.stdout).toContain(`Chart: ${chart}`);
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints a reply with no chart for a name it does not know', async () => {
    const chart = path.join(cli.env.CCOST_HOME!, 'none.png');
    const out = await cli.run('--config', config, 'ask', 'cluster lkc-abc13 2026-10', '--chart', chart);
    expect(out.stdout).toBe('No cluster called "lkc-abc13". Did you mean `cluster lkc-abc12`?\n');
  });
});
