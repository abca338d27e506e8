/** Day ranges of questions and the equal range before one, for comparisons. */
/** A period of whole UTC days [from, to) with a human label. */
export interface DayRange {
  from: string;
  to: string;
  label: string;
}

/**
 * The range just before `range`, for comparisons: the same number of calendar months before a
 * range of whole months (September before October, Q2 before Q3), else the same number of days.
 */
export function previousRange(range: DayRange): DayRange {
  const from = new Date(`${range.from}T00:00:00Z`);
  const to = new Date(`${range.to}T00:00:00Z`);
  const months = monthsBetween(from, to);
  if (from.getUTCDate() === 1 && to.getUTCDate() === 1 && months >= 1) {
    const prev = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - months, 1));
    return { from: iso(prev), to: range.from, label: monthsLabel(prev, months) };
  }
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const prevFrom = new Date(from.getTime() - days * 86_400_000);
  return {
    from: iso(prevFrom),
    to: range.from,
    label: days === 1 ? 'the day before' : `previous ${days} days`,
  };
}

/** "September 2026", "Q2 2026", or "the previous 5 months". */
function monthsLabel(start: Date, months: number): string {
  if (months === 1) return start.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  if (months === 3 && start.getUTCMonth() % 3 === 0)
    return `Q${start.getUTCMonth() / 3 + 1} ${start.getUTCFullYear()}`;
  return `the previous ${months} months`;
}

function monthsBetween(a: Date, b: Date): number {
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
