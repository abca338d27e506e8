import { z } from 'zod';
import { type Catalog, DEFAULT_CATALOG } from './catalog.ts';

/**
 * The pricing section of ccost.yaml, validated here until it joins the main config schema:
 *
 * ```yaml
 * pricing:
 *   overrides:                          # USD unit prices by catalog key, optionally @cloud:region
 *     kafka.dedicated.cku_hour: "2.10"
 *     "connect.task_hour@aws:us-east-1": "0.12"
 *   flink_utilization: 0.5              # share of max_cfu expected in use (default 1 = the ceiling)
 *   usage_profile:                      # usage estimates where ccost does not know the resource
 *     kafka_cluster: { ingress_gb_month: 100, egress_gb_month: 300, storage_gb: 50, ecku: 2 }
 *     connector: { throughput_gb_month: 20 }
 *     cluster_link: { gb_month: 10 }
 *     tableflow_topic: { gb_processed_month: 5 }
 *     resources:                        # per Terraform address, wins over the kind defaults
 *       confluent_kafka_cluster.orders: { ingress_gb_month: 2000 }
 * ```
 */

const decimalText = z
  .union([
    z.number().finite().nonnegative(),
    z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal number'),
  ])
  .transform((v) => String(v));

/** Usage of one resource per month (GB are GiB, as Confluent bills). */
export const usageSchema = z
  .object({
    ingress_gb_month: decimalText,
    egress_gb_month: decimalText,
    storage_gb: decimalText,
    /** Expected eCKUs of a cluster without `max_ecku`. */
    ecku: decimalText,
    throughput_gb_month: decimalText,
    gb_month: decimalText,
    gb_processed_month: decimalText,
  })
  .partial()
  .strict();

/** Usage of a resource, as decimal text per field. */
export type Usage = z.infer<typeof usageSchema>;

/** Usage estimates by resource kind, and per address. */
export const usageProfileSchema = z
  .object({
    kafka_cluster: usageSchema,
    connector: usageSchema,
    cluster_link: usageSchema,
    tableflow_topic: usageSchema,
    resources: z.record(z.string(), usageSchema),
  })
  .partial()
  .strict();

/** A usage profile. */
export type UsageProfile = z.infer<typeof usageProfileSchema>;

/** The `pricing:` section of ccost.yaml. */
export const pricingConfigSchema = z
  .object({
    overrides: z.record(z.string(), decimalText).default({}),
    flink_utilization: decimalText
      .refine((v) => Number(v) > 0 && Number(v) <= 1, 'between 0 (exclusive) and 1')
      .default('1'),
    usage_profile: usageProfileSchema.default({}),
  })
  .strict();

/** The parsed `pricing:` section. */
export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/**
 * An organization's own unit prices from its billing lines (negotiated discounts, regions),
 * keyed like overrides: `kafka.standard.ecku_hour` or `kafka.standard.ecku_hour@aws:eu-west-1`.
 */
export type EffectivePrices = Record<string, { unitPrice: string; basis?: string }>;

/** Everything pricing needs besides the resource. */
export interface PricingOptions {
  catalog: Catalog;
  /** ccost.yaml overrides by catalog key: win over effective and list prices. */
  overrides?: Record<string, string>;
  /** Calibrated prices from the org's billing: win over list prices. */
  effectivePrices?: EffectivePrices;
  usageProfile?: UsageProfile;
  /**
   * Where `usageProfile.resources[address]` came from when not from ccost.yaml, by address: e.g.
   * "observed over the last 30 days (ccost)". Priced usage of these addresses says so.
   */
  usageSources?: Record<string, string>;
  /** Share of a Flink pool's max_cfu expected in use, decimal text in (0, 1]; default "1". */
  flinkUtilization?: string;
}

/** Usage of a resource known from elsewhere than ccost.yaml, and where it came from. */
export interface KnownUsage {
  usage: Usage;
  /** e.g. "observed over the last 30 days (ccost)". */
  source: string;
}

/**
 * Pricing options from a parsed `pricing:` section, the org's effective prices and usage known
 * per Terraform address (observed by ccost). A `usage_profile.resources[address]` of ccost.yaml
 * is an explicit override: it wins over known usage of the same address.
 */
export function pricingOptions(
  config?: PricingConfig,
  effectivePrices?: EffectivePrices,
  knownUsage?: Record<string, KnownUsage>,
): PricingOptions {
  const parsed = pricingConfigSchema.parse(config ?? {});
  const configured = parsed.usage_profile.resources ?? {};
  const known = Object.entries(knownUsage ?? {}).filter(([address]) => !configured[address]);
  const usageProfile =
    known.length > 0
      ? {
          ...parsed.usage_profile,
          resources: { ...Object.fromEntries(known.map(([a, k]) => [a, k.usage])), ...configured },
        }
      : parsed.usage_profile;
  return {
    catalog: DEFAULT_CATALOG,
    overrides: parsed.overrides,
    usageProfile,
    flinkUtilization: parsed.flink_utilization,
    ...(known.length > 0 ? { usageSources: Object.fromEntries(known.map(([a, k]) => [a, k.source])) } : {}),
    ...(effectivePrices ? { effectivePrices } : {}),
  };
}
