import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Store } from '../../src/core/storage/database.ts';

/**
 * Σ of a column of the current runs' allocation rows (alias `a`) matching `where`, straight from
 * the line grain: what rollup-based answers must equal exactly.
 */
export async function allocatedSum(store: Store, where: SQL = sql`true`, column: SQL = sql`a.amount`) {
  const [row] = await store.query<{ s: string }>(sql`
    select coalesce(sum(${column}), 0)::text as s
    from allocations a join allocation_runs r on r.id = a.run_id and r.is_current
    where ${where}`);
  return new Decimal(row!.s).toFixed();
}
