import type { DayRange } from './range.ts';

/** What sort of period a phrase named; `range` is an explicit `from..to`. */
export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'range';

/**
 * A period of whole UTC days [from, to) (`to` exclusive, both `YYYY-MM-DD`) with a human label.
 * Calendar periods ("this month", "q4", "ytd") always span the whole calendar period, even the part
 * still in the future; `complete` is false whenever the period includes today or later.
 */
export interface PeriodSpec extends DayRange {
  complete: boolean;
  kind: PeriodKind;
}

/** The result of {@link parsePeriodResult}: a period, or why the text is not one. */
export type PeriodResult = { ok: true; period: PeriodSpec } | { ok: false; reason: string };

/** Month names, lower case, January first. */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** Every word a period phrase may contain, for "did you mean" suggestions. */
export const PERIOD_WORDS: readonly string[] = [
  'today',
  'yesterday',
  'this',
  'last',
  'past',
  'week',
  'month',
  'quarter',
  'year',
  'days',
  'mtd',
  'ytd',
  ...MONTH_NAMES,
];

/** The longest `last N days` accepted (about ten years). */
export const MAX_DAYS = 3660;

const DAY_MS = 86_400_000;
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses a period phrase (see {@link parsePeriodResult}); null when it is not one. */
export function parsePeriod(text: string, now: Date): PeriodSpec | null {
  const result = parsePeriodResult(text, now);
  return result.ok ? result.period : null;
}

/**
 * Parses a period phrase relative to `now` (UTC), case-insensitively: `today`, `yesterday`,
 * `this week`, `last week` (ISO weeks from Monday), `mtd`, `this month`, `last month`,
 * `last N days` (N days ending today inclusive), `YYYY-MM`, `YYYY-MM-DD`, `YYYY`, month names
 * (`oct`, `october 2026`), quarters (`q3`, `q3 2026`, `2026-q3`), `this quarter`, `last quarter`,
 * `ytd`, `this year`, `last year` and ranges `2026-10-01..2026-10-15` (end day inclusive).
 * A month or quarter without a year is the most recent one that has begun. Never throws.
 */
export function parsePeriodResult(text: string, now: Date): PeriodResult {
  const today = dayNumber(now);
  if (Number.isNaN(today)) return fail('the current time is not a valid date');
  const t = String(text).toLowerCase().trim().replace(/\s+/g, ' ');
  if (t === '') return fail('no period given');
  if (t.length > 40) return fail(`"${t.slice(0, 40)}…" is not a period`);
  for (const parser of PARSERS) {
    const result = parser(t, today);
    if (result) return result;
  }
  return fail(`"${t}" is not a period; try "last month", "2026-10", "q3", "last 7 days" or "mtd"`);
}

type Parser = (t: string, today: number) => PeriodResult | null;

const PARSERS: Parser[] = [
  relativeDay,
  relativeWeek,
  relativeMonth,
  relativeYear,
  lastDays,
  yearCheck,
  isoForms,
  named,
];

/** The years ccost reads; outside them `Date` arithmetic and ISO strings stop being plain. */
export const YEARS = { first: 2000, last: 2999 } as const;

/** Refuses any phrase naming a four-digit year outside {@link YEARS}. */
function yearCheck(t: string): PeriodResult | null {
  for (const match of t.matchAll(/\d{4,}/g)) {
    const y = Number(match[0]);
    if (match[0].length > 4 || y < YEARS.first || y > YEARS.last) {
      return fail(`"${match[0]}" is not a year ccost reads; years run ${YEARS.first} to ${YEARS.last}`);
    }
  }
  return null;
}

function relativeDay(t: string, today: number): PeriodResult | null {
  if (t === 'today') return ok(day(today, 'today'), today);
  if (t === 'yesterday') return ok(day(today - 1, 'yesterday'), today);
  return null;
}

function relativeWeek(t: string, today: number): PeriodResult | null {
  const m = /^(this|last|previous) week$/.exec(t);
  if (!m) return null;
  const monday = today - ((weekday(today) + 6) % 7) - (m[1] === 'this' ? 0 : 7);
  const word = m[1] === 'this' ? 'this week' : 'last week';
  const label = `${word} (${shortSpan(monday, monday + 6)})`;
  return ok({ from: iso(monday), to: iso(monday + 7), label, kind: 'week' }, today);
}

function relativeMonth(t: string, today: number): PeriodResult | null {
  const { y, m } = ymd(today);
  if (t === 'mtd' || t === 'this month' || t === 'month to date') return ok(month(y, m, ' (to date)'), today);
  if (t === 'last month' || t === 'previous month') return ok(month(y, m - 1), today);
  if (t === 'this quarter' || t === 'qtd') return ok(quarter(y, Math.floor((m - 1) / 3) + 1), today);
  if (t === 'last quarter' || t === 'previous quarter') {
    const q = Math.floor((m - 1) / 3);
    return ok(q === 0 ? quarter(y - 1, 4) : quarter(y, q), today);
  }
  return null;
}

function relativeYear(t: string, today: number): PeriodResult | null {
  const { y } = ymd(today);
  if (t === 'ytd' || t === 'this year' || t === 'year to date') return ok(year(y, ' (to date)'), today);
  if (t === 'last year' || t === 'previous year') return ok(year(y - 1), today);
  return null;
}

