/**
 * Confluent Cloud list prices (USD, pay-as-you-go, AWS us-east-type regions), one entry per
 * billing dimension, each with its source, date and confidence. Seeded from
 * shared/reference/confluent-cloud-apis.md §5; a null price means no list price is published in
 * the sources we have — resources that need it are "not estimated" unless an effective price or a
 * ccost.yaml override supplies one. Bump CATALOG_VERSION on every price change.
 */
export const CATALOG_VERSION = '2026-10-01.1';

/** Hours in a month as Confluent's estimates count them (8760 / 12). */
export const HOURS_PER_MONTH = '730';

/** How far a price can be trusted. */
export type Confidence = 'high' | 'medium' | 'low';

/** One priced billing dimension. */
export interface CatalogEntry {
  /** Stable key, used by effective prices and overrides: `kafka.standard.ecku_hour`. */
  key: string;
  /** What is billed, for people. */
  what: string;
  /** Billing unit: `eCKU-hour`, `GB`, `GB-month`, … */
  unit: string;
  /** Costs API line type the dimension bills as (for calibration from billing lines). */
  lineType: string;
  /** Unit price in USD as exact decimal text, or null when no list price is published. */
  unitPrice: string | null;
  /** Where the price comes from. */
  source: string;
  /** When the source was read (YYYY-MM). */
  asOf: string;
  confidence: Confidence;
  /** Caveats worth showing next to the number. */
  note?: string;
}

/** The catalog and its version. */
export interface Catalog {
  version: string;
  /** Regions the list prices are for; elsewhere they apply with one step lower confidence. */
  baseRegions: string[];
  /** Per-region multipliers (`aws:eu-west-1` → "1.1") where a source publishes them. */
  regionMultipliers: Record<string, { multiplier: string; source: string; confidence: Confidence }>;
  entries: Record<string, CatalogEntry>;
}

const PRICING_PAGE = 'confluent.io/confluent-cloud/pricing, quoted by independent third-party notes';
const REF = 'shared/reference/confluent-cloud-apis.md §5';
const THIRD_PARTY = 'third-party pricing summaries (2026)';

