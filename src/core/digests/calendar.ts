/** The calendar digests are keyed by: ISO weeks and months, UTC. */
import { addDays } from '../calendar/days.ts';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** `YYYY-MM-DD` of `now` (UTC). */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Monday (YYYY-MM-DD) of the ISO week containing `day`. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** ISO week of `day`, written `2026-W45` (the year is the ISO week-numbering year). */
export function isoWeek(day: string): string {
  // The week belongs to the year of its Thursday.
  const thursday = addDays(mondayOf(day), 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(mondayOf(`${year}-01-04`), 3);
  const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * When this week's digest slot starts: `weekday` at `hour` UTC in the ISO week of `now`.
 */
export function weekSlot(now: Date, weekday: (typeof WEEKDAYS)[number], hour: number): Date {
  const day = addDays(mondayOf(dayOf(now)), WEEKDAYS.indexOf(weekday));
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
}

/** `YYYY-MM` of a day. */
export function monthOfDay(day: string): string {
  return day.slice(0, 7);
}

/** First day of the month after `month` (`YYYY-MM`). */
export function monthEnd(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** "October 2026". */
export function monthLabel(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "Nov 2 – Nov 8" for days [from, to). */
export function rangeLabel(from: string, to: string): string {
  const fmt = (day: string) =>
    new Date(`${day}T00:00:00Z`).toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${fmt(from)} – ${fmt(addDays(to, -1))}`;
}
