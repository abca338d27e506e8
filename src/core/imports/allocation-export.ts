/**
 * Import of Confluent's native cost-allocation CSV export as an allocation source. Rows land in
 * `export_allocations`, each owner mapped to a team; the file is recorded in `imports` so that
 * re-importing it is recognised and changes nothing. Amounts stay exact decimal text throughout.
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import { ensureOrganization } from '../billing/store.ts';
import { CcostError, ErrorCode, InputError } from '../errors/index.ts';
import { parseDecimal } from '../money/amount.ts';
import { type BulkColumn, type BulkValue, bulkInsert } from '../storage/bulk.ts';
import type { Db, Store } from '../storage/database.ts';
import { imports } from '../storage/schema.ts';
import { type TeamResolver, UNALLOCATED_TEAM } from '../teams/resolver.ts';

/** Time bucket size of an export. */
export type Granularity = 'daily' | 'weekly' | 'monthly';

/** `imports.kind` of a native cost-allocation export. */
export const ALLOCATION_EXPORT_KIND = 'allocation-export';

/** One row of the export, validated; amounts are exact decimal text. */
export interface AllocationExportRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  /** Bucket start, ISO 8601 UTC: `2026-04-01T00:00:00Z`. */
  bucketStart: string;
  ownerId: string;
  /** '' for organization-level rows such as Support. */
  environmentId: string;
  /** '' when the row has no resource. */
  resourceId: string;
  product: string;
  metric: string;
  unit: string | null;
  chargebackCost: string;
  originalAmount: string;
  /** Between 0 and 1. */
  usageShare: string;
}

/** Options of {@link parseAllocationExport}. */
export interface ParseAllocationExportOptions {
  /** When given, every bucket start is checked against it (weekly: Monday, monthly: the 1st). */
  granularity?: Granularity;
}

/** Options of {@link importAllocationExport}. */
export interface ImportAllocationExportOptions {
  orgId: string;
  filePath: string;
  resolver: TeamResolver;
  /** Bucket size; inferred from the bucket starts when absent. */
  granularity?: Granularity;
}

/** What an import did (or, when `alreadyImported`, what the identical earlier import did). */
export interface ImportSummary {
  file: string;
  rows: number;
  granularity: Granularity;
  /** Distinct bucket starts. */
  buckets: number;
  /** Exact sum of chargeback_cost, unallocated row included. */
  total: string;
  alreadyImported: boolean;
  /** Exact sum of chargeback_cost per team. */
  byTeam: Record<string, string>;
  /** Splits whose parts do not add up to their original_amount, naming the lines. */
  warnings: string[];
}

type FieldKey = Exclude<keyof AllocationExportRow, 'line'>;

interface FieldSpec {
  key: FieldKey;
  /** Accepted header names, the preferred one first (compared after normalizeHeader). */
  names: readonly string[];
  required: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  {
    key: 'bucketStart',
    names: ['timestamp', 'bucket_start', 'bucket_start_time', 'start_time', 'bucket', 'start_date', 'date'],
    required: true,
  },
  { key: 'ownerId', names: ['owner_id', 'principal_id', 'owner', 'entity_id'], required: true },
  { key: 'environmentId', names: ['environment_id', 'env_id', 'environment'], required: false },
  {
    key: 'resourceId',
    names: ['resource_id', 'resource', 'logical_cluster_id', 'logical_resource_id'],
    required: false,
  },
  { key: 'product', names: ['product', 'category', 'product_category'], required: true },
  { key: 'metric', names: ['metric', 'line_type', 'billable_metric'], required: true },
  { key: 'unit', names: ['unit', 'unit_of_measure', 'uom'], required: false },
  { key: 'chargebackCost', names: ['chargeback_cost', 'cost', 'chargeback_amount'], required: true },
  { key: 'originalAmount', names: ['original_amount', 'total_amount', 'billed_amount'], required: true },
  { key: 'usageShare', names: ['usage_share', 'share'], required: true },
];

/** A header column mapped to a field: its position and its name as written in the file. */
interface Column {
  index: number;
  name: string;
}

