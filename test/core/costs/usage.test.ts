import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observedUsage, observedWindow } from '../../../src/core/costs/usage.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-10-21T06:00:00Z');

describe('observed usage', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    // 2026-10-05 .. 2026-10-20: 16 of the 30 days of the window are collected.
    await collectFrom(store, org.sim, org.model, { since: '2026-10-05', until: '2026-10-21', now: NOW });
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('takes the last 30 complete days', () => {
    expect(observedWindow(NOW)).toEqual({ from: '2026-09-21', to: '2026-10-21' });
  });

  it('scales principal and topic bytes to a 30-day month in GiB, matching SQL', async () => {
    const rows = await observedUsage(store, { now: NOW, orgId: org.orgId });
    const withUsage = rows.filter((r) => r.usage);
    expect(withUsage.length).toBeGreaterThan(0);
    expect(withUsage.some((r) => r.kind === 'kafka_cluster')).toBe(true);
    const expected = await store.query<{
      resource_id: string;
      ingress: string;
      egress: string;
      storage: string | null;
      days: string | number;
    }>(sql`
      with days as (
        select resource_id, count(distinct d) as n from (
          select resource_id, day as d from usage_fetches where status = 'ok'
            and day >= '2026-09-21' and day < '2026-10-21'
          union select resource_id, (bucket_start at time zone 'UTC')::date from usage
            where granularity = 'day' and bucket_start >= '2026-09-21' and bucket_start < '2026-10-21'
        ) x group by resource_id
      ), sums as (
        select resource_id,
          coalesce(sum(value) filter (where metric = 'request_bytes' and subject_kind = 'principal'), 0) as i,
          coalesce(sum(value) filter (where metric = 'response_bytes' and subject_kind = 'principal'), 0) as e,
          sum(value) filter (where metric = 'retained_bytes' and subject_kind = 'topic') as r,
          count(distinct bucket_start) filter (where metric = 'retained_bytes' and subject_kind = 'topic') as rd
        from usage where granularity = 'day' and bucket_start >= '2026-09-21' and bucket_start < '2026-10-21'
        group by resource_id
      )
      select d.resource_id, d.n as days,
        round(coalesce(s.i, 0) * 30 / (d.n * 1073741824.0), 6)::text as ingress,
        round(coalesce(s.e, 0) * 30 / (d.n * 1073741824.0), 6)::text as egress,
        case when s.rd > 0 then round(s.r / (s.rd * 1073741824.0), 6)::text end as storage
      from days d left join sums s using (resource_id)`);
    // Usage of resources no longer valid at NOW is not listed.
    const known = expected.filter((e) => rows.some((r) => r.id === e.resource_id));
    expect(known.length).toBe(withUsage.length);
    const norm = (v: string | null) =>
      v === null ? null : String(Number(v) === 0 ? '0' : v.replace(/\.?0+$/, ''));
    for (const e of known) {
      const row = rows.find((r) => r.id === e.resource_id)!;
      expect(row.days).toBe(Number(e.days));
      expect(row.usage).toEqual({
        ingress_gb_month: norm(e.ingress),
        egress_gb_month: norm(e.egress),
        storage_gb: norm(e.storage),
      });
    }
    const cluster = withUsage.find((r) => r.kind === 'kafka_cluster')!;
    expect(cluster.days).toBe(16);
    expect(Number(cluster.usage!.ingress_gb_month)).toBeGreaterThan(0);
    // Resources without usage in the window are listed with null usage.
    expect(rows.filter((r) => !r.usage).every((r) => r.days === 0)).toBe(true);
  });

  it('has no usage before anything was collected', async () => {
    const rows = await observedUsage(store, { now: new Date('2026-08-01T00:00:00Z'), orgId: org.orgId });
    expect(rows.every((r) => r.usage === null)).toBe(true);
  });
});
