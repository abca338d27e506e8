import { Decimal } from 'decimal.js';
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { daysOf } from '../calendar/days.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';
import { allocations, principals, resources } from '../storage/schema.ts';
import { currentRunsBetween } from './runs.ts';

/** A period of whole UTC days [from, to) with a human label. */
export interface DayRange {
  from: string;
  to: string;
  label: string;
}

/** One line of a breakdown; amounts exact. */
export interface Amount {
  key: string;
  name?: string | null;
  amount: string;
}

/** What "team X <period>" answers. */
export interface TeamAnswer {
  team: string;
  period: DayRange;
  previous: DayRange;
  total: string;
  previousTotal: string;
  byProduct: Amount[];
  topPrincipals: Amount[];
  /** Daily cost per product over the period, for the chart. */
  daily: { days: string[]; series: { product: string; values: string[] }[]; previous: string[] };
  runIds: string[];
}

const TOP = 5;

/** Answers "team <team> <period>" from the current allocation runs covering the period. */
export async function answerTeam(
  store: Store,
  options: { team: string; period: DayRange; orgId?: string },
): Promise<TeamAnswer> {
  const { team, period } = options;
  const previous = previousRange(period);
  const runs = await currentRunsBetween(store, previous.from, period.to, options.orgId);
  if (runs.length === 0) {
    throw new CcostError(
      ErrorCode.NotFound,
      `no allocated costs for ${period.label}; run \`ccost allocate\` for that month first`,
    );
  }
  const runIds = runs.map((r) => r.id);
  const scope = (range: DayRange) =>
    and(
      inArray(allocations.runId, runIds),
      eq(allocations.team, team),
      gte(allocations.bucket, range.from),
      lt(allocations.bucket, range.to),
    );
  const sum = sql<string>`sum(${allocations.amount})`;
  const daily = await store.db
    .select({ day: allocations.bucket, product: allocations.product, amount: sum })
    .from(allocations)
    .where(scope(period))
    .groupBy(allocations.bucket, allocations.product);
  const previousDaily = await store.db
    .select({ day: allocations.bucket, amount: sum })
    .from(allocations)
    .where(scope(previous))
    .groupBy(allocations.bucket);
  const top = await store.db
    .select({ key: allocations.ownerId, amount: sum })
    .from(allocations)
    .where(scope(period))
    .groupBy(allocations.ownerId)
    .orderBy(desc(sum), allocations.ownerId)
    .limit(TOP);
  return {
    team,
    period,
    previous,
    total: total(daily.map((d) => d.amount)),
    previousTotal: total(previousDaily.map((d) => d.amount)),
    byProduct: byKey(daily.map((d) => ({ key: d.product, amount: d.amount }))),
    topPrincipals: await withNames(store, top),
    daily: dailySeries(period, previous, daily, previousDaily),
    runIds,
  };
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

function total(amounts: string[]): string {
  return amounts.reduce((s, a) => s.plus(a), new Decimal(0)).toFixed();
}

function byKey(rows: { key: string; amount: string }[]): Amount[] {
  const sums = new Map<string, Decimal>();
  for (const r of rows) sums.set(r.key, (sums.get(r.key) ?? new Decimal(0)).plus(r.amount));
  return [...sums]
    .map(([key, amount]) => ({ key, amount: amount.toFixed() }))
    .sort((a, b) => new Decimal(b.amount).comparedTo(a.amount) || a.key.localeCompare(b.key));
}

function dailySeries(
  period: DayRange,
  previous: DayRange,
  daily: { day: string; product: string; amount: string }[],
  previousDaily: { day: string; amount: string }[],
) {
  const days = daysOf(period);
  const products = byKey(daily.map((d) => ({ key: d.product, amount: d.amount }))).map((p) => p.key);
  const cell = new Map(daily.map((d) => [`${d.product}|${d.day}`, new Decimal(d.amount).toFixed()]));
  const prevDays = daysOf(previous);
  const prev = new Map(previousDaily.map((d) => [d.day, new Decimal(d.amount).toFixed()]));
  return {
    days,
    series: products.map((product) => ({
      product,
      values: days.map((day) => cell.get(`${product}|${day}`) ?? '0'),
    })),
    // Day i of this period against day i of the previous one.
    previous: days.map((_, i) => (prevDays[i] ? (prev.get(prevDays[i]!) ?? '0') : '0')),
  };
}

async function withNames(store: Store, rows: { key: string; amount: string }[]): Promise<Amount[]> {
  const ids = rows.map((r) => r.key);
  if (ids.length === 0) return [];
  const names = new Map<string, string | null>();
  const found = [
    ...(await store.db
      .select({ id: principals.id, name: principals.displayName })
      .from(principals)
      .where(inArray(principals.id, ids))),
    ...(await store.db
      .select({ id: resources.id, name: resources.displayName })
      .from(resources)
      .where(inArray(resources.id, ids))),
  ];
  for (const f of found) if (f.name) names.set(f.id, f.name);
  return rows.map((r) => ({
    key: r.key,
    name: names.get(r.key) ?? null,
    amount: new Decimal(r.amount).toFixed(),
  }));
}
