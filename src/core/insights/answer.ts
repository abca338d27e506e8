/**
 * `insights [team] [period]` as an {@link Answer}: the findings in `answer.insights`, their total
 * estimated monthly saving as the answer's total. Without a period it reads the last 30 complete
 * days, so early in a month there is still enough to judge by.
 */
import { addDays } from '../calendar/days.ts';
import type { Config } from '../config/schema.ts';
import type { Answer } from '../questions/answer.ts';
import type { InsightsQuestion } from '../questions/grammar.ts';
import { answerPeriod } from '../questions/period-state.ts';
import { currentRunsBetween } from '../questions/runs.ts';
import type { PeriodSpec } from '../questions/time.ts';
import { freshness } from '../questions/trust.ts';
import type { Store } from '../storage/database.ts';
import { findInsights } from './find.ts';
import { formatInsights } from './format.ts';

/** Days read when a question names no period. */
export const DEFAULT_DAYS = 30;

/** Options of {@link insightsAnswer}: who is asked about (already resolved and allowed). */
export interface InsightsAnswerOptions {
  config: Config;
  now: Date;
  /** The team asked about, as configured. */
  team?: string;
  /** A viewer's teams, when they may not see every team. */
  teams?: string[];
  /** Notes to carry (a restricted viewer's). */
  notes?: string[];
}

/** Answers an insights question. */
export async function insightsAnswer(
  store: Store,
  question: InsightsQuestion,
  options: InsightsAnswerOptions,
): Promise<Answer> {
  const period = question.periodDefaulted ? lastDays(options.now) : question.period;
  const result = await findInsights(store, {
    config: options.config,
    now: options.now,
    period,
    ...(options.team ? { team: options.team } : {}),
    ...(options.teams ? { teams: options.teams } : {}),
  });
  const orgIds = [...new Set((await currentRunsBetween(store, period.from, period.to)).map((r) => r.orgId))];
  return {
    question,
    title: options.team ? `Insights for team ${options.team}` : 'Insights',
    period: await answerPeriod(store, period, orgIds, options.now),
    total: result.totalSaving,
    previous: null,
    breakdown: null,
    movers: [],
    budget: null,
    trust: {
      ...(await freshness(store, orgIds)),
      unallocated: '0',
      unallocatedPercent: null,
      highConfidencePercent: null,
    },
    series: null,
    reconciliation: null,
    notes: options.notes ?? [],
    insights: result,
  };
}

/** The last {@link DEFAULT_DAYS} complete days before `now`. */
export function lastDays(now: Date): PeriodSpec {
  const today = now.toISOString().slice(0, 10);
  return {
    from: addDays(today, -DEFAULT_DAYS),
    to: today,
    label: `last ${DEFAULT_DAYS} days`,
    complete: true,
    kind: 'range',
  };
}

/** The terminal text of an insights answer: the findings, then the answer's own notes. */
export function formatInsightsAnswer(answer: Answer): string {
  if (!answer.insights) return '';
  const scope = `${answer.title === 'Insights' ? '' : `${answer.title.replace(/^Insights for /, '')}, `}${answer.period.label}`;
  const text = formatInsights(answer.insights, scope);
  return answer.notes.length > 0 ? `${text}${answer.notes.join('\n')}\n` : text;
}
