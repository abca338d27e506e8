import { Decimal } from 'decimal.js';
import { daysOf } from '../calendar/days.ts';
import { renderDailyChart } from '../render/chart.ts';
import type { Answer } from './answer.ts';

/**
 * The chart of any answer with a daily series: bars stacked by the breakdown's keys (at most
 * 8 and `Other`), the previous period as a line, and the budget per day where a team has one.
 * Undefined when the answer has no series (reconcile) or nothing to draw.
 */
export function chartAnswer(answer: Answer): Buffer | undefined {
  const s = answer.series;
  if (!s || s.days.length === 0) return undefined;
  const previousIsEmpty = s.previous.every((v) => new Decimal(v).isZero());
  // The previous period may be shorter (September before October): its line stops at its end.
  const previousDays = answer.previous ? daysOf(answer.previous.period).length : 0;
  return renderDailyChart({
    title: `${answer.title} — ${answer.period.label}`,
    labels: s.days.map(dayLabel),
    series: s.series.map((x) => ({ label: x.label, values: x.values })),
    previous:
      answer.previous && !previousIsEmpty
        ? { label: `${answer.previous.period.label} (day by day)`, values: s.previous.slice(0, previousDays) }
        : undefined,
    budgetPerDay: s.budgetPerDay ?? undefined,
  });
}

/** `Oct 5`. */
function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}
