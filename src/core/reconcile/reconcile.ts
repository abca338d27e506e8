import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { parseMonth } from '../allocation/period.ts';
import { currentRun } from '../allocation/run.ts';
import { stateOf } from '../close/periods.ts';
import type { Config } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { parseDecimal } from '../money/amount.ts';
import type { Store } from '../storage/database.ts';
import { invoiceSubtotals, periodCloses, reconciliations } from '../storage/schema.ts';
import {
  type CheckInput,
  type CheckResult,
  checkCompleteness,
  checkConservation,
  checkExportOwners,
  checkExportTotals,
  checkInvoice,
} from './checks.ts';

/** A stored reconciliation of one org's month against one allocation run. */
export interface Reconciliation {
  id: string;
  orgId: string;
  month: string;
  runId: string;
  /** True when no check failed. */
  passed: boolean;
  checks: CheckResult[];
  createdAt: string;
}

export interface ReconcileOptions {
  orgId: string;
  month: string;
  config: Config;
  /** The invoice's usage subtotal; stored for the month so later runs reuse it. */
  invoiceSubtotal?: string;
  /** Reconcile this run instead of the month's current one (e.g. the one being closed). */
  runId?: string;
  now?: Date;
}

/** Runs every check for the month, stores the result with the run, and returns it. */
export async function reconcileMonth(store: Store, options: ReconcileOptions): Promise<Reconciliation> {
  const period = parseMonth(options.month);
  const now = options.now ?? new Date();
  const runId = options.runId ?? (await currentRun(store, options.orgId, period.month))?.id;
  if (!runId) {
    throw new CcostError(
      ErrorCode.NotFound,
      `no allocation for ${period.month} of ${options.orgId}; run \`ccost allocate --org ${options.orgId} --month ${period.month}\` first`,
    );
  }
  const closed = await isClosed(store, options.orgId, period.month);
  const state = stateOf(period.month, now, closed);
  const today = now.toISOString().slice(0, 10);
  const input: CheckInput = {
    store,
    orgId: options.orgId,
    period,
    runId,
    invoiceSubtotal: await invoiceSubtotal(store, options, period.month),
    settled: state.settled,
    settlesAt: state.settlesAt,
    // Days before today are expected to be billed (all of them once the month is over).
    expectedUntil: [today, period.to].sort()[0]!,
  };
  const checks = [
    await checkConservation(input),
    await checkInvoice(input),
    await checkExportTotals(input),
    await checkExportOwners(input),
    await checkCompleteness(input),
  ];
  const result: Reconciliation = {
    id: `rec-${randomUUID().slice(0, 8)}`,
    orgId: options.orgId,
    month: period.month,
    runId,
    passed: checks.every((c) => c.status !== 'fail'),
    checks,
    createdAt: now.toISOString(),
  };
  await store.db.insert(reconciliations).values({
    id: result.id,
    orgId: result.orgId,
    period: result.month,
    runId,
    passed: result.passed,
    result: result as unknown as Record<string, unknown>,
  });
  return result;
}

async function isClosed(store: Store, orgId: string, month: string): Promise<boolean> {
  const rows = await store.db
    .select({ runId: periodCloses.runId })
    .from(periodCloses)
    .where(and(eq(periodCloses.orgId, orgId), eq(periodCloses.period, month)));
  return rows.length > 0;
}

/** The subtotal given now (and stored), else the stored one, else the one in ccost.yaml. */
async function invoiceSubtotal(store: Store, options: ReconcileOptions, month: string) {
  if (options.invoiceSubtotal !== undefined) {
    const amount = validSubtotal(options.invoiceSubtotal);
    await store.db
      .insert(invoiceSubtotals)
      .values({ orgId: options.orgId, period: month, usageSubtotal: amount, source: 'command line' })
      .onConflictDoUpdate({
        target: [invoiceSubtotals.orgId, invoiceSubtotals.period],
        set: { usageSubtotal: amount, source: 'command line', recordedAt: new Date() },
      });
    return { amount, source: 'command line' };
  }
  const [stored] = await store.db
    .select()
    .from(invoiceSubtotals)
    .where(and(eq(invoiceSubtotals.orgId, options.orgId), eq(invoiceSubtotals.period, month)));
  if (stored) return { amount: stored.usageSubtotal, source: stored.source };
  const configured = options.config.organizations.find((o) => o.id === options.orgId)?.invoices[month];
  return configured ? { amount: configured, source: 'ccost.yaml' } : undefined;
}

function validSubtotal(text: string): string {
  try {
    return parseDecimal(text).toFixed();
  } catch {
    throw new CcostError(
      ErrorCode.UsageError,
      `--invoice-subtotal must be a decimal amount such as 12345.67 (got "${text}")`,
    );
  }
}
