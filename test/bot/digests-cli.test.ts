import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { parseConfigText } from '../../src/core/config/load.ts';
import { listJobRuns } from '../../src/core/schedule/job-runs.ts';
import { openStoreFromEnv } from '../../src/core/storage/database.ts';
import { createCliHarness } from '../helpers/cli.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { loadSeedExample, ORG } from '../helpers/seed-example.ts';

const YAML = `
slack:
  finance_channel: "#finance"
teams:
  payments:
    owners: [sa-abc, sa-def]
    slack_channel: "#payments"
    budget:
      monthly: 5
`;

describe('ccost digest run', () => {
  let fake: FakeSlack;
  const dir = mkdtempSync(path.join(tmpdir(), 'ccost-digest-'));
  const configFile = path.join(dir, 'ccost.yaml');
  let cli: ReturnType<typeof createCliHarness>;

  beforeAll(async () => {
    fake = await startFakeSlack();
    writeFileSync(configFile, YAML);
    cli = createCliHarness({ SLACK_BOT_TOKEN: 'xoxb-cli', SLACK_API_URL: fake.url });
    const store = await openStoreFromEnv(cli.env);
    try {
      await loadSeedExample(store);
      await allocateMonth(store, { orgId: ORG, month: '2026-10', config: parseConfigText(YAML) });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await fake.stop();
    await cli.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run prints what is due and sends nothing', async () => {
    const early = await cli.run(
      '--config',
      configFile,
      'digest',
      'run',
      '--now',
      '2026-11-03T12:00:00Z',
      '--dry-run',
    );
    expect(early).toMatchObject({ code: 0, stdout: 'Nothing due at 2026-11-03T12:00:00.000Z.\n' });
    const due = await cli.run(
      '--config',
      configFile,
      'digest',
      'run',
      '--now',
      '2026-11-04T00:00:00Z',
      '--dry-run',
    );
    expect(due.code).toBe(0);
    expect(due.stdout).toContain(
      `would send monthly_close → #finance (monthly_close:${ORG}:2026-10): ${ORG} October 2026, $33.00, provisional, reconciliation not_run`,
    );
    expect(fake.messages).toHaveLength(0);
  });

  it('sends what is due once; a second run sends nothing', async () => {
    const first = await cli.run('--config', configFile, 'digest', 'run', '--now', '2026-11-04T00:00:00Z');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('digest:monthly_close: succeeded (due 1, sent 1, taken 0, failed 0)');
    const second = await cli.run('--config', configFile, 'digest', 'run', '--now', '2026-11-04T00:00:00Z');
    expect(second.stdout).toContain('digest:monthly_close: succeeded (due 0, sent 0, taken 0, failed 0)');
    expect(fake.messages.map((m) => m.channel)).toEqual(['#finance']);
    const store = await openStoreFromEnv(cli.env);
    try {
      const runs = await listJobRuns(store, { job: 'digest:monthly_close' });
      expect(runs.map((r) => [r.outcome, r.trigger])).toEqual([
        ['succeeded', 'manual'],
        ['succeeded', 'manual'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses a bad --now and a missing token', async () => {
    expect(await cli.run('--config', configFile, 'digest', 'run', '--now', 'tuesday')).toMatchObject({
      code: 2,
    });
    const noToken = createCliHarness({});
    try {
      const result = await noToken.run('--config', configFile, 'digest', 'run');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SLACK_BOT_TOKEN is not set');
    } finally {
      await noToken.cleanup();
    }
  });
});