type Columns = Partial<Record<FieldKey, Column>>;

/** One CSV record with the line it starts on. */
interface CsvRecord {
  line: number;
  values: string[];
}

/** Decimal with enough precision that sums of exported amounts are exact. */
const Exact = Decimal.clone({ precision: 1000 });

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]00(?::?00)?|UTC)?$/i;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const DAY_MS = 86_400_000;

/**
 * Parses the text of a native cost-allocation export into validated rows. The header is mapped
 * by name (case-insensitive, with aliases); every error is an InputError whose `where` is
 * `file:line` and whose message names the column. Duplicate natural keys are rejected.
 */
export function parseAllocationExport(
  text: string,
  fileName: string,
  options: ParseAllocationExportOptions = {},
): AllocationExportRow[] {
  const records = readRecords(text, fileName);
  const header = records[0];
  if (!header) throw csvError(fileName, 1, `the file is empty; expected a header with ${neededList()}`);
  const columns = mapHeader(header, fileName);
  const rows = records.slice(1).map((record) => parseRow(record, header.values.length, columns, fileName));
  checkDuplicates(rows, fileName);
  if (options.granularity) checkGranularity(rows, options.granularity, fileName, columns.bucketStart!.name);
  return rows;
}

/** Splits CSV text into records, each with the line it starts on. */
function readRecords(text: string, fileName: string): CsvRecord[] {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    const options = { info: true, relax_column_count: true, skip_empty_lines: true } as const;
    parsed = parse(normalized, options) as unknown as typeof parsed;
  } catch (err) {
    const lines = (err as { lines?: number }).lines ?? 1;
    throw csvError(fileName, lines, `not valid CSV: ${(err as Error).message}`);
  }
  return parsed.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0),
    values: record,
  }));
}

/** `Bucket Start-Time` → `bucket_start_time`. */
function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Maps header columns to fields; rejects a header that lacks a required field. */
function mapHeader(header: CsvRecord, fileName: string): Columns {
  const normalized = header.values.map(normalizeHeader);
  const columns: Columns = {};
  const missing: string[] = [];
  for (const spec of FIELDS) {
    const index = spec.names.map((n) => normalized.indexOf(n)).find((i) => i >= 0);
    if (index !== undefined) columns[spec.key] = { index, name: header.values[index]!.trim() };
    else if (spec.required) missing.push(spec.names.slice(0, 2).join(' or '));
  }
  if (missing.length > 0) {
    const found = header.values.map((v) => v.trim()).join(', ');
    throw csvError(
      fileName,
      header.line,
      `cannot map the header: missing ${missing.join('; ')}. Found columns: ${found}. Needed: ${neededList()}`,
    );
  }
  return columns;
}

/** The columns a header must have, and those it may have. */
function neededList(): string {
  const names = (required: boolean) =>
    FIELDS.filter((f) => f.required === required)
      .map((f) => f.names[0])
      .join(', ');
  return `${names(true)} (optional: ${names(false)})`;
}

/** Validates one data record into a row. */
function parseRow(record: CsvRecord, width: number, columns: Columns, fileName: string): AllocationExportRow {
  if (record.values.length !== width) {
    throw csvError(
      fileName,
      record.line,
      `expected ${width} columns as in the header, found ${record.values.length}`,
    );
  }
  const cell = new CellReader(record, columns, fileName);
  return {
    line: record.line,
    bucketStart: cell.bucketStart('bucketStart'),
    ownerId: cell.text('ownerId'),
    environmentId: cell.optional('environmentId') ?? '',
    resourceId: cell.optional('resourceId') ?? '',
    product: cell.text('product'),
    metric: cell.text('metric'),
    unit: cell.optional('unit'),
    chargebackCost: cell.decimal('chargebackCost'),
    originalAmount: cell.decimal('originalAmount'),
    usageShare: cell.share('usageShare'),
  };
}

/** Reads and validates the cells of one record; errors name file, line and column. */
class CellReader {
  constructor(
    private readonly record: CsvRecord,
    private readonly columns: Columns,
    private readonly fileName: string,
  ) {}

