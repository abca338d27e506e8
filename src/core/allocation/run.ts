import { createHash, randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { loadInventory } from '../inventory/view.ts';
import { parseDecimal } from '../money/amount.ts';
import { bulkInsert } from '../storage/bulk.ts';
import type { Db, Store } from '../storage/database.ts';
import { allocationRuns, billingLines, periodCloses } from '../storage/schema.ts';
import { TeamResolver } from '../teams/resolver.ts';
import { type AllocationRow, allocateInBatches, type EngineLine } from './engine.ts';
import { parseMonth } from './period.ts';
import { RuleBook, ruleSetHash } from './rules.ts';
import { indexTopicUsage, TopicMode, topicModeClusters } from './topic-mode.ts';
import { loadTopicUsage, loadUsageIndex } from './usage-index.ts';

/** What one allocation run did. */
export interface RunSummary {
  runId: string;
  orgId: string;
  period: string;
  /** `created`, or `unchanged` when inputs and rules equal the current run's. */
  outcome: 'created' | 'unchanged';
  lines: number;
  rows: number;
  /** Exact sum of the month's billed amounts (= sum of the run's allocations). */
  total: string;
  ruleSetHash: string;
  inputFingerprint: string;
}

const ALLOCATION_COLUMNS = [
  { name: 'run_id', type: 'text' },
  { name: 'bucket', type: 'date' },
  { name: 'org_id', type: 'text' },
  { name: 'environment_id', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'product', type: 'text' },
  { name: 'line_type', type: 'text' },
  { name: 'line_id', type: 'integer' },
  { name: 'owner_id', type: 'text' },
  { name: 'owner_kind', type: 'text' },
  { name: 'team', type: 'text' },
  { name: 'amount', type: 'numeric' },
  { name: 'gross_amount', type: 'numeric' },
  { name: 'original_amount', type: 'numeric' },
  { name: 'usage_share', type: 'numeric' },
  { name: 'method', type: 'text' },
  { name: 'confidence', type: 'text' },
  { name: 'fallback_reason', type: 'text' },
] as const;

/** Options of {@link allocateMonth}. */
export interface AllocateOptions {
  orgId: string;
  month: string;
  config: Config;
  /** Allocate a closed month anew (only `ccost restate` does); otherwise a closed month is refused. */
  restate?: boolean;
  /** The time the run happens (tests); defaults to now. */
  now?: Date;
}

/** A closed month's figures are frozen: allocating it again is an error that says what to do. */
async function refuseClosed(store: Store, orgId: string, month: string): Promise<void> {
  const closed = await store.db
    .select({ runId: periodCloses.runId })
    .from(periodCloses)
    .where(and(eq(periodCloses.orgId, orgId), eq(periodCloses.period, month)));
  if (closed.length > 0) {
    throw new CcostError(
      ErrorCode.PeriodClosed,
      `${month} of ${orgId} is closed (run ${closed[0]!.runId}); use \`ccost restate --org ${orgId} --month ${month}\` to correct it`,
    );
  }
}

/**
 * Allocates one org's month and stores it as a new current run, in one transaction. When the
 * inputs (lines, usage, fetch statuses, inventory) and rules are the same as the current run's,
 * nothing is written and the current run is returned.
 */
export async function allocateMonth(store: Store, options: AllocateOptions): Promise<RunSummary> {
  const { orgId, config } = options;
  const period = parseMonth(options.month);
  if (!options.restate) await refuseClosed(store, orgId, period.month);
  const topicClusters = topicModeClusters(config.allocation);
  const [lineRows, usage, inventory, topicUsage] = await Promise.all([
    store.db
      .select({
        id: billingLines.id,
        version: billingLines.version,
        contentHash: billingLines.contentHash,
        startDate: billingLines.startDate,
        environmentId: billingLines.environmentId,
        resourceId: billingLines.resourceId,
        product: billingLines.product,
        lineType: billingLines.lineType,
        amount: billingLines.amount,
        originalAmount: billingLines.originalAmount,
      })
      .from(billingLines)
      .where(
        and(
          eq(billingLines.orgId, orgId),
          gte(billingLines.startDate, period.from),
          lt(billingLines.startDate, period.to),
        ),
      )
      .orderBy(asc(billingLines.id)),
    loadUsageIndex(store, orgId, period.from, period.to),
    loadInventory(store, orgId, period.from, period.to),
    loadTopicUsage(store, orgId, topicClusters, period.from, period.to),
  ]);
  const rulesHash = ruleSetHash(config);
  const fingerprint = fingerprintOf([
    lineRows.map((l) => `${l.id}:${l.version}:${l.contentHash}`),
    usage.records.map((u) => `${u.resourceId}|${u.day}|${u.principalId}|${u.metric}|${u.value}`),
    usage.fetches.map((f) => `${f.resourceId}|${f.day}|${f.status}`),
    [inventory.fingerprint()],
    // Appended only in topic mode, so fingerprints of principal-mode runs stay as they were.
    ...(topicClusters.length > 0
      ? [topicUsage.map((u) => `${u.resourceId}|${u.day}|${u.topic}|${u.metric}|${u.value}`)]
      : []),
  ]);
  const current = await currentRun(store, orgId, period.month);
  if (current && current.inputFingerprint === fingerprint && current.ruleSetHash === rulesHash) {
    return summaryOf(current, 'unchanged');
  }
  const lines: EngineLine[] = lineRows.map((l) => ({
    id: l.id,
    orgId,
    day: l.startDate,
    environmentId: l.environmentId,
    resourceId: l.resourceId,
    product: l.product,
    lineType: l.lineType,
    amount: l.amount,
    originalAmount: l.originalAmount,
  }));
  // Allocated as the rows are stored, never all held at once.
  const batches = allocateInBatches(lines, {
    rules: new RuleBook(config.allocation),
    teams: new TeamResolver(config),
    inventory,
    usage: usage.index,
    topics:
      topicClusters.length > 0
        ? new TopicMode(config.allocation.topic_mode, indexTopicUsage(topicUsage))
        : undefined,
  });
  const total = sumAmounts(lines.map((l) => l.amount));
  const runId = `run-${period.month}-${randomUUID().slice(0, 8)}`;
  const rowCount = await storeRun(store, {
    runId,
    orgId,
    period: period.month,
    rulesHash,
    fingerprint,
    lines: lines.length,
    total,
    batches,
  });
  return {
    runId,
    orgId,
    period: period.month,
    outcome: 'created',
    lines: lines.length,
    rows: rowCount,
    total,
    ruleSetHash: rulesHash,
    inputFingerprint: fingerprint,
  };
}

async function storeRun(
  store: Store,
  run: {
    runId: string;
    orgId: string;
    period: string;
    rulesHash: string;
    fingerprint: string;
    lines: number;
    total: string;
    batches: Iterable<AllocationRow[]>;
  },
): Promise<number> {
  let rowCount = 0;
  function* values() {
    for (const batch of run.batches) {
      rowCount += batch.length;
      for (const r of batch) yield rowValues(run.runId, r);
    }
  }
  await store.db.transaction(async (tx) => {
    // The row count is known once every row is stored; it is set with the status below.
    await tx.insert(allocationRuns).values({
      id: run.runId,
      orgId: run.orgId,
      period: run.period,
      ruleSetHash: run.rulesHash,
      inputFingerprint: run.fingerprint,
      status: 'running',
      lineCount: run.lines,
      rowCount: 0,
      total: run.total,
      codeVersion: CODE_VERSION,
    });
    await bulkInsert(store, tx, 'allocations', ALLOCATION_COLUMNS, values());
    await writeRollup(store, tx, run.runId);
    await tx
      .update(allocationRuns)
      .set({ isCurrent: false, status: 'superseded' })
      .where(
        and(
          eq(allocationRuns.orgId, run.orgId),
          eq(allocationRuns.period, run.period),
          eq(allocationRuns.isCurrent, true),
        ),
      );
    await tx
      .update(allocationRuns)
      .set({ isCurrent: true, status: 'complete', rowCount })
      .where(eq(allocationRuns.id, run.runId));
  });
  return rowCount;
}

/**
 * Stores the run's daily rollup (allocations without the line grain) from the rows just written,
 * in the caller's transaction, so the rollup exists exactly when the run does and sums to it
 * exactly (SQL numeric sums, no rounding).
 */
export async function writeRollup(store: Store, tx: Db, runId: string): Promise<void> {
  await store.query(
    sql`insert into allocation_rollups
          (run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind, amount, gross_amount,
           high_confidence_amount)
        select run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind,
               sum(amount), sum(gross_amount), coalesce(sum(amount) filter (where confidence = 'high'), 0)
        from allocations where run_id = ${runId}
        group by run_id, bucket, org_id, team, product, environment_id, resource_id, owner_id, owner_kind`,
    tx,
  );
  await store.query(
    sql`insert into allocation_team_days
          (run_id, bucket, org_id, team, product, environment_id, amount, gross_amount, high_confidence_amount)
        select run_id, bucket, org_id, team, product, environment_id, sum(amount), sum(gross_amount),
               sum(high_confidence_amount)
        from allocation_rollups where run_id = ${runId}
        group by run_id, bucket, org_id, team, product, environment_id`,
    tx,
  );
}

/** ccost's version, recorded with every run. */
export const CODE_VERSION = '0.1.0';

function rowValues(runId: string, r: AllocationRow) {
  return [
    runId,
    r.bucket,
    r.orgId,
    r.environmentId,
    r.resourceId,
    r.product,
    r.lineType,
    r.lineId,
    r.ownerId,
    r.ownerKind,
    r.team,
    r.amount,
    r.grossAmount,
    r.originalAmount,
    r.usageShare,
    r.method,
    r.confidence,
    r.fallbackReason,
  ];
}

/** The current run of an org's month, if any. */
export async function currentRun(store: Store, orgId: string, period: string) {
  const rows = await store.db
    .select()
    .from(allocationRuns)
    .where(
      and(
        eq(allocationRuns.orgId, orgId),
        eq(allocationRuns.period, period),
        eq(allocationRuns.isCurrent, true),
      ),
    );
  return rows[0];
}

function summaryOf(run: typeof allocationRuns.$inferSelect, outcome: RunSummary['outcome']): RunSummary {
  return {
    runId: run.id,
    orgId: run.orgId,
    period: run.period,
    outcome,
    lines: run.lineCount,
    rows: run.rowCount,
    total: new Decimal(run.total).toFixed(),
    ruleSetHash: run.ruleSetHash,
    inputFingerprint: run.inputFingerprint,
  };
}

function fingerprintOf(parts: string[][]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Each item then a newline, hashed in batches: the same digest as item by item, far fewer calls.
    for (let start = 0; start < part.length; start += FINGERPRINT_BATCH) {
      hash.update(`${part.slice(start, start + FINGERPRINT_BATCH).join('\n')}\n`);
    }
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

const FINGERPRINT_BATCH = 4096;

/** Exact sum of decimal strings. */
export function sumAmounts(values: Iterable<string>): string {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(parseDecimal(v));
  return total.toFixed();
}
