/**
 * The one shape every answered question takes, whatever asked it (Slack, the CLI, the API, a
 * digest). Renderers (terminal text, Block Kit, charts) read only this; they never query.
 * Amounts are exact decimal strings (dollars); round only when displaying.
 */
import type { InsightsResult } from '../insights/types.ts';
import type { Question } from './grammar.ts';

/** A closed-open range of whole UTC days with a label for people. */
export interface AnswerPeriod {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Day after the last, YYYY-MM-DD. */
  to: string;
  /** "October 2026", "last 7 days (Nov 16 – Nov 22)". */
  label: string;
  /** False while the period is not over (figures are partial). */
  complete: boolean;
  /**
   * Close state of the months the period touches: `closed` when all are closed, `open` when any
   * has not settled yet, else `provisional`; `mixed` when some are closed and some not.
   */
  state: 'open' | 'provisional' | 'closed' | 'mixed';
  /** Each touched month and its state, oldest first. */
  months: { month: string; state: 'open' | 'provisional' | 'closed' }[];
}

/** One row of a breakdown or ranking. */
export interface AnswerRow {
  /** Id (team name, principal id, product code, resource id, day). */
  key: string;
  /** Display name where known (service account name, cluster name, "Kafka"). */
  name: string | null;
  amount: string;
  /** Share of the answer's total, 0–100 as a decimal string with one decimal; null when the total is 0. */
  percent: string | null;
  /** Why the amount has no team (`unallocated` answers only): fallback reasons, largest first. */
  reasons?: string[];
}

/** A breakdown: the top rows and the rest summed into `other`, so rows + other = total. */
export interface Breakdown {
  /** product, principal, resource, cluster, environment, team, day, line_type */
  dimension: string;
  rows: AnswerRow[];
  /** Sum of the rows not shown; null when every row is shown. */
  other: { count: number; amount: string } | null;
}

/** Something that changed most against the previous period. */
export interface Mover {
  key: string;
  name: string | null;
  /** Dimension of the key (principal, resource, product, team). */
  dimension: string;
  current: string;
  previous: string;
  /** current − previous. */
  delta: string;
}

/** Spend against a monthly budget. */
export interface AnswerBudget {
  monthly: string;
  /** Month-to-date (or whole month) actual. */
  actual: string;
  /** Forecast to the end of the month (run rate); equals actual for a finished month. */
  forecast: string;
  /** forecast / monthly × 100, one decimal. */
  percentOfBudget: string;
  /** under, at_risk (forecast ≥ 80%), over (forecast ≥ 100%) */
  status: 'under' | 'at_risk' | 'over';
  month: string;
}

/** How fresh and how certain the figures are. */
export interface AnswerTrust {
  /** ISO timestamp of the last successful collection of any org in scope; null when never. */
  collectedAt: string | null;
  /** Last day with billing data, YYYY-MM-DD; null when none. */
  dataThrough: string | null;
  /** Unallocated (no team) amount inside the answer's scope or org-wide for org questions. */
  unallocated: string;
  /** unallocated / total × 100, one decimal; null when the total is 0. */
  unallocatedPercent: string | null;
  /** Share of the amount allocated with high confidence, 0–100, one decimal; null when 0 total. */
  highConfidencePercent: string | null;
}

/** Daily series for the chart: stacked by the breakdown's keys, with the previous period as a line. */
export interface AnswerSeries {
  days: string[];
  /** Stack order: largest first; at most 8 series, the rest summed as `other`. */
  series: { key: string; label: string; values: string[] }[];
  /** Day i of the previous period, aligned with day i here. */
  previous: string[];
  /** Daily budget line (monthly budget / days in month) when a team with a budget is asked about. */
  budgetPerDay: string | null;
}

/** A reconciliation status for `reconcile` answers and the monthly digest. */
export interface AnswerReconciliation {
  month: string;
  /** pass, warn, fail, or not_run */
  outcome: 'pass' | 'warn' | 'fail' | 'not_run';
  checks: { name: string; outcome: 'pass' | 'warn' | 'fail' | 'skip'; detail: string }[];
}

/** An answered question. Only `title`, `period` and `total` are always there. */
export interface Answer {
  question: Question;
  /** "Team payments", "Top teams", "Cluster lkc-abc12 (orders-prod)", "Unallocated". */
  title: string;
  period: AnswerPeriod;
  total: string;
  previous: { period: { from: string; to: string; label: string }; total: string } | null;
  breakdown: Breakdown | null;
  movers: Mover[];
  budget: AnswerBudget | null;
  trust: AnswerTrust;
  series: AnswerSeries | null;
  reconciliation: AnswerReconciliation | null;
  /** Sentences worth saying that fit nowhere else ("no allocation for 2026-12 yet"). */
  notes: string[];
  /** `insights` answers only: the findings; `total` is then their estimated monthly saving. */
  insights?: InsightsResult;
}
