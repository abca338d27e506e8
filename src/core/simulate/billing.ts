/**
 * Daily Billing API cost lines of the simulated organization. Amounts are computed with a
 * high-precision decimal.js clone from integer bytes and the list prices, rounded half-even to
 * 6 places; network and storage lines use the very bytes the Metrics API serves (1 GB = 2^30).
 */
import { Decimal } from 'decimal.js';
import { dayNumber, daysInMonth, dayText } from './calendar.ts';
import type { SimCluster, SimOrg } from './org.ts';
import { KAFKA_PRICES, PRICES } from './prices.ts';
import { hashOf, hashString, seedWord } from './random.ts';
import { hoursOn, type UsageGenerator } from './usage.ts';

/** Exact for every product here: bytes × price / 2^30 needs well under 64 significant digits. */
const D = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -64, toExpPos: 64 });
type Dec = InstanceType<typeof D>;

const GIB = new D(2).pow(30);

/** One Billing API `Cost` item; decimals are exact text (the server writes them as JSON numbers). */
export interface SimCost {
  api_version: 'billing/v1';
  kind: 'Cost';
  id: string;
  start_date: string;
  end_date: string;
  granularity: 'DAILY';
  product: string;
  line_type: string;
  network_access_type?: string;
  price?: string;
  unit: string;
  quantity: string;
  original_amount: string;
  discount_amount?: string;
  amount: string;
  description?: string;
  tier_dimensions?: Record<string, string>;
  resource?: { id: string; display_name: string; environment?: { id: string } };
}

/** The decimal fields of a Cost, written as JSON numbers on the wire. */
export const COST_NUMBER_FIELDS = [
  'price',
  'quantity',
  'original_amount',
  'discount_amount',
  'amount',
] as const;

interface LineSpec {
  product: string;
  lineType: string;
  unit: string;
  quantity: Dec;
  price?: string;
  original: Dec;
  discount?: Dec;
  resource?: { id: string; name: string; environmentId?: string };
  network?: string;
  tier?: { provider: string; region: string };
  description?: string;
}

/** Builds the lines of one day. */
export class BillingGenerator {
  private readonly seed: number;

  constructor(
    private readonly org: SimOrg,
    private readonly usage: UsageGenerator,
  ) {
    this.seed = seedWord(org.seed);
  }

  /** Every line of `day`, sorted by product, line type, resource and id. */
  linesOn(day: string): SimCost[] {
    const n = dayNumber(day);
    if (!hoursOn(this.org.organization, n)) return [];
    const specs: LineSpec[] = [];
    for (const c of this.org.clusters) specs.push(...this.kafkaLines(c, n));
    specs.push(...this.connectLines(n), ...this.flinkLines(n), ...this.ksqlLines(n));
    specs.push(...this.governanceLines(n), ...this.linkLines(n), ...this.auditLines(n));
    specs.push(...this.tableflowLines(n), ...this.organizationLines(day));
    return specs.map((s) => toCost(day, s)).sort(byKey);
  }

  private kafkaLines(c: SimCluster, n: number): LineSpec[] {
    const span = hoursOn(c, n);
    if (!span) return [];
    const hours = span[1] - span[0];
    const usage = this.usage.clusterDay(c.index, n);
    const prices = KAFKA_PRICES[c.kind];
    const on = onResource(c.id, c.name, c.environmentId, c.networkAccessType, c.cloud, c.region);
    const lines: LineSpec[] = [];
    if (usage.totalWrite > 0)
      lines.push(on(gbLine('KAFKA', 'KAFKA_NETWORK_WRITE', usage.totalWrite, prices.writeGb)));
    if (usage.totalRead > 0)
      lines.push(on(gbLine('KAFKA', 'KAFKA_NETWORK_READ', usage.totalRead, prices.readGb)));
    const retained = usage.retained.reduce((a, b) => a + b, 0);
    const gbHours = new D(retained).times(hours).div(GIB);
    lines.push(on(perUnit('KAFKA', 'KAFKA_STORAGE', 'GB-hour', gbHours, prices.storageGbHour)));
    if (c.legacy) {
      lines.push(on(perUnit('KAFKA', 'KAFKA_BASE', 'Hour', new D(hours), PRICES.legacyBaseHour)));
      const partitions = c.topics.reduce((a, t) => a + t.partitions, 0) - PRICES.legacyFreePartitions;
      if (partitions > 0) {
        const q = new D(partitions * hours);
        lines.push(on(perUnit('KAFKA', 'KAFKA_PARTITION', 'Partition-hour', q, PRICES.legacyPartitionHour)));
      }
      return lines;
    }
    const capacity = capacityHours(c, usage.hourWrite, usage.hourRead, span);
    if (capacity > 0) {
      const unit = c.kind === 'Dedicated' ? 'CKU-hour' : 'eCKU-hour';
      const line = perUnit('KAFKA', 'KAFKA_NUM_CKUS', unit, new D(capacity), prices.capacityHour);
      line.discount = round6(line.original.times(PRICES.capacityDiscount));
      lines.push(on(line));
    }
    return lines;
  }

