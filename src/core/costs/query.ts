/**
 * Cost queries over the current allocation runs: any date range, grouped by any dimensions, with
 * filters, at day, week or month granularity, gross or net of discounts, with or without credits.
 * What `GET /api/v1/costs` serves. Reads the rollups when the asked dimensions allow it (they have
 * no line grain) and the allocation rows otherwise; both give the same sums.
 */
import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isoDay } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';

/** What costs can be grouped and filtered by. */
export const COST_DIMENSIONS = [
  'team',
  'principal',
  'product',
  'line_type',
  'resource',
  'environment',
  'organization',
  'charge_type',
] as const;
/** One of {@link COST_DIMENSIONS}. */
export type CostDimension = (typeof COST_DIMENSIONS)[number];

/** Time buckets of a cost series; `total` is one bucket for the whole range. */
export const GRANULARITIES = ['day', 'week', 'month', 'total'] as const;

/** Line types and products that are credits (negative amounts on the bill). */
const CREDIT_CODES = ['PROMO_CREDIT'];

const dimensionList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(COST_DIMENSIONS)).max(4, 'group by at most 4 dimensions'));

/** A cost query as validated data; build it with {@link parseCostQuery} from request parameters. */
export const costQuerySchema = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    group_by: dimensionList.default([]),
    granularity: z.enum(GRANULARITIES).default('total'),
    /** false: list prices before discounts (gross). */
    discounts: z.stringbool().default(true),
    /** false: leave credit lines out. */
    credits: z.stringbool().default(true),
    ...Object.fromEntries(COST_DIMENSIONS.map((d) => [d, z.string().min(1).optional()])),
  })
  .refine((q) => q.from < q.to, { message: '`from` must be before `to` (to is exclusive)', path: ['to'] });

/** A validated cost query. */
export interface CostQuery {
  from: string;
  to: string;
  groupBy: CostDimension[];
  granularity: (typeof GRANULARITIES)[number];
  discounts: boolean;
  credits: boolean;
  /** Per dimension, the values to keep (comma-separated in requests). */
  filters: Partial<Record<CostDimension, string[]>>;
  /** When set, only these teams' costs are visible (a token scoped to teams). */
  teams?: string[];
}

/** One group of a cost answer. `period` is the bucket's first day (absent for `total`). */
export interface CostRow {
  period?: string;
  values: Partial<Record<CostDimension, string>>;
  amount: string;
}

/** What {@link queryCosts} returns: the rows and their exact total. */
export interface CostResult {
  query: CostQuery;
  rows: CostRow[];
  total: string;
}

/**
 * Validates request parameters into a {@link CostQuery}; violations come back as zod issues
 * naming the parameter (the API turns them into a 400).
 */
export function parseCostQuery(params: Record<string, string | undefined>) {
  const parsed = costQuerySchema.safeParse(params);
  if (!parsed.success) return { ok: false as const, issues: parsed.error.issues };
  const q = parsed.data as z.infer<typeof costQuerySchema> & Record<string, string | undefined>;
  const filters: CostQuery['filters'] = {};
  for (const d of COST_DIMENSIONS) {
    const value = q[d];
    if (typeof value === 'string') filters[d] = value.split(',').map((s) => s.trim());
  }
  const query: CostQuery = {
    from: q.from,
    to: q.to,
    groupBy: [...new Set(q.group_by)],
    granularity: q.granularity,
    discounts: q.discounts,
    credits: q.credits,
    filters,
  };
  return { ok: true as const, query };
}

