/**
 * The FOCUS 1.3 Cost and Usage columns ccost writes, and how Confluent's billing vocabulary maps
 * onto FOCUS's: services, categories, charge categories and frequencies, providers.
 */

/** FOCUS version of the export. */
export const FOCUS_VERSION = '1.3';

/** FOCUS data types as the metadata's ColumnDefinition names them. */
export type FocusDataType = 'STRING' | 'DECIMAL' | 'DATETIME' | 'JSON';

/** Feature level of a column in FOCUS 1.3 (`Custom` for ccost's `x_` columns). */
export type FocusLevel = 'Mandatory' | 'Conditional' | 'Recommended' | 'Custom';

/** One column of the export. */
export interface FocusColumn {
  name: string;
  type: FocusDataType;
  level: FocusLevel;
  /** Deprecated in 1.3 but still Mandatory (ProviderName, PublisherName). */
  deprecated?: boolean;
}

const col = (name: string, type: FocusDataType, level: FocusLevel, deprecated = false): FocusColumn =>
  deprecated ? { name, type, level, deprecated } : { name, type, level };

/** FOCUS columns in alphabetical order, then ccost's `x_` columns (FOCUS column handling). */
export const FOCUS_COLUMNS: readonly FocusColumn[] = [
  col('AllocatedMethodDetails', 'JSON', 'Recommended'),
  col('AllocatedMethodId', 'STRING', 'Conditional'),
  col('AllocatedResourceId', 'STRING', 'Conditional'),
  col('AllocatedResourceName', 'STRING', 'Conditional'),
  col('AllocatedTags', 'JSON', 'Conditional'),
  col('BilledCost', 'DECIMAL', 'Mandatory'),
  col('BillingAccountId', 'STRING', 'Mandatory'),
  col('BillingAccountName', 'STRING', 'Mandatory'),
  col('BillingAccountType', 'STRING', 'Conditional'),
  col('BillingCurrency', 'STRING', 'Mandatory'),
  col('BillingPeriodEnd', 'DATETIME', 'Mandatory'),
  col('BillingPeriodStart', 'DATETIME', 'Mandatory'),
  col('ChargeCategory', 'STRING', 'Mandatory'),
  col('ChargeClass', 'STRING', 'Mandatory'),
  col('ChargeDescription', 'STRING', 'Mandatory'),
  col('ChargeFrequency', 'STRING', 'Recommended'),
  col('ChargePeriodEnd', 'DATETIME', 'Mandatory'),
  col('ChargePeriodStart', 'DATETIME', 'Mandatory'),
  col('ConsumedQuantity', 'DECIMAL', 'Conditional'),
  col('ConsumedUnit', 'STRING', 'Conditional'),
  col('ContractedCost', 'DECIMAL', 'Mandatory'),
  col('ContractedUnitPrice', 'DECIMAL', 'Conditional'),
  col('EffectiveCost', 'DECIMAL', 'Mandatory'),
  col('HostProviderName', 'STRING', 'Mandatory'),
  col('InvoiceIssuerName', 'STRING', 'Mandatory'),
  col('ListCost', 'DECIMAL', 'Mandatory'),
  col('ListUnitPrice', 'DECIMAL', 'Conditional'),
  col('PricingCategory', 'STRING', 'Conditional'),
  col('PricingQuantity', 'DECIMAL', 'Mandatory'),
  col('PricingUnit', 'STRING', 'Mandatory'),
  col('ProviderName', 'STRING', 'Mandatory', true),
  col('PublisherName', 'STRING', 'Mandatory', true),
  col('RegionId', 'STRING', 'Conditional'),
  col('RegionName', 'STRING', 'Conditional'),
  col('ResourceId', 'STRING', 'Conditional'),
  col('ResourceName', 'STRING', 'Conditional'),
  col('ResourceType', 'STRING', 'Conditional'),
  col('ServiceCategory', 'STRING', 'Mandatory'),
  col('ServiceName', 'STRING', 'Mandatory'),
  col('ServiceProviderName', 'STRING', 'Mandatory'),
  col('ServiceSubcategory', 'STRING', 'Recommended'),
  col('SkuId', 'STRING', 'Conditional'),
  col('SkuMeter', 'STRING', 'Conditional'),
  col('SubAccountId', 'STRING', 'Conditional'),
  col('SubAccountName', 'STRING', 'Conditional'),
  col('SubAccountType', 'STRING', 'Conditional'),
  col('x_Team', 'STRING', 'Custom'),
  col('x_Confidence', 'STRING', 'Custom'),
  col('x_FallbackReason', 'STRING', 'Custom'),
  col('x_ConfluentDiscountAmount', 'DECIMAL', 'Custom'),
  col('x_RunId', 'STRING', 'Custom'),
  col('x_OrgId', 'STRING', 'Custom'),
  col('x_OriginId', 'STRING', 'Custom'),
];

/** Column names in file order. */
export const FOCUS_HEADER: readonly string[] = FOCUS_COLUMNS.map((c) => c.name);

/** FOCUS ChargeCategory values. */
export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
/** One FOCUS ChargeCategory. */
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** Name of Confluent as provider, publisher, invoice issuer and service provider. */
export const CONFLUENT = 'Confluent';

/** ServiceName, ServiceCategory and ServiceSubcategory of a Confluent product. */
export interface FocusService {
  name: string;
  category: string;
  subcategory: string;
}

