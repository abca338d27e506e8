/**
 * The monthly close summary: once the previous month's settling window has passed, one message
 * per org to the finance channel with totals per team, month over month, the reconciliation
 * status and whether the month is closed or still provisional.
 */
import { Decimal } from 'decimal.js';
import { and, desc, eq } from 'drizzle-orm';
import { lastMonth } from '../allocation/period.ts';
import { daysOf } from '../calendar/days.ts';
import { stateOf } from '../close/periods.ts';
import type { Config } from '../config/schema.ts';
import { findInsights } from '../insights/find.ts';
import type { Answer } from '../questions/answer.ts';
import { answer } from '../questions/answer-query.ts';
import { MAX_TOP, type TopQuestion } from '../questions/grammar.ts';
import { currentRunsBetween } from '../questions/runs.ts';
import type { Store } from '../storage/database.ts';
import { periodCloses, reconciliations } from '../storage/schema.ts';
import { monthEnd, monthLabel } from './calendar.ts';
import { costsBy, dailyCostsBy } from './costs.ts';
import { takenKeys } from './sent-messages.ts';
import type { MonthlyCloseDigest } from './types.ts';

const CHART_SERIES = 7;

/** `monthly_close:<org>:<YYYY-MM>`. */
export function monthlyCloseKey(orgId: string, month: string): string {
  return `monthly_close:${orgId}:${month}`;
}

/** Where the monthly close goes: its own channel, else the finance channel; null when neither is set. */
export function monthlyCloseChannel(config: Config): string | null {
  return config.digests.monthly_close.channel ?? config.slack.finance_channel ?? null;
}

/**
 * The monthly close digests due at `now`: last month's, per org with an allocation, once the
 * settling window (periods.ts SETTLING_HOURS) has passed and until sent.
 */
export async function dueMonthlyCloses(
  store: Store,
  config: Config,
  now: Date,
): Promise<MonthlyCloseDigest[]> {
  const channel = monthlyCloseChannel(config);
  if (!config.digests.monthly_close.enabled || !channel) return [];
  const month = lastMonth(now);
  const runs = await currentRunsBetween(store, month.from, month.to);
  const orgs = [...new Set(runs.map((r) => r.orgId))];
  const taken = await takenKeys(
    store,
    orgs.map((org) => monthlyCloseKey(org, month.month)),
  );
  const due: MonthlyCloseDigest[] = [];
  for (const orgId of orgs) {
    const key = monthlyCloseKey(orgId, month.month);
    if (taken.has(key)) continue;
    const closed = await isClosed(store, orgId, month.month);
    const state = stateOf(month.month, now, closed);
    if (!state.settled && !closed) continue;
    const digest = await buildMonthlyClose(store, { orgId, month: month.month, key, channel, closed });
    if (orgs.length === 1) digest.answer = await topTeamsAnswer(store, config, month.month, now);
    digest.insights = await findInsights(store, { config, now, period: month, orgId });
    due.push(digest);
  }
  return due;
}

/** Builds the digest of one org's month (whether or not it is due). */
export async function buildMonthlyClose(
  store: Store,
  options: { orgId: string; month: string; key: string; channel: string; closed: boolean },
): Promise<MonthlyCloseDigest> {
  const { orgId, month } = options;
  const previousMonth = lastMonth(new Date(`${month}-01T00:00:00Z`));
  const range = { from: `${month}-01`, to: monthEnd(month), orgId };
  const [current, previous, daily, reconciliation] = await Promise.all([
    costsBy(store, range, 'team'),
    costsBy(store, { from: previousMonth.from, to: previousMonth.to, orgId }, 'team'),
    dailyCostsBy(store, range, 'team'),
    latestReconciliation(store, orgId, month),
  ]);
  const previousByTeam = new Map(previous.map((p) => [p.key, p.amount]));
  return {
    kind: 'monthly_close',
    key: options.key,
    channel: options.channel,
    orgId,
    month,
    label: monthLabel(month),
    state: options.closed ? 'closed' : 'provisional',
    total: sum(current.map((c) => c.amount)),
    previousTotal: sum(previous.map((p) => p.amount)),
    teams: current.map((c) => ({
      team: c.key,
      amount: c.amount,
      previous: previousByTeam.get(c.key) ?? '0',
    })),
    reconciliation,
    daily: dailySeries(range, current, daily),
    answer: null,
  };
}

/** The answer to `top teams <month>` (every team), as /ccost would give it. */
export async function topTeamsAnswer(
  store: Store,
  config: Config,
  month: string,
  now: Date,
): Promise<Answer> {
  const question: TopQuestion = {
    kind: 'top',
    dimension: 'team',
    limit: MAX_TOP,
    period: {
      from: `${month}-01`,
      to: monthEnd(month),
      label: monthLabel(month),
      complete: true,
      kind: 'month',
    },
    periodDefaulted: false,
    share: false,
  };
  return answer(store, question, { config, now });
}

function sum(amounts: string[]): string {
  return amounts.reduce((s, a) => s.plus(a), new Decimal(0)).toFixed();
}

async function isClosed(store: Store, orgId: string, month: string): Promise<boolean> {
  const rows = await store.db
    .select({ runId: periodCloses.runId })
    .from(periodCloses)
    .where(and(eq(periodCloses.orgId, orgId), eq(periodCloses.period, month)));
  return rows.length > 0;
}

/** The latest reconciliation of the month: pass when no check warned or failed; not_run when none. */
async function latestReconciliation(
  store: Store,
  orgId: string,
  month: string,
): Promise<MonthlyCloseDigest['reconciliation']> {
  const [row] = await store.db
    .select()
    .from(reconciliations)
    .where(and(eq(reconciliations.orgId, orgId), eq(reconciliations.period, month)))
    .orderBy(desc(reconciliations.createdAt))
    .limit(1);
  if (!row) return { outcome: 'not_run', checks: [], at: null };
  const checks = (
    (row.result as { checks?: { title?: string; id?: string; status?: string }[] }).checks ?? []
  ).map((c) => ({ name: c.title ?? c.id ?? 'check', outcome: c.status ?? 'unknown' }));
  const outcome = checks.some((c) => c.outcome === 'fail')
    ? 'fail'
    : checks.some((c) => c.outcome === 'warn')
      ? 'warn'
      : 'pass';
  return { outcome: row.passed ? outcome : 'fail', checks, at: row.createdAt.toISOString() };
}

function dailySeries(
  range: { from: string; to: string },
  teams: { key: string }[],
  daily: { day: string; key: string; amount: string }[],
): MonthlyCloseDigest['daily'] {
  const days = daysOf(range);
  const shown = teams.slice(0, CHART_SERIES).map((t) => t.key);
  const index = new Map(days.map((d, i) => [d, i]));
  const values = new Map<string, Decimal[]>();
  const line = (key: string) => {
    if (!values.has(key))
      values.set(
        key,
        days.map(() => new Decimal(0)),
      );
    return values.get(key)!;
  };
  for (const key of shown) line(key);
  for (const row of daily) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    const key = shown.includes(row.key) ? row.key : 'other';
    const series = line(key);
    series[i] = series[i]!.plus(row.amount);
  }
  return {
    days,
    series: [...values.entries()].map(([key, v]) => ({ key, values: v.map((d) => d.toFixed()) })),
  };
}
