/** What every insight rule is given, and the shape of a rule. */
import type { PricingOptions } from '../../pricing/options.ts';
import type { Facts, ResourceFact } from '../facts.ts';
import type { Days } from '../measure.ts';
import type { InsightsSettings } from '../settings.ts';
import type { Insight } from '../types.ts';

/** The facts, the thresholds, the prices and the days a rule looks at. */
export interface RuleContext {
  facts: Facts;
  settings: InsightsSettings;
  pricing: PricingOptions;
  /** The question's days (up to yesterday). */
  window: Days;
  /** The last `idle_days` days of the window (may reach before it). */
  lookback: Days;
}

/** One kind of finding. */
export type Rule = (ctx: RuleContext) => Insight[];

/** Resources of some kinds, in key order (deterministic). */
export function resourcesOf(ctx: RuleContext, kinds: string[]): ResourceFact[] {
  return [...ctx.facts.resources.values()]
    .filter((r) => kinds.includes(r.kind))
    .sort((a, b) => a.orgId.localeCompare(b.orgId) || a.id.localeCompare(b.id));
}

/** Number of days in a range. */
export function dayCount(days: Days): number {
  return Math.round((Date.parse(`${days.to}T00:00:00Z`) - Date.parse(`${days.from}T00:00:00Z`)) / 86_400_000);
}
