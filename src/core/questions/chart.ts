import { Decimal } from 'decimal.js';
import { renderDailyChart } from '../render/chart.ts';
import { productLabel } from './format.ts';
import type { TeamAnswer } from './team.ts';

/** The answer's chart: daily cost by product, the previous period as a line, budget if known. */
export function chartTeamAnswer(answer: TeamAnswer, options: { monthlyBudget?: string } = {}): Buffer {
  const labels = answer.daily.days.map((d) =>
    new Date(`${d}T00:00:00Z`).toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  );
  return renderDailyChart({
    title: `Team ${answer.team} — ${answer.period.label}`,
    labels,
    series: answer.daily.series.map((s) => ({ label: productLabel(s.product), values: s.values })),
    previous: new Decimal(answer.previousTotal).isZero()
      ? undefined
      : { label: answer.previous.label, values: answer.daily.previous },
    budgetPerDay: options.monthlyBudget ? perDay(options.monthlyBudget, labels.length) : undefined,
  });
}

/** A month's budget spread evenly over the days shown. */
function perDay(monthly: string, days: number): string {
  return new Decimal(monthly).div(Math.max(days, 1)).toFixed(6);
}
