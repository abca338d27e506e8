import { parseMonth } from '../allocation/period.ts';
import { allocateMonth } from '../allocation/run.ts';
import type { Config } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { type Reconciliation, reconcileMonth } from '../reconcile/reconcile.ts';
import type { Store } from '../storage/database.ts';
import { periodCloses } from '../storage/schema.ts';
import { periodStatus } from './periods.ts';

export interface CloseOptions {
  orgId: string;
  month: string;
  config: Config;
  invoiceSubtotal?: string;
  /** Close although checks fail or the month is still settling; needs `reason`. */
  force?: boolean;
  reason?: string;
  actor?: string;
  now?: Date;
}

/** What closing did. */
export interface CloseResult {
  orgId: string;
  month: string;
  runId: string;
  forced: boolean;
  reconciliation: Reconciliation;
}

/** Thrown when a month cannot be closed; carries the reconciliation that says why. */
export class CloseRefusedError extends CcostError {
  readonly reconciliation?: Reconciliation;
  constructor(message: string, reconciliation?: Reconciliation) {
    super(ErrorCode.CloseRefused, message);
    this.reconciliation = reconciliation;
    this.name = 'CloseRefusedError';
  }
}

/**
 * Closes a month: allocates it from the latest data (or reuses the current run), reconciles
 * that run, and freezes it when every check passes — or, with `force` and a `reason`, despite
 * failures, recording both. A closed month's figures never change; corrections are restatements.
 */
export async function closeMonth(store: Store, options: CloseOptions): Promise<CloseResult> {
  const period = parseMonth(options.month);
  const now = options.now ?? new Date();
  if (options.force && !options.reason?.trim()) {
    throw new CcostError(
      ErrorCode.UsageError,
      '--force needs --reason "…" saying why the month is closed despite failing checks',
    );
  }
  const status = await periodStatus(store, options.orgId, period.month, now);
  if (status.state === 'closed') {
    throw new CloseRefusedError(
      `${period.month} of ${options.orgId} is already closed (run ${status.close!.runId}); use \`ccost restate\` for corrections`,
    );
  }
  if (status.state === 'open') {
    throw new CloseRefusedError(
      `${period.month} has not ended yet; it can be closed after ${status.settlesAt}`,
    );
  }
  const run = await allocateMonth(store, {
    orgId: options.orgId,
    month: period.month,
    config: options.config,
    now,
  });
  const reconciliation = await reconcileMonth(store, {
    ...options,
    month: period.month,
    runId: run.runId,
    now,
  });
  if (!reconciliation.passed && !options.force) {
    const failed = reconciliation.checks
      .filter((c) => c.status === 'fail')
      .map((c) => `${c.id} (${c.details[0] ?? c.title})`);
    throw new CloseRefusedError(
      `${period.month} of ${options.orgId} not closed: ${failed.join('; ')}. Fix the data, or close with --force --reason "…"`,
      reconciliation,
    );
  }
  await store.db.insert(periodCloses).values({
    orgId: options.orgId,
    period: period.month,
    runId: run.runId,
    reconciliationId: reconciliation.id,
    forced: !reconciliation.passed,
    reason: options.reason ?? null,
    closedBy: options.actor ?? null,
  });
  return {
    orgId: options.orgId,
    month: period.month,
    runId: run.runId,
    forced: !reconciliation.passed,
    reconciliation,
  };
}
