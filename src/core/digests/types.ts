/**
 * What the digest core decides to send: one message per item, each with the key that makes it
 * go out once. Amounts are exact decimal strings; renderers round for display.
 */
import type { InsightsResult } from '../insights/types.ts';
import type { Answer } from '../questions/answer.ts';
import type { BudgetStatus } from '../questions/budget.ts';

/** A key and its exact amount, with a display name where known. */
export interface NamedAmount {
  key: string;
  name: string | null;
  amount: string;
}

/** Fields every scheduled message has. */
export interface MessageBase {
  /** The sent-message key (see sent-messages.ts). */
  key: string;
  channel: string;
}

/** The summary of a settled (or closed) month for finance. */
export interface MonthlyCloseDigest extends MessageBase {
  kind: 'monthly_close';
  orgId: string;
  month: string;
  /** "October 2026". */
  label: string;
  /** provisional: settled but not closed with `ccost close`; closed: frozen. */
  state: 'provisional' | 'closed';
  total: string;
  previousTotal: string;
  /** Every team, largest first, with the previous month's amount. */
  teams: { team: string; amount: string; previous: string }[];
  reconciliation: {
    outcome: 'pass' | 'warn' | 'fail' | 'not_run';
    checks: { name: string; outcome: string }[];
    at: string | null;
  };
  /** Daily cost per team (top 7 and the rest as `other`), for the chart. */
  daily: { days: string[]; series: { key: string; values: string[] }[] };
  /**
   * The answer to `top teams <month>`, what Slack shows, when the month's allocation is this
   * org's alone (answers span every org); null otherwise, and `teams` is shown instead.
   */
  answer: Answer | null;
  /** The month's insights for this org (findings, largest saving first); absent when not looked for. */
  insights?: InsightsResult;
}

/** Last week for one team's channel. */
export interface WeeklyTeamDigest extends MessageBase {
  kind: 'weekly_team';
  team: string;
  teamLabel: string;
  /** ISO week reported, `2026-W45`. */
  week: string;
  from: string;
  to: string;
  label: string;
  total: string;
  previousTotal: string;
  byProduct: NamedAmount[];
  topPrincipals: NamedAmount[];
  /** Month-to-date spend and forecast against the team's monthly budget. */
  budget: (BudgetStatus & { month: string; monthly: string }) | null;
  /** Last day with data in the week; null when none (billing arrives up to 72 hours late). */
  dataThrough: string | null;
}

/** A team's forecast crossed a budget threshold this month. */
export interface BudgetAlert extends MessageBase {
  kind: 'budget_alert';
  team: string;
  teamLabel: string;
  month: string;
  threshold: number;
  /** Lower thresholds crossed at the same time: this message stands for them (their keys). */
  covers: { threshold: number; key: string }[];
  status: BudgetStatus & { monthly: string };
  /** True for the copy sent to the finance channel. */
  finance: boolean;
}

/** A day whose cost jumped against its baseline. */
export interface Anomaly {
  /** `anomaly:<team|resource>:<id>:<day>`. */
  key: string;
  subject: 'team' | 'resource';
  id: string;
  name: string | null;
  day: string;
  amount: string;
  /** Mean daily cost over the baseline days. */
  baseline: string;
  increase: string;
  /** Increase over the baseline, percent with one decimal; null when the baseline is zero. */
  percent: string | null;
  baselineDays: number;
}

/** The day's anomalies for one channel, in one message. */
export interface AnomalySummary extends MessageBase {
  kind: 'anomaly_summary';
  /** The day the summary is for (sending day). */
  day: string;
  anomalies: Anomaly[];
}

/** Anything the digest jobs send. */
export type DigestMessage = MonthlyCloseDigest | WeeklyTeamDigest | BudgetAlert | AnomalySummary;

/** Sent-message kinds, as stored in `sent_messages.kind`. */
export type DigestKind = DigestMessage['kind'] | 'anomaly';
