/**
 * What an export reads: one org's month and its current allocation run, found or refused with
 * an error that says what to run first.
 */
import { sql } from 'drizzle-orm';
import { type Month, parseMonth } from '../allocation/period.ts';
import { currentRun } from '../allocation/run.ts';
import { CcostError, ErrorCode, InputError } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';

/** An org's month and the allocation run an export is made from. */
export interface ExportScope {
  orgId: string;
  period: Month;
  runId: string;
  ruleSetHash: string;
  /** Exact Σ of the run's billed amounts. */
  runTotal: string;
  /** ccost's version that made the run. */
  codeVersion: string | null;
}

/** Rows fetched per keyset page. */
export const PAGE_ROWS = 20_000;

/**
 * The current allocation run of `orgId`'s `month`. Throws an InputError for a malformed month or
 * org, and a NotFound error naming the command to run when the month has no billing lines or has
 * not been allocated.
 */
export async function resolveScope(store: Store, orgId: string, month: string): Promise<ExportScope> {
  const period = parseMonth(month);
  const org = orgId.trim();
  if (org === '') throw new InputError(ErrorCode.InputInvalid, '--org', 'is empty; give an organization id');
  const run = await currentRun(store, org, period.month);
  if (!run) throw await missingRun(store, org, period);
  return {
    orgId: org,
    period,
    runId: run.id,
    ruleSetHash: run.ruleSetHash,
    runTotal: run.total,
    codeVersion: run.codeVersion,
  };
}

/** The error for a month without a current run: collect or import first, or allocate first. */
async function missingRun(store: Store, orgId: string, period: Month): Promise<CcostError> {
  const [counts] = await store.query<{ lines: number | string }>(
    sql`select count(*) as lines from billing_lines
        where org_id = ${orgId} and start_date >= ${period.from} and start_date < ${period.to}`,
  );
  const allocate = `\`ccost allocate --org ${orgId} --month ${period.month}\``;
  if (Number(counts?.lines ?? 0) === 0) {
    return new CcostError(
      ErrorCode.NotFound,
      `no billing lines for ${orgId} in ${period.month}: run \`ccost collect --org ${orgId}\` or ` +
        `\`ccost import billing FILE... --org ${orgId}\` first, then ${allocate}`,
    );
  }
  return new CcostError(
    ErrorCode.NotFound,
    `no allocation run for ${orgId} in ${period.month}: run ${allocate} first`,
  );
}