const service = (name: string, category: string, subcategory: string): FocusService => ({
  name,
  category,
  subcategory,
});

const MESSAGING = (name: string) => service(name, 'Integration', 'Messaging');
const STREAMING = (name: string) => service(name, 'Analytics', 'Streaming Analytics');
const GOVERNANCE = 'Management and Governance';

/** Billing API products as FOCUS services (the reference's mapping table). */
const SERVICES: Record<string, FocusService> = {
  KAFKA: MESSAGING('Kafka'),
  CONNECT: MESSAGING('Connect'),
  CUSTOM_CONNECT: MESSAGING('Custom Connect'),
  CLUSTER_LINK: MESSAGING('Cluster Linking'),
  FLINK: STREAMING('Flink'),
  KSQL: STREAMING('ksqlDB'),
  TABLEFLOW: service('Tableflow', 'Analytics', 'Data Processing'),
  STREAM_GOVERNANCE: service('Stream Governance', GOVERNANCE, 'Data Governance'),
  SCHEMA_REGISTRY: service('Schema Registry', GOVERNANCE, 'Data Governance'),
  AUDIT_LOG: service('Audit Log', GOVERNANCE, 'Compliance'),
  USM: service('Unified Stream Manager', GOVERNANCE, 'Observability'),
  PROMO_CREDIT: service('Promotional Credit', 'Other', 'Other (Other)'),
};

/**
 * The FOCUS service of a Billing API product. Support is Management and Governance / Support
 * (FOCUS lists Support only under that category); unknown products are Other / Other (Other).
 */
export function focusService(product: string): FocusService {
  const known = SERVICES[product];
  if (known) return known;
  if (product.startsWith('SUPPORT')) return service('Support', GOVERNANCE, 'Support');
  return service(titleCase(product), 'Other', 'Other (Other)');
}

/** Words of `product line_type` that make a line a Credit (also used in SQL, as a POSIX regex). */
export const CREDIT_PATTERN = 'CREDIT|REFUND';
/** Words of `product line_type` that make a line an Adjustment. */
export const ADJUSTMENT_PATTERN = 'ADJUSTMENT|CORRECTION';

const CREDIT = new RegExp(CREDIT_PATTERN);
const ADJUSTMENT = new RegExp(ADJUSTMENT_PATTERN);

/**
 * ChargeCategory of a line: Credit for credits and refunds (PROMO_CREDIT), Adjustment for
 * adjustments and corrections, Usage otherwise.
 */
export function chargeCategory(product: string, lineType: string): ChargeCategory {
  const text = `${product} ${lineType}`;
  if (CREDIT.test(text)) return 'Credit';
  if (ADJUSTMENT.test(text)) return 'Adjustment';
  return 'Usage';
}

/** ChargeFrequency: credits and adjustments once, Support recurring, everything else by usage. */
export function chargeFrequency(product: string, category: ChargeCategory): string {
  if (category !== 'Usage') return 'One-Time';
  return product.startsWith('SUPPORT') ? 'Recurring' : 'Usage-Based';
}

/** Words of billing codes written as Confluent writes them. */
const ACRONYMS: Record<string, string> = {
  CKU: 'CKU',
  CKUS: 'CKUs',
  ECKU: 'eCKU',
  ECKUS: 'eCKUs',
  CFU: 'CFU',
  CFUS: 'CFUs',
  CSU: 'CSU',
  CSUS: 'CSUs',
  USM: 'USM',
  REST: 'REST',
  KSQL: 'KSQL',
};

/** The words of a billing code: `KAFKA_NUM_CKUS` → Kafka, Num, CKUs. */
export function codeWords(code: string): string[] {
  return code
    .split(/[_\s]+/)
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w.toUpperCase()] ?? w[0]!.toUpperCase() + w.slice(1).toLowerCase());
}

/** `KAFKA_NETWORK_READ` → `Kafka Network Read`, `KAFKA_NUM_CKUS` → `Kafka Num CKUs`. */
export function titleCase(code: string): string {
  return codeWords(code).join(' ');
}

const CLOUDS: Record<string, string> = {
  aws: 'AWS',
  gcp: 'Google Cloud',
  google: 'Google Cloud',
  azure: 'Microsoft Azure',
};

/** HostProviderName of a cloud code from tier dimensions or inventory; Confluent when none. */
export function hostProvider(cloud: string | null | undefined): string {
  if (!cloud) return CONFLUENT;
  return CLOUDS[cloud.toLowerCase()] ?? cloud;
}

const RESOURCE_TYPES: [prefix: string, type: string][] = [
  ['lkc-', 'Kafka Cluster'],
  ['lcc-', 'Connector'],
  ['clcc-', 'Custom Connector'],
  ['lfcp-', 'Flink Compute Pool'],
  ['lksqlc-', 'ksqlDB Cluster'],
  ['lsrc-', 'Schema Registry'],
  ['link-', 'Cluster Link'],
  ['env-', 'Environment'],
];

/** ResourceType from the inventory kind (`kafka_cluster` → Kafka Cluster) or the id's prefix. */
export function resourceType(resourceId: string | null, kind: string | null | undefined): string | null {
  if (!resourceId) return null;
  const byPrefix = RESOURCE_TYPES.find(([prefix]) => resourceId.startsWith(prefix));
  if (byPrefix) return byPrefix[1];
  return kind ? titleCase(kind) : null;
}
