/**
 * The shape of an explained figure, whatever renders it (terminal, Block Kit, JSON). Amounts are
 * exact decimal strings; every list of children sums exactly to the figure it explains.
 */

/** Where a drill-down stands: a team's period, optionally one resource, one day, one billing line. */
export interface DrillState {
  team: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Day after the last, YYYY-MM-DD. */
  to: string;
  /** Resource id, or `(none)` for lines without one (Support, credits). */
  resource?: string;
  /** A billing line id. */
  line?: number;
  /** One day (with a resource): the team's lines on that resource that day. */
  day?: string;
}

/** The four levels, coarsest first. */
export type ExplainLevel = 'team' | 'resource' | 'line' | 'day';

/** The run(s) the figure comes from. */
export interface ExplainRun {
  id: string;
  orgId: string;
  period: string;
  ruleSetHash: string;
  codeVersion: string | null;
  createdAt: string;
  /** False when ccost.yaml's rules or teams changed since this run. */
  rulesCurrent: boolean;
}

/** Part of an amount allocated one way. */
export interface MethodPart {
  method: string;
  confidence: string;
  /** Why a fallback was taken; null when the rule's own method applied. */
  fallbackReason: string | null;
  amount: string;
  lines: number;
}

/** One product and line type: the team's amount, the billed lines behind it and how it was split. */
export interface LineTypeSection {
  product: string;
  lineType: string;
  amount: string;
  lines: number;
  /** Σ of the billed amounts of those lines (every team's part). */
  billed: string;
  /** amount / billed × 100, two decimals; null when nothing was billed. */
  sharePercent: string | null;
  methods: MethodPart[];
}

/** Bytes one principal moved on a resource on one day. */
export interface UsageFigure {
  principal: string;
  name: string | null;
  team: string | null;
  writeBytes: string;
  readBytes: string;
}

/** One child of the explained figure: a resource, a billing line, or an owner of a line. */
export interface ExplainChild {
  kind: 'resource' | 'line' | 'owner';
  key: string;
  name: string | null;
  amount: string;
  /** The billed lines behind it (resources, lines). */
  lines?: number;
  billed?: string;
  day?: string;
  product?: string;
  lineType?: string;
  method?: string;
  confidence?: string;
  fallbackReason?: string | null;
  /** amount / billed × 100 (lines), two decimals. */
  sharePercent?: string | null;
  /** The owner's usage share of the line, 0–1 as stored (owners). */
  usageShare?: string;
  usage?: UsageFigure;
  /** Where clicking it goes; null at the bottom. */
  next: DrillState | null;
}

/** Something that would change the figure, with the amount at stake. */
export interface ChangeHint {
  kind: 'unmapped_owners' | 'metrics_missing' | 'rules_changed' | 'billing_changed' | 'fallback';
  text: string;
  amount: string | null;
}

/** One billing line in full (line level). */
export interface LineDetail {
  id: number;
  orgId: string;
  day: string;
  product: string;
  lineType: string;
  resourceId: string | null;
  resourceName: string | null;
  environmentId: string | null;
  quantity: string | null;
  unit: string | null;
  price: string | null;
  /** The billed amount the run split (after discounts). */
  billed: string;
  /** The billed amount now, when it changed after the run. */
  billedNow: string | null;
  /** The rule that decides the line under today's ccost.yaml, e.g. `default: usage of write bytes`. */
  rule: string;
  /** Every team's part of the line, largest first (sums to `billed`). */
  teams: { team: string; amount: string }[];
  /** Whether metrics were collected for the line's resource that day: ok, failed, or not collected. */
  metrics: 'ok' | 'failed' | 'not collected' | 'not needed';
}

/** An explained figure at one level of the drill-down. */
export interface Explanation {
  level: ExplainLevel;
  state: DrillState;
  /** The level above, for "back"; null at the team level. */
  parent: DrillState | null;
  title: string;
  period: { from: string; to: string; label: string };
  /** The figure explained: the team's amount at this level. */
  total: string;
  /** The billed lines behind it: how many and their billed total (every team's part). */
  billed: { lines: number; amount: string };
  /** total / billed × 100, two decimals; null when nothing was billed. */
  sharePercent: string | null;
  sections: LineTypeSection[];
  /** Σ by method over all sections. */
  methods: MethodPart[];
  confidence: { high: string; medium: string; low: string };
  runs: ExplainRun[];
  changes: ChangeHint[];
  childKind: ExplainChild['kind'] | null;
  /** Sums exactly to `total`. */
  children: ExplainChild[];
  line: LineDetail | null;
  /** At the line level: the team's lines on the line's resource that day (the day level). */
  dayState: DrillState | null;
  /** Usage on the resource that day (line and day levels). */
  usage: UsageFigure[];
  notes: string[];
}
