/** Whole UTC days written `YYYY-MM-DD`: the one place ccost steps through the calendar. */

/** The day `n` days after `day` (before, for negative `n`). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return addDays(day, 1);
}

/** Every day in [from, to). */
export function daysOf(range: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let d = range.from; d < range.to; d = nextDay(d)) out.push(d);
  return out;
}
