import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocatedSum } from '../helpers/allocated.ts';
import type { CliHarness } from '../helpers/cli.ts';
import { QUESTIONS_YAML, startQuestionsCli } from '../helpers/questions-cli.ts';

const NOW = '2026-11-23T15:00:00Z';

describe('ccost insights', () => {
  let cli: CliHarness;
  let config: string;
  let devSpend: string;

  beforeAll(async () => {
    const yaml = QUESTIONS_YAML.replace(', budget: { monthly: 700 }', '').concat(
      'insights: { min_monthly: 5 }\n',
    );
    ({ cli, config } = await startQuestionsCli(yaml, async (store) => {
      devSpend = await allocatedSum(
        store,
        sql`a.team = 'unowned' and a.owner_id = 'lkc-dev01' and a.bucket >= '2026-10-01' and a.bucket < '2026-11-01'`,
      );
    }));
  }, 120_000);
  afterAll(async () => {
    await cli.cleanup();
  });

  it('prints each finding with its cost, saving, evidence and action', async () => {
    const out = await cli.run('--config', config, 'insights', '--period', '2026-10', '--now', NOW);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 finding for October 2026: an estimated $0.00 a month to save');
    expect(out.stdout).toContain('1. Unowned spend · sandbox (lkc-dev01) · team unowned');
    expect(out.stdout).toContain(
      `resource lkc-dev01 spent $${new Decimal(devSpend).toFixed(2)} that no team owns.`,
    );
    expect(out.stdout).toContain('do: Add lkc-dev01 to a team');
    expect(out.stdout).toContain('Days read: 2026-10-01 – 2026-11-01 (end exclusive)');
  });

  it('writes exact amounts as JSON', async () => {
    const out = await cli.run(
      '--config',
      config,
      'insights',
      '--period',
      '2026-10',
      '--format',
      'json',
      '--now',
      NOW,
    );
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.period).toEqual({ from: '2026-10-01', to: '2026-11-01', label: 'October 2026' });
    expect(json.insights).toHaveLength(1);
    expect(json.insights[0]).toMatchObject({ kind: 'unowned_spend', subjectId: 'lkc-dev01', cost: devSpend });
    expect(json.totalSaving).toBe('0.00');
  });

  it('says plainly when a team has nothing to act on', async () => {
    const out = await cli.run(
      '--config',
      config,
      'insights',
      '--team',
      'search',
      '--period',
      '2026-10',
      '--now',
      NOW,
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      'No insights for team search, October 2026: no idle or underused resources, nothing running without work, no unowned spend.',
    );
  });

  it('names a team it does not know, and a bad format, with exit codes', async () => {
    const unknown = await cli.run('--config', config, 'insights', '--team', 'serch', '--now', NOW);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('search');
    const bad = await cli.run('--config', config, 'insights', '--format', 'csv');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--format must be text or json');
  });
});
