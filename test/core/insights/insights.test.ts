import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBlocks } from '../../../src/bot/blocks.ts';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import type { Config } from '../../../src/core/config/schema.ts';
import { findInsights } from '../../../src/core/insights/find.ts';
import type { Insight } from '../../../src/core/insights/types.ts';
import { DEFAULT_CATALOG, HOURS_PER_MONTH } from '../../../src/core/pricing/catalog.ts';
import { ask } from '../../../src/core/questions/ask.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { allocatedSum } from '../../helpers/allocated.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';
import { healthyConfig, loadHealthyOrg } from './healthy-org.ts';

const NOW = new Date('2026-11-05T06:00:00Z');
const OCTOBER = { from: '2026-10-01', to: '2026-11-01' };
/** The Standard cluster made idle: no bytes from October 20 on (billing goes on). */
const IDLE = 'lkc-erp73';
/** The Dedicated cluster: 3 CKUs (multi-zone, so at least 2). */
const DEDICATED = 'lkc-bqtvp';
/** Left out of the config, so its service accounts' spend is unowned. */
const DROPPED_TEAM = 'checkout';

function price(key: string): string {
  return DEFAULT_CATALOG.entries[key]!.unitPrice!;
}

function only(insights: Insight[], kind: Insight['kind'], subjectId: string): Insight {
  const found = insights.filter((i) => i.kind === kind && i.subjectId === subjectId);
  expect(found, `${kind} ${subjectId}`).toHaveLength(1);
  return found[0]!;
}

