/**
 * The simulator's list prices (USD). Rates with a published source follow the reference table
 * (Basic/Standard eCKU and network, Flink, ksqlDB); the rest are illustrative. They only need to
 * be plausible and stable: tests derive expected amounts from these same constants.
 */
import type { ClusterKind } from './org.ts';

/** Kafka rates per cluster type: eCKU or CKU per hour, GB written, GB read, GB-hour stored. */
export interface KafkaPrices {
  capacityHour: string;
  writeGb: string;
  readGb: string;
  storageGbHour: string;
  /** Bytes one eCKU carries per hour before the cluster scales out (elastic types only). */
  bytesPerEcku: number;
  minEcku: number;
}

const GIB = 2 ** 30;

export const KAFKA_PRICES: Record<ClusterKind, KafkaPrices> = {
  Basic: {
    capacityHour: '0.14',
    writeGb: '0.05',
    readGb: '0.05',
    storageGbHour: '0.00011',
    bytesPerEcku: 2 * GIB,
    minEcku: 1,
  },
  Standard: {
    capacityHour: '0.75',
    writeGb: '0.04',
    readGb: '0.045',
    storageGbHour: '0.00011',
    bytesPerEcku: 4 * GIB,
    minEcku: 1,
  },
  Enterprise: {
    capacityHour: '2.25',
    writeGb: '0.02',
    readGb: '0.014',
    storageGbHour: '0.00011',
    bytesPerEcku: 8 * GIB,
    minEcku: 1,
  },
  Dedicated: {
    capacityHour: '2.66',
    writeGb: '0.04',
    readGb: '0.05',
    storageGbHour: '0.000137',
    bytesPerEcku: 0,
    minEcku: 0,
  },
  Freight: {
    capacityHour: '2.25',
    writeGb: '0.012',
    readGb: '0.012',
    storageGbHour: '0.000041',
    bytesPerEcku: 16 * GIB,
    minEcku: 2,
  },
};

/** Everything else, per unit. */
export const PRICES = {
  /** Legacy Basic (organizations before 2024-04-16): base per hour and per partition-hour above 10. */
  legacyBaseHour: '0.05',
  legacyPartitionHour: '0.004',
  legacyFreePartitions: 10,
  connectCapacityHour: '0.1',
  connectTaskHour: '0.034',
  connectThroughputGb: '0.025',
  flinkCfuHour: '0.21',
  /** $0.21/CFU-hour metered per minute. */
  flinkCfuMinute: '0.0035',
  ksqlCsuHour: '0.255553',
  schemaHour: '0.002',
  /** Schemas included per environment in ESSENTIALS; ADVANCED includes 20,000. */
  essentialsFreeSchemas: 100,
  governanceBaseHour: '1',
  clusterLinkHour: '0.25',
  auditLogReadGb: '0.1',
  tableflowTopicHour: '0.1',
  tableflowProcessedGb: '0.04',
  tableflowStorageGbHour: '0.000032',
  /** SUPPORT_CLOUD_BUSINESS, prorated daily from the monthly price. */
  supportMonthly: '1000',
  /** PROMO_CREDIT per month and per started 8 clusters (negative on the bill). */
  promoCreditMonthly: '250',
  /** Commit discount on KAFKA_NUM_CKUS (the one line type that carries a discount). */
  capacityDiscount: '0.1',
} as const;
