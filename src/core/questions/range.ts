/** Day ranges of questions and the equal range before one, for comparisons. */
/** A period of whole UTC days [from, to) with a human label. */
export interface DayRange {
  from: string;
  to: string;
  label: string;
}

/** The equal-length range just before `range` (a month before a whole month). */
export function previousRange(range: DayRange): DayRange {
  const from = new Date(`${range.from}T00:00:00Z`);
  const to = new Date(`${range.to}T00:00:00Z`);
  const wholeMonth = from.getUTCDate() === 1 && to.getUTCDate() === 1 && monthsBetween(from, to) === 1;
  if (wholeMonth) {
    const prev = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - 1, 1));
    return {
      from: iso(prev),
      to: range.from,
      label: prev.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
    };
  }
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const prevFrom = new Date(from.getTime() - days * 86_400_000);
  return {
    from: iso(prevFrom),
    to: range.from,
    label: days === 1 ? 'the day before' : `previous ${days} days`,
  };
}

function monthsBetween(a: Date, b: Date): number {
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
