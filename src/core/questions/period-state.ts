/**
 * An answer's period with its completeness and close state: each month it touches is open,
 * provisional or closed (see src/core/close/periods.ts), over every org in scope.
 */
import { and, inArray } from 'drizzle-orm';
import { stateOf } from '../close/periods.ts';
import type { Store } from '../storage/database.ts';
import { periodCloses } from '../storage/schema.ts';
import type { AnswerPeriod } from './answer.ts';
import type { PeriodSpec } from './time.ts';

type MonthState = AnswerPeriod['months'][number]['state'];

/** The months `YYYY-MM` a range of days touches, oldest first. */
export function monthsOf(range: { from: string; to: string }): string[] {
  const out: string[] = [];
  const last = lastDay(range.to).slice(0, 7);
  for (let m = range.from.slice(0, 7); m <= last; m = nextMonth(m)) out.push(m);
  return out;
}

/**
 * The period as answers carry it. A month counts as closed only when every org in `orgIds` closed
 * it; with no org known, nothing is closed.
 */
export async function answerPeriod(
  store: Store,
  period: PeriodSpec,
  orgIds: string[],
  now: Date,
): Promise<AnswerPeriod> {
  const months = monthsOf(period);
  const closes =
    orgIds.length === 0
      ? []
      : await store.db
          .select({ orgId: periodCloses.orgId, period: periodCloses.period })
          .from(periodCloses)
          .where(and(inArray(periodCloses.orgId, orgIds), inArray(periodCloses.period, months)));
  const states = months.map((month) => {
    const closedBy = closes.filter((c) => c.period === month).length;
    const closed = orgIds.length > 0 && closedBy === orgIds.length;
    return { month, state: stateOf(month, now, closed).state as MonthState };
  });
  return {
    from: period.from,
    to: period.to,
    label: period.label,
    complete: period.complete,
    state: overall(states.map((s) => s.state)),
    months: states,
  };
}

/** `closed` when all are, `open` when any is (and none closed), `mixed` for closed with others. */
function overall(states: MonthState[]): AnswerPeriod['state'] {
  if (states.every((s) => s === 'closed')) return 'closed';
  if (states.some((s) => s === 'closed')) return 'mixed';
  return states.some((s) => s === 'open') ? 'open' : 'provisional';
}

function lastDay(to: string): string {
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}
