/**
 * The Billing API client (`GET /billing/v1/costs`): one request series per calendar month (the
 * API's longest window), all pages, exact amounts. An expired page token restarts the month.
 */
import { type NormalizedCost, naturalKey, parseCostList } from '../billing/cost.ts';
import { type ApiError, CcostError, ErrorCode } from '../errors/index.ts';
import type { ApiClient } from './http.ts';
import { isTokenRejection, PageTokenRejected, withRestarts } from './page-token.ts';

/** Path of the Costs API. */
export const COSTS_PATH = '/billing/v1/costs';

/** Largest page the Costs API serves (the Confluent CLI asks for it too). */
export const COSTS_PAGE_SIZE = 10_000;

/** How often one month window is restarted after an expired page token before giving up. */
const MAX_RESTARTS = 3;

/** Most pages followed in one pass before ccost assumes the API is looping. */
const MAX_PAGES = 1_000;

/** One request window: start inclusive, end exclusive, both `YYYY-MM-DD` (UTC). */
export interface DateWindow {
  startDate: string;
  endDate: string;
}

/** Options of fetchCosts: `[startDate, endDate)`; `now` decides what "a year back" is. */
export interface FetchCostsOptions extends DateWindow {
  now?: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every cost line of `[startDate, endDate)`, normalized, fetched per calendar month. A start more
 * than one year back is refused (the API keeps one year). Lines are de-duplicated by natural key.
 */
export async function fetchCosts(client: ApiClient, options: FetchCostsOptions): Promise<NormalizedCost[]> {
  checkRange(options, options.now ?? new Date());
  const lines: NormalizedCost[] = [];
  for (const window of monthWindows(options.startDate, options.endDate)) {
    lines.push(...(await fetchWindow(client, window)));
  }
  return lines;
}

/** Splits `[startDate, endDate)` at calendar-month boundaries. */
export function monthWindows(startDate: string, endDate: string): DateWindow[] {
  const windows: DateWindow[] = [];
  let start = startDate;
  while (start < endDate) {
    const next = firstOfNextMonth(start);
    const end = next < endDate ? next : endDate;
    windows.push({ startDate: start, endDate: end });
    start = end;
  }
  return windows;
}

function fetchWindow(client: ApiClient, window: DateWindow): Promise<NormalizedCost[]> {
  const label = `GET ${COSTS_PATH} (${window.startDate}..${window.endDate})`;
  return withRestarts(
    () => fetchPass(client, window, label),
    MAX_RESTARTS,
    `${window.startDate}..${window.endDate}`,
  );
}

/**
 * One pass over the pages of a window, lines keyed by natural key (a later page wins); the
 * lines of a pass interrupted by an expired page token are dropped with it.
 */
async function fetchPass(client: ApiClient, window: DateWindow, label: string): Promise<NormalizedCost[]> {
  const query = { start_date: window.startDate, end_date: window.endDate, page_size: COSTS_PAGE_SIZE };
  const byKey = new Map<string, NormalizedCost>();
  const seen = new Set<string>();
  let target = COSTS_PATH;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const carriesToken = /[?&]page_token=/.test(target);
    let json: unknown;
    try {
      json = await client.getJson(target, query);
    } catch (err) {
      if (isTokenRejection(err) && (carriesToken || mentionsToken(err))) throw new PageTokenRejected(err);
      throw err;
    }
    for (const line of parseCostList(json, page === 1 ? label : `${label} page ${page}`)) {
      byKey.set(naturalKey(line), line);
    }
    const next = (json as { metadata?: { next?: unknown } | null }).metadata?.next;
    if (typeof next !== 'string' || next === '') return [...byKey.values()];
    if (seen.has(next)) break;
    seen.add(next);
    target = next;
  }
  throw new CcostError(ErrorCode.ApiResponseInvalid, `${label}: paging does not end (metadata.next repeats)`);
}

function mentionsToken(err: ApiError): boolean {
  return err.errors.some((e) => /token/i.test(`${e.code ?? ''} ${e.title ?? ''} ${e.detail ?? ''}`));
}

function checkRange(range: DateWindow, now: Date): void {
  for (const [name, value] of [
    ['start date', range.startDate],
    ['end date', range.endDate],
  ] as const) {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new CcostError(ErrorCode.InputInvalid, `billing ${name} must be a date YYYY-MM-DD: ${value}`);
    }
  }
  if (range.endDate <= range.startDate) {
    throw new CcostError(
      ErrorCode.InputInvalid,
      `billing end date ${range.endDate} must be after the start date ${range.startDate} (the end is exclusive)`,
    );
  }
  const earliest = oneYearBefore(now);
  if (range.startDate < earliest) {
    throw new CcostError(
      ErrorCode.InputInvalid,
      `billing start date ${range.startDate} is more than one year back: the Billing API serves costs from ${earliest} on`,
    );
  }
}

/** The same calendar day one year before `now` (UTC); 29 February becomes 28 February. */
export function oneYearBefore(now: Date): string {
  const y = now.getUTCFullYear() - 1;
  const m = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(now.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

function firstOfNextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}