  /** The trimmed cell of an optional column; null when the column is absent or the cell empty. */
  optional(key: FieldKey): string | null {
    const column = this.columns[key];
    const value = column ? (this.record.values[column.index] ?? '').trim() : '';
    return value === '' ? null : value;
  }

  /** A required, non-empty text cell. */
  text(key: FieldKey): string {
    const value = this.optional(key);
    if (value === null) throw this.error(key, 'is empty');
    return value;
  }

  /** An exact decimal, as plain decimal text. */
  decimal(key: FieldKey): string {
    const raw = this.optional(key) ?? '';
    try {
      const value = parseDecimal(raw);
      return PLAIN_DECIMAL.test(raw) ? raw : new Exact(value).toFixed();
    } catch {
      throw this.error(key, `"${raw}" is not a decimal number`);
    }
  }

  /** A decimal between 0 and 1. */
  share(key: FieldKey): string {
    const value = this.decimal(key);
    const d = new Exact(value);
    if (d.isNegative() || d.greaterThan(1)) throw this.error(key, `"${value}" is not between 0 and 1`);
    return value;
  }

  /** A bucket start: a date at 00:00:00 UTC, returned as `YYYY-MM-DDT00:00:00Z`. */
  bucketStart(key: FieldKey): string {
    const raw = this.optional(key) ?? '';
    const result = parseBucketStart(raw);
    if ('error' in result) throw this.error(key, result.error);
    return result.iso;
  }

  private error(key: FieldKey, message: string): InputError {
    const name = this.columns[key]?.name ?? key;
    return csvError(this.fileName, this.record.line, `column ${name}: ${message}`);
  }
}

/** Parses `2026-04-01T00:00:00Z`, `2026-04-01 00:00:00` or `2026-04-01` (UTC, midnight only). */
function parseBucketStart(raw: string): { iso: string } | { error: string } {
  const m = DATE_TIME.exec(raw);
  const expected = 'expected an ISO 8601 UTC bucket start such as 2026-04-01T00:00:00Z';
  if (!m) return { error: `"${raw}" is not a date; ${expected}` };
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '0'] = m;
  const day = `${y}-${mo}-${d}`;
  if (!isCalendarDay(day)) return { error: `"${raw}" is not a calendar date; ${expected}` };
  if (/[1-9]/.test(h + mi + s + frac)) {
    return { error: `"${raw}" is not a bucket start; buckets start at 00:00:00 UTC` };
  }
  return { iso: `${day}T00:00:00Z` };
}

/** True when YYYY-MM-DD names a real day. */
function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Rejects two rows with the same (bucket, owner, environment, resource, product, metric). */
function checkDuplicates(rows: readonly AllocationExportRow[], fileName: string): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const key = [row.bucketStart, row.ownerId, row.environmentId, row.resourceId, row.product, row.metric];
    const text = JSON.stringify(key);
    const first = seen.get(text);
    if (first !== undefined) {
      throw csvError(
        fileName,
        row.line,
        `duplicate row: same bucket, owner_id, environment, resource, product and metric as line ${first}`,
      );
    }
    seen.set(text, row.line);
  }
}

/**
 * The granularity the bucket starts imply: all on the 1st of a month → monthly; all Mondays
 * 7 days apart → weekly; otherwise daily. A file with one bucket on a Monday the 1st is monthly.
 */
export function inferGranularity(bucketStarts: readonly string[]): Granularity {
  const days = [...new Set(bucketStarts.map((b) => b.slice(0, 10)))].sort();
  if (days.length === 0) return 'daily';
  if (days.every((d) => d.endsWith('-01'))) return 'monthly';
  const weekly = days.every((d, i) => weekday(d) === 1 && (i === 0 || daysBetween(days[i - 1]!, d) === 7));
  return weekly ? 'weekly' : 'daily';
}

