/**
 * `reconcile 2026-10`: the month's latest stored reconciliation of each org (see
 * src/core/reconcile), as an answer. Nothing is recomputed here; a month never reconciled is
 * `not_run` with the command that runs it.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { CheckResult } from '../reconcile/checks.ts';
import type { Store } from '../storage/database.ts';
import type { Answer, AnswerReconciliation } from './answer.ts';
import { orgsInScope } from './breakdown-answer.ts';
import { type RowFilter, rollupTable, sum, whereOf } from './figures.ts';
import type { ReconcileQuestion } from './grammar.ts';
import { answerPeriod, monthsOf } from './period-state.ts';
import { currentRunsBetween } from './runs.ts';
import { trustOf } from './trust.ts';

type CheckOutcome = AnswerReconciliation['checks'][number]['outcome'];

/**
 * Answers a reconcile question for one month: the month named, or the last month of a longer
 * period. `teams` restricts the total (and hides check details) for a viewer of some teams.
 */
export async function reconcileAnswer(
  store: Store,
  question: ReconcileQuestion,
  options: { config: Config; now: Date; teams?: string[]; notes: string[] },
): Promise<Answer> {
  const months = monthsOf(question.period);
  const month = months.at(-1)!;
  const notes = [...options.notes];
  if (months.length > 1)
    notes.push(`Reconciliation is per month; this is ${month}, the last month of ${question.period.label}.`);
  const days = { from: `${month}-01`, to: monthAfter(month) };
  const runs = await currentRunsBetween(store, days.from, days.to);
  const orgIds = orgsInScope(options.config, runs);
  const filter: RowFilter = {
    runIds: runs.map((r) => r.id),
    ...(options.teams ? { teams: options.teams } : {}),
  };
  const total = await totalOf(store, filter, days);
  const stored = await latestReconciliations(store, month, orgIds);
  const reconciliation = reconciliationOf(month, stored, orgIds.length > 1, Boolean(options.teams));
  if (reconciliation.outcome === 'not_run') {
    const org = orgIds[0] ?? '<org>';
    notes.push(`${month} has not been reconciled; run \`ccost reconcile --org ${org} --month ${month}\`.`);
  }
  const label = new Date(`${days.from}T00:00:00Z`).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const period = {
    ...question.period,
    ...days,
    label,
    kind: 'month' as const,
    complete: days.to <= today(options.now),
  };
  return {
    question,
    title: `Reconciliation ${month}`,
    period: await answerPeriod(store, period, orgIds, options.now),
    total,
    previous: null,
    breakdown: null,
    movers: [],
    budget: null,
    trust: await trustOf(store, { filter, days, total, orgIds }),
    series: null,
    reconciliation,
    notes,
  };
}

async function totalOf(store: Store, filter: RowFilter, days: { from: string; to: string }): Promise<string> {
  const rows = await store.query<{ amount: string }>(
    sql`select coalesce(sum(amount), 0)::text as amount from ${rollupTable(filter)} where ${whereOf(filter, days)}`,
  );
  return sum(rows.map((r) => r.amount));
}

interface Stored {
  orgId: string;
  checks: CheckResult[];
}

/** The latest reconciliation of the month of each org. */
async function latestReconciliations(store: Store, month: string, orgIds: string[]): Promise<Stored[]> {
  if (orgIds.length === 0) return [];
  const rows = await store.query<{ org_id: string; result: { checks?: CheckResult[] } | string }>(sql`
    select distinct on (org_id) org_id, result from reconciliations
    where period = ${month} and org_id in (${sql.join(
      orgIds.map((o) => sql`${o}`),
      sql`, `,
    )})
    order by org_id, created_at desc`);
  // jsonb arrives parsed from postgres-js and PGlite alike; a string is parsed defensively.
  return rows.map((r) => {
    const result = typeof r.result === 'string' ? JSON.parse(r.result) : r.result;
    return { orgId: r.org_id, checks: Array.isArray(result?.checks) ? result.checks : [] };
  });
}

function reconciliationOf(
  month: string,
  stored: Stored[],
  manyOrgs: boolean,
  hideDetails: boolean,
): AnswerReconciliation {
  if (stored.length === 0) return { month, outcome: 'not_run', checks: [] };
  const checks = stored.flatMap((s) =>
    s.checks.map((c) => ({
      name: manyOrgs ? `${s.orgId}: ${c.title}` : c.title,
      outcome: outcomeOf(c.status),
      detail: hideDetails ? '' : detailOf(c),
    })),
  );
  const outcome = checks.some((c) => c.outcome === 'fail')
    ? 'fail'
    : checks.some((c) => c.outcome === 'warn')
      ? 'warn'
      : 'pass';
  return { month, outcome, checks };
}

/** `info` checks inform and neither pass nor fail; they show as skipped. */
function outcomeOf(status: CheckResult['status']): CheckOutcome {
  return status === 'info' ? 'skip' : status;
}

/** "billing lines 33.00 vs allocations 33.00 (difference 0); first finding". */
function detailOf(c: CheckResult): string {
  const sides =
    c.left && c.right ? `${c.left.label} ${c.left.value} vs ${c.right.label} ${c.right.value}` : '';
  const difference = c.difference !== undefined && sides ? ` (difference ${c.difference})` : '';
  return [sides + difference, c.details[0]].filter(Boolean).join('; ');
}

function monthAfter(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}