describe('insights on the simulated org', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let config: Config;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-11-01', now: NOW });
    await store.query(sql`delete from usage where resource_id = ${IDLE} and bucket_start >= '2026-10-20'`);
    const { [DROPPED_TEAM]: _dropped, ...teams } = org.config.teams;
    config = { ...org.config, teams };
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config });
  }, 180_000);
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('finds the idle cluster and prices its saving from the catalog', async () => {
    const result = await findInsights(store, { config, now: NOW, period: OCTOBER });
    const idle = only(result.insights, 'idle_cluster', IDLE);
    const [row] = await store.query<{ ecku: string; storage: string }>(sql`
      select coalesce(sum(quantity) filter (where line_type = 'KAFKA_NUM_CKUS'), 0)::text as ecku,
             coalesce(sum(quantity) filter (where line_type = 'KAFKA_STORAGE'), 0)::text as storage
      from billing_lines where resource_id = ${IDLE} and start_date >= '2026-10-25' and start_date < '2026-11-01'`);
    const hours = 7 * 24;
    const ecku = new Decimal(row!.ecku).div(hours).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
    const storage = new Decimal(row!.storage).div(hours).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
    const expected = ecku
      .times(price('kafka.standard.ecku_hour'))
      .times(HOURS_PER_MONTH)
      .plus(storage.times(price('kafka.standard.storage_gb_month')))
      .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
      .toFixed(2);
    expect(idle.saving).toBe(expected);
    expect(new Decimal(idle.saving).gt(0)).toBe(true);
    expect(idle.savingBasis).toContain('eCKU-hour × $0.75 × 730 h (list)');
    expect(idle.evidence.find((e) => e.label === 'last day with bytes')?.value).toBe('2026-10-19');
    expect(idle.cost).toBe(
      (
        await store.query<{ s: string }>(sql`select sum(amount)::text as s from billing_lines
        where resource_id = ${IDLE} and start_date >= '2026-10-01' and start_date < '2026-11-01'`)
      )[0]!.s,
    );
    // An idle cluster is not also "underused": its saving already covers the capacity.
    expect(result.insights.filter((i) => i.subjectId === IDLE && i.kind === 'underused_capacity')).toEqual(
      [],
    );
  });

  it('finds the Dedicated cluster underused when the ratio allows, saving whole CKUs at the catalog price', async () => {
    const loose = { ...config, insights: { ...config.insights, underused_ratio: '0.7' } };
    const result = await findInsights(store, { config: loose, now: NOW, period: OCTOBER });
    const underused = only(result.insights, 'underused_capacity', DEDICATED);
    const cku = new Decimal(price('kafka.dedicated.cku_hour')).times(HOURS_PER_MONTH);
    expect(underused.saving).toBe(cku.toFixed(2)); // 3 CKUs → 2 (the multi-zone minimum)
    expect(underused.evidence).toContainEqual({ label: 'CKUs needed', value: '2 (minimum 2)' });
    // With the default ratio (0.5), 2 of 3 CKUs is not "far above".
    const strict = await findInsights(store, { config, now: NOW, period: OCTOBER });
    expect(strict.insights.some((i) => i.kind === 'underused_capacity' && i.subjectId === DEDICATED)).toBe(
      false,
    );
  });

  it('lists unowned spend per owner, exactly as allocated to the unowned team', async () => {
    const result = await findInsights(store, { config, now: NOW, period: OCTOBER });
    const unowned = result.insights.filter((i) => i.kind === 'unowned_spend');
    expect(unowned.length).toBeGreaterThan(0);
    for (const insight of unowned) {
      expect(insight.team).toBe('unowned');
      expect(insight.cost).toBe(
        await allocatedSum(store, sql`a.team = 'unowned' and a.owner_id = ${insight.subjectId}`),
      );
      expect(insight.saving).toBe('0');
      expect(insight.action).toContain(insight.subjectId);
    }
    // The dropped team's service accounts (`checkout-*`) are among them.
    expect(unowned.some((i) => i.subjectName?.startsWith(`${DROPPED_TEAM}-`))).toBe(true);
  });

  it('orders by saving, then monthly cost, deterministically, and narrows to a team', async () => {
    const a = await findInsights(store, { config, now: NOW, period: OCTOBER });
    const b = await findInsights(store, { config, now: NOW, period: OCTOBER });
    expect(b).toEqual(a);
    for (let i = 1; i < a.insights.length; i++) {
      const [prev, next] = [a.insights[i - 1]!, a.insights[i]!];
      const bySaving = new Decimal(prev.saving).comparedTo(next.saving);
      expect(bySaving).toBeGreaterThanOrEqual(0);
      if (bySaving === 0) expect(new Decimal(prev.monthlyCost).gte(next.monthlyCost)).toBe(true);
    }
    expect(a.insights[0]!.kind).toBe('idle_cluster');
    expect(a.totalSaving).toBe(a.insights.reduce((s, i) => s.plus(i.saving), new Decimal(0)).toFixed(2));
    const team = a.insights.find((i) => i.kind === 'idle_cluster')!.team!;
    const scoped = await findInsights(store, { config, now: NOW, period: OCTOBER, team });
    expect(scoped.insights.length).toBeGreaterThan(0);
    expect(scoped.insights.every((i) => i.teams.includes(team))).toBe(true);
    expect(scoped.insights).toEqual(a.insights.filter((i) => i.teams.includes(team)));
  });

  it('finds the legacy cluster paying for partitions far above need, priced per partition-hour', async () => {
    const result = await findInsights(store, { config, now: NOW, period: OCTOBER });
    const partitions = result.insights.find((i) => i.kind === 'excess_partitions');
    expect(partitions).toBeDefined();
    expect(partitions!.savingBasis).toContain(
      `$${price('kafka.legacy.partition_hour')}/partition-hour × 730 h`,
    );
  });

  it('answers /ccost insights through ask(), as text and Block Kit', async () => {
    const result = await ask(store, 'insights 2026-10', { config, now: NOW });
    expect(result.kind).toBe('answer');
    if (result.kind !== 'answer') return;
    expect(result.answer.insights!.insights.length).toBeGreaterThan(0);
    expect(result.answer.total).toBe(result.answer.insights!.totalSaving);
    expect(result.text).toMatch(
      /^\d+ findings for October 2026: an estimated \$[\d,]+\.\d\d a month to save/,
    );
    expect(result.text).toContain(`Idle cluster · `);
    const blocks = answerBlocks(result.answer);
    expect(blocks.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Insights · October 2026' } });
    expect(JSON.stringify(blocks.blocks)).toContain('Idle cluster');
    expect(blocks.blocks.length).toBeLessThanOrEqual(50);
    const unknown = await ask(store, 'insights paymnts 2026-10', { config, now: NOW });
    expect(unknown).toMatchObject({ kind: 'reply', code: 'unknown_name' });
  });
});

describe('insights on a healthy org', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore();
    await loadHealthyOrg(store);
  }, 60_000);
  afterAll(async () => {
    await store.close();
  });

  it('finds nothing and says so plainly', async () => {
    const result = await findInsights(store, { config: healthyConfig, now: NOW, period: OCTOBER });
    expect(result.insights).toEqual([]);
    expect(result.totalSaving).toBe('0.00');
    const asked = await ask(store, 'insights last month', { config: healthyConfig, now: NOW });
    expect(asked.text).toContain(
      'No insights for October 2026: no idle or underused resources, nothing running without work, no unowned spend.',
    );
  });
});
