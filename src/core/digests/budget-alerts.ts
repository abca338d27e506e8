/**
 * Budget alerts: when a team's run-rate forecast for the month reaches a threshold of its monthly
 * budget (`digests.budget_alerts.thresholds`, percent), one alert per threshold per month, to the
 * team's channel and to the finance channel if set. When several thresholds are crossed at once
 * only the highest is posted; its message stands for the lower ones (their keys are recorded as
 * covered by it), so a team never gets "80%" and "100%" in the same minute.
 */
import { Decimal } from 'decimal.js';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { dayOf, monthOfDay } from './calendar.ts';
import { monthToDateStatus } from './month-to-date.ts';
import { takenKeys } from './sent-messages.ts';
import type { BudgetAlert } from './types.ts';

/** `budget:<team>:<YYYY-MM>:<threshold>`; the finance channel's copy ends in `:finance`. */
export function budgetKey(team: string, month: string, threshold: number, finance = false): string {
  return `budget:${team}:${month}:${threshold}${finance ? ':finance' : ''}`;
}

/**
 * True when `forecast` reaches `threshold` percent of `budget`, compared exactly
 * (forecast · 100 ≥ threshold · budget), not on the rounded percentage.
 */
export function reaches(forecast: string, budget: string, threshold: number): boolean {
  const b = new Decimal(budget);
  if (b.lte(0)) return false;
  return new Decimal(forecast).times(100).gte(b.times(threshold));
}

/** The budget alerts due at `now` for every team with a budget. */
export async function dueBudgetAlerts(store: Store, config: Config, now: Date): Promise<BudgetAlert[]> {
  const settings = config.digests.budget_alerts;
  if (!settings.enabled) return [];
  const month = monthOfDay(dayOf(now));
  const thresholds = [...new Set(settings.thresholds)].sort((a, b) => a - b);
  const finance = config.slack.finance_channel;
  const due: BudgetAlert[] = [];
  for (const [team, t] of Object.entries(config.teams)) {
    const monthly = t.budget?.monthly;
    const channels = [
      ...(t.slack_channel ? [{ channel: t.slack_channel, finance: false }] : []),
      ...(finance ? [{ channel: finance, finance: true }] : []),
    ];
    if (!monthly || channels.length === 0) continue;
    const status = await monthToDateStatus(store, { team, monthly, now });
    const crossed = thresholds.filter((p) => reaches(status.forecast, status.budget, p));
    if (crossed.length === 0) continue;
    for (const target of channels) {
      const keyOf = (p: number) => budgetKey(team, month, p, target.finance);
      const taken = await takenKeys(store, crossed.map(keyOf));
      const unsent = crossed.filter((p) => !taken.has(keyOf(p)));
      const highest = unsent.at(-1);
      if (highest === undefined) continue;
      due.push({
        kind: 'budget_alert',
        key: keyOf(highest),
        channel: target.channel,
        team,
        teamLabel: t.display_name ?? team,
        month,
        threshold: highest,
        covers: unsent.slice(0, -1).map((p) => ({ threshold: p, key: keyOf(p) })),
        status: { ...status, monthly },
        finance: target.finance,
      });
    }
  }
  return due;
}
