/** Every month ccost holds allocations for, per org: its state and its latest reconciliation. */
import { sql } from 'drizzle-orm';
import { stateOf } from '../close/periods.ts';
import type { Store } from '../storage/database.ts';

/** One org-month as the API lists it. */
export interface PeriodSummary {
  orgId: string;
  month: string;
  state: 'open' | 'provisional' | 'closed';
  settled: boolean;
  settlesAt: string;
  runId: string;
  total: string;
  closedAt: string | null;
  /** passed, failed, or null when never reconciled. */
  reconciliation: { passed: boolean; at: string } | null;
  restatements: number;
}

/** Months with a current allocation run, newest first. */
export async function listPeriods(store: Store, now: Date): Promise<PeriodSummary[]> {
  const rows = await store.query<{
    org_id: string;
    period: string;
    run_id: string;
    total: string;
    closed_at: string | null;
    passed: boolean | null;
    reconciled_at: string | null;
    restatements: string | number;
  }>(sql`
    select r.org_id, r.period, r.id as run_id, r.total::text as total,
      (select max(c.created_at)::text from period_closes c where c.org_id = r.org_id and c.period = r.period) as closed_at,
      rec.passed, rec.created_at::text as reconciled_at,
      (select count(*) from restatements s where s.org_id = r.org_id and s.period = r.period) as restatements
    from allocation_runs r
    left join lateral (
      select passed, created_at from reconciliations x
      where x.org_id = r.org_id and x.period = r.period order by created_at desc limit 1
    ) rec on true
    where r.is_current
    order by r.period desc, r.org_id`);
  return rows.map((r) => {
    const state = stateOf(r.period, now, r.closed_at !== null);
    return {
      orgId: r.org_id,
      month: r.period,
      ...state,
      runId: r.run_id,
      total: r.total,
      closedAt: r.closed_at,
      reconciliation: r.passed === null ? null : { passed: r.passed, at: r.reconciled_at! },
      restatements: Number(r.restatements),
    };
  });
}
