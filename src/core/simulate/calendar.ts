/**
 * UTC calendar arithmetic on `YYYY-MM-DD` days and whole hours, as plain integers (days since
 * 1970-01-01, hours since the epoch), so the model never reads the clock.
 */

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` day; undefined when it is not a real date. */
export function tryDayNumber(day: string): number | undefined {
  const m = ISO_DAY.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const n = ms / DAY_MS;
  return dayText(n) === day ? n : undefined;
}

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` day. */
export function dayNumber(day: string): number {
  const n = tryDayNumber(day);
  if (n === undefined) throw new RangeError(`not a date YYYY-MM-DD: "${day}"`);
  return n;
}

/** `YYYY-MM-DD` of a day number. */
export function dayText(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The day `count` days after `day`. */
export function addDays(day: string, count: number): string {
  return dayText(dayNumber(day) + count);
}

/** Day of the week of a day number, 0 = Sunday. */
export function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** Number of days in the month of `day`. */
export function daysInMonth(day: string): number {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** First day of the month of `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** First day of the month after the month of `day`. */
export function nextMonthStart(day: string): string {
  return addDays(monthStart(day), daysInMonth(day));
}

/** Hours since the epoch of an ISO instant (floored to the hour). */
export function hourNumber(instant: string | Date): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO timestamp: "${String(instant)}"`);
  return Math.floor(ms / 3_600_000);
}

/** `YYYY-MM-DDTHH:00:00Z` of an hour number. */
export function hourText(hour: number): string {
  return `${new Date(hour * 3_600_000).toISOString().slice(0, 13)}:00:00Z`;
}

/** ISO instant of `day` at `hour` o'clock UTC. */
export function instantOf(day: string, hour = 0): string {
  return `${day}T${String(hour).padStart(2, '0')}:00:00Z`;
}
