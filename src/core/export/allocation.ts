/**
 * `ccost export allocation`: a month's current allocation run in the columns of Confluent's native
 * cost-allocation export, plus `org_id`, so pipelines reading the native file can switch to
 * ccost's. Rows are summed per (bucket, owner, environment, resource, product category, metric)
 * in SQL, bucket by bucket and in keyset pages, and streamed out; one unallocated row per bucket.
 */
import type { Writable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import type { Month } from '../allocation/period.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Granularity } from '../imports/allocation-export.ts';
import { exportCategory } from '../reconcile/checks.ts';
import type { Store } from '../storage/database.ts';
import { ExactSum, formatFixed, parseFixed, rescale } from './fixed.ts';
import { codeWords } from './focus-schema.ts';
import { ChunkWriter, csvRecord, writeFileAtomically } from './output.ts';
import { type ExportScope, PAGE_ROWS, resolveScope } from './scope.ts';

/** Bucket sizes the export can write. */
export const granularities: readonly Granularity[] = ['daily', 'weekly', 'monthly'];

/** The native export's header as ccost reads it, plus `org_id`. */
export const ALLOCATION_EXPORT_HEADER: readonly string[] = [
  'timestamp',
  'owner_id',
  'environment_id',
  'resource_id',
  'product',
  'metric',
  'unit',
  'chargeback_cost',
  'original_amount',
  'usage_share',
  'org_id',
];

/** Product and metric of the one unallocated row per bucket. */
export const UNALLOCATED_METRIC = 'Unallocated';

/** Options of {@link exportAllocation}. */
export interface AllocationExportOptions {
  orgId: string;
  /** YYYY-MM */
  month: string;
  granularity: Granularity;
  /** Groups per keyset page (default 20,000). */
  pageRows?: number;
}

/** What an export wrote; `total` is the exact Σ chargeback_cost (= the run's total). */
export interface AllocationExportResult {
  scope: ExportScope;
  granularity: Granularity;
  rows: number;
  buckets: number;
  total: string;
  bytes: number;
}

/** A line type as the native export's CamelCase metric: KAFKA_NETWORK_READ → KafkaNetworkRead, KAFKA_NUM_CKUS → KafkaNumCKUs. */
export function metricName(lineType: string): string {
  return codeWords(lineType).join('');
}

/** A time bucket: its start (the timestamp written) and the days of the month it covers. */
export interface Bucket {
  start: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The buckets of a month in UTC: every day; ISO weeks starting on Monday (the first may start in
 * the previous month; only the month's days are in it); or the month from its 1st.
 */
export function bucketsOf(period: Month, granularity: Granularity): Bucket[] {
  const end = dayMs(period.to);
  if (granularity === 'monthly') return [{ start: period.from, from: period.from, to: period.to }];
  const buckets: Bucket[] = [];
  const step = granularity === 'daily' ? DAY_MS : 7 * DAY_MS;
  const first = dayMs(period.from);
  // getUTCDay: 0 = Sunday; days back to Monday.
  let start = granularity === 'daily' ? first : first - ((new Date(first).getUTCDay() + 6) % 7) * DAY_MS;
  for (; start < end; start += step) {
    buckets.push({
      start: dayText(start),
      from: dayText(Math.max(start, first)),
      to: dayText(Math.min(start + step, end)),
    });
  }
  return buckets;
}

/** (product, line type) → (category, metric) of the month's lines, as a SQL VALUES list. */
async function metricMap(store: Store, scope: ExportScope): Promise<SQL | null> {
  // The run's lines are the month's billing lines: their pairs come from the smaller table.
  const pairs = await store.query<{ product: string; lineType: string }>(
    sql`select distinct product, line_type as "lineType" from billing_lines
        where org_id = ${scope.orgId} and start_date >= ${scope.period.from} and start_date < ${scope.period.to}`,
  );
  if (pairs.length === 0) return null;
  const values = pairs.map(
    (p) =>
      sql`(${p.product}::text, ${p.lineType}::text, ${exportCategory(p.product, p.lineType)}::text, ${metricName(p.lineType)}::text)`,
  );
  return sql`(values ${sql.join(values, sql`, `)}) as m(product, line_type, category, metric)`;
}

/** One summed row of a bucket: an owner's cost on a resource's metric. */
interface GroupRow {
  ownerId: string;
  env: string;
  res: string;
  category: string;
  metric: string;
  cost: string;
}

type GroupCursor = Omit<GroupRow, 'cost'>;

/** The columns a group is keyed by, compared bytewise (C) on both drivers. */
const GROUP_KEY = sql`a.owner_id collate "C", coalesce(a.environment_id, '') collate "C",
  coalesce(a.resource_id, '') collate "C", m.category collate "C", m.metric collate "C"`;

/**
 * One keyset page of a bucket's non-zero groups (unallocated rows aside), in key order. One table,
 * one small VALUES list hashed, one aggregation: a plan that stays sound without table statistics.
 */
async function groupPage(
  store: Store,
  input: { runId: string; bucket: Bucket; map: SQL; cursor: GroupCursor | null; limit: number },
): Promise<GroupRow[]> {
  const { cursor } = input;
  const after = cursor
    ? sql`and (${GROUP_KEY}) > (${cursor.ownerId}::text collate "C", ${cursor.env}::text collate "C",
          ${cursor.res}::text collate "C", ${cursor.category}::text collate "C", ${cursor.metric}::text collate "C")`
    : sql``;
  return store.query<GroupRow>(
    sql`select a.owner_id collate "C" as "ownerId", coalesce(a.environment_id, '') collate "C" as env,
          coalesce(a.resource_id, '') collate "C" as res, m.category collate "C" as category,
          m.metric collate "C" as metric, sum(a.amount)::text as cost
        from allocations a join ${input.map} on m.product = a.product and m.line_type = a.line_type
        where a.run_id = ${input.runId} and a.bucket >= ${input.bucket.from}::date and a.bucket < ${input.bucket.to}::date
          and a.owner_id <> ${UNALLOCATED_OWNER} ${after}
        group by 1, 2, 3, 4, 5
        having sum(a.amount) <> 0
        order by 1, 2, 3, 4, 5
        limit ${input.limit}`,
  );
}

/** original_amount and unit per (resource, category, metric) of a bucket. */
type Originals = Map<string, { original: string; unit: string | null }>;

/** A bucket's split totals: originals, how many rows it has, and the sum of its unallocated rows. */
interface BucketFacts {
  originals: Originals;
  rows: number;
  unallocated: string;
}

const originalKey = (res: string, category: string, metric: string) =>
  `${res}\u0000${category}\u0000${metric}`;

/** A bucket's lines grouped by (resource, product, line type): Σ amount, rows, unallocated Σ. */
interface BucketLineGroup {
  res: string;
  product: string;
  lineType: string;
  amount: string;
  rows: string;
  unallocated: string;
}

/**
 * One pass over a bucket's rows: what each (resource, category, metric) billed before the split
 * (Σ of its lines' amounts as the run split them) with the lines' unit, the row count and the
 * unallocated sum. Its size is the bucket's resources times metrics, never its rows.
 */
async function bucketFacts(store: Store, scope: ExportScope, bucket: Bucket): Promise<BucketFacts> {
  const [lines, units] = await Promise.all([
    store.query<BucketLineGroup>(
      sql`select res, product, line_type as "lineType", sum(amount)::text as amount, sum(rows)::text as rows,
            sum(unallocated)::text as unallocated
          from (
            select coalesce(resource_id, '') as res, product, line_type, line_id, min(original_amount) as amount,
              count(*) as rows, coalesce(sum(amount) filter (where owner_id = ${UNALLOCATED_OWNER}), 0) as unallocated
            from allocations where run_id = ${scope.runId} and bucket >= ${bucket.from}::date and bucket < ${bucket.to}::date
            group by 1, 2, 3, 4
          ) x group by 1, 2, 3`,
    ),
    store.query<{ res: string; product: string; lineType: string; unit: string | null }>(
      sql`select coalesce(resource_id, '') as res, product, line_type as "lineType", max(unit) as unit from billing_lines
          where org_id = ${scope.orgId} and start_date >= ${bucket.from}::date and start_date < ${bucket.to}::date
          group by 1, 2, 3`,
    ),
  ]);
  const keyOf = (r: { res: string; product: string; lineType: string }) =>
    originalKey(r.res, exportCategory(r.product, r.lineType), metricName(r.lineType));
  const unitOf = new Map(units.map((u) => [keyOf(u), u.unit]));
  const sums = new Map<string, ExactSum>();
  const unallocated = new ExactSum();
  let rows = 0;
  for (const line of lines) {
    const key = keyOf(line);
    const sum = sums.get(key) ?? new ExactSum();
    sums.set(key, sum);
    sum.add(line.amount);
    unallocated.add(line.unallocated);
    rows += Number(line.rows);
  }
  const originals: Originals = new Map();
  for (const [key, sum] of sums) originals.set(key, { original: sum.text(), unit: unitOf.get(key) ?? null });
  return { originals, rows, unallocated: unallocated.text() };
}

const SHARE_PLACES = 6;
const SHARE_ONE = 10n ** BigInt(SHARE_PLACES);

/**
 * chargeback_cost / original_amount to 6 places (half-even), within [0, 1]; 0 when the original
 * is zero. Exact integer arithmetic.
 */
export function usageShare(cost: string, original: string): string {
  const c = parseFixed(cost);
  const o = parseFixed(original);
  const scale = Math.max(c.scale, o.scale);
  let num = rescale(c, scale) * SHARE_ONE;
  let den = rescale(o, scale);
  if (den === 0n) return formatFixed(0n, SHARE_PLACES);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  const twice = (abs % den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const share = negative ? -q : q;
  return formatFixed(share < 0n ? 0n : share > SHARE_ONE ? SHARE_ONE : share, SHARE_PLACES);
}

/** CSV records of a page of groups, adding their costs to `total`. */
function groupRecords(
  page: readonly GroupRow[],
  bucket: { timestamp: string; originals: Originals; orgId: string; total: ExactSum },
): string {
  let text = '';
  for (const g of page) {
    const entry = bucket.originals.get(originalKey(g.res, g.category, g.metric));
    const original = entry?.original ?? g.cost;
    const cells = [g.ownerId, g.env, g.res, g.category, g.metric, entry?.unit ?? null, g.cost, original];
    text += csvRecord([bucket.timestamp, ...cells, usageShare(g.cost, original), bucket.orgId]);
    bucket.total.add(g.cost);
  }
  return text;
}

/** Writes one bucket: its groups page by page, then its unallocated row. Returns rows written. */
async function writeBucket(
  store: Store,
  writer: ChunkWriter,
  input: { scope: ExportScope; bucket: Bucket; map: SQL; pageRows: number; total: ExactSum },
): Promise<number> {
  const { scope, bucket } = input;
  const facts = await bucketFacts(store, scope, bucket);
  if (facts.rows === 0) return 0;
  const { originals } = facts;
  const timestamp = `${bucket.start}T00:00:00Z`;
  let written = 0;
  const fetch = (cursor: GroupCursor | null) =>
    groupPage(store, { runId: scope.runId, bucket, map: input.map, cursor, limit: input.pageRows });
  let pending = fetch(null);
  for (;;) {
    const page = await pending;
    const last = page[page.length - 1];
    const more = page.length === input.pageRows && last !== undefined;
    // The next page is on its way while this one is written.
    if (more) pending = fetch(last);
    pending.catch(() => undefined);
    await writer.write(groupRecords(page, { timestamp, originals, orgId: scope.orgId, total: input.total }));
    written += page.length;
    if (!more) break;
  }
  const u = facts.unallocated;
  const unallocated = [UNALLOCATED_OWNER, '', '', 'unallocated', UNALLOCATED_METRIC, 'USD', u, u, '0'];
  await writer.write(csvRecord([timestamp, ...unallocated, scope.orgId]));
  input.total.add(u);
  return written + 1;
}

/**
 * Streams the native-format export of `orgId`'s `month` (its current allocation run) to `out`:
 * per bucket, one row per owner, environment, resource, product category and metric with a
 * non-zero cost, then the bucket's unallocated row. Throws before writing when the month has no run.
 */
export async function exportAllocation(
  store: Store,
  options: AllocationExportOptions,
  out: Writable,
): Promise<AllocationExportResult> {
  if (!granularities.includes(options.granularity)) {
    throw new CcostError(
      ErrorCode.UsageError,
      `--granularity must be one of ${granularities.join(', ')} (got "${options.granularity}")`,
    );
  }
  const scope = await resolveScope(store, options.orgId, options.month);
  const map = await metricMap(store, scope);
  const writer = new ChunkWriter(out);
  const total = new ExactSum();
  await writer.write(csvRecord(ALLOCATION_EXPORT_HEADER));
  let rows = 0;
  let buckets = 0;
  for (const bucket of map ? bucketsOf(scope.period, options.granularity) : []) {
    const input = { scope, bucket, map: map!, pageRows: options.pageRows ?? PAGE_ROWS, total };
    const written = await writeBucket(store, writer, input);
    rows += written;
    if (written > 0) buckets++;
  }
  await writer.flush();
  return { scope, granularity: options.granularity, rows, buckets, total: total.text(), bytes: writer.bytes };
}

/** {@link exportAllocation} into `file`, all or nothing. */
export async function writeAllocationExport(
  store: Store,
  options: AllocationExportOptions & { file: string },
): Promise<AllocationExportResult> {
  await resolveScope(store, options.orgId, options.month);
  return writeFileAtomically(options.file, (stream) => exportAllocation(store, options, stream));
}
