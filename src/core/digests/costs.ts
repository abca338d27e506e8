/**
 * What digests read: sums of the current allocation runs' daily rollups (`allocation_rollups`),
 * never the line grain, so a digest stays fast however long the history. Amounts are exact
 * decimal text summed in SQL `numeric`.
 */
import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { currentRunsBetween } from '../questions/runs.ts';
import type { Store } from '../storage/database.ts';
import { allocationRollups, principals, resources } from '../storage/schema.ts';

/** What costs can be grouped by. */
export type CostDimension = 'team' | 'product' | 'resource' | 'owner';

/** Days [from, to), optionally one team's or one org's. */
export interface CostScope {
  from: string;
  to: string;
  team?: string;
  orgId?: string;
}

/** One key's exact amount. */
export interface KeyAmount {
  key: string;
  amount: string;
}

const COLUMN = {
  team: allocationRollups.team,
  product: allocationRollups.product,
  resource: allocationRollups.resourceId,
  owner: allocationRollups.ownerId,
} as const;

const amountSum = sql<string>`sum(${allocationRollups.amount})::text`;

async function runIdsFor(store: Store, scope: CostScope): Promise<string[]> {
  return (await currentRunsBetween(store, scope.from, scope.to, scope.orgId)).map((r) => r.id);
}

function where(runIds: string[], scope: CostScope, by?: CostDimension) {
  return and(
    inArray(allocationRollups.runId, runIds),
    gte(allocationRollups.bucket, scope.from),
    lt(allocationRollups.bucket, scope.to),
    scope.team ? eq(allocationRollups.team, scope.team) : undefined,
    // Costs not on a resource have no resource to be anomalous.
    by === 'resource' ? isNotNull(allocationRollups.resourceId) : undefined,
  );
}

/** Totals per key over the scope, largest first (ties by key). */
export async function costsBy(store: Store, scope: CostScope, by: CostDimension): Promise<KeyAmount[]> {
  const runIds = await runIdsFor(store, scope);
  if (runIds.length === 0) return [];
  const column = COLUMN[by];
  const rows = await store.db
    .select({ key: column, amount: amountSum })
    .from(allocationRollups)
    .where(where(runIds, scope, by))
    .groupBy(column)
    .orderBy(desc(sql`sum(${allocationRollups.amount})`), column);
  return rows.map((r) => ({ key: r.key ?? '', amount: r.amount }));
}

/** The scope's total ("0" when nothing is allocated). */
export async function totalCost(store: Store, scope: CostScope): Promise<string> {
  const runIds = await runIdsFor(store, scope);
  if (runIds.length === 0) return '0';
  const [row] = await store.db
    .select({ amount: sql<string | null>`sum(${allocationRollups.amount})::text` })
    .from(allocationRollups)
    .where(where(runIds, scope));
  return row?.amount ?? '0';
}

/** Amount per day and key over the scope (days and keys without cost are absent). */
export async function dailyCostsBy(
  store: Store,
  scope: CostScope,
  by: CostDimension,
): Promise<{ day: string; key: string; amount: string }[]> {
  const runIds = await runIdsFor(store, scope);
  if (runIds.length === 0) return [];
  const column = COLUMN[by];
  const rows = await store.db
    .select({ day: allocationRollups.bucket, key: column, amount: amountSum })
    .from(allocationRollups)
    .where(where(runIds, scope, by))
    .groupBy(allocationRollups.bucket, column)
    .orderBy(allocationRollups.bucket, column);
  return rows.map((r) => ({ day: r.day, key: r.key ?? '', amount: r.amount }));
}

/** Days of the scope that have any allocated cost: days billing has reached. */
export async function daysWithData(store: Store, scope: CostScope): Promise<string[]> {
  const runIds = await runIdsFor(store, scope);
  if (runIds.length === 0) return [];
  const rows = await store.db
    .selectDistinct({ day: allocationRollups.bucket })
    .from(allocationRollups)
    .where(where(runIds, scope))
    .orderBy(allocationRollups.bucket);
  return rows.map((r) => r.day);
}

/** Latest display names of principals and resources, by id (ids without one are absent). */
export async function displayNames(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const list = [...new Set(ids)];
  for (const table of [principals, resources]) {
    const rows = await store.db
      .select({ id: table.id, name: table.displayName, validFrom: table.validFrom })
      .from(table)
      .where(and(inArray(table.id, list), isNotNull(table.displayName)))
      .orderBy(table.validFrom);
    // Ordered oldest first, so the latest name wins.
    for (const r of rows) if (r.name && r.name !== r.id) names.set(r.id, r.name);
  }
  return names;
}
