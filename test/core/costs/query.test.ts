import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { costsToCsv, parseCostQuery, queryCosts } from '../../../src/core/costs/query.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { allocatedSum } from '../../helpers/allocated.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = '2026-11-05T06:00:00Z';

/** Parses request parameters, failing the test on a violation. */
function query(params: Record<string, string>) {
  const parsed = parseCostQuery(params);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.query;
}

describe('cost queries', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, {
      since: '2026-10-01',
      until: '2026-11-01',
      now: new Date(NOW),
    });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('groups by team to exactly the allocated total, and per team to its rows', async () => {
    const result = await queryCosts(store, query({ from: '2026-10-01', to: '2026-11-01', group_by: 'team' }));
    expect(result.total).toBe(await allocatedSum(store, sql`true`));
    expect(result.total).toBe(new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed());
    expect(result.rows.length).toBeGreaterThan(2);
    for (const row of result.rows)
      expect(row.amount).toBe(await allocatedSum(store, sql`a.team = ${row.values.team!}`));
  });

  it('gives the same sums from the line grain (line_type) as from the rollups', async () => {
    const coarse = await queryCosts(
      store,
      query({ from: '2026-10-01', to: '2026-11-01', group_by: 'product' }),
    );
    const fine = await queryCosts(
      store,
      query({ from: '2026-10-01', to: '2026-11-01', group_by: 'product,line_type' }),
    );
    expect(fine.total).toBe(coarse.total);
    for (const row of coarse.rows) {
      const parts = fine.rows.filter((r) => r.values.product === row.values.product);
      expect(parts.reduce((s, r) => s.plus(r.amount), new Decimal(0)).toFixed()).toBe(row.amount);
    }
  });

  it('splits by day, ISO week and month, each summing to the total', async () => {
    const total = (await queryCosts(store, query({ from: '2026-10-01', to: '2026-11-01' }))).total;
    for (const granularity of ['day', 'week', 'month']) {
      const result = await queryCosts(store, query({ from: '2026-10-01', to: '2026-11-01', granularity }));
      expect(result.total).toBe(total);
      if (granularity === 'day') expect(result.rows).toHaveLength(31);
      if (granularity === 'month') expect(result.rows.map((r) => r.period)).toEqual(['2026-10-01']);
      // 2026-10-01 is a Thursday: its ISO week starts on Monday 2026-09-28.
      if (granularity === 'week') expect(result.rows[0]!.period).toBe('2026-09-28');
    }
  });

  it('leaves credits out and reports gross amounts when asked', async () => {
    const range = { from: '2026-10-01', to: '2026-11-01' };
    const net = await queryCosts(store, query({ ...range, group_by: 'charge_type' }));
    const credit = net.rows.find((r) => r.values.charge_type === 'credit');
    expect(credit && new Decimal(credit.amount).isNegative()).toBe(true);
    const noCredits = await queryCosts(store, query({ ...range, credits: 'false' }));
    expect(noCredits.total).toBe(new Decimal(net.total).minus(credit!.amount).toFixed());
    const gross = await queryCosts(store, query({ ...range, discounts: 'false' }));
    expect(gross.total).toBe(await allocatedSum(store, sql`true`, sql`a.gross_amount`));
  });

  it('filters on dimensions and hides teams outside a scope', async () => {
    const range = { from: '2026-10-01', to: '2026-11-01' };
    const byTeam = await queryCosts(store, query({ ...range, group_by: 'team' }));
    const [first, second] = byTeam.rows;
    const filtered = await queryCosts(
      store,
      query({ ...range, team: `${first!.values.team},${second!.values.team}` }),
    );
    expect(filtered.total).toBe(new Decimal(first!.amount).plus(second!.amount).toFixed());
    const scoped = await queryCosts(store, {
      ...query({ ...range, group_by: 'team' }),
      teams: [first!.values.team!],
    });
    expect(scoped.rows).toEqual([first]);
  });

  it('names the parameter that is wrong', () => {
    const bad = parseCostQuery({ from: '2026-10-01', to: '2026-10', group_by: 'team,colour' });
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('to');
    expect(paths.some((p) => p.startsWith('group_by'))).toBe(true);
    expect(parseCostQuery({ from: '2026-10-05', to: '2026-10-01' }).ok).toBe(false);
    expect(parseCostQuery({ from: '2026-10-01', to: '2026-10-05', granularity: 'hour' }).ok).toBe(false);
  });

  it('writes CSV with a header and quoted fields', async () => {
    const result = await queryCosts(
      store,
      query({ from: '2026-10-01', to: '2026-10-03', group_by: 'team', granularity: 'day' }),
    );
    const lines = costsToCsv(result).trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,team,amount');
    expect(lines).toHaveLength(result.rows.length + 1);
    expect(
      costsToCsv({ ...result, rows: [{ period: '2026-10-01', values: { team: 'a,"b"' }, amount: '1' }] }),
    ).toContain('"a,""b"""');
  });
});