  private connectLines(n: number): LineSpec[] {
    const lines: LineSpec[] = [];
    for (const k of this.org.connectors) {
      const span = hoursOn(k, n);
      const cluster = this.org.clusters.find((c) => c.id === k.clusterId)!;
      if (!span || !hoursOn(cluster, n)) continue;
      const hours = span[1] - span[0];
      const on = onResource(
        k.id,
        k.name,
        k.environmentId,
        cluster.networkAccessType,
        cluster.cloud,
        cluster.region,
      );
      lines.push(
        on(perUnit('CONNECT', 'CONNECT_CAPACITY', 'Hour', new D(hours), PRICES.connectCapacityHour)),
      );
      const tasks = new D(k.tasks * hours);
      lines.push(on(perUnit('CONNECT', 'CONNECT_NUM_TASKS', 'Task-hour', tasks, PRICES.connectTaskHour)));
      // A sink's throughput is what its service account read; a source's is what it wrote.
      const day = this.usage.clusterDay(cluster.index, n);
      const bytes = principalTotal(day, k.serviceAccountId, k.type === 'sink' ? day.read : day.write);
      if (bytes > 0)
        lines.push(on(gbLine('CONNECT', 'CONNECT_THROUGHPUT', bytes, PRICES.connectThroughputGb)));
    }
    return lines;
  }

  private flinkLines(n: number): LineSpec[] {
    return this.org.computePools.flatMap((pool, i) => {
      const span = hoursOn(pool, n);
      if (!span) return [];
      let cfuMinutes = 0;
      for (let h = span[0]; h < span[1]; h++) {
        const word = hashOf(this.seed, 0x464c, i, n, h);
        cfuMinutes += (1 + (word % Math.max(1, pool.maxCfu / 2))) * (60 - ((word >>> 12) % 15));
      }
      const on = onResource(pool.id, pool.name, pool.environmentId, 'INTERNET', pool.cloud, pool.region);
      return [
        on({
          product: 'FLINK',
          lineType: 'FLINK_NUM_CFUS',
          unit: 'CFU-hour',
          price: PRICES.flinkCfuHour,
          quantity: round6(new D(cfuMinutes).div(60)),
          original: new D(cfuMinutes).times(PRICES.flinkCfuMinute),
        }),
      ];
    });
  }

  private ksqlLines(n: number): LineSpec[] {
    return this.org.ksqlClusters.flatMap((k) => {
      const span = hoursOn(k, n);
      const cluster = this.org.clusters.find((c) => c.id === k.clusterId)!;
      if (!span) return [];
      const on = onResource(k.id, k.name, k.environmentId, 'INTERNET', cluster.cloud, cluster.region);
      const q = new D(k.csu * (span[1] - span[0]));
      return [on(perUnit('KSQL', 'KSQL_NUM_CSUS', 'CSU-hour', q, PRICES.ksqlCsuHour))];
    });
  }

  private governanceLines(n: number): LineSpec[] {
    return this.org.schemaRegistries.flatMap((sr) => {
      const span = hoursOn(sr, n);
      if (!span) return [];
      const hours = span[1] - span[0];
      const on = onResource(
        sr.id,
        'Stream Governance package',
        sr.environmentId,
        'INTERNET',
        sr.cloud,
        sr.region,
      );
      if (sr.package === 'ADVANCED') {
        return [
          on(
            perUnit('STREAM_GOVERNANCE', 'GOVERNANCE_BASE', 'Hour', new D(hours), PRICES.governanceBaseHour),
          ),
        ];
      }
      const excess = sr.schemas - PRICES.essentialsFreeSchemas;
      if (excess <= 0) return [];
      const q = new D(excess * hours);
      return [on(perUnit('STREAM_GOVERNANCE', 'SCHEMA_REGISTRY', 'Schema-hour', q, PRICES.schemaHour))];
    });
  }

