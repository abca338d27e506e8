/**
 * Reads a run's allocation rows origin by origin (one billing line with all its rows), day by day
 * in keyset pages. The next page is requested as soon as the current one arrives, so the database
 * works while the rows are written; an export holds at most two pages, one line's rows and two
 * days' billing lines, never the month.
 */

import { type SQL, sql } from 'drizzle-orm';
import { daysOf, nextDay } from '../calendar/days.ts';
import type { Store } from '../storage/database.ts';
import type { ExportScope } from './scope.ts';

/** One allocation row as the exports read it; amounts are exact decimal text. */
export interface AllocationPart {
  lineId: number;
  ownerId: string;
  method: string;
  team: string;
  amount: string;
  grossAmount: string;
  usageShare: string;
  confidence: string;
  fallbackReason: string | null;
}

/** The billing line an origin comes from. */
export interface OriginLine {
  id: number;
  /** YYYY-MM-DD, the line's start date and its allocation bucket. */
  day: string;
  endDate: string;
  product: string;
  lineType: string;
  resourceId: string | null;
  environmentId: string | null;
  resourceName: string | null;
  unit: string | null;
  price: string | null;
  quantity: string | null;
  amount: string;
  originalAmount: string;
  tierDimensions: string | null;
  description: string | null;
}

/**
 * A billing line and its allocation rows (in owner, method order). `stored` is false when the
 * line is no longer in billing_lines and its fields come from the run's rows.
 */
export interface Origin {
  line: OriginLine;
  parts: AllocationPart[];
  stored: boolean;
}

/** What a run is read as: origins with rows, and billing lines of the month with none. */
export type OriginEvent =
  | { kind: 'origin'; origin: Origin }
  | { kind: 'line-without-parts'; line: OriginLine };

/** Where a page of one day ends: the last row's line, owner and method. */
interface Cursor {
  lineId: number;
  ownerId: string;
  method: string;
}

const PART_COLUMNS = sql`a.line_id as "lineId", a.owner_id as "ownerId", a.method, a.team,
  a.amount::text as "amount", a.gross_amount::text as "grossAmount", a.usage_share::text as "usageShare",
  a.confidence, a.fallback_reason as "fallbackReason"`;

/**
 * One keyset page of the run's rows of `day` after `cursor`, ordered by (line, owner, method).
 * Equality on the day keeps every page on the (run_id, bucket) index and its sort to one day's
 * rows, whatever the table statistics; owner and method compare bytewise (C) on both drivers.
 */
async function partsPage(
  store: Store,
  runId: string,
  day: string,
  cursor: Cursor | null,
  limit: number,
): Promise<AllocationPart[]> {
  const after: SQL = cursor
    ? sql`and (a.line_id, a.owner_id collate "C", a.method collate "C")
            > (${cursor.lineId}::integer, ${cursor.ownerId}::text collate "C", ${cursor.method}::text collate "C")`
    : sql``;
  const rows = await store.query<AllocationPart>(
    sql`select ${PART_COLUMNS} from allocations a
        where a.run_id = ${runId} and a.bucket = ${day}::date and a.line_id is not null ${after}
        order by a.line_id, a.owner_id collate "C", a.method collate "C"
        limit ${limit}`,
  );
  for (const r of rows) r.lineId = Number(r.lineId);
  return rows;
}

const LINE_COLUMNS = sql`to_char(l.start_date, 'YYYY-MM-DD') as "day", to_char(l.end_date, 'YYYY-MM-DD') as "endDate",
  l.product, l.line_type as "lineType", l.resource_id as "resourceId", l.environment_id as "environmentId",
  l.resource_name as "resourceName", l.unit, l.price::text as "price", l.quantity::text as "quantity",
  l.amount::text as "amount", l.original_amount::text as "originalAmount",
  l.tier_dimensions as "tierDimensions", l.description`;

/** The org's billing lines of one day, by id (a day's lines, never a month's). */
async function linesOn(store: Store, orgId: string, day: string): Promise<Map<number, OriginLine>> {
  const rows = await store.query<OriginLine>(
    sql`select l.id, ${LINE_COLUMNS} from billing_lines l where l.org_id = ${orgId} and l.start_date = ${day}::date`,
  );
  return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id) }]));
}

