/**
 * What insights are: one finding each about a resource (or an owner nobody maps), with its
 * monthly cost, the figures that show it, and the estimated monthly saving. Amounts are exact
 * decimal text in USD; monthly figures are rounded half-even to the cent.
 */

/** The kinds of finding, in the order they are explained in the README. */
export type InsightKind =
  | 'idle_cluster'
  | 'underused_capacity'
  | 'high_variance'
  | 'idle_connector'
  | 'idle_flink_pool'
  | 'excess_partitions'
  | 'unowned_spend';

/** One figure behind a finding: "bytes in the last 7 days: 0". */
export interface InsightEvidence {
  label: string;
  value: string;
}

/** One finding. */
export interface Insight {
  kind: InsightKind;
  /** Organization of the resource or owner. */
  orgId: string;
  /** Resource id (lkc-…, lcc-…, lfcp-…) or, for unowned spend, the owner id. */
  subjectId: string;
  /** Display name where known. */
  subjectName: string | null;
  /** The team carrying most of the cost (`unowned` for unowned spend); null when none. */
  team: string | null;
  /** Every team with a part of the cost. */
  teams: string[];
  /** One sentence for people: what was found. */
  summary: string;
  /** What to do about it. */
  action: string;
  /** Cost of the subject in the insight's window, exact. */
  cost: string;
  /** That cost as a month (730 hours), to the cent. */
  monthlyCost: string;
  /** Estimated monthly saving from the price catalog, to the cent; "0" when none is estimated. */
  saving: string;
  /** How the saving was estimated (catalog keys and unit prices), or why there is none. */
  savingBasis: string;
  evidence: InsightEvidence[];
}

/** The result of findInsights: the findings, largest saving first, and the window they read. */
export interface InsightsResult {
  /** First day read, YYYY-MM-DD. */
  from: string;
  /** Day after the last day read. */
  to: string;
  insights: Insight[];
  /** Σ saving of the insights, to the cent. */
  totalSaving: string;
  /** Things worth saying: nothing allocated yet, thresholds used. */
  notes: string[];
}
