/**
 * The queries behind an explanation, over the allocation line grain (`allocations`) of the
 * period's current runs. Sums are SQL numeric read back as text; callers add them with decimal.js.
 */
import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import { READ_METRIC, WRITE_METRIC } from '../allocation/usage-index.ts';
import type { Store } from '../storage/database.ts';
import { UNOWNED_TEAM } from '../teams/resolver.ts';
import { NO_RESOURCE } from './state.ts';
import type { DrillState, LineDetail } from './types.ts';

/** The team's part of one billing line allocated one way (usually one per line). */
export interface LineRow {
  lineId: number;
  day: string;
  orgId: string;
  runId: string;
  product: string;
  lineType: string;
  resourceId: string | null;
  method: string;
  confidence: string;
  fallbackReason: string | null;
  /** The team's part. */
  amount: string;
  /** The line's billed amount as the run split it. */
  billed: string;
  /** The line's billed amount now (null when the line is gone). */
  billedNow: string | null;
}

/** Numeric text without trailing zeros (`7.200000` → `7.2`). */
function exact(text: string): string {
  return new Decimal(text).toFixed();
}

/** The rows of a state, in SQL: runs, days, and the resource, line and day it names. */
function scopeOf(runIds: string[], state: DrillState, withTeam: boolean): SQL {
  const parts: SQL[] = [
    runIds.length === 0
      ? sql`false`
      : sql`a.run_id in (${sql.join(
          runIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
    sql`a.bucket >= ${state.from}::date and a.bucket < ${state.to}::date`,
  ];
  if (withTeam) parts.push(sql`a.team = ${state.team}`);
  if (state.resource !== undefined)
    parts.push(sql`coalesce(a.resource_id, ${NO_RESOURCE}) = ${state.resource}`);
  if (state.line !== undefined) parts.push(sql`a.line_id = ${state.line}`);
  if (state.day !== undefined) parts.push(sql`a.bucket = ${state.day}::date`);
  return sql.join(parts, sql` and `);
}

/**
 * Around the team's rows: the same resource, line or day for every team; at the team level,
 * the resources the team has costs on.
 */
function contextOf(runIds: string[], state: DrillState): SQL {
  const own = scopeOf(runIds, state, false);
  if (state.resource !== undefined || state.line !== undefined) return own;
  return sql`${own} and a.resource_id in (select a.resource_id from allocations a where ${scopeOf(runIds, state, true)})`;
}

/** The team's rows of a state at line grain. */
export async function lineRows(store: Store, runIds: string[], state: DrillState): Promise<LineRow[]> {
  const rows = await store.query<LineRow>(sql`
    select a.line_id as "lineId", a.bucket::text as day, a.org_id as "orgId", a.run_id as "runId",
           a.product, a.line_type as "lineType", a.resource_id as "resourceId", a.method, a.confidence,
           a.fallback_reason as "fallbackReason", sum(a.amount)::text as amount,
           max(a.original_amount)::text as billed, max(bl.amount)::text as "billedNow"
    from allocations a left join billing_lines bl on bl.id = a.line_id
    where ${scopeOf(runIds, state, true)}
    group by a.line_id, a.bucket, a.org_id, a.run_id, a.product, a.line_type, a.resource_id,
             a.method, a.confidence, a.fallback_reason
    order by a.bucket, a.line_id, a.method`);
  return rows.map((r) => ({
    ...r,
    amount: exact(r.amount),
    billed: exact(r.billed),
    billedNow: r.billedNow === null ? null : exact(r.billedNow),
  }));
}

/** Owners no team maps, on the resources (or line) of a state. */
export async function unmappedOwners(store: Store, runIds: string[], state: DrillState) {
  return store.query<{ ownerId: string; ownerKind: string; amount: string }>(sql`
    select a.owner_id as "ownerId", a.owner_kind as "ownerKind", sum(a.amount)::text as amount
    from allocations a where ${contextOf(runIds, state)} and a.team = ${UNOWNED_TEAM}
    group by 1, 2 order by sum(a.amount) desc, 1`);
}

/** Days a resource's lines of the state fell back because metrics were missing, per resource and reason. */
export async function metricsGaps(store: Store, runIds: string[], state: DrillState) {
  return store.query<{ resourceId: string; reason: string; days: number; amount: string; teams: string }>(sql`
    select a.resource_id as "resourceId", a.fallback_reason as reason, count(distinct a.bucket)::int as days,
           sum(a.amount)::text as amount, string_agg(distinct a.team, ', ') as teams
    from allocations a where ${contextOf(runIds, state)} and a.fallback_reason like 'metrics %'
    group by 1, 2 order by sum(a.amount) desc, 1, 2`);
}

/** One allocation row of a line (every team's). */
export interface OwnerRow {
  ownerId: string;
  ownerKind: string;
  team: string;
  amount: string;
  usageShare: string;
  method: string;
  confidence: string;
  fallbackReason: string | null;
}

/** Every allocation row of one billing line in the given runs, largest first. */
export async function ownerRows(store: Store, runIds: string[], lineId: number): Promise<OwnerRow[]> {
  const runs =
    runIds.length === 0
      ? sql`false`
      : sql`run_id in (${sql.join(
          runIds.map((id) => sql`${id}`),
          sql`, `,
        )})`;
  const rows = await store.query<OwnerRow>(sql`
    select owner_id as "ownerId", owner_kind as "ownerKind", team, amount::text as amount,
           usage_share::text as "usageShare", method, confidence, fallback_reason as "fallbackReason"
    from allocations where ${runs} and line_id = ${lineId}
    order by amount desc, owner_id`);
  return rows.map((r) => ({ ...r, amount: exact(r.amount), usageShare: exact(r.usageShare) }));
}

/** The stored billing line. */
export async function billingLine(store: Store, lineId: number) {
  type Fields = 'id' | 'orgId' | 'day' | 'product' | 'lineType' | 'resourceId' | 'resourceName';
  type More = 'environmentId' | 'quantity' | 'unit' | 'price';
  const [row] = await store.query<Pick<LineDetail, Fields | More> & { amount: string }>(sql`
    select id::int as id, org_id as "orgId", start_date::text as day, product, line_type as "lineType",
           resource_id as "resourceId", resource_name as "resourceName", environment_id as "environmentId",
           quantity::text as quantity, unit, price::text as price, amount::text as amount
    from billing_lines where id = ${lineId}`);
  return row ?? null;
}

/** Bytes written and read per principal on a resource on one day, and whether metrics were fetched. */
export async function usageOn(store: Store, orgId: string, resourceId: string, day: string) {
  const rows = await store.query<{ principal: string; write: string; read: string }>(sql`
    select subject_id as principal,
           coalesce(sum(value) filter (where metric = ${WRITE_METRIC}), 0)::text as write,
           coalesce(sum(value) filter (where metric = ${READ_METRIC}), 0)::text as read
    from usage
    where org_id = ${orgId} and resource_id = ${resourceId} and granularity = 'day'
      and subject_kind = 'principal' and metric in (${WRITE_METRIC}, ${READ_METRIC})
      and bucket_start >= ${`${day}T00:00:00Z`}::timestamptz
      and bucket_start < (${day}::date + 1)::timestamp at time zone 'UTC'
    group by 1 order by 1`);
  const [fetch] = await store.query<{ status: string }>(sql`
    select status from usage_fetches where org_id = ${orgId} and resource_id = ${resourceId} and day = ${day}::date`);
  return { rows, status: fetch?.status ?? null };
}

/** The allocation runs by id. */
export async function runsById(store: Store, runIds: string[]) {
  if (runIds.length === 0) return [];
  return store.query<{
    id: string;
    orgId: string;
    period: string;
    ruleSetHash: string;
    codeVersion: string | null;
    createdAt: string;
  }>(sql`
    select id, org_id as "orgId", period, rule_set_hash as "ruleSetHash", code_version as "codeVersion",
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt"
    from allocation_runs where id in (${sql.join(
      runIds.map((id) => sql`${id}`),
      sql`, `,
    )})
    order by org_id, period`);
}
