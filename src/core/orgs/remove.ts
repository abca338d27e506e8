/**
 * Removing an organization: every stored row that belongs to it, in every table, in one
 * transaction. The tables come from the drizzle schema, so a table added later is either removed
 * by its `org_id` or named in {@link ORG_ROWS_WITHOUT_ORG_ID}; otherwise the plan refuses to run.
 * Closed months of the organization are write-protected by triggers (migration 0003); removal
 * sets `ccost.allow_closed_delete` for its own transaction only, the one sanctioned exception.
 */
import { is, type SQL, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { monthlyCloseKey } from '../digests/monthly-close.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { collectJobName } from '../pipeline/jobs.ts';
import { withJobLock } from '../schedule/lock.ts';
import type { Db, Store } from '../storage/database.ts';
import * as schema from '../storage/schema.ts';

/** Rows of one table that belong to an organization: a condition on that table's own columns. */
export type OrgCondition = (orgId: string) => SQL;

/** One table of the removal, in the order tables are emptied. */
export interface RemovalStep {
  table: string;
  /** How the organization's rows are found: `org_id`, `parent` (through another table) or `key`. */
  by: 'org_id' | 'parent' | 'key' | 'id';
  where: OrgCondition;
}

/**
 * Tables without an `org_id` column and how their rows of an organization are found. Child
 * tables come before their parent in the removal, so the parent's rows still exist when the
 * child's condition reads them.
 */
export const ORG_ROWS_WITHOUT_ORG_ID: Record<string, Omit<RemovalStep, 'table'>> = {
  /** Previous versions of the organization's billing lines. */
  billing_line_versions: {
    by: 'parent',
    where: (org) => sql`line_id in (select id from billing_lines where org_id = ${org})`,
  },
  /** The monthly-close digests of the organization (`monthly_close:<org>:<month>`); team messages have no org. */
  sent_messages: {
    by: 'key',
    where: (org) => sql`starts_with(key, ${monthlyCloseKey(org, '')})`,
  },
  /** The organization's collection job runs (`collect:<org>`). */
  job_runs: { by: 'key', where: (org) => sql`job = ${collectJobName(org)}` },
  /** The organization itself. */
  organizations: { by: 'id', where: (org) => sql`id = ${org}` },
};

/** A table of the schema that the removal does not know how to scope: a bug to fix here. */
export class UncoveredTableError extends CcostError {
  readonly tables: string[];
  constructor(tables: string[]) {
    super(
      ErrorCode.DatabaseError,
      `organization removal does not know how to find an organization's rows in ${tables.join(', ')}; give ${tables.length === 1 ? 'it' : 'them'} an org_id column or an entry in ORG_ROWS_WITHOUT_ORG_ID`,
    );
    this.tables = tables;
    this.name = 'UncoveredTableError';
  }
}

/** Nothing of the organization is stored. */
export class OrganizationNotFoundError extends CcostError {
  readonly orgId: string;
  constructor(orgId: string) {
    super(
      ErrorCode.NotFound,
      `no data of organization ${orgId} is stored; \`ccost org list\` shows the stored organizations`,
    );
    this.orgId = orgId;
    this.name = 'OrganizationNotFoundError';
  }
}

/** A collection or allocation of the organization holds its lock; removing now would race it. */
export class OrganizationBusyError extends CcostError {
  readonly orgId: string;
  constructor(orgId: string) {
    super(
      ErrorCode.UsageError,
      `a collection or allocation of ${orgId} is running (ccost serve or another ccost collect); try again when it has finished`,
    );
    this.orgId = orgId;
    this.name = 'OrganizationBusyError';
  }
}

/** A statement of the removal failed; the transaction was rolled back and nothing was removed. */
export class OrganizationRemovalError extends CcostError {
  readonly orgId: string;
  readonly table: string;
  constructor(orgId: string, table: string, cause: unknown) {
    super(
      ErrorCode.DatabaseError,
      `removing ${orgId} failed in table ${table}, so nothing was removed: ${rootMessage(cause)}`,
      { cause },
    );
    this.orgId = orgId;
    this.table = table;
    this.name = 'OrganizationRemovalError';
  }
}

/** The innermost message of an error chain (drivers wrap the server's message in "Failed query: …"). */
function rootMessage(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The drizzle tables of the schema, by their SQL names. */
export function schemaTables(): Map<string, PgTable> {
  const tables = new Map<string, PgTable>();
  for (const value of Object.values(schema)) {
    if (is(value, PgTable)) tables.set(getTableConfig(value).name, value);
  }
  return tables;
}

/**
 * Every table of the schema with how the organization's rows are found, in removal order:
 * child tables first, then the tables with `org_id` (schema order), the organization last.
 * Throws {@link UncoveredTableError} when a table is neither org-scoped nor listed.
 */
export function removalPlan(): RemovalStep[] {
  const steps: RemovalStep[] = [];
  const uncovered: string[] = [];
  for (const [name, table] of schemaTables()) {
    const special = ORG_ROWS_WITHOUT_ORG_ID[name];
    if (special) continue;
    if (getTableConfig(table).columns.some((c) => c.name === 'org_id')) {
      steps.push({ table: name, by: 'org_id', where: (org) => sql`org_id = ${org}` });
    } else {
      uncovered.push(name);
    }
  }
  if (uncovered.length > 0) throw new UncoveredTableError(uncovered);
  const specials = Object.entries(ORG_ROWS_WITHOUT_ORG_ID).map(([table, s]) => ({ table, ...s }));
  return [...specials.filter((s) => s.by !== 'id'), ...steps, ...specials.filter((s) => s.by === 'id')];
}

/** Rows removed (or, in a dry run, that would be) from one table. */
export interface TableCount {
  table: string;
  rows: number;
}

/** What {@link removeOrganization} did, or would do. */
export interface RemovalReport {
  orgId: string;
  dryRun: boolean;
  /** Every table of the schema, in removal order, with its count (0 included). */
  tables: TableCount[];
  /** Sum of the counts. */
  total: number;
  /** Months of the organization that were closed (their frozen figures go too). */
  closedMonths: string[];
}

/** Options of {@link removeOrganization}. */
export interface RemoveOptions {
  /** Count what would be removed and change nothing. */
  dryRun?: boolean;
}

/**
 * Removes every row of `orgId` from every table in one transaction (or, with `dryRun`, counts
 * them). Holds the organization's collection lock, so no collection or allocation of it runs
 * meanwhile. Other organizations' rows are never touched: each table's condition names `orgId`.
 * Throws {@link OrganizationNotFoundError} when nothing of it is stored and
 * {@link OrganizationBusyError} when its lock is held; any failure rolls everything back
 * ({@link OrganizationRemovalError}).
 */
export async function removeOrganization(
  store: Store,
  orgId: string,
  options: RemoveOptions = {},
): Promise<RemovalReport> {
  const plan = removalPlan();
  const dryRun = options.dryRun === true;
  const locked = await withJobLock(store, collectJobName(orgId), () =>
    store.db.transaction(async (tx) => {
      const closed = await store.query<{ period: string }>(
        sql`select period from period_closes where org_id = ${orgId} order by period`,
        tx,
      );
      if (!dryRun) await store.query(sql`set local ccost.allow_closed_delete = on`, tx);
      const tables: TableCount[] = [];
      for (const step of plan)
        tables.push({ table: step.table, rows: await apply(store, tx, step, orgId, dryRun) });
      const total = tables.reduce((sum, t) => sum + t.rows, 0);
      if (total === 0) throw new OrganizationNotFoundError(orgId);
      return { orgId, dryRun, tables, total, closedMonths: closed.map((c) => c.period) };
    }),
  );
  if (!locked.acquired) throw new OrganizationBusyError(orgId);
  return locked.value;
}

async function apply(store: Store, tx: Db, step: RemovalStep, orgId: string, dryRun: boolean) {
  const table = sql.identifier(step.table);
  const where = step.where(orgId);
  const query = dryRun
    ? sql`select count(*)::int as n from ${table} where ${where}`
    : sql`with removed as (delete from ${table} where ${where} returning 1) select count(*)::int as n from removed`;
  try {
    const [row] = await store.query<{ n: number }>(query, tx);
    return Number(row?.n ?? 0);
  } catch (err) {
    throw new OrganizationRemovalError(orgId, step.table, err);
  }
}

/** A stored organization and how much of it there is. */
export interface StoredOrganization {
  id: string;
  displayName: string | null;
  billingLines: number;
  /** First and last billed day, or null without billing lines. */
  firstDay: string | null;
  lastDay: string | null;
  allocationRuns: number;
  closedMonths: string[];
}

/**
 * Every organization with any stored row (in any table with `org_id`, or in `organizations`),
 * sorted by id, with its billing span, runs and closed months.
 */
export async function listOrganizations(store: Store): Promise<StoredOrganization[]> {
  const orgTables = removalPlan()
    .filter((s) => s.by === 'org_id')
    .map((s) => sql`select distinct org_id as id from ${sql.identifier(s.table)}`);
  const ids = await store.query<{ id: string }>(
    sql`select id from (${sql.join([sql`select id from organizations`, ...orgTables], sql` union `)}) o order by id`,
  );
  const result: StoredOrganization[] = [];
  for (const { id } of ids) {
    const [row] = await store.query<{
      name: string | null;
      lines: number;
      first: string | null;
      last: string | null;
      runs: number;
      closed: string[] | null;
    }>(sql`select
      (select display_name from organizations where id = ${id}) as name,
      (select count(*)::int from billing_lines where org_id = ${id}) as lines,
      (select min(start_date)::text from billing_lines where org_id = ${id}) as first,
      (select max(start_date)::text from billing_lines where org_id = ${id}) as last,
      (select count(*)::int from allocation_runs where org_id = ${id}) as runs,
      (select array_agg(period order by period) from period_closes where org_id = ${id}) as closed`);
    result.push({
      id,
      displayName: row?.name ?? null,
      billingLines: Number(row?.lines ?? 0),
      firstDay: row?.first ?? null,
      lastDay: row?.last ?? null,
      allocationRuns: Number(row?.runs ?? 0),
      closedMonths: row?.closed ?? [],
    });
  }
  return result;
}
