import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDigestJobs, digestJobName, sendDueDigests } from '../../src/bot/digests.ts';
import { createSlackClient, type WebClient } from '../../src/bot/slack-client.ts';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { sentMessage } from '../../src/core/digests/sent-messages.ts';
import { listJobRuns } from '../../src/core/schedule/job-runs.ts';
import { createScheduler } from '../../src/core/schedule/scheduler.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { jobRuns, sentMessages } from '../../src/core/storage/schema.ts';
import { everyDay, plant } from '../core/digests/plant.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { openSecondStore } from '../helpers/second-store.ts';
import { loadSeedExample, ORG } from '../helpers/seed-example.ts';
import { createTestStore } from '../helpers/store.ts';

const config = parseConfig({
  slack: { finance_channel: '#finance' },
  teams: {
    payments: { owners: ['sa-abc', 'sa-def'], slack_channel: '#payments', budget: { monthly: '3000' } },
    analytics: { owners: ['sa-ghi', 'sa-jkl'] },
  },
});

describe('digest jobs', () => {
  let store: Store;
  let fake: FakeSlack;
  let slack: WebClient;

  beforeAll(async () => {
    store = await createTestStore();
    fake = await startFakeSlack();
    slack = createSlackClient({ token: 'xoxb-test', apiUrl: fake.url, retries: 0 });
    // October: the documentation's example through the normal allocation path (rollups included).
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    // November: $100 a day for payments, past 100% of its forecast budget.
    await plant(store, everyDay('2026-11-01', 10, 'payments', '100'));
  });
  afterAll(async () => {
    await store.close();
    await fake.stop();
  });
  beforeEach(async () => {
    fake.messages.length = 0;
    fake.uploads.length = 0;
    await store.db.delete(sentMessages);
    await store.db.delete(jobRuns);
  });

  const now = new Date('2026-11-11T10:00:00Z');

  it('posts each due message once, however often it runs', async () => {
    const options = { store, config, slack };
    const first = await sendDueDigests(options, 'budget_alert', now);
    expect(first).toEqual({ due: 2, sent: 2, taken: 0, failed: 0 });
    expect(await sendDueDigests(options, 'budget_alert', now)).toEqual({
      due: 0,
      sent: 0,
      taken: 0,
      failed: 0,
    });
    expect(fake.messages.map((m) => m.channel).sort()).toEqual(['#finance', '#payments']);
    const alert = fake.messages.find((m) => m.channel === '#payments')!;
    expect(alert.text).toBe(
      "Team payments's forecast for 2026-11 reached 100% (and 80%) of its budget: $3,000.00 of $3,000.00",
    );
    expect(await sentMessage(store, 'budget:payments:2026-11:80')).toMatchObject({
      status: 'sent',
      messageTs: alert.ts,
    });
    // The monthly close: a message and its chart in the thread.
    expect(await sendDueDigests(options, 'monthly_close', now)).toMatchObject({ sent: 1 });
    expect(await sendDueDigests(options, 'monthly_close', now)).toMatchObject({ due: 0, sent: 0 });
    const close = fake.messages.find((m) => m.channel === '#finance' && m.text?.startsWith('Monthly close'))!;
    expect(close.text).toBe(`Monthly close October 2026 (${ORG}): $33.00, provisional, not reconciled`);
    expect(JSON.stringify(close.blocks)).toContain('payments');
    expect(JSON.stringify(close.blocks)).toContain('Monthly close · October 2026');
    expect(JSON.stringify(close.blocks)).toContain('not reconciled');
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({ channel: 'CFINANCE', threadTs: close.ts, completed: true });
    expect(fake.uploads[0]!.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('two schedulers at once on two connections: every message posted once, each job succeeded once', async () => {
    const other = await openSecondStore(store);
    try {
      const a = createScheduler({
        store,
        jobs: createDigestJobs({ store, config, slack }),
        now: () => now,
        holder: 'replica-a',
      });
      const b = createScheduler({
        store: other,
        jobs: createDigestJobs({ store: other, config, slack }),
        now: () => now,
        holder: 'replica-b',
      });
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      // 2 budget alerts, the monthly close, and last week's digest for #payments.
      expect(fake.messages).toHaveLength(4);
      expect(fake.messages.map((m) => m.text).sort()).toEqual([
        'Monthly close October 2026 (org-seed): $33.00, provisional, not reconciled',
        "Team payments's forecast for 2026-11 reached 100% (and 80%) of its budget: $3,000.00 of $3,000.00",
        "Team payments's forecast for 2026-11 reached 100% (and 80%) of its budget: $3,000.00 of $3,000.00",
        'Team payments, week 45 (Nov 2 – Nov 8): $700.00, +$600.00 (+600.0%) on the week before',
      ]);
      for (let i = 0; i < ra.length; i++) {
        const outcomes = [ra[i]!.outcome, rb[i]!.outcome].sort();
        expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
        expect(['not_due', 'skipped']).toContain(outcomes.find((o) => o !== 'succeeded'));
      }
      for (const kind of ['budget_alert', 'monthly_close', 'weekly_team', 'anomaly_summary'] as const) {
        const runs = await listJobRuns(store, { job: digestJobName(kind) });
        expect(runs.filter((r) => r.outcome === 'succeeded')).toHaveLength(1);
        expect(runs.every((r) => r.outcome === 'succeeded' || r.outcome === 'skipped')).toBe(true);
      }
      // Again, later: nothing new to send.
      const later = () => new Date(now.getTime() + 3_600_000);
      const c = createScheduler({
        store: other,
        jobs: createDigestJobs({ store: other, config, slack }),
        now: later,
      });
      expect((await c.tick()).every((r) => r.outcome === 'succeeded')).toBe(true);
      expect(fake.messages).toHaveLength(4);
    } finally {
      await other.close();
    }
  });

  it('a send Slack refuses is recorded failed, retried with backoff, and then posted once', async () => {
    let clock = now.getTime();
    const scheduler = createScheduler({
      store,
      jobs: createDigestJobs({ store, config, slack }).filter((j) => j.name === 'digest:monthly_close'),
      now: () => new Date(clock),
      retry: { baseMs: 60_000, maxMs: 600_000, maxAttempts: 5 },
    });
    fake.failNext('chat.postMessage', 'channel_not_found');
    const [failed] = await scheduler.tick();
    expect(failed).toMatchObject({ outcome: 'failed', attempt: 1 });
    expect(failed!.error).toContain('channel_not_found');
    expect(await sentMessage(store, `monthly_close:${ORG}:2026-10`)).toMatchObject({ status: 'failed' });
    expect(fake.messages).toHaveLength(0);
    clock += 30_000;
    expect((await scheduler.tick())[0]!.outcome).toBe('waiting');
    clock += 30_000;
    expect((await scheduler.tick())[0]).toMatchObject({
      outcome: 'succeeded',
      attempt: 2,
      counts: { sent: 1 },
    });
    expect(fake.messages).toHaveLength(1);
    expect(await sentMessage(store, `monthly_close:${ORG}:2026-10`)).toMatchObject({ status: 'sent' });
    const runs = (await listJobRuns(store, { job: 'digest:monthly_close' })).reverse();
    expect(runs.map((r) => [r.outcome, r.attempt])).toEqual([
      ['failed', 1],
      ['succeeded', 2],
    ]);
    expect(runs[0]!.error).toContain('channel_not_found');
    expect(runs[0]!.error).not.toContain('xoxb-test');
  });
});
