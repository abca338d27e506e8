/**
 * Month states. A month is `open` until it ends, `provisional` until the 72-hour settling window
 * after its end has passed (billing data can arrive that late), and `closed` once `ccost close`
 * froze its allocation run. States never go back.
 */
import { and, eq } from 'drizzle-orm';
import { parseMonth } from '../allocation/period.ts';
import type { Store } from '../storage/database.ts';
import { periodCloses } from '../storage/schema.ts';

/** Hours after a month ends before its billing is considered complete. */
export const SETTLING_HOURS = 72;

export type PeriodState = 'open' | 'provisional' | 'closed';

/** A month's state and the dates that decide it. */
export interface PeriodStatus {
  orgId: string;
  month: string;
  state: PeriodState;
  /** True once the settling window has passed. */
  settled: boolean;
  /** When the settling window ends (ISO). */
  settlesAt: string;
  close?: typeof periodCloses.$inferSelect;
}

/** The state of a month at `now`, given its close record if any. */
export function stateOf(
  month: string,
  now: Date,
  closed: boolean,
): { state: PeriodState; settled: boolean; settlesAt: string } {
  const { to } = parseMonth(month);
  const end = Date.parse(`${to}T00:00:00Z`);
  const settlesAt = new Date(end + SETTLING_HOURS * 3_600_000);
  const settled = now.getTime() >= settlesAt.getTime();
  const state: PeriodState = closed ? 'closed' : now.getTime() < end ? 'open' : 'provisional';
  return { state, settled, settlesAt: settlesAt.toISOString() };
}

/** Reads a month's status from the database. */
export async function periodStatus(
  store: Store,
  orgId: string,
  month: string,
  now = new Date(),
): Promise<PeriodStatus> {
  const period = parseMonth(month);
  const [close] = await store.db
    .select()
    .from(periodCloses)
    .where(and(eq(periodCloses.orgId, orgId), eq(periodCloses.period, period.month)));
  return { orgId, month: period.month, ...stateOf(period.month, now, Boolean(close)), close };
}
