/**
 * The figures of an answer, read from the rollups (daily sums without the line grain; see
 * {@link rollupTable}):
 * totals per key for the period and the one before, and the daily series. Two queries whatever
 * the question, summed in SQL numeric; the caller's amounts never pass through a JS number.
 */
import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { UNALLOCATED_TEAM, UNOWNED_TEAM } from '../teams/resolver.ts';
import type { Breakdown as BreakdownDimension } from './grammar.ts';

/** Which rollup rows are in an answer's scope; every field set narrows it. */
export interface RowFilter {
  runIds: string[];
  /** Only these teams (a team question, or a viewer's teams); an empty list matches nothing. */
  teams?: string[];
  product?: string;
  environmentId?: string;
  resourceId?: string;
  ownerId?: string;
}

/** A closed-open range of days. */
export interface Days {
  from: string;
  to: string;
}

/** Teams that mean "no team": the explicit unallocated rows and owners no team maps. */
export const NO_TEAM = [UNALLOCATED_TEAM, UNOWNED_TEAM] as const;

/** The key each breakdown dimension groups rollup rows by. */
export function keyOf(dimension: BreakdownDimension): SQL<string> {
  switch (dimension) {
    case 'product':
      return sql<string>`product`;
    case 'principal':
      return sql<string>`owner_id`;
    case 'resource':
      return sql<string>`coalesce(resource_id, '(none)')`;
    // Kafka cluster ids start with lkc-; other rows (connectors, Flink, Support) are not a cluster's.
    case 'cluster':
      return sql<string>`case when resource_id like 'lkc-%' then resource_id else '(no cluster)' end`;
    case 'environment':
      return sql<string>`coalesce(environment_id, '(none)')`;
    case 'team':
      return sql<string>`team`;
    case 'day':
      return sql<string>`bucket::text`;
  }
}

/** Dimensions the coarse team-day rollup can group by. */
const COARSE_DIMENSIONS: readonly BreakdownDimension[] = ['team', 'product', 'environment', 'day'];

/**
 * The table a query reads: the team-day sums (a few thousand rows a month) when neither the
 * filter nor the grouping needs owners or resources, else the owner-grain rollups. Both sum to
 * the same exact amounts.
 */
export function rollupTable(filter: RowFilter, dimension?: BreakdownDimension): SQL {
  const coarse =
    filter.resourceId === undefined &&
    filter.ownerId === undefined &&
    (dimension === undefined || COARSE_DIMENSIONS.includes(dimension));
  return sql.raw(coarse ? 'allocation_team_days' : 'allocation_rollups');
}

/** The SQL condition of a filter over a range of days. */
export function whereOf(filter: RowFilter, days: Days): SQL {
  const parts: SQL[] = [
    filter.runIds.length === 0
      ? sql`false`
      : sql`run_id in (${sql.join(
          filter.runIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
    sql`bucket >= ${days.from}::date and bucket < ${days.to}::date`,
  ];
  if (filter.teams) parts.push(inList(sql`team`, filter.teams));
  if (filter.product !== undefined) parts.push(sql`product = ${filter.product}`);
  if (filter.environmentId !== undefined) parts.push(sql`environment_id = ${filter.environmentId}`);
  if (filter.resourceId !== undefined) parts.push(sql`resource_id = ${filter.resourceId}`);
  if (filter.ownerId !== undefined) parts.push(sql`owner_id = ${filter.ownerId}`);
  return sql.join(parts, sql` and `);
}

function inList(column: SQL, values: readonly string[]): SQL {
  if (values.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** One key's exact amounts in the period and the one before. */
export interface KeyTotals {
  key: string;
  current: string;
  previous: string;
}

/**
 * Per key, the sums in `current` and in `previous` (which ends where `current` starts), in one
 * pass over both ranges; ordered by current amount, largest first, then key.
 */
export async function totalsByKey(
  store: Store,
  filter: RowFilter,
  dimension: BreakdownDimension,
  current: Days,
  previous: Days,
): Promise<KeyTotals[]> {
  const key = keyOf(dimension);
  return store.query<KeyTotals>(sql`
    select ${key} as key,
           coalesce(sum(amount) filter (where bucket >= ${current.from}::date), 0)::text as current,
           coalesce(sum(amount) filter (where bucket < ${current.from}::date), 0)::text as previous
    from ${rollupTable(filter, dimension)}
    where ${whereOf(filter, { from: previous.from, to: current.to })}
    group by 1
    order by sum(amount) filter (where bucket >= ${current.from}::date) desc nulls last, 1`);
}

/** One day's amount of one stacked series (`key` null: the rest). */
export interface DailyCell {
  day: string;
  key: string | null;
  amount: string;
}

/**
 * Daily sums over `days`, by the given keys (the rest summed with key null): the chart's
 * stacked series and, over the previous period, its line.
 */
export async function dailyByKey(
  store: Store,
  filter: RowFilter,
  dimension: BreakdownDimension,
  keys: string[],
  days: Days,
): Promise<DailyCell[]> {
  const key = keyOf(dimension);
  const stacked = keys.length === 0 ? sql`null::text` : sql`case when ${inList(key, keys)} then ${key} end`;
  return store.query<DailyCell>(sql`
    select bucket::text as day, ${stacked} as key, sum(amount)::text as amount
    from ${rollupTable(filter, dimension)}
    where ${whereOf(filter, days)}
    group by 1, 2`);
}

/** Exact sum of decimal strings. */
export function sum(values: Iterable<string>): string {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total.toFixed();
}

/** `part / whole × 100` with one decimal (half-even); null when the whole is 0. */
export function percentOf(part: string, whole: string): string | null {
  const w = new Decimal(whole);
  if (w.isZero()) return null;
  return new Decimal(part).div(w).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN);
}
