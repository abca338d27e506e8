/**
 * A year of history for benchmarks that read it (bench/ask, bench/api): the real allocation run of
 * the dataset's month copied to the months before it, shifted in time (same volume and shape),
 * in SQL, because allocating twelve months would take a bench's whole budget without changing
 * what the readers see.
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../src/core/storage/database.ts';
import { MONTH } from './dataset.ts';

/** First day of the month `offset` months from YYYY-MM. */
function monthStart(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + offset, 1)).toISOString().slice(0, 10);
}

/**
 * Copies the real run of MONTH to the `count - 1` months before it: allocation rows, rollups and
 * the run record, each day shifted by whole months (days past a shorter month's end are dropped).
 */
export async function copyHistory(
  store: Store,
  runId: string,
  count: number,
  log: (message: string) => void = () => {},
): Promise<void> {
  const source = monthStart(MONTH, 0);
  for (let k = 1; k < count; k++) {
    const from = monthStart(MONTH, -k);
    const to = monthStart(MONTH, -k + 1);
    const period = from.slice(0, 7);
    const copy = `${runId}-${period}`;
    const shift = sql`(bucket - ${source}::date + ${from}::date)`;
    await store.db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into allocation_runs (id, org_id, period, rule_set_hash, input_fingerprint, status, is_current, line_count, row_count, total, code_version)
        select ${copy}, org_id, ${period}, rule_set_hash, input_fingerprint || ${period}, status, true, line_count, row_count, total, code_version
        from allocation_runs where id = ${runId}`);
      await tx.execute(sql`
        insert into allocations (run_id, bucket, org_id, environment_id, resource_id, product, line_type, line_id, owner_id, owner_kind, team, amount, gross_amount, original_amount, usage_share, method, confidence, fallback_reason)
        select ${copy}, ${shift}, org_id, environment_id, resource_id, product, line_type, line_id, owner_id, owner_kind, team, amount, gross_amount, original_amount, usage_share, method, confidence, fallback_reason
        from allocations where run_id = ${runId} and ${shift} < ${to}::date`);
      await tx.execute(sql`
        insert into allocation_rollups (run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind, amount, gross_amount, high_confidence_amount)
        select ${copy}, ${shift}, org_id, team, product, environment_id, resource_id, owner_id, owner_kind, amount, gross_amount, high_confidence_amount
        from allocation_rollups where run_id = ${runId} and ${shift} < ${to}::date`);
      await tx.execute(sql`
        insert into allocation_team_days (run_id, bucket, org_id, team, product, environment_id, amount, gross_amount, high_confidence_amount)
        select ${copy}, ${shift}, org_id, team, product, environment_id, amount, gross_amount, high_confidence_amount
        from allocation_team_days where run_id = ${runId} and ${shift} < ${to}::date`);
    });
    log(`  copied history to ${period}`);
  }
  await store.db.execute(sql`analyze`);
}
