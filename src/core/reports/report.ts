import { Decimal } from 'decimal.js';
import { and, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import { type Month, parseMonth } from '../allocation/period.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';
import { allocationRuns, allocations, exportAllocations, periodCloses } from '../storage/schema.ts';
import { UNOWNED_TEAM } from '../teams/resolver.ts';

/** Dimensions a report can group by. */
export const reportDimensions = [
  'team',
  'principal',
  'product',
  'resource',
  'environment',
  'line_type',
] as const;
export type ReportDimension = (typeof reportDimensions)[number];

/** Where a report reads from: ccost's own allocation runs, or imported native exports. */
export const reportSources = ['allocations', 'export'] as const;
export type ReportSource = (typeof reportSources)[number];

/** One group of a report; `amount` is exact. */
export interface ReportRow {
  key: string;
  amount: string;
  /** Share of the report total, exact to 6 places. */
  share: string;
}

/** A month's costs grouped by one dimension, with what needs attention. */
export interface Report {
  month: string;
  source: ReportSource;
  orgIds: string[];
  /** Allocation runs the figures come from (empty for the export source). */
  runIds: string[];
  by: ReportDimension;
  rows: ReportRow[];
  total: string;
  unallocated: string;
  /** Owners mapped to no team, with their cost, largest first. */
  unmapped: { ownerId: string; amount: string }[];
}

/** The columns of one source table, so one query shape serves both. */
interface SourceColumns {
  table: PgTable;
  amount: PgColumn;
  owner: PgColumn;
  team: PgColumn;
  groups: Record<ReportDimension, PgColumn | SQL<string>>;
}

const noneIfNull = (column: PgColumn) => sql<string>`coalesce(nullif(${column}, ''), '(none)')`;

const sources: Record<ReportSource, SourceColumns> = {
  allocations: {
    table: allocations,
    amount: allocations.amount,
    owner: allocations.ownerId,
    team: allocations.team,
    groups: {
      team: allocations.team,
      principal: allocations.ownerId,
      product: allocations.product,
      resource: noneIfNull(allocations.resourceId),
      environment: noneIfNull(allocations.environmentId),
      line_type: allocations.lineType,
    },
  },
  export: {
    table: exportAllocations,
    amount: exportAllocations.chargebackCost,
    owner: exportAllocations.ownerId,
    team: exportAllocations.team,
    groups: {
      team: exportAllocations.team,
      principal: exportAllocations.ownerId,
      product: exportAllocations.product,
      resource: noneIfNull(exportAllocations.resourceId),
      environment: noneIfNull(exportAllocations.environmentId),
      line_type: exportAllocations.metric,
    },
  },
};

/**
 * Builds a month's report: from the current allocation run of each org (or one org), or from
 * the imported native export's buckets that start in the month.
 */
export async function buildReport(
  store: Store,
  options: { month: string; by: ReportDimension; orgId?: string; source?: ReportSource; asClosed?: boolean },
): Promise<Report> {
  const period = parseMonth(options.month);
  const source = options.source ?? 'allocations';
  const scope =
    source === 'export'
      ? await exportScope(store, period, options.orgId)
      : options.asClosed
        ? await closedScope(store, period, options.orgId)
        : await runScope(store, period, options.orgId);
  const columns = sources[source];
  const sum = sql<string>`sum(${columns.amount})`;
  const key = columns.groups[options.by];
  const grouped = await store.db
    .select({ key, amount: sum })
    .from(columns.table)
    .where(scope.where)
    .groupBy(key)
    .orderBy(desc(sum), key);
  const unmapped = await store.db
    .select({ ownerId: columns.owner, amount: sum })
    .from(columns.table)
    .where(and(scope.where, eq(columns.team, UNOWNED_TEAM)))
    .groupBy(columns.owner)
    .orderBy(desc(sum), columns.owner);
  const [unallocated] = await store.db
    .select({ amount: sql<string>`coalesce(${sum}, 0)` })
    .from(columns.table)
    .where(and(scope.where, eq(columns.owner, UNALLOCATED_OWNER)));
  const total = grouped.reduce((acc, r) => acc.plus(r.amount), new Decimal(0));
  return {
    month: period.month,
    source,
    orgIds: scope.orgIds,
    runIds: scope.runIds,
    by: options.by,
    rows: grouped.map((r) => ({
      key: String(r.key),
      amount: new Decimal(r.amount).toFixed(),
      share: shareOf(r.amount, total),
    })),
    total: total.toFixed(),
    unallocated: new Decimal(unallocated?.amount ?? 0).toFixed(),
    unmapped: unmapped.map((u) => ({ ownerId: String(u.ownerId), amount: new Decimal(u.amount).toFixed() })),
  };
}

function shareOf(amount: string, total: Decimal): string {
  return total.isZero() ? '0' : new Decimal(amount).div(total).toFixed(6, Decimal.ROUND_HALF_EVEN);
}

interface Scope {
  where: SQL | undefined;
  orgIds: string[];
  runIds: string[];
}

async function runScope(store: Store, period: Month, orgId?: string): Promise<Scope> {
  const runs = await store.db
    .select({ id: allocationRuns.id, orgId: allocationRuns.orgId })
    .from(allocationRuns)
    .where(
      and(
        eq(allocationRuns.period, period.month),
        eq(allocationRuns.isCurrent, true),
        orgId ? eq(allocationRuns.orgId, orgId) : undefined,
      ),
    )
    .orderBy(allocationRuns.orgId);
  if (runs.length === 0) {
    throw new CcostError(
      ErrorCode.NotFound,
      `no allocation for ${period.month}${orgId ? ` for ${orgId}` : ''}; run \`ccost allocate --org ${orgId ?? 'ORG'} --month ${period.month}\` first`,
    );
  }
  const runIds = runs.map((r) => r.id);
  return { where: inArray(allocations.runId, runIds), orgIds: runs.map((r) => r.orgId), runIds };
}

/** The runs the month was closed with: its figures as closed, before any restatement. */
async function closedScope(store: Store, period: Month, orgId?: string): Promise<Scope> {
  const closes = await store.db
    .select({ runId: periodCloses.runId, orgId: periodCloses.orgId })
    .from(periodCloses)
    .where(and(eq(periodCloses.period, period.month), orgId ? eq(periodCloses.orgId, orgId) : undefined))
    .orderBy(periodCloses.orgId);
  if (closes.length === 0) {
    throw new CcostError(
      ErrorCode.NotFound,
      `${period.month} is not closed${orgId ? ` for ${orgId}` : ''}; drop --as-closed`,
    );
  }
  const runIds = closes.map((c) => c.runId);
  return { where: inArray(allocations.runId, runIds), orgIds: closes.map((c) => c.orgId), runIds };
}

async function exportScope(store: Store, period: Month, orgId?: string): Promise<Scope> {
  const where = and(
    gte(exportAllocations.bucketStart, `${period.from}T00:00:00Z`),
    lt(exportAllocations.bucketStart, `${period.to}T00:00:00Z`),
    orgId ? eq(exportAllocations.orgId, orgId) : undefined,
  );
  const orgs = await store.db
    .selectDistinct({ orgId: exportAllocations.orgId })
    .from(exportAllocations)
    .where(where)
    .orderBy(exportAllocations.orgId);
  if (orgs.length === 0) {
    throw new CcostError(
      ErrorCode.NotFound,
      `no imported cost-allocation export has buckets in ${period.month}; run \`ccost import allocation-export FILE --org ORG\` first`,
    );
  }
  return { where, orgIds: orgs.map((o) => o.orgId), runIds: [] };
}