/** A line the run has rows for but billing_lines no longer holds, from its rows' fields. */
async function lineFromRun(store: Store, runId: string, day: string, lineId: number): Promise<OriginLine> {
  const [row] = await store.query<Omit<OriginLine, 'id' | 'day' | 'endDate'>>(
    sql`select a.product, a.line_type as "lineType", a.resource_id as "resourceId", a.environment_id as "environmentId",
          null as "resourceName", null as "unit", null as "price", null as "quantity", a.original_amount::text as "amount",
          a.original_amount::text as "originalAmount", null as "tierDimensions", null as "description"
        from allocations a where a.run_id = ${runId} and a.bucket = ${day}::date and a.line_id = ${lineId} limit 1`,
  );
  return { ...row!, id: lineId, day, endDate: nextDay(day) };
}

/** A promise whose rejection is handled later by whoever awaits it, never reported as unhandled. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** One page of a day's rows; `full` when the day may have more. */
interface Page {
  dayIndex: number;
  rows: AllocationPart[];
  full: boolean;
}

/** Every page of every day, each next page requested before the current one is handed out. */
async function* pagesOf(
  store: Store,
  runId: string,
  days: readonly string[],
  pageRows: number,
): AsyncGenerator<Page> {
  const fetch = (dayIndex: number, cursor: Cursor | null) =>
    started(partsPage(store, runId, days[dayIndex]!, cursor, pageRows).then((rows) => ({ dayIndex, rows })));
  if (days.length === 0) return;
  let pending = fetch(0, null);
  for (;;) {
    const { dayIndex, rows } = await pending;
    const full = rows.length === pageRows;
    const last = rows[rows.length - 1];
    if (full && last)
      pending = fetch(dayIndex, { lineId: last.lineId, ownerId: last.ownerId, method: last.method });
    else if (dayIndex + 1 < days.length) pending = fetch(dayIndex + 1, null);
    yield { dayIndex, rows, full };
    if (!full && dayIndex + 1 >= days.length) return;
  }
}

/** Billing lines per day, the next day's requested when a day's are taken. */
function dayLines(store: Store, orgId: string, days: readonly string[]) {
  const requested = new Map<number, Promise<Map<number, OriginLine>>>();
  const request = (i: number) => {
    if (i < days.length && !requested.has(i)) requested.set(i, started(linesOn(store, orgId, days[i]!)));
  };
  return (i: number): Promise<Map<number, OriginLine>> => {
    request(i);
    request(i + 1);
    const lines = requested.get(i)!;
    requested.delete(i);
    return lines;
  };
}

/**
 * The run's origins in (day, line id) order, and after each day the billing lines of that day
 * with no row in the run (zero-amount lines the engine had nothing to split, lines collected
 * after the run). A line whose rows continue on the next page is held back until all are read.
 */
export async function* originsOf(
  store: Store,
  scope: ExportScope,
  pageRows: number,
): AsyncGenerator<OriginEvent> {
  const days = daysOf(scope.period);
  const linesOf = dayLines(store, scope.orgId, days);
  let current = -1;
  let lines = new Map<number, OriginLine>();
  let carry: AllocationPart[] = [];
  for await (const page of pagesOf(store, scope.runId, days, pageRows)) {
    if (page.dayIndex !== current) {
      yield* withoutParts(lines);
      current = page.dayIndex;
      lines = await linesOf(current);
    }
    const parts = carry.length > 0 ? carry.concat(page.rows) : page.rows;
    const complete = page.full ? completeLines(parts) : parts.length;
    carry = parts.slice(complete);
    for (const group of byLine(parts.slice(0, complete))) {
      const id = group[0]!.lineId;
      const line = lines.get(id);
      lines.delete(id);
      const origin = line
        ? { line, parts: group, stored: true }
        : { line: await lineFromRun(store, scope.runId, days[current]!, id), parts: group, stored: false };
      yield { kind: 'origin', origin };
    }
  }
  yield* withoutParts(lines);
}

/** The lines left over once a day's rows are all read. */
function* withoutParts(lines: Map<number, OriginLine>): Generator<OriginEvent> {
  for (const line of lines.values()) yield { kind: 'line-without-parts', line };
}

/** How many leading rows belong to lines that are complete (all but the last line's rows). */
function completeLines(parts: readonly AllocationPart[]): number {
  let end = parts.length;
  const lastLine = parts[end - 1]?.lineId;
  while (end > 0 && parts[end - 1]!.lineId === lastLine) end--;
  return end;
}

/** Consecutive rows of one line, line by line. */
function* byLine(parts: AllocationPart[]): Generator<AllocationPart[]> {
  let start = 0;
  for (let i = 1; i <= parts.length; i++) {
    if (i < parts.length && parts[i]!.lineId === parts[start]!.lineId) continue;
    yield parts.slice(start, i);
    start = i;
  }
}