const entries: CatalogEntry[] = [
  // Kafka clusters: capacity.
  {
    key: 'kafka.basic.ecku_hour',
    what: 'Basic eCKU (first eCKU free)',
    unit: 'eCKU-hour',
    lineType: 'KAFKA_NUM_CKUS',
    unitPrice: '0.14',
    source: `${PRICING_PAGE}; ${REF}`,
    asOf: '2026-10',
    confidence: 'high',
  },
  {
    key: 'kafka.standard.ecku_hour',
    what: 'Standard eCKU',
    unit: 'eCKU-hour',
    lineType: 'KAFKA_NUM_CKUS',
    unitPrice: '0.75',
    source: `${PRICING_PAGE}; ${REF}`,
    asOf: '2026-10',
    confidence: 'high',
  },
  {
    key: 'kafka.enterprise.ecku_hour',
    what: 'Enterprise eCKU',
    unit: 'eCKU-hour',
    lineType: 'KAFKA_NUM_CKUS',
    unitPrice: '2.25',
    source: `${THIRD_PARTY}; ${REF}`,
    asOf: '2026-10',
    confidence: 'medium',
    note: 'quoted as $1.75–2.25; the upper bound is used so a change is not under-stated',
  },
  {
    key: 'kafka.freight.ecku_hour',
    what: 'Freight eCKU (minimum 2)',
    unit: 'eCKU-hour',
    lineType: 'KAFKA_NUM_CKUS',
    unitPrice: '2.25',
    source: `one third-party note, internally inconsistent; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  {
    key: 'kafka.dedicated.cku_hour',
    what: 'Dedicated CKU',
    unit: 'CKU-hour',
    lineType: 'KAFKA_NUM_CKUS',
    unitPrice: '2.66',
    source: `one third-party source (another says no per-CKU rate is published); ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
    note: 'Dedicated pricing is usually negotiated: calibrate from billing lines or override',
  },
  // Kafka clusters: network (ingress + egress, per GB) and storage (per GB-month).
  ...(['basic', 'standard', 'enterprise', 'freight', 'dedicated'] as const).flatMap(
    (type): CatalogEntry[] => {
      const network: Record<string, [string, string, Confidence]> = {
        basic: ['0.05', `${PRICING_PAGE}; ${REF}`, 'high'],
        standard: ['0.05', `${THIRD_PARTY} ($0.035–0.05, upper bound); ${REF}`, 'medium'],
        enterprise: ['0.05', `${THIRD_PARTY} ($0.014–0.05, upper bound); ${REF}`, 'medium'],
        freight: ['0.05', `assumed equal to Standard (no published rate); ${REF}`, 'low'],
        dedicated: ['0.05', `assumed equal to Standard (no published rate); ${REF}`, 'low'],
      };
      const storage: Record<string, [string, string, Confidence]> = {
        basic: ['0.08', `${PRICING_PAGE}; ${REF}`, 'high'],
        standard: ['0.08', `${THIRD_PARTY}; ${REF}`, 'medium'],
        enterprise: ['0.08', `assumed equal to Standard (no published rate); ${REF}`, 'low'],
        freight: ['0.03', `one third-party note; ${REF}`, 'low'],
        dedicated: ['0.08', `assumed equal to Standard (no published rate); ${REF}`, 'low'],
      };
      const [netPrice, netSource, netConfidence] = network[type]!;
      const [stPrice, stSource, stConfidence] = storage[type]!;
      return [
        {
          key: `kafka.${type}.network_gb`,
          what: `${title(type)} network (ingress + egress)`,
          unit: 'GB',
          lineType: 'KAFKA_NETWORK_WRITE/KAFKA_NETWORK_READ',
          unitPrice: netPrice,
          source: netSource,
          asOf: '2026-10',
          confidence: netConfidence,
        },
        {
          key: `kafka.${type}.storage_gb_month`,
          what: `${title(type)} storage`,
          unit: 'GB-month',
          lineType: 'KAFKA_STORAGE',
          unitPrice: stPrice,
          source: stSource,
          asOf: '2026-10',
          confidence: stConfidence,
          note: 'storage may be measured after replication (about 3× logical size; unverified)',
        },
      ];
    },
  ),
  {
    key: 'kafka.legacy.partition_hour',
    what: 'partition (legacy billing, orgs created before 2024-04-16)',
    unit: 'partition-hour',
    lineType: 'KAFKA_PARTITION',
    unitPrice: '0.004',
    source: `archived 2022-06 pricing page via third party; ${REF}`,
    asOf: '2026-10',
    confidence: 'medium',
    note: 'eCKU clusters do not bill partitions',
  },
  // Stream processing.
  {
    key: 'flink.cfu_hour',
    what: 'Flink CFU',
    unit: 'CFU-hour',
    lineType: 'FLINK_NUM_CFUS',
    unitPrice: '0.21',
    source: 'docs.confluent.io/cloud/current/flink/operate-and-deploy/flink-billing.html',
    asOf: '2026-10',
    confidence: 'high',
    note: 'metered per minute; prices vary by region',
  },
  {
    key: 'ksql.csu_hour',
    what: 'ksqlDB CSU',
    unit: 'CSU-hour',
    lineType: 'KSQL_NUM_CSUS',
    unitPrice: '0.255553',
    source: `a real Costs API line (KSQL_NUM_CSUS, aws us-east-1, 2024-01); third parties quote $0.23–0.27; ${REF}`,
    asOf: '2026-10',
    confidence: 'medium',
  },
  // Connect.
  {
    key: 'connect.task_hour',
    what: 'connector task',
    unit: 'task-hour',
    lineType: 'CONNECT_NUM_TASKS',
    unitPrice: null,
    source: `not published in available sources (legacy 2022 range $0.03–0.30 by connector); ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  {
    key: 'connect.throughput_gb',
    what: 'connector throughput',
    unit: 'GB',
    lineType: 'CONNECT_THROUGHPUT',
    unitPrice: null,
    source: `not published in available sources; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  // Cluster linking.
  {
    key: 'cluster_link.link_hour',
    what: 'cluster link',
    unit: 'link-hour',
    lineType: 'CLUSTER_LINKING_PER_LINK',
    unitPrice: null,
    source: `not published in available sources; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  {
    key: 'cluster_link.gb',
    what: 'cluster link data (write + read)',
    unit: 'GB',
    lineType: 'CLUSTER_LINKING_WRITE/CLUSTER_LINKING_READ',
    unitPrice: null,
    source: `not published in available sources; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  // Stream Governance.
  {
    key: 'governance.essentials_hour',
    what: 'Stream Governance Essentials',
    unit: 'hour',
    lineType: 'GOVERNANCE_BASE',
    unitPrice: '0',
    source: `docs: Stream Governance packages (Essentials includes 100 schemas); ${REF}`,
    asOf: '2026-10',
    confidence: 'medium',
    note: 'schemas beyond the 100 included bill as SCHEMA_REGISTRY (price not published)',
  },
  {
    key: 'governance.advanced_hour',
    what: 'Stream Governance Advanced',
    unit: 'hour',
    lineType: 'GOVERNANCE_BASE',
    unitPrice: null,
    source: `docs: Stream Governance packages (price not published); ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  // Tableflow.
  {
    key: 'tableflow.topic_hour',
    what: 'Tableflow topic',
    unit: 'topic-hour',
    lineType: 'TABLEFLOW_NUM_TOPICS',
    unitPrice: '0.10',
    source: `Confluent blog via third party, not on the pricing page; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
  {
    key: 'tableflow.gb_processed',
    what: 'Tableflow data processed',
    unit: 'GB',
    lineType: 'TABLEFLOW_DATA_PROCESSED',
    unitPrice: '0.04',
    source: `Confluent blog via third party, not on the pricing page; ${REF}`,
    asOf: '2026-10',
    confidence: 'low',
  },
];

function title(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The built-in catalog. */
export const DEFAULT_CATALOG: Catalog = {
  version: CATALOG_VERSION,
  baseRegions: ['aws:us-east-1', 'aws:us-east-2'],
  // The reference publishes no per-region multipliers (Flink notes "varies by region").
  regionMultipliers: {},
  entries: Object.fromEntries(entries.map((e) => [e.key, e])),
};
