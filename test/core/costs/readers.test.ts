import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { teamBudget } from '../../../src/core/costs/budget.ts';
import { listDimension } from '../../../src/core/costs/dimensions.ts';
import { listPeriods } from '../../../src/core/costs/periods.ts';
import { effectivePrices } from '../../../src/core/costs/prices.ts';
import { activeResources } from '../../../src/core/costs/resources.ts';
import { reconcileMonth } from '../../../src/core/reconcile/reconcile.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { allocatedSum } from '../../helpers/allocated.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-10-21T06:00:00Z');

describe('read models of the API', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-09-01', until: '2026-10-21', now: NOW });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-09', config: org.config });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
    await reconcileMonth(store, { orgId: org.orgId, month: '2026-09', config: org.config, now: NOW });
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('gives a team budget with the month actual and a run-rate forecast', async () => {
    const team = Object.keys(org.config.teams).find((t) => org.config.teams[t]!.budget)!;
    const budget = await teamBudget(store, { config: org.config, team, month: '2026-10', now: NOW });
    expect(budget.monthly).toBe(org.config.teams[team]!.budget!.monthly);
    expect(budget.actual).toBe(await allocatedSum(store, sql`a.team = ${team} and a.bucket >= '2026-10-01'`));
    // 20 complete days of 31: the forecast is the actual × 31 / 20.
    expect(new Decimal(budget.forecast).toFixed(4)).toBe(
      new Decimal(budget.actual).times(31).div(20).toFixed(4),
    );
    const past = await teamBudget(store, { config: org.config, team, month: '2026-09', now: NOW });
    expect(past.forecast).toBe(new Decimal(past.actual).toFixed(6));
    const none = await teamBudget(store, { config: org.config, team: 'nobody', month: '2026-10', now: NOW });
    expect([none.monthly, none.actual, none.over]).toEqual([null, '0', null]);
  });

  it('lists months with their state and reconciliation', async () => {
    const periods = await listPeriods(store, NOW);
    expect(periods.map((p) => [p.month, p.state])).toEqual([
      ['2026-10', 'open'],
      ['2026-09', 'provisional'],
    ]);
    expect(periods[1]!.reconciliation).not.toBeNull();
    expect(periods[0]!.reconciliation).toBeNull();
    expect(periods[1]!.total).toBe(await allocatedSum(store, sql`a.bucket < '2026-10-01'`));
  });

  it('lists active resources with month-to-date cost and an owner team', async () => {
    const resources = await activeResources(store, { config: org.config, now: NOW });
    expect(resources.length).toBeGreaterThan(3);
    const [top] = resources;
    expect(top!.monthToDate).toBe(
      await allocatedSum(store, sql`a.resource_id = ${top!.id} and a.bucket >= '2026-10-01'`),
    );
    expect(resources.every((r) => r.teamSource !== 'none' || r.monthToDate === '0')).toBe(true);
    const scoped = await activeResources(store, { config: org.config, now: NOW, teams: [top!.team] });
    expect(scoped.every((r) => r.team === top!.team)).toBe(true);
  });

  it('lists dimension values with names, and teams within a scope', async () => {
    const clusters = await listDimension(store, 'clusters', { config: org.config });
    expect(clusters.length).toBe(org.model.org.clusters.length);
    expect(clusters.every((c) => c.id.startsWith('lkc-'))).toBe(true);
    const teams = await listDimension(store, 'teams', { config: org.config });
    expect(teams.map((t) => t.id)).toEqual(expect.arrayContaining(Object.keys(org.config.teams)));
    const one = await listDimension(store, 'teams', { config: org.config, teams: [teams[0]!.id] });
    expect(one).toEqual([teams[0]]);
    expect((await listDimension(store, 'orgs', { config: org.config })).map((o) => o.id)).toEqual([
      org.orgId,
    ]);
  });

  it('derives effective unit prices from billing lines', async () => {
    const prices = await effectivePrices(store, { from: '2026-09-01', to: '2026-10-01' });
    expect(prices.length).toBeGreaterThan(0);
    const [p] = prices;
    const [raw] = await store.query<{ q: string; a: string }>(sql`
      select sum(quantity)::text as q, sum(amount)::text as a from billing_lines
      where product = ${p!.product} and line_type = ${p!.lineType} and start_date >= '2026-09-01' and start_date < '2026-10-01' and quantity > 0 and amount >= 0`);
    expect(p!.unitPrice).toBe(new Decimal(raw!.a).div(raw!.q).toFixed(6, Decimal.ROUND_HALF_EVEN));
  });
});
