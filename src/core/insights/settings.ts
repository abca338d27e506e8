/**
 * The optional `insights:` section of ccost.yaml: the thresholds that decide what counts as waste.
 * Every value has a default, so the section may be left out entirely.
 *
 * ```yaml
 * insights:
 *   idle_days: 7               # a cluster billed with no bytes for this many days is idle
 *   underused_ratio: 0.5       # capacity needed ÷ capacity billed at or below this is underused
 *   headroom: 2                # capacity needed = busiest day's throughput × headroom
 *   variance_cv: 0.5           # daily cost's standard deviation ÷ mean at or above this is spiky
 *   variance_min_days: 7       # days of cost a variance needs
 *   connector_min_gb_day: 0.1  # a connector moving less than this a day (GB) runs with little throughput
 *   flink_min_cfu: 1           # a Flink pool billed every day at or below this average CFU runs idle
 *   partition_mbps: 1          # throughput one partition carries, for "partitions far above need"
 *   min_monthly: 10            # insights about less than this much a month (USD) are left out
 * ```
 */
import { z } from 'zod';

const decimal = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal')])
  .transform((v) => String(v));

/** The `insights:` section; every key defaults. */
export const insightsConfigSchema = z.strictObject({
  idle_days: z.number().int().min(1).max(90).default(7),
  underused_ratio: decimal.default('0.5'),
  headroom: decimal.default('2'),
  variance_cv: decimal.default('0.5'),
  variance_min_days: z.number().int().min(3).max(366).default(7),
  connector_min_gb_day: decimal.default('0.1'),
  flink_min_cfu: decimal.default('1'),
  partition_mbps: decimal.refine((v) => Number(v) > 0, 'must be above 0').default('1'),
  min_monthly: decimal.default('10'),
});

/** The parsed thresholds. */
export type InsightsSettings = z.infer<typeof insightsConfigSchema>;

/** The defaults, for a config without an `insights:` section. */
export const DEFAULT_INSIGHTS: InsightsSettings = insightsConfigSchema.parse({});

/** The thresholds of a config (which may predate the `insights:` section). */
export function insightsSettings(config: { insights?: InsightsSettings }): InsightsSettings {
  return config.insights ?? DEFAULT_INSIGHTS;
}
