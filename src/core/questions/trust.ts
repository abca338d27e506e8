/**
 * How fresh and how certain an answer's figures are: the last successful collection, the last
 * billed day, the unallocated share and the share allocated with high confidence.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import type { AnswerTrust } from './answer.ts';
import { type Days, NO_TEAM, percentOf, type RowFilter, rollupTable, whereOf } from './figures.ts';

/** When data was last collected and the last billed day, over the given orgs. */
export async function freshness(
  store: Store,
  orgIds: string[],
): Promise<{ collectedAt: string | null; dataThrough: string | null }> {
  let collectedAt: string | null = null;
  let dataThrough: string | null = null;
  // One org at a time, so each max() reads the end of an (org, …) index instead of the table.
  for (const org of orgIds) {
    const [row] = await store.query<{ collected: string | null; through: string | null }>(sql`
      select (select max(finished_at) from collection_runs where org_id = ${org} and status = 'succeeded')::text as collected,
             (select max(start_date) from billing_lines where org_id = ${org})::text as through`);
    if (row?.collected && (!collectedAt || row.collected > collectedAt)) collectedAt = row.collected;
    if (row?.through && (!dataThrough || row.through > dataThrough)) dataThrough = row.through;
  }
  return { collectedAt: collectedAt ? new Date(collectedAt).toISOString() : null, dataThrough };
}

/**
 * The share of the filtered amount allocated with high confidence, 0–100 with one decimal, from
 * the rollups' high-confidence sums.
 */
export async function highConfidencePercent(
  store: Store,
  filter: RowFilter,
  days: Days,
): Promise<string | null> {
  const [row] = await store.query<{ total: string; high: string }>(sql`
    select coalesce(sum(amount), 0)::text as total, coalesce(sum(high_confidence_amount), 0)::text as high
    from ${rollupTable(filter)} where ${whereOf(filter, days)}`);
  return percentOf(row?.high ?? '0', row?.total ?? '0');
}

/** The unallocated (no team) amount within a filter. */
export async function unallocatedAmount(store: Store, filter: RowFilter, days: Days): Promise<string> {
  const teams = filter.teams
    ? filter.teams.filter((t) => (NO_TEAM as readonly string[]).includes(t))
    : [...NO_TEAM];
  if (teams.length === 0) return '0';
  const [row] = await store.query<{ amount: string }>(sql`
    select coalesce(sum(amount), 0)::text as amount from ${rollupTable(filter)}
    where ${whereOf({ ...filter, teams }, days)}`);
  return new Decimal(row?.amount ?? '0').toFixed();
}

/**
 * Everything {@link AnswerTrust} holds for a scope whose total is known. The unallocated amount
 * is the scope's own (zero for a team; the whole org's for org-wide questions).
 */
export async function trustOf(
  store: Store,
  options: { filter: RowFilter; days: Days; total: string; orgIds: string[] },
): Promise<AnswerTrust> {
  const fresh = await freshness(store, options.orgIds);
  const unallocated = await unallocatedAmount(store, options.filter, options.days);
  const high = await highConfidencePercent(store, options.filter, options.days);
  return {
    ...fresh,
    unallocated,
    unallocatedPercent: percentOf(unallocated, options.total),
    highConfidencePercent: high,
  };
}
