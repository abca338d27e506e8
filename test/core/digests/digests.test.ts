import { Decimal } from 'decimal.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { dueAnomalySummaries, isAnomalous } from '../../../src/core/digests/anomalies.ts';
import { dueBudgetAlerts } from '../../../src/core/digests/budget-alerts.ts';
import { isoWeek } from '../../../src/core/digests/calendar.ts';
import { chartMonthlyClose } from '../../../src/core/digests/chart.ts';
import { describeDigest } from '../../../src/core/digests/describe.ts';
import { dueDigests } from '../../../src/core/digests/due.ts';
import { dueMonthlyCloses } from '../../../src/core/digests/monthly-close.ts';
import { claimMessage, markCovered, markSent } from '../../../src/core/digests/sent-messages.ts';
import type { DigestMessage } from '../../../src/core/digests/types.ts';
import { dueWeeklyDigests } from '../../../src/core/digests/weekly.ts';
import { reconcileMonth } from '../../../src/core/reconcile/reconcile.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';
import { everyDay, plant } from './plant.ts';

/** Claims and marks sent what a digest job would. */
async function send(store: Store, message: DigestMessage) {
  expect(await claimMessage(store, { key: message.key, kind: message.kind, channel: message.channel })).toBe(
    true,
  );
  await markSent(store, message.key, '1.1');
  if (message.kind === 'budget_alert')
    for (const c of message.covers)
      await markCovered(store, { key: c.key, kind: 'budget_alert', channel: message.channel }, '1.1');
  if (message.kind === 'anomaly_summary')
    for (const a of message.anomalies)
      await markCovered(store, { key: a.key, kind: 'anomaly', channel: message.channel }, '1.1');
}

