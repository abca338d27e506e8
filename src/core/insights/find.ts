/**
 * `findInsights`: every finding about waste in a period, priced with the catalog, largest saving
 * first. The period is read up to yesterday (today's billing is not in yet); idle checks look at
 * the last `insights.idle_days` days of it, even when the period itself is shorter.
 */
import { Decimal } from 'decimal.js';
import { addDays } from '../calendar/days.ts';
import type { Config } from '../config/schema.ts';
import { pricingOptions } from '../pricing/options.ts';
import { currentRunsBetween } from '../questions/runs.ts';
import type { Store } from '../storage/database.ts';
import { loadFacts } from './facts.ts';
import type { Days } from './measure.ts';
import { cents } from './pricing.ts';
import { excessPartitions, idleClusters, underusedClusters } from './rules/clusters.ts';
import type { Rule, RuleContext } from './rules/context.ts';
import { highVariance, unownedSpend } from './rules/spend.ts';
import { idleConnectors, idleFlinkPools } from './rules/workloads.ts';
import { type InsightsSettings, insightsSettings } from './settings.ts';
import type { Insight, InsightKind, InsightsResult } from './types.ts';

/** What to look at. */
export interface FindInsightsOptions {
  config: Config;
  now: Date;
  /** Days [from, to). */
  period: { from: string; to: string };
  /** Only findings with a part of this team's cost (case-insensitive). */
  team?: string;
  /** Only findings about these teams (a viewer who may not see every team). */
  teams?: string[];
  /** Only findings of this organization (the monthly close digest is per org). */
  orgId?: string;
}

/** Every rule, in the order findings of equal saving are listed. */
const RULES: Rule[] = [
  idleClusters,
  underusedClusters,
  excessPartitions,
  idleConnectors,
  idleFlinkPools,
  highVariance,
  unownedSpend,
];

/** Kinds whose saving is the point; below `min_monthly` saving they are noise. */
const PRICED: InsightKind[] = [
  'idle_cluster',
  'underused_capacity',
  'excess_partitions',
  'idle_connector',
  'idle_flink_pool',
];

/** Finds the insights of a period (see the file comment). */
export async function findInsights(store: Store, options: FindInsightsOptions): Promise<InsightsResult> {
  const settings = insightsSettings(options.config);
  const window = readableDays(options.period, options.now);
  if (window.from >= window.to)
    return { ...window, insights: [], totalSaving: '0.00', notes: ['The period has no complete day yet.'] };
  const lookback = { from: addDays(window.to, -settings.idle_days), to: window.to };
  const runIds = (await currentRunsBetween(store, window.from, window.to)).map((r) => r.id);
  const facts = await loadFacts(store, window, lookback.from, runIds);
  const ctx: RuleContext = {
    facts,
    settings,
    pricing: pricingOptions(options.config.pricing),
    window,
    lookback,
  };
  const found = RULES.flatMap((rule) => rule(ctx));
  const insights = sortInsights(scoped(worthSaying(withoutOverlap(found), settings), options));
  return { ...window, insights, totalSaving: totalOf(insights), notes: notesOf(runIds, settings) };
}

/** The period up to yesterday (UTC). */
function readableDays(period: Days, now: Date): Days {
  const today = now.toISOString().slice(0, 10);
  return { from: period.from, to: period.to < today ? period.to : today };
}

/** An idle cluster's saving already covers its capacity and partitions. */
function withoutOverlap(insights: Insight[]): Insight[] {
  const idle = new Set(
    insights.filter((i) => i.kind === 'idle_cluster').map((i) => `${i.orgId}|${i.subjectId}`),
  );
  return insights.filter(
    (i) =>
      !idle.has(`${i.orgId}|${i.subjectId}`) ||
      (i.kind !== 'underused_capacity' && i.kind !== 'excess_partitions'),
  );
}

/** Drops findings under `min_monthly`: by saving where one is priced, else by monthly cost. */
function worthSaying(insights: Insight[], settings: InsightsSettings): Insight[] {
  return insights.filter((i) =>
    new Decimal(PRICED.includes(i.kind) ? i.saving : i.monthlyCost).gte(settings.min_monthly),
  );
}

function scoped(insights: Insight[], options: FindInsightsOptions): Insight[] {
  const lower = (t: string) => t.toLowerCase();
  const team = options.team ? lower(options.team) : undefined;
  const visible = options.teams?.map(lower);
  return insights.filter(
    (i) =>
      (!options.orgId || i.orgId === options.orgId) &&
      (!team || i.teams.some((t) => lower(t) === team)) &&
      (!visible || i.teams.some((t) => visible.includes(lower(t)))),
  );
}

/** Largest saving first, then largest monthly cost, then kind, org and subject. */
export function sortInsights(insights: Insight[]): Insight[] {
  const order = (k: InsightKind) => RULE_ORDER.indexOf(k);
  return [...insights].sort(
    (a, b) =>
      new Decimal(b.saving).comparedTo(a.saving) ||
      new Decimal(b.monthlyCost).comparedTo(a.monthlyCost) ||
      order(a.kind) - order(b.kind) ||
      a.orgId.localeCompare(b.orgId) ||
      a.subjectId.localeCompare(b.subjectId),
  );
}

const RULE_ORDER: InsightKind[] = [...PRICED, 'high_variance', 'unowned_spend'];

function totalOf(insights: Insight[]): string {
  return cents(insights.reduce((s, i) => s.plus(i.saving), new Decimal(0)));
}

function notesOf(runIds: string[], settings: InsightsSettings): string[] {
  const notes = [
    `Idle: billed with no bytes for ${settings.idle_days} days · underused: needs ≤ ${settings.underused_ratio}× the capacity billed (${settings.headroom}× headroom) · savings from the price catalog, per month of 730 hours.`,
  ];
  if (runIds.length === 0)
    notes.push('No allocation for the period yet: teams and unowned spend are not known (`ccost allocate`).');
  return notes;
}