  private linkLines(n: number): LineSpec[] {
    return this.org.clusterLinks.flatMap((link) => {
      const span = hoursOn(link, n);
      const dest = this.org.clusters.find((c) => c.id === link.destinationClusterId)!;
      if (!span) return [];
      const on = onResource(
        link.id,
        link.name,
        link.environmentId,
        dest.networkAccessType,
        dest.cloud,
        dest.region,
      );
      const q = new D(span[1] - span[0]);
      return [
        on(perUnit('CLUSTER_LINK', 'CLUSTER_LINKING_PER_LINK', 'Link-hour', q, PRICES.clusterLinkHour)),
      ];
    });
  }

  private auditLines(n: number): LineSpec[] {
    const word = hashOf(this.seed, 0x4155, n);
    const bytes = (1 + (word % 6)) * 2 ** 30 + ((word >>> 3) % 2 ** 29);
    const a = this.org.auditLog;
    const line = gbLine('AUDIT_LOG', 'AUDIT_LOG_READ', bytes, PRICES.auditLogReadGb);
    return [
      {
        ...line,
        resource: { id: a.clusterId, name: a.name },
        network: 'INTERNET',
        tier: tier(a.cloud, a.region),
      },
    ];
  }

  private tableflowLines(n: number): LineSpec[] {
    const tf = this.org.events.tableflow;
    const cluster = this.org.clusters.find((c) => c.id === tf?.clusterId);
    const span = cluster ? hoursOn(cluster, n) : undefined;
    if (!tf || !cluster || !span) return [];
    const hours = span[1] - span[0];
    const day = this.usage.clusterDay(cluster.index, n);
    const t = day.topics.indexOf(tf.topic);
    let processed = 0;
    for (let h = 0; h < 24; h++) processed += day.received[t * 24 + h]!;
    const on = onResource(
      cluster.id,
      cluster.name,
      cluster.environmentId,
      cluster.networkAccessType,
      cluster.cloud,
      cluster.region,
    );
    const described = (s: LineSpec): LineSpec => ({ ...on(s), description: `Tableflow topic ${tf.topic}` });
    const lines = [
      described(
        perUnit('TABLEFLOW', 'TABLEFLOW_NUM_TOPICS', 'Topic-hour', new D(hours), PRICES.tableflowTopicHour),
      ),
    ];
    if (processed > 0)
      lines.push(
        described(gbLine('TABLEFLOW', 'TABLEFLOW_DATA_PROCESSED', processed, PRICES.tableflowProcessedGb)),
      );
    const gbHours = new D(day.retained[t]!).times(hours).div(GIB);
    lines.push(
      described(perUnit('TABLEFLOW', 'TABLEFLOW_STORAGE', 'GB-hour', gbHours, PRICES.tableflowStorageGbHour)),
    );
    return lines;
  }

  /** Support every day (prorated from the monthly price) and the month's promotional credit on its 1st. */
  private organizationLines(day: string): LineSpec[] {
    const support: LineSpec = {
      product: 'SUPPORT_CLOUD_BUSINESS',
      lineType: 'SUPPORT',
      unit: 'Hour',
      quantity: new D(24),
      original: round6(new D(PRICES.supportMonthly).div(daysInMonth(day))),
    };
    const firstDay = this.org.organization.createdAt.slice(0, 10);
    if (!day.endsWith('-01') && day !== firstDay) return [support];
    const blocks = Math.ceil(this.org.clusters.length / 8);
    const promo: LineSpec = {
      product: 'PROMO_CREDIT',
      lineType: 'PROMO_CREDIT',
      unit: 'USD',
      quantity: new D(1),
      original: new D(PRICES.promoCreditMonthly).times(blocks).neg(),
      description: 'Promotional credit',
    };
    return [support, promo];
  }
}

