import { Decimal } from 'decimal.js';
import { and, desc, eq, sql } from 'drizzle-orm';
import { parseMonth } from '../allocation/period.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';
import { allocationRuns, allocations } from '../storage/schema.ts';
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

/** One group of a report; `amount` is exact. */
export interface ReportRow {
  key: string;
  amount: string;
  /** Share of the report total, 0..1, exact to 6 places. */
  share: string;
}

/** A month's allocations grouped by one dimension, with what needs attention. */
export interface Report {
  month: string;
  orgIds: string[];
  runIds: string[];
  by: ReportDimension;
  rows: ReportRow[];
  total: string;
  unallocated: string;
  /** Owners mapped to no team, with their cost, largest first. */
  unmapped: { ownerId: string; amount: string }[];
}

const groupColumn = {
  team: allocations.team,
  principal: allocations.ownerId,
  product: allocations.product,
  resource: sql<string>`coalesce(${allocations.resourceId}, '(none)')`,
  environment: sql<string>`coalesce(${allocations.environmentId}, '(none)')`,
  line_type: allocations.lineType,
} as const;

/** Builds the report of a month from the current allocation run of each org (or one org). */
export async function buildReport(
  store: Store,
  options: { month: string; by: ReportDimension; orgId?: string },
): Promise<Report> {
  const period = parseMonth(options.month);
  const runs = await store.db
    .select({ id: allocationRuns.id, orgId: allocationRuns.orgId })
    .from(allocationRuns)
    .where(
      and(
        eq(allocationRuns.period, period.month),
        eq(allocationRuns.isCurrent, true),
        options.orgId ? eq(allocationRuns.orgId, options.orgId) : undefined,
      ),
    )
    .orderBy(allocationRuns.orgId);
  if (runs.length === 0) {
    const org = options.orgId ? ` for ${options.orgId}` : '';
    throw new CcostError(
      ErrorCode.NotFound,
      `no allocation for ${period.month}${org}; run \`ccost allocate --org ORG --month ${period.month}\` first`,
    );
  }
  const runIds = runs.map((r) => r.id);
  const inRuns = sql`${allocations.runId} in (${sql.join(
    runIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  const key = groupColumn[options.by];
  const grouped = await store.db
    .select({ key, amount: sql<string>`sum(${allocations.amount})` })
    .from(allocations)
    .where(inRuns)
    .groupBy(key)
    .orderBy(desc(sql`sum(${allocations.amount})`), key);
  const unmapped = await store.db
    .select({ ownerId: allocations.ownerId, amount: sql<string>`sum(${allocations.amount})` })
    .from(allocations)
    .where(and(inRuns, eq(allocations.team, UNOWNED_TEAM)))
    .groupBy(allocations.ownerId)
    .orderBy(desc(sql`sum(${allocations.amount})`), allocations.ownerId);
  const unallocated = await store.db
    .select({ amount: sql<string>`coalesce(sum(${allocations.amount}), 0)` })
    .from(allocations)
    .where(and(inRuns, eq(allocations.ownerKind, 'unallocated')));
  const total = grouped.reduce((sum, r) => sum.plus(r.amount), new Decimal(0));
  return {
    month: period.month,
    orgIds: runs.map((r) => r.orgId),
    runIds,
    by: options.by,
    rows: grouped.map((r) => ({
      key: r.key,
      amount: new Decimal(r.amount).toFixed(),
      share: total.isZero() ? '0' : new Decimal(r.amount).div(total).toFixed(6, Decimal.ROUND_HALF_EVEN),
    })),
    total: total.toFixed(),
    unallocated: new Decimal(unallocated[0]?.amount ?? 0).toFixed(),
    unmapped: unmapped.map((u) => ({ ownerId: u.ownerId, amount: new Decimal(u.amount).toFixed() })),
  };
}