describe('digests', () => {
  let store: Store;
  beforeEach(async () => {
    await store?.close();
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('budget alerts at 80% and at 100% of the forecast, each once per month, with exact figures', async () => {
    const config = parseConfig({
      slack: { finance_channel: '#finance' },
      teams: {
        payments: { owners: ['sa-payments'], slack_channel: '#payments', budget: { monthly: '3000' } },
        search: { owners: ['sa-search'], slack_channel: '#search', budget: { monthly: '100' } },
      },
    });
    // Ten complete days at $80: forecast 800 / 10 · 30 = 2400, exactly 80% of 3000.
    await plant(store, everyDay('2026-11-01', 10, 'payments', '80'));
    await plant(store, everyDay('2026-11-01', 10, 'search', '1.5'));
    const at80 = new Date('2026-11-11T10:00:00Z');
    const alerts = await dueBudgetAlerts(store, config, at80);
    expect(alerts.map((a) => [a.key, a.channel, a.threshold])).toEqual([
      ['budget:payments:2026-11:80', '#payments', 80],
      ['budget:payments:2026-11:80:finance', '#finance', 80],
    ]);
    expect(alerts[0]!.status).toMatchObject({
      actual: '800',
      forecast: '2400.000000',
      forecastPercent: '80.0',
      budget: '3000',
    });
    for (const a of alerts) await send(store, a);
    expect(await dueBudgetAlerts(store, config, at80)).toEqual([]);
    expect(await dueBudgetAlerts(store, config, new Date('2026-11-11T18:00:00Z'))).toEqual([]);
    // Ten more days at $120: 2000 / 20 · 30 = 3000, exactly 100%.
    await plant(store, everyDay('2026-11-11', 10, 'payments', '120'));
    const at100 = await dueBudgetAlerts(store, config, new Date('2026-11-21T09:00:00Z'));
    expect(at100.map((a) => [a.key, a.covers])).toEqual([
      ['budget:payments:2026-11:100', []],
      ['budget:payments:2026-11:100:finance', []],
    ]);
    expect(at100[0]!.status.forecastPercent).toBe('100.0');
    for (const a of at100) await send(store, a);
    expect(await dueBudgetAlerts(store, config, new Date('2026-11-25T09:00:00Z'))).toEqual([]);
    // Crossing both thresholds at once posts the highest, standing for the lower one.
    await plant(store, [{ day: '2026-11-21', team: 'search', amount: '150' }]);
    const jump = await dueBudgetAlerts(store, config, new Date('2026-11-22T09:00:00Z'));
    const search = jump.find((a) => a.channel === '#search')!;
    expect(search.threshold).toBe(100);
    expect(search.covers).toEqual([{ threshold: 80, key: 'budget:search:2026-11:80' }]);
    expect(search.status.actual).toBe('165');
    for (const a of jump) await send(store, a);
    expect(await dueBudgetAlerts(store, config, new Date('2026-11-23T09:00:00Z'))).toEqual([]);
    // A new month starts afresh.
    await plant(store, everyDay('2026-12-01', 2, 'payments', '200'));
    const december = await dueBudgetAlerts(store, config, new Date('2026-12-03T09:00:00Z'));
    expect(december.map((a) => a.key)).toContain('budget:payments:2026-12:100');
  });

  it('finds a planted spike of a team and a cluster, sends each anomaly once, and ignores noise', async () => {
    const config = parseConfig({
      slack: { finance_channel: '#finance' },
      teams: {
        payments: { owners: ['sa-payments'], slack_channel: '#payments' },
        search: { owners: ['sa-search'], slack_channel: '#search' },
      },
      digests: { anomalies: { threshold_percent: 50, min_increase: '10', baseline_days: 7, hour: 8 } },
    });
    await plant(store, everyDay('2026-11-01', 14, 'payments', '20.10', { resource: 'lkc-pay' }));
    // Search doubles on Nov 14 but only by $2: under min_increase.
    await plant(store, everyDay('2026-11-01', 14, 'search', '2', { resource: 'lkc-search' }));
    await plant(store, [
      { day: '2026-11-14', team: 'payments', amount: '25.05', resource: 'lkc-pay' },
      { day: '2026-11-14', team: 'search', amount: '2', resource: 'lkc-search' },
    ]);
    expect(await dueAnomalySummaries(store, config, new Date('2026-11-15T07:59:00Z'))).toEqual([]);
    const due = await dueAnomalySummaries(store, config, new Date('2026-11-15T08:00:00Z'));
    expect(due.map((s) => [s.key, s.anomalies.map((a) => a.key)])).toEqual([
      ['anomalies:#payments:2026-11-15', ['anomaly:team:payments:2026-11-14']],
      ['anomalies:#finance:2026-11-15', ['anomaly:resource:lkc-pay:2026-11-14']],
    ]);
    expect(due[0]!.anomalies[0]).toMatchObject({
      amount: '45.15',
      baseline: '20.1',
      increase: '25.05',
      percent: '124.6',
      baselineDays: 7,
    });
    for (const s of due) await send(store, s);
    expect(await dueAnomalySummaries(store, config, new Date('2026-11-15T12:00:00Z'))).toEqual([]);
    // The next day the same anomaly is still in the lookback window, but it was sent.
    expect(await dueAnomalySummaries(store, config, new Date('2026-11-16T09:00:00Z'))).toEqual([]);
    expect(
      isAnomalous(new Decimal('15'), new Decimal('10'), {
        thresholdPercent: 50,
        minIncrease: '5',
        baselineDays: 7,
      }),
    ).toBe(false);
    expect(
      isAnomalous(new Decimal('15.000001'), new Decimal('10'), {
        thresholdPercent: 50,
        minIncrease: '5',
        baselineDays: 7,
      }),
    ).toBe(true);
  });

  it('monthly close: not before the settling window, then once, with teams, month over month and reconciliation', async () => {
    const config = parseConfig({
      slack: { finance_channel: '#finance' },
      teams: { payments: { owners: ['sa-abc', 'sa-def'] }, analytics: { owners: ['sa-ghi', 'sa-jkl'] } },
    });
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    expect(await dueMonthlyCloses(store, config, new Date('2026-11-03T23:59:59Z'))).toEqual([]);
    const settled = new Date('2026-11-04T00:00:00Z');
    const [digest, ...rest] = await dueMonthlyCloses(store, config, settled);
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({
      key: `monthly_close:${ORG}:2026-10`,
      channel: '#finance',
      label: 'October 2026',
      state: 'provisional',
      total: '33',
      previousTotal: '0',
      reconciliation: { outcome: 'not_run' },
    });
    expect(digest!.teams.find((t) => t.team === 'payments')).toEqual({
      team: 'payments',
      amount: '7.089844',
      previous: '0',
    });
    expect(digest!.teams.reduce((s, t) => s.plus(t.amount), new Decimal(0)).toFixed()).toBe('33');
    expect(digest!.daily.days).toHaveLength(31);
    // One org: the figures Slack shows are the /ccost answer to "top teams october 2026".
    expect(digest!.answer).toMatchObject({ title: 'Top teams', total: '33' });
    expect(digest!.answer!.breakdown!.rows.find((r) => r.key === 'payments')!.amount).toBe('7.089844');
    expect(chartMonthlyClose(digest!).subarray(1, 4).toString()).toBe('PNG');
    await reconcileMonth(store, { orgId: ORG, month: '2026-10', config, now: settled });
    const [reconciled] = await dueMonthlyCloses(store, config, settled);
    expect(reconciled!.reconciliation.outcome).not.toBe('not_run');
    expect(reconciled!.reconciliation.checks.length).toBeGreaterThan(0);
    await send(store, reconciled!);
    expect(await dueMonthlyCloses(store, config, new Date('2026-11-20T00:00:00Z'))).toEqual([]);
    // Without a channel nothing is due.
    expect(await dueMonthlyCloses(store, parseConfig({}), settled)).toEqual([]);
  });

  it('weekly team digest from the configured weekday and hour, about last ISO week, once', async () => {
    const config = parseConfig({
      teams: {
        payments: { owners: ['sa-payments'], slack_channel: '#payments', budget: { monthly: '1000' } },
        quiet: { owners: ['sa-quiet'] },
      },
      digests: { weekly_team: { weekday: 'monday', hour: 9 } },
    });
    await plant(store, everyDay('2026-11-02', 7, 'payments', '10', { product: 'KAFKA' }));
    await plant(store, everyDay('2026-11-09', 7, 'payments', '15', { product: 'KAFKA' }));
    await plant(store, [
      { day: '2026-11-10', team: 'payments', amount: '5', product: 'FLINK', owner: 'sa-flink' },
    ]);
    expect(await dueWeeklyDigests(store, config, new Date('2026-11-16T08:59:00Z'))).toEqual([]);
    const due = await dueWeeklyDigests(store, config, new Date('2026-11-16T09:00:00Z'));
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({
      key: 'weekly:payments:2026-W46',
      channel: '#payments',
      from: '2026-11-09',
      to: '2026-11-16',
      total: '110',
      previousTotal: '70',
      byProduct: [
        { key: 'KAFKA', amount: '105' },
        { key: 'FLINK', amount: '5' },
      ],
      topPrincipals: [
        { key: 'sa-payments', amount: '105' },
        { key: 'sa-flink', amount: '5' },
      ],
      dataThrough: '2026-11-15',
    });
    // Month to date (Nov 1–15): 180 over 15 days, forecast 360 of 1000.
    expect(due[0]!.budget).toMatchObject({ actual: '180', forecast: '360.000000', forecastPercent: '36.0' });
    await send(store, due[0]!);
    expect(await dueWeeklyDigests(store, config, new Date('2026-11-18T12:00:00Z'))).toEqual([]);
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    const all = await dueDigests(store, config, new Date('2026-11-23T09:00:00Z'));
    expect(all.map((m) => m.key)).toEqual(['weekly:payments:2026-W47']);
    expect(describeDigest(all[0]!)).toContain('weekly_team → #payments (weekly:payments:2026-W47)');
  });
});