/** eCKU-hours (or CKU-hours) of one cluster-day: elastic types scale with each hour's bytes. */
function capacityHours(
  c: SimCluster,
  write: Float64Array,
  read: Float64Array,
  span: [number, number],
): number {
  if (c.kind === 'Dedicated') return (c.cku ?? 1) * (span[1] - span[0]);
  const prices = KAFKA_PRICES[c.kind];
  let total = 0;
  for (let h = span[0]; h < span[1]; h++) {
    const needed = 1 + Math.floor((write[h]! + read[h]!) / prices.bytesPerEcku);
    const ecku = Math.min(c.maxEcku ?? 1, Math.max(prices.minEcku, needed));
    // The first eCKU of a Basic cluster is free.
    total += c.kind === 'Basic' ? ecku - 1 : ecku;
  }
  return total;
}

/** A principal's daily total in one of a cluster-day's arrays. */
function principalTotal(day: { principals: string[] }, id: string, values: Float64Array): number {
  const i = day.principals.indexOf(id);
  if (i < 0) return 0;
  let sum = 0;
  for (let h = 0; h < 24; h++) sum += values[i * 24 + h]!;
  return sum;
}

/** Half-even to the 6 places the bill carries. */
function round6(x: Dec): Dec {
  return x.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
}

/** A line billed per GB (2^30 bytes): amount = round6(bytes × price / 2^30). */
function gbLine(product: string, lineType: string, bytes: number, price: string): LineSpec {
  const gb = new D(bytes).div(GIB);
  return { product, lineType, unit: 'GB', price, quantity: round6(gb), original: round6(gb.times(price)) };
}

/** A line billed per unit: amount = round6(quantity × price), quantity shown to 6 places. */
function perUnit(product: string, lineType: string, unit: string, quantity: Dec, price: string): LineSpec {
  return {
    product,
    lineType,
    unit,
    price,
    quantity: round6(quantity),
    original: round6(quantity.times(price)),
  };
}

function tier(cloud: string, region: string): { provider: string; region: string } {
  return { provider: cloud.toLowerCase(), region };
}

/** Attaches a resource, its network access type and its tier dimensions to a line. */
function onResource(
  id: string,
  name: string,
  environmentId: string,
  network: string,
  cloud: string,
  region: string,
) {
  return (spec: LineSpec): LineSpec => ({
    ...spec,
    resource: { id, name, environmentId },
    network,
    tier: tier(cloud, region),
  });
}

/** Decimal text without exponent or negative zero. */
function text(x: Dec): string {
  return x.isZero() ? '0' : x.toFixed();
}

function toCost(day: string, s: LineSpec): SimCost {
  const key = [day, s.product, s.lineType, s.resource?.id ?? ''].join('|');
  // Resource lines say "no discount" with 0; Support and credits leave the field out.
  const discount = s.discount ?? (s.resource ? new D(0) : undefined);
  return {
    api_version: 'billing/v1',
    kind: 'Cost',
    id: `dlz-${lineId(key)}`,
    start_date: day,
    end_date: dayText(dayNumber(day) + 1),
    granularity: 'DAILY',
    product: s.product,
    line_type: s.lineType,
    ...(s.network ? { network_access_type: s.network } : {}),
    ...(s.price !== undefined ? { price: text(new D(s.price)) } : {}),
    unit: s.unit,
    quantity: text(s.quantity),
    original_amount: text(s.original),
    ...(discount ? { discount_amount: text(discount) } : {}),
    amount: text(s.original.minus(discount ?? 0)),
    ...(s.description ? { description: s.description } : {}),
    ...(s.tier ? { tier_dimensions: { ...s.tier } } : {}),
    ...(s.resource ? { resource: resourceOf(s.resource) } : {}),
  };
}

function resourceOf(r: NonNullable<LineSpec['resource']>): NonNullable<SimCost['resource']> {
  return {
    id: r.id,
    display_name: r.name,
    ...(r.environmentId ? { environment: { id: r.environmentId } } : {}),
  };
}

/** A stable id from the line's natural key: 10 base-36 characters. */
function lineId(key: string): string {
  const a = hashString(key);
  const b = hashString(`${key}#`);
  return (
    a.toString(36).padStart(7, '0').slice(-5) + b.toString(36).padStart(7, '0').slice(-5)
  ).toLowerCase();
}

function byKey(a: SimCost, b: SimCost): number {
  return (
    cmp(a.start_date, b.start_date) ||
    cmp(a.product, b.product) ||
    cmp(a.line_type, b.line_type) ||
    cmp(a.resource?.id ?? '', b.resource?.id ?? '') ||
    cmp(a.id, b.id)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