/** Rejects a bucket start that does not begin a bucket of `granularity` (UTC). */
function checkGranularity(
  rows: readonly AllocationExportRow[],
  granularity: Granularity,
  fileName: string,
  column: string,
): void {
  for (const row of rows) {
    const day = row.bucketStart.slice(0, 10);
    if (granularity === 'weekly' && weekday(day) !== 1) {
      const message = `${day} is a ${WEEKDAYS[weekday(day)]}, but weekly buckets start on Monday (ISO week, UTC)`;
      throw csvError(fileName, row.line, `column ${column}: ${message}`);
    }
    if (granularity === 'monthly' && !day.endsWith('-01')) {
      const message = `${day} is not the 1st, but monthly buckets start on the first of the month (UTC)`;
      throw csvError(fileName, row.line, `column ${column}: ${message}`);
    }
  }
}

/** 0 = Sunday … 6 = Saturday, in UTC. */
function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Whole days from one YYYY-MM-DD day to another. */
function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

/**
 * Checks that the parts of each split add up: per (bucket, resource, product, metric), when the
 * non-unallocated rows all carry the same original_amount, their chargeback_cost must sum to it.
 * Returns one warning per split that does not; never throws.
 */
export function checkSplits(rows: readonly AllocationExportRow[], fileName: string): string[] {
  const groups = new Map<string, AllocationExportRow[]>();
  for (const row of rows) {
    if (isUnallocated(row.ownerId)) continue;
    const key = JSON.stringify([row.bucketStart, row.resourceId, row.product, row.metric]);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].flatMap((group) => splitWarning(group, fileName) ?? []);
}

/** The warning for one split whose parts do not sum to its original_amount, if any. */
function splitWarning(group: readonly AllocationExportRow[], fileName: string): string | undefined {
  const original = new Exact(group[0]!.originalAmount);
  if (!group.every((r) => original.equals(r.originalAmount))) return undefined;
  const sum = sumDecimals(group.map((r) => r.chargebackCost));
  if (sum.equals(original)) return undefined;
  const r = group[0]!;
  const lines = group.map((g) => g.line).join(', ');
  return (
    `${fileName}: lines ${lines}: chargeback_cost sums to ${sum.toFixed()} but original_amount is ` +
    `${original.toFixed()} (bucket ${r.bucketStart}, resource ${r.resourceId || '(none)'}, ` +
    `product ${r.product}, metric ${r.metric})`
  );
}

/** True for the export's unallocated owner. */
function isUnallocated(ownerId: string): boolean {
  return ownerId.toLowerCase() === UNALLOCATED_OWNER;
}

/** Exact sum of decimal texts. */
function sumDecimals(values: readonly string[]): Decimal {
  return values.reduce((sum, v) => sum.plus(v), new Exact(0));
}

/** A CsvInvalid InputError at `file:line`. */
function csvError(fileName: string, line: number, message: string): InputError {
  return new InputError(ErrorCode.CsvInvalid, `${fileName}:${line}`, message);
}

const EXPORT_COLUMNS: readonly BulkColumn[] = [
  { name: 'org_id', type: 'text' },
  { name: 'granularity', type: 'text' },
  { name: 'bucket_start', type: 'timestamptz' },
  { name: 'owner_id', type: 'text' },
  { name: 'environment_id', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'product', type: 'text' },
  { name: 'metric', type: 'text' },
  { name: 'unit', type: 'text' },
  { name: 'chargeback_cost', type: 'numeric' },
  { name: 'original_amount', type: 'numeric' },
  { name: 'usage_share', type: 'numeric' },
  { name: 'team', type: 'text' },
  { name: 'import_id', type: 'integer' },
];

const UPSERT =
  'on conflict (org_id, granularity, bucket_start, owner_id, environment_id, resource_id, product, metric) ' +
  'do update set unit = excluded.unit, chargeback_cost = excluded.chargeback_cost, ' +
  'original_amount = excluded.original_amount, usage_share = excluded.usage_share, ' +
  'team = excluded.team, import_id = excluded.import_id';

