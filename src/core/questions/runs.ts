import { and, eq, gte, lt } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { allocationRuns } from '../storage/schema.ts';

/** The current allocation run of every (org, month) overlapping days [from, to). */
export async function currentRunsBetween(store: Store, from: string, to: string, orgId?: string) {
  return store.db
    .select({ id: allocationRuns.id, orgId: allocationRuns.orgId, period: allocationRuns.period })
    .from(allocationRuns)
    .where(
      and(
        eq(allocationRuns.isCurrent, true),
        gte(allocationRuns.period, from.slice(0, 7)),
        lt(allocationRuns.period, monthAfterLastDay(to)),
        orgId ? eq(allocationRuns.orgId, orgId) : undefined,
      ),
    )
    .orderBy(allocationRuns.orgId, allocationRuns.period);
}

/** For an exclusive end day, the first month not touched: 2026-11-01 → 2026-11, 2026-11-02 → 2026-12. */
function monthAfterLastDay(to: string): string {
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  d.setUTCMonth(d.getUTCMonth() + 1, 1);
  return d.toISOString().slice(0, 7);
}