/** Runs a cost query. Amounts are exact decimal strings; rows are ordered by period then amount. */
export async function queryCosts(store: Store, query: CostQuery): Promise<CostResult> {
  const source = tableFor(query);
  const table = sql.raw(source);
  const fine = source === 'allocations';
  const columns = dimensionColumns(fine);
  const amount = sql.raw(query.discounts ? 'c.amount' : 'c.gross_amount');
  const period = periodExpression(query.granularity);
  const groups = query.groupBy.map((d) => sql`${columns[d]} as ${sql.identifier(d)}`);
  const select = sql.join(
    [...(period ? [sql`${period} as period`] : []), ...groups, sql`sum(${amount})::text as amount`],
    sql`, `,
  );
  const groupCount = (period ? 1 : 0) + groups.length;
  const groupBy =
    groupCount > 0
      ? sql` group by ${sql.raw(Array.from({ length: groupCount }, (_, i) => i + 1).join(', '))}`
      : sql``;
  const rows = await store.query<Record<string, string | null>>(sql`
    select ${select}
    from ${table} c join allocation_runs r on r.id = c.run_id and r.is_current
    where ${sql.join(conditions(query, columns), sql` and `)}${groupBy}
    order by ${period ? sql`1, ` : sql``}sum(${amount}) desc`);
  const result = rows
    .filter((r) => r.amount !== null)
    .map((r) => ({
      ...(period ? { period: String(r.period).slice(0, 10) } : {}),
      values: Object.fromEntries(query.groupBy.map((d) => [d, r[d] ?? '(none)'])),
      amount: new Decimal(r.amount!).toFixed(),
    }));
  const total = result.reduce((s, r) => s.plus(r.amount), new Decimal(0)).toFixed();
  return { query, rows: result, total };
}

/** Dimensions the team-day sums carry (charge type derives from the product there). */
const TEAM_DAY_DIMENSIONS: readonly CostDimension[] = [
  'team',
  'product',
  'environment',
  'organization',
  'charge_type',
];

/**
 * The coarsest table that answers the query exactly: team-day sums, the owner-grain rollups, or
 * the allocation rows when line types are asked for.
 */
function tableFor(query: CostQuery): 'allocations' | 'allocation_rollups' | 'allocation_team_days' {
  const used = [...query.groupBy, ...(Object.keys(query.filters) as CostDimension[])];
  if (used.includes('line_type')) return 'allocations';
  return used.every((d) => TEAM_DAY_DIMENSIONS.includes(d)) ? 'allocation_team_days' : 'allocation_rollups';
}

function dimensionColumns(fine: boolean): Record<CostDimension, SQL> {
  const credit = sql.join(
    CREDIT_CODES.map((c) => sql`${c}`),
    sql`, `,
  );
  const creditTest = fine
    ? sql`(c.line_type in (${credit}) or c.product in (${credit}))`
    : sql`c.product in (${credit})`;
  return {
    team: sql`c.team`,
    principal: sql`c.owner_id`,
    product: sql`c.product`,
    line_type: fine ? sql`c.line_type` : sql`null`,
    resource: sql`coalesce(c.resource_id, '(none)')`,
    environment: sql`coalesce(c.environment_id, '(none)')`,
    organization: sql`c.org_id`,
    charge_type: sql`case when ${creditTest} then 'credit' else 'usage' end`,
  };
}

function periodExpression(granularity: CostQuery['granularity']): SQL | null {
  if (granularity === 'total') return null;
  if (granularity === 'day') return sql`to_char(c.bucket, 'YYYY-MM-DD')`;
  return sql`to_char(date_trunc(${granularity}, c.bucket::timestamp), 'YYYY-MM-DD')`;
}

function conditions(query: CostQuery, columns: Record<CostDimension, SQL>): SQL[] {
  const where: SQL[] = [sql`c.bucket >= ${query.from}::date`, sql`c.bucket < ${query.to}::date`];
  for (const [dimension, values] of Object.entries(query.filters) as [CostDimension, string[]][]) {
    where.push(
      sql`${columns[dimension]} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    );
  }
  if (!query.credits) where.push(sql`${columns.charge_type} <> 'credit'`);
  if (query.teams) {
    if (query.teams.length === 0) where.push(sql`false`);
    else
      where.push(
        sql`c.team in (${sql.join(
          query.teams.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      );
  }
  return where;
}

/** The rows as CSV (RFC 4180): period (unless total), the grouped dimensions, amount. */
export function costsToCsv(result: CostResult): string {
  const { groupBy, granularity } = result.query;
  const header = [...(granularity === 'total' ? [] : ['period']), ...groupBy, 'amount'];
  const lines = result.rows.map((r) =>
    [...(granularity === 'total' ? [] : [r.period ?? '']), ...groupBy.map((d) => r.values[d] ?? ''), r.amount]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
