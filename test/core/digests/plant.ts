/**
 * Plants allocated costs straight into a current run's rollups: digests read only
 * `allocation_rollups`, so tests can shape days, teams and spikes exactly.
 */
import { and, eq } from 'drizzle-orm';
import { addDays } from '../../../src/core/calendar/days.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { allocationRollups, allocationRuns } from '../../../src/core/storage/schema.ts';

/** One planted amount. */
export interface Planted {
  day: string;
  team: string;
  amount: string;
  product?: string;
  resource?: string | null;
  owner?: string;
}

/** Adds `rows` to the current run of each row's month (created when missing). */
export async function plant(store: Store, rows: Planted[], orgId = 'org-plant'): Promise<void> {
  for (const r of rows) {
    const month = r.day.slice(0, 7);
    const runId = `run-${orgId}-${month}`;
    const [existing] = await store.db
      .select({ id: allocationRuns.id })
      .from(allocationRuns)
      .where(and(eq(allocationRuns.id, runId)));
    if (!existing) {
      await store.db.insert(allocationRuns).values({
        id: runId,
        orgId,
        period: month,
        ruleSetHash: 'planted',
        inputFingerprint: 'planted',
        status: 'complete',
        isCurrent: true,
      });
    }
    await store.db.insert(allocationRollups).values({
      runId,
      bucket: r.day,
      orgId,
      team: r.team,
      product: r.product ?? 'KAFKA',
      environmentId: 'env-1',
      resourceId: r.resource === undefined ? 'lkc-1' : r.resource,
      ownerId: r.owner ?? `sa-${r.team}`,
      ownerKind: 'service_account',
      amount: r.amount,
      grossAmount: r.amount,
    });
  }
}

/** `amount` for `team` on each of `days` days from `from`. */
export function everyDay(
  from: string,
  days: number,
  team: string,
  amount: string,
  extra: Partial<Planted> = {},
) {
  return Array.from({ length: days }, (_, i) => ({ day: addDays(from, i), team, amount, ...extra }));
}