/**
 * Imports a native cost-allocation export file into `export_allocations`, mapping each owner to
 * a team (`unallocated` → the unallocated team). All or nothing: a malformed file throws before
 * anything is written. A file whose content was already imported for the org writes nothing and
 * returns `alreadyImported: true`; a different file with overlapping keys overwrites them.
 */
export async function importAllocationExport(
  store: Store,
  options: ImportAllocationExportOptions,
): Promise<ImportSummary> {
  const content = await readExportFile(options.filePath);
  const rows = parseAllocationExport(content.toString('utf8'), options.filePath, options);
  const granularity = options.granularity ?? inferGranularity(rows.map((r) => r.bucketStart));
  const teams = rows.map((row) => teamOf(options, row));
  await ensureOrganization(store, options.orgId);
  const written = await store.db.transaction(async (tx) => {
    const importId = await recordImport(tx, options, sha256(content), rows.length);
    if (importId === undefined) return false;
    await bulkInsert(
      store,
      tx,
      'export_allocations',
      EXPORT_COLUMNS,
      rowValues(options.orgId, granularity, rows, teams, importId),
      UPSERT,
    );
    return true;
  });
  return summarize(options.filePath, rows, teams, granularity, !written);
}

/** The file's bytes; a missing file is a NotFound error. */
async function readExportFile(filePath: string): Promise<Buffer> {
  try {
    return await readFile(filePath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new CcostError(ErrorCode.NotFound, `allocation export not found: ${filePath}`, { cause: err });
  }
}

/** Hex sha256 of the file's bytes, the key that recognises a re-import. */
function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The team of one row: the unallocated team for the unallocated owner, else the resolver's. */
function teamOf(options: ImportAllocationExportOptions, row: AllocationExportRow): string {
  if (isUnallocated(row.ownerId)) return UNALLOCATED_TEAM;
  return options.resolver.resolve({
    orgId: options.orgId,
    ownerId: row.ownerId,
    environmentId: row.environmentId || null,
    day: row.bucketStart.slice(0, 10),
  });
}

/** Records the file in `imports`; undefined when the same content was imported before. */
async function recordImport(
  tx: Db,
  options: ImportAllocationExportOptions,
  hash: string,
  rowCount: number,
): Promise<number | undefined> {
  const inserted = await tx
    .insert(imports)
    .values({
      orgId: options.orgId,
      kind: ALLOCATION_EXPORT_KIND,
      fileName: path.basename(options.filePath),
      sha256: hash,
      rowCount,
    })
    .onConflictDoNothing({ target: [imports.orgId, imports.kind, imports.sha256] })
    .returning({ id: imports.id });
  return inserted[0]?.id;
}

/** Bulk-insert values of the rows, in EXPORT_COLUMNS order. */
function rowValues(
  orgId: string,
  granularity: Granularity,
  rows: readonly AllocationExportRow[],
  teams: readonly string[],
  importId: number,
): BulkValue[][] {
  return rows.map((r, i) => [
    orgId,
    granularity,
    r.bucketStart,
    r.ownerId,
    r.environmentId,
    r.resourceId,
    r.product,
    r.metric,
    r.unit,
    r.chargebackCost,
    r.originalAmount,
    r.usageShare,
    teams[i]!,
    importId,
  ]);
}

/** The summary of an import: counts and exact totals, overall and per team. */
function summarize(
  file: string,
  rows: readonly AllocationExportRow[],
  teams: readonly string[],
  granularity: Granularity,
  alreadyImported: boolean,
): ImportSummary {
  const byTeam = new Map<string, Decimal>();
  rows.forEach((row, i) => {
    const team = teams[i]!;
    byTeam.set(team, (byTeam.get(team) ?? new Exact(0)).plus(row.chargebackCost));
  });
  return {
    file,
    rows: rows.length,
    granularity,
    buckets: new Set(rows.map((r) => r.bucketStart)).size,
    total: sumDecimals(rows.map((r) => r.chargebackCost)).toFixed(),
    alreadyImported,
    byTeam: Object.fromEntries([...byTeam].map(([team, sum]) => [team, sum.toFixed()])),
    warnings: checkSplits(rows, file),
  };
}
