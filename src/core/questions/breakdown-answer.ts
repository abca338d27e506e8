/**
 * The one answer builder behind team, compare, budget, top, scope and unallocated questions:
 * a scope of rollup rows, split by one dimension, against the previous equal period.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysOf } from '../calendar/days.ts';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import type { Answer, AnswerRow, AnswerSeries, Breakdown, Mover } from './answer.ts';
import { answerBudget, budgetPerDay } from './budget.ts';
import {
  type DailyCell,
  dailyByKey,
  type KeyTotals,
  percentOf,
  type RowFilter,
  sum,
  totalsByKey,
} from './figures.ts';
import { productLabel } from './format.ts';
import type { Breakdown as BreakdownDimension, Question } from './grammar.ts';
import { displayNames } from './names.ts';
import { answerPeriod, monthsOf } from './period-state.ts';
import { previousRange } from './range.ts';
import { currentRunsBetween } from './runs.ts';
import type { PeriodSpec } from './time.ts';
import { trustOf } from './trust.ts';

/** At most this many stacked series in a chart; the rest is summed as `other`. */
export const MAX_SERIES = 8;

/** What to answer: a scope, a dimension, how many rows and movers, and what to say besides. */
export interface Plan {
  question: Question & { period: PeriodSpec };
  title: string;
  /** The scope without run ids (they come from the period). */
  filter: Omit<RowFilter, 'runIds'>;
  dimension: BreakdownDimension;
  /** Rows shown before the rest becomes `other`. */
  limit: number;
  movers: number;
  /** The team whose budget applies (team, compare and budget questions). */
  budgetTeam?: string;
  notes: string[];
}

/** Builds the answer of a plan at `now`. */
export async function breakdownAnswer(
  store: Store,
  plan: Plan,
  options: { config: Config; now: Date },
): Promise<Answer> {
  const period = plan.question.period;
  const previous = previousRange(period);
  const runs = await currentRunsBetween(store, previous.from, period.to);
  const filter: RowFilter = { ...plan.filter, runIds: runs.map((r) => r.id) };
  const totals = await totalsByKey(store, filter, plan.dimension, period, previous);
  const total = sum(totals.map((t) => t.current));
  const previousTotal = sum(totals.map((t) => t.previous));
  const breakdown = breakdownOf(plan, totals, total);
  // Without any allocation of the previous period a comparison would read as "+100%, all new".
  const comparable = hasHistory(runs, previous.from, period.from);
  // Days of two periods never share a key, so they cannot move.
  const movers = plan.dimension !== 'day' && comparable ? moversOf(plan, totals) : [];
  const names = await displayNames(store, options.config, plan.dimension, [
    ...new Set([...breakdown.rows.map((r) => r.key), ...movers.map((m) => m.key)]),
  ]);
  for (const r of breakdown.rows) r.name = names.get(r.key) ?? null;
  for (const m of movers) m.name = names.get(m.key) ?? null;
  const orgIds = orgsInScope(options.config, runs);
  const budget = plan.budgetTeam ? budgetOf(options, plan.budgetTeam, total, period) : null;
  const series = await seriesOf(store, plan, filter, breakdown, previous.from);
  if (series && budget) series.budgetPerDay = budgetPerDay(budget.monthly, period.from);
  return {
    question: plan.question,
    title: plan.title,
    period: await answerPeriod(store, period, orgIds, options.now),
    total,
    previous: comparable ? { period: previous, total: previousTotal } : null,
    breakdown,
    movers,
    budget,
    trust: await trustOf(store, { filter, days: period, total, orgIds }),
    series,
    reconciliation: null,
    notes: [
      ...plan.notes,
      ...missingRunNotes(period, runs, orgIds, options.now),
      ...(comparable ? [] : [`Nothing is allocated for ${previous.label}, so there is no comparison.`]),
    ],
  };
}

/** The top rows (non-zero this period) and the rest as `other`, so rows + other = total exactly. */
function breakdownOf(plan: Plan, totals: KeyTotals[], total: string): Breakdown {
  const present = totals.filter((t) => !new Decimal(t.current).isZero());
  // Days read in calendar order, every one of them.
  if (plan.dimension === 'day') present.sort((a, b) => a.key.localeCompare(b.key));
  const limit = plan.dimension === 'day' ? present.length : plan.limit;
  const shown = present.slice(0, limit);
  const rest = present.slice(limit);
  const rows: AnswerRow[] = shown.map((t) => ({
    key: t.key,
    name: null,
    amount: new Decimal(t.current).toFixed(),
    percent: percentOf(t.current, total),
  }));
  const other = rest.length === 0 ? null : { count: rest.length, amount: sum(rest.map((t) => t.current)) };
  return { dimension: plan.dimension, rows, other };
}

