/** A team's month so far against its monthly budget, as weekly digests and budget alerts see it. */
import { budgetStatus } from '../questions/budget.ts';
import type { Store } from '../storage/database.ts';
import { dayOf, monthEnd, monthLabel, monthOfDay } from './calendar.ts';
import { totalCost } from './costs.ts';
import type { WeeklyTeamDigest } from './types.ts';

/**
 * Spend of the complete days of `now`'s month (before today) and the run-rate forecast of
 * budget.ts. Today is left out: its costs are partial, and the forecast divides by complete days.
 */
export async function monthToDateStatus(
  store: Store,
  options: { team: string; monthly: string; now: Date },
): Promise<NonNullable<WeeklyTeamDigest['budget']>> {
  const today = dayOf(options.now);
  const month = monthOfDay(today);
  const period = { from: `${month}-01`, to: monthEnd(month), label: monthLabel(month) };
  const actual = await totalCost(store, { from: period.from, to: today, team: options.team });
  const status = budgetStatus({ monthly: options.monthly, actual, period, now: options.now });
  return { ...status, month, monthly: options.monthly };
}
