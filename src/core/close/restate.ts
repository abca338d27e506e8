import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { and, desc, eq, sql } from 'drizzle-orm';
import { parseMonth } from '../allocation/period.ts';
import { allocateMonth, currentRun } from '../allocation/run.ts';
import type { Config } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';
import { allocations, periodCloses, restatements } from '../storage/schema.ts';

/** One line of a restatement: a team's or product's figure before and after. */
export interface Change {
  key: string;
  before: string;
  after: string;
  delta: string;
}

/** A restatement of a closed month. */
export interface Restatement {
  id: string;
  orgId: string;
  month: string;
  previousRunId: string;
  runId: string;
  reason: string | null;
  delta: string;
  byTeam: Change[];
  byProduct: Change[];
}

/**
 * Restates a closed month from the current data (late lines, credit notes): a new allocation
 * run becomes the month's current figures and a restatement records, per team and product, what
 * changed against the previous figures. The closed run and its rows stay as they were.
 */
export async function restateMonth(
  store: Store,
  options: { orgId: string; month: string; config: Config; reason?: string; now?: Date },
): Promise<Restatement | null> {
  const period = parseMonth(options.month);
  const [close] = await store.db
    .select()
    .from(periodCloses)
    .where(and(eq(periodCloses.orgId, options.orgId), eq(periodCloses.period, period.month)));
  if (!close) {
    throw new CcostError(
      ErrorCode.UsageError,
      `${period.month} of ${options.orgId} is not closed; re-run \`ccost allocate\` instead of restating`,
    );
  }
  const previous = (await currentRun(store, options.orgId, period.month))?.id ?? close.runId;
  const run = await allocateMonth(store, { ...options, month: period.month, restate: true });
  if (run.outcome === 'unchanged') return null;
  const byTeam = await compare(store, previous, run.runId, allocations.team);
  const byProduct = await compare(store, previous, run.runId, allocations.product);
  const delta = byTeam.reduce((s, c) => s.plus(c.delta), new Decimal(0)).toFixed();
  const restatement: Restatement = {
    id: `restate-${randomUUID().slice(0, 8)}`,
    orgId: options.orgId,
    month: period.month,
    previousRunId: previous,
    runId: run.runId,
    reason: options.reason ?? null,
    delta,
    byTeam,
    byProduct,
  };
  await store.db.insert(restatements).values({
    id: restatement.id,
    orgId: restatement.orgId,
    period: restatement.month,
    previousRunId: previous,
    runId: run.runId,
    reason: restatement.reason,
    delta,
    changes: { byTeam, byProduct },
  });
  return restatement;
}

/** The restatements of a month, newest first. */
export async function listRestatements(store: Store, orgId: string, month: string) {
  return store.db
    .select()
    .from(restatements)
    .where(and(eq(restatements.orgId, orgId), eq(restatements.period, parseMonth(month).month)))
    .orderBy(desc(restatements.createdAt));
}

async function compare(
  store: Store,
  beforeRun: string,
  afterRun: string,
  column: typeof allocations.team | typeof allocations.product,
): Promise<Change[]> {
  const rows = await store.db
    .select({
      key: column,
      before: sql<string>`coalesce(sum(${allocations.amount}) filter (where ${allocations.runId} = ${beforeRun}), 0)`,
      after: sql<string>`coalesce(sum(${allocations.amount}) filter (where ${allocations.runId} = ${afterRun}), 0)`,
    })
    .from(allocations)
    .where(sql`${allocations.runId} in (${beforeRun}, ${afterRun})`)
    .groupBy(column)
    .orderBy(column);
  return rows
    .map((r) => {
      const before = new Decimal(r.before);
      const after = new Decimal(r.after);
      return {
        key: String(r.key),
        before: before.toFixed(),
        after: after.toFixed(),
        delta: after.minus(before).toFixed(),
      };
    })
    .filter((c) => c.delta !== '0');
}