function lastDays(t: string, today: number): PeriodResult | null {
  const m = /^(?:last|past) (\d+) days?$/.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  if (n < 1) return fail('"last N days" needs N of at least 1');
  if (n > MAX_DAYS) return fail(`"last ${m[1]} days" is too long; at most ${MAX_DAYS} days`);
  const label = n === 1 ? 'last 1 day' : `last ${n} days`;
  return ok({ from: iso(today - n + 1), to: iso(today + 1), label, kind: 'range' }, today);
}

function isoForms(t: string, today: number): PeriodResult | null {
  const range = /^(\d{4}-\d{2}-\d{2}) ?(?:\.\.|to) ?(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range) return dateRange(range[1]!, range[2]!, today);
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const d = parseDate(t);
    return typeof d === 'string' ? fail(d) : ok(day(d), today);
  }
  const mon = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (mon) {
    const m = Number(mon[2]);
    if (m < 1 || m > 12) return fail(`"${t}": there is no month ${m}; months run 01 to 12`);
    return ok(month(Number(mon[1]), m), today);
  }
  if (/^\d{4}$/.test(t)) return ok(year(Number(t)), today);
  return null;
}

function named(t: string, today: number): PeriodResult | null {
  const q = /^(?:q([1-4])(?: (\d{4}))?|(\d{4})[- ]q([1-4]))$/.exec(t);
  if (q) {
    const n = Number(q[1] ?? q[4]);
    const y = q[2] ?? q[3];
    return ok(quarter(y ? Number(y) : recentYear(today, (n - 1) * 3 + 1), n), today);
  }
  if (/^q\d+/.test(t)) return fail(`"${t}": quarters are q1 to q4`);
  const m = /^([a-z]+)\.?(?:,? (\d{4}))?$/.exec(t);
  if (!m) return null;
  const index = monthIndex(m[1]!);
  if (index === null) return null;
  return ok(month(m[2] ? Number(m[2]) : recentYear(today, index), index), today);
}

/** 1-based month for a name or an abbreviation of at least three letters (`sept` too). */
function monthIndex(word: string): number | null {
  if (word.length < 3) return null;
  const i = MONTH_NAMES.findIndex((name) => name.startsWith(word));
  return i < 0 ? null : i + 1;
}

/** The year of the most recent month `m` (1-based) that has begun by `today`. */
function recentYear(today: number, m: number): number {
  const now = ymd(today);
  return m <= now.m ? now.y : now.y - 1;
}

function dateRange(a: string, b: string, today: number): PeriodResult {
  const from = parseDate(a);
  if (typeof from === 'string') return fail(from);
  const to = parseDate(b);
  if (typeof to === 'string') return fail(to);
  if (to < from) return fail(`"${a}..${b}" ends before it starts`);
  const label =
    ymd(from).y === ymd(to).y
      ? `${shortSpan(from, to)}, ${ymd(to).y}`
      : `${day(from).label}–${day(to).label}`;
  return ok({ from: a, to: iso(to + 1), label, kind: 'range' }, today);
}

/** A `YYYY-MM-DD` as a day number, or the reason it is not a real date. */
function parseDate(text: string): number | string {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12) return `"${text}": there is no month ${m}; months run 01 to 12`;
  const last = daysInMonth(y, m);
  if (d < 1 || d > last) return `"${text}": ${MONTH_LABELS[m - 1]} ${y} has days 1 to ${last}`;
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

const MONTH_LABELS = MONTH_NAMES.map((n) => n.charAt(0).toUpperCase() + n.slice(1));

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

type Draft = Omit<PeriodSpec, 'complete'>;

function ok(draft: Draft, today: number): PeriodResult {
  return { ok: true, period: { ...draft, complete: draft.to <= iso(today) } };
}

function fail(reason: string): PeriodResult {
  return { ok: false, reason };
}

function day(n: number, word?: string): Draft {
  const { y, m, d } = ymd(n);
  const date = `${SHORT[m - 1]} ${d}`;
  return { from: iso(n), to: iso(n + 1), label: word ? `${word} (${date})` : `${date}, ${y}`, kind: 'day' };
}

function month(y: number, m: number, suffix = ''): Draft {
  const start = Date.UTC(y, m - 1, 1);
  const end = Date.UTC(y, m, 1);
  const first = new Date(start);
  const label = `${MONTH_LABELS[first.getUTCMonth()]} ${first.getUTCFullYear()}${suffix}`;
  return { from: iso(start / DAY_MS), to: iso(end / DAY_MS), label, kind: 'month' };
}

function quarter(y: number, q: number): Draft {
  const { from } = month(y, (q - 1) * 3 + 1);
  const { to } = month(y, q * 3);
  return { from, to, label: `Q${q} ${y}`, kind: 'quarter' };
}

function year(y: number, suffix = ''): Draft {
  return { from: month(y, 1).from, to: month(y + 1, 1).from, label: `${y}${suffix}`, kind: 'year' };
}

/** "Nov 23–29", "Dec 28–Jan 3" or "Nov 23" for one day. */
function shortSpan(first: number, last: number): string {
  const a = ymd(first);
  const b = ymd(last);
  if (first === last) return `${SHORT[a.m - 1]} ${a.d}`;
  const end = a.m === b.m && a.y === b.y ? `${b.d}` : `${SHORT[b.m - 1]} ${b.d}`;
  return `${SHORT[a.m - 1]} ${a.d}–${end}`;
}

/** Whole days since 1970-01-01 (UTC) of a moment. */
function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function ymd(n: number): { y: number; m: number; d: number } {
  const date = new Date(n * DAY_MS);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(n: number): number {
  return new Date(n * DAY_MS).getUTCDay();
}

function iso(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