/** The keys that changed most (by absolute change), largest first. */
function moversOf(plan: Plan, totals: KeyTotals[]): Mover[] {
  return totals
    .map((t) => ({ t, delta: new Decimal(t.current).minus(t.previous) }))
    .filter((x) => !x.delta.isZero())
    .sort((a, b) => b.delta.abs().comparedTo(a.delta.abs()) || a.t.key.localeCompare(b.t.key))
    .slice(0, plan.movers)
    .map(({ t, delta }) => ({
      key: t.key,
      name: null,
      dimension: plan.dimension,
      current: new Decimal(t.current).toFixed(),
      previous: new Decimal(t.previous).toFixed(),
      delta: delta.toFixed(),
    }));
}

/** Movers against a previous period with no allocation at all would only list everything as new. */
function hasHistory(runs: { period: string }[], previousFrom: string, from: string): boolean {
  const first = previousFrom.slice(0, 7);
  const last = addDays(from, -1).slice(0, 7);
  return runs.some((r) => r.period >= first && r.period <= last);
}

function budgetOf(options: { config: Config; now: Date }, team: string, total: string, period: PeriodSpec) {
  const monthly = options.config.teams[team]?.budget?.monthly;
  return monthly ? answerBudget({ monthly, actual: total, period, now: options.now }) : null;
}

/** Daily stacked series by the breakdown's top keys (the rest as `other`), with the previous period. */
async function seriesOf(
  store: Store,
  plan: Plan,
  filter: RowFilter,
  breakdown: Breakdown,
  previousFrom: string,
): Promise<AnswerSeries> {
  const period = plan.question.period;
  const byDay = plan.dimension === 'day';
  const keys = byDay ? [] : breakdown.rows.slice(0, MAX_SERIES).map((r) => r.key);
  const cells = await dailyByKey(store, filter, plan.dimension, keys, { from: previousFrom, to: period.to });
  const days = daysBetween(period.from, period.to);
  const previousDays = daysBetween(previousFrom, period.from);
  const series = keys.map((key) => ({
    key,
    label: labelOf(plan.dimension, key, breakdown),
    values: valuesOf(cells, days, (c) => c.key === key),
  }));
  const rest = valuesOf(cells, days, (c) => c.key === null);
  if (byDay || rest.some((v) => v !== '0')) {
    series.push({ key: byDay ? 'total' : 'other', label: byDay ? 'Total' : 'Other', values: rest });
  }
  const previousValues = valuesOf(cells, previousDays, () => true);
  // Day i of the previous period against day i of this one.
  const previous = days.map((_, i) => previousValues[i] ?? '0');
  return { days, series, previous, budgetPerDay: null };
}

function labelOf(dimension: BreakdownDimension, key: string, breakdown: Breakdown): string {
  if (dimension === 'product') return productLabel(key);
  return breakdown.rows.find((r) => r.key === key)?.name ?? key;
}

function valuesOf(cells: DailyCell[], days: string[], pick: (c: DailyCell) => boolean): string[] {
  const byDay = new Map<string, Decimal>();
  for (const c of cells) {
    if (!pick(c)) continue;
    byDay.set(c.day, (byDay.get(c.day) ?? new Decimal(0)).plus(c.amount));
  }
  return days.map((d) => byDay.get(d)?.toFixed() ?? '0');
}

function daysBetween(from: string, to: string): string[] {
  return daysOf({ from, to });
}

/** Orgs in ccost.yaml and those with allocation runs in the range. */
export function orgsInScope(config: Config, runs: { orgId: string }[]): string[] {
  return [...new Set([...config.organizations.map((o) => o.id), ...runs.map((r) => r.orgId)])].sort();
}

/** "No allocation for 2026-12 yet" for months of the period that have begun but have no current run. */
export function missingRunNotes(
  period: { from: string; to: string; label: string },
  runs: { orgId: string; period: string }[],
  orgIds: string[],
  now: Date,
): string[] {
  if (orgIds.length === 0 || runs.length === 0) {
    return [
      `No allocated costs for ${period.label} yet; run \`ccost collect\` and \`ccost allocate\` first.`,
    ];
  }
  const begun = now.toISOString().slice(0, 7);
  const missing = monthsOf(period).filter(
    (m) => m <= begun && orgIds.some((o) => !runs.some((r) => r.orgId === o && r.period === m)),
  );
  if (missing.length === 0) return [];
  const which =
    missing.length <= 3
      ? missing.join(', ')
      : `${missing.length} of its months (${missing[0]} to ${missing.at(-1)})`;
  return [
    `No allocation for ${which} yet (\`ccost allocate --month ${missing[0]}\`); those days count as zero.`,
  ];
}
