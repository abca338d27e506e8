import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

/** Per run and group, allocations against rollups; rows where they differ in any way. */
const DIFFERENCES = sql`
  with a as (
    select run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind,
           sum(amount) as amount, sum(gross_amount) as gross,
           coalesce(sum(amount) filter (where confidence = 'high'), 0) as high
    from allocations group by 1, 2, 3, 4, 5, 6, 7, 8, 9),
  r as (
    select run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind,
           amount, gross_amount as gross, high_confidence_amount as high from allocation_rollups)
  select coalesce(a.run_id, r.run_id) as run_id, a.amount::text as a, r.amount::text as r
  from a full join r
    on a.run_id = r.run_id and a.bucket = r.bucket and a.org_id = r.org_id and a.team = r.team
   and a.product = r.product and a.environment_id is not distinct from r.environment_id
   and a.resource_id is not distinct from r.resource_id and a.owner_id = r.owner_id
   and a.owner_kind = r.owner_kind
  where a.amount is distinct from r.amount or a.gross is distinct from r.gross or a.high is distinct from r.high`;

/** Per run and (day, team, product, environment), allocations against the team-day sums. */
const TEAM_DAY_DIFFERENCES = sql`
  with a as (
    select run_id, bucket, team, product, environment_id, sum(amount) as amount, sum(gross_amount) as gross,
           coalesce(sum(amount) filter (where confidence = 'high'), 0) as high
    from allocations group by 1, 2, 3, 4, 5)
  select coalesce(a.run_id, d.run_id) as run_id, a.amount::text as a, d.amount::text as d
  from a full join allocation_team_days d
    on a.run_id = d.run_id and a.bucket = d.bucket and a.team = d.team and a.product = d.product
   and a.environment_id is not distinct from d.environment_id
  where a.amount is distinct from d.amount or a.gross is distinct from d.gross_amount
     or a.high is distinct from d.high_confidence_amount`;

describe('allocation rollups', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('are written with every run and sum exactly to its allocations', async () => {
    const first = await allocateMonth(store, {
      orgId: ORG,
      month: '2026-10',
      config: parseConfig({ teams: { payments: { owners: ['sa-abc', 'sa-def'] } } }),
    });
    // Other rules: a second run of the same month, with rows of its own.
    const second = await allocateMonth(store, {
      orgId: ORG,
      month: '2026-10',
      config: parseConfig({
        teams: { payments: { owners: ['sa-abc'] }, search: { owners: ['sa-ghi', 'sa-jkl'] } },
        allocation: { cku: { usage_weight: '0.7', even_weight: '0.3' } },
      }),
    });
    expect(second.runId).not.toBe(first.runId);
    expect(await store.query(DIFFERENCES)).toEqual([]);
    expect(await store.query(TEAM_DAY_DIFFERENCES)).toEqual([]);
    // Each run's rollup total equals its recorded total, compared as numerics in SQL.
    const totals = await store.query<{ run_id: string; equal: boolean }>(sql`
      select r.id as run_id,
             (select sum(amount) from allocation_rollups u where u.run_id = r.id) = r.total as equal
      from allocation_runs r order by r.created_at`);
    expect(totals.map((t) => t.equal)).toEqual([true, true]);
  });

  it('hold fewer rows than the allocations (no line grain)', async () => {
    const [counts] = await store.query<{ a: number; r: number }>(
      sql`select (select count(*)::int from allocations) as a, (select count(*)::int from allocation_rollups) as r`,
    );
    expect(counts!.r).toBeGreaterThan(0);
    expect(counts!.r).toBeLessThan(counts!.a);
  });
});
