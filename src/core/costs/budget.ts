/**
 * A team's budget for a month: the budget from `ccost.yaml`, the month's actual from the current
 * runs, and the run-rate forecast to month end — what the API and the PR action read.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { parseMonth } from '../allocation/period.ts';
import type { Config } from '../config/schema.ts';
import { budgetStatus } from '../questions/budget.ts';
import type { Store } from '../storage/database.ts';

/** A team's month against its budget; `budget` fields are null when the team has none. */
export interface TeamBudget {
  team: string;
  month: string;
  monthly: string | null;
  actual: string;
  forecast: string;
  /** forecast / monthly × 100, one decimal; null without a budget. */
  forecastPercent: string | null;
  over: boolean | null;
}

/** The team's spend in `month` (YYYY-MM) against its monthly budget, at `now`. */
export async function teamBudget(
  store: Store,
  options: { config: Config; team: string; month: string; now: Date },
): Promise<TeamBudget> {
  const range = parseMonth(options.month, 'month');
  const [row] = await store.query<{ actual: string | null }>(sql`
    select sum(c.amount)::text as actual from allocation_team_days c
    join allocation_runs r on r.id = c.run_id and r.is_current
    where c.team = ${options.team} and c.bucket >= ${range.from}::date and c.bucket < ${range.to}::date`);
  const actual = new Decimal(row?.actual ?? 0).toFixed();
  const monthly = options.config.teams[options.team]?.budget?.monthly ?? null;
  const period = { from: range.from, to: range.to, label: range.month };
  const status = budgetStatus({ monthly: monthly ?? '0', actual, period, now: options.now });
  return {
    team: options.team,
    month: range.month,
    monthly,
    actual,
    forecast: status.forecast,
    forecastPercent: monthly === null ? null : status.forecastPercent,
    over: monthly === null ? null : status.over,
  };
}
