/**
 * The simulated Confluent Cloud organization: structure (org.ts), hourly usage (usage.ts) and
 * daily billing (billing.ts) behind one object. Everything is a pure function of the options and
 * the (entity, day, hour) asked for: no clock, no Math.random, so any date range gives the same
 * values for the days it shares with another, and two models of one seed are identical.
 */
import { Decimal } from 'decimal.js';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { BillingGenerator, type SimCost } from './billing.ts';
import { dayText, hourNumber, hourText, tryDayNumber } from './calendar.ts';
import {
  buildOrganization,
  type Lifetime,
  type ModelOptions,
  type SimApiKey,
  type SimCluster,
  type SimClusterLink,
  type SimComputePool,
  type SimConnector,
  type SimEnvironment,
  type SimIdentityProvider,
  type SimKsqlCluster,
  type SimOrg,
  type SimOrganization,
  type SimPrincipal,
  type SimSchemaRegistry,
  type Team,
} from './org.ts';
import { type ClusterDay, UsageGenerator } from './usage.ts';

export type { SimCost } from './billing.ts';
export type * from './org.ts';
export { TEAMS } from './org.ts';

/** Principal-labelled Kafka metrics the simulator serves (bytes, delta counters). */
export const PRINCIPAL_METRICS = [
  'io.confluent.kafka.server/request_bytes',
  'io.confluent.kafka.server/response_bytes',
] as const;

/** Topic-labelled Kafka metrics the simulator serves; retained_bytes is a gauge. */
export const TOPIC_METRICS = [
  'io.confluent.kafka.server/received_bytes',
  'io.confluent.kafka.server/sent_bytes',
  'io.confluent.kafka.server/retained_bytes',
] as const;

export type SimMetric = (typeof PRINCIPAL_METRICS)[number] | (typeof TOPIC_METRICS)[number];

/** One usage question: a metric of one cluster over [start, end), by principal or topic or in total. */
export interface UsageQuery {
  metric: SimMetric;
  clusterId: string;
  /** ISO instants; buckets that start in [start, end) are returned. */
  start: string;
  end: string;
  granularity: 'PT1H' | 'P1D';
  /** The label to group by; must be the metric's own label. Absent: one total series. */
  groupBy?: 'metric.principal_id' | 'metric.topic';
  /** Keep only this principal or topic. */
  only?: string;
  /** Hours at or after this instant have no data yet (the server passes its `now`). */
  until?: string;
}

/** One point: the group's label value (null without group_by), the bucket start and the value. */
export interface UsagePoint {
  group: string | null;
  timestamp: string;
  value: number;
}

/** Everything that existed on a day (or at an instant). */
export interface SimInventory {
  organization: SimOrganization;
  environments: SimEnvironment[];
  clusters: SimCluster[];
  serviceAccounts: SimPrincipal[];
  users: SimPrincipal[];
  identityProviders: SimIdentityProvider[];
  identityPools: SimPrincipal[];
  apiKeys: SimApiKey[];
  connectors: SimConnector[];
  computePools: SimComputePool[];
  ksqlClusters: SimKsqlCluster[];
  schemaRegistries: SimSchemaRegistry[];
  clusterLinks: SimClusterLink[];
}

const BILLING_CACHE_LIMIT = 800;

/** A generated organization with its usage and bill. */
export class SimModel {
  /** The organization's structure (read-only by convention). */
  readonly org: SimOrg;
  private readonly usageGen: UsageGenerator;
  private readonly billing: BillingGenerator;
  private readonly dayCache = new Map<string, SimCost[]>();
  private readonly teams = new Map<string, Team>();
  private readonly clusterIndex = new Map<string, number>();

  constructor(options: ModelOptions) {
    this.org = buildOrganization(options);
    this.usageGen = new UsageGenerator(this.org);
    this.billing = new BillingGenerator(this.org, this.usageGen);
    for (const p of this.org.principals) this.teams.set(p.id, p.team);
    for (const c of this.org.clusters) this.clusterIndex.set(c.id, c.index);
  }

  /** The billing lines with start_date in [from, to) (YYYY-MM-DD), sorted by day, product, line type, resource. */
  billingLines(from: string, to: string): SimCost[] {
    const first = checkedDay(from, 'from');
    const last = checkedDay(to, 'to');
    const out: SimCost[] = [];
    for (let n = first; n < last; n++) out.push(...this.linesOn(dayText(n)));
    return out;
  }

  /** Σ amount of `billingLines(from, to)` as exact decimal text with 6 places. */
  billingTotal(from: string, to: string): string {
    let total = new Decimal(0);
    for (const line of this.billingLines(from, to)) total = total.plus(line.amount);
    return total.toFixed(6);
  }

  private linesOn(day: string): SimCost[] {
    let lines = this.dayCache.get(day);
    if (!lines) {
      lines = this.billing.linesOn(day);
      if (this.dayCache.size >= BILLING_CACHE_LIMIT) this.dayCache.delete(this.dayCache.keys().next().value!);
      this.dayCache.set(day, lines);
    }
    return lines;
  }

  /** Everything that existed at any time during `day`. */
  inventoryOn(day: string): SimInventory {
    const n = checkedDay(day, 'day');
    const start = n * 86_400_000;
    return this.inventoryWhere((e) => existsBetween(e, start, start + 86_400_000));
  }

  /** Everything that existed at `instant` (what the listing APIs show then). */
  inventoryAt(instant: string | Date): SimInventory {
    const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    return this.inventoryWhere((e) => existsBetween(e, ms, ms + 1));
  }

  private inventoryWhere(alive: (e: Lifetime) => boolean): SimInventory {
    const o = this.org;
    const principals = o.principals.filter(alive);
    return {
      organization: o.organization,
      environments: o.environments.filter(alive),
      clusters: o.clusters.filter(alive),
      serviceAccounts: principals.filter((p) => p.kind === 'service_account'),
      users: principals.filter((p) => p.kind === 'user'),
      identityProviders: o.identityProviders.filter(alive),
      identityPools: principals.filter((p) => p.kind === 'identity_pool'),
      apiKeys: o.apiKeys.filter(alive),
      connectors: o.connectors.filter(alive),
      computePools: o.computePools.filter(alive),
      ksqlClusters: o.ksqlClusters.filter(alive),
      schemaRegistries: o.schemaRegistries.filter(alive),
      clusterLinks: o.clusterLinks.filter(alive),
    };
  }

  /** The team of a principal (service account, user or identity pool), or undefined. */
  teamOf(principalId: string): Team | undefined {
    return this.teams.get(principalId);
  }

  /** The cluster of an id, or undefined. */
  cluster(id: string): SimCluster | undefined {
    const i = this.clusterIndex.get(id);
    return i === undefined ? undefined : this.org.clusters[i];
  }

  /** Usage points of one metric on one cluster; zero points are omitted, as the Metrics API does. */
  usage(query: UsageQuery): UsagePoint[] {
    const cluster = this.cluster(query.clusterId);
    if (!cluster) return [];
    const step = query.granularity === 'P1D' ? 24 : 1;
    const from = hourNumber(query.start);
    const first = Math.ceil(from / step) * step;
    const to = Math.min(hourNumber(query.end), query.until ? hourNumber(query.until) : Infinity);
    const buckets = Math.max(0, Math.ceil((to - first) / step));
    const w: Window = { first, to, step, buckets, series: new Map() };
    for (let n = Math.floor(first / 24); n * 24 < to; n++) {
      collect(this.usageGen.clusterDay(cluster.index, n), query, w);
    }
    return flatten(w);
  }
}

/** Creates the model of `options` (see ModelOptions for the defaults). */
export function createModel(options: ModelOptions): SimModel {
  return new SimModel(options);
}

/** First day of the month before `now`'s: a default story start that makes "last month" complete. */
export function defaultStart(now: Date): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10);
}

function checkedDay(day: string, name: string): number {
  const n = tryDayNumber(day);
  if (n === undefined)
    throw new CcostError(ErrorCode.InputInvalid, `${name} must be a date YYYY-MM-DD (got "${day}")`);
  return n;
}

function existsBetween(e: Lifetime, startMs: number, endMs: number): boolean {
  return Date.parse(e.createdAt) < endMs && (!e.deletedAt || Date.parse(e.deletedAt) > startMs);
}

/** The buckets asked for, and the values collected so far per group. */
interface Window {
  /** Hour number of the first bucket. */
  first: number;
  /** Hours at or after this one are left out. */
  to: number;
  step: number;
  buckets: number;
  series: Map<string | null, Float64Array>;
}

/** Adds one cluster-day's hours within the window to the series of their groups. */
function collect(day: ClusterDay, q: UsageQuery, w: Window): void {
  const byPrincipal = (PRINCIPAL_METRICS as readonly string[]).includes(q.metric);
  const labels = byPrincipal ? day.principals : day.topics;
  const values = valuesOf(day, q.metric);
  const gauge = q.metric === 'io.confluent.kafka.server/retained_bytes';
  const dayStart = day.dayNum * 24;
  labels.forEach((label, i) => {
    if (q.only !== undefined && q.only !== label) return;
    const group = q.groupBy ? label : null;
    let series = w.series.get(group);
    for (let h = day.firstHour; h < 24; h++) {
      const hour = dayStart + h;
      if (hour < w.first || hour >= w.to) continue;
      const v = gauge ? day.retained[i]! : values[i * 24 + h]!;
      if (v === 0) continue;
      if (!series) {
        series = new Float64Array(w.buckets);
        w.series.set(group, series);
      }
      const k = Math.floor((hour - w.first) / w.step);
      series[k] = series[k]! + v;
      // A gauge's daily value is its level that day, not a sum over hours.
      if (gauge && w.step === 24) break;
    }
  });
}

function valuesOf(day: ClusterDay, metric: SimMetric): Float64Array {
  switch (metric) {
    case 'io.confluent.kafka.server/request_bytes':
      return day.write;
    case 'io.confluent.kafka.server/response_bytes':
      return day.read;
    case 'io.confluent.kafka.server/received_bytes':
      return day.received;
    case 'io.confluent.kafka.server/sent_bytes':
      return day.sent;
    default:
      return new Float64Array(0);
  }
}

function flatten(w: Window): UsagePoint[] {
  const groups = [...w.series.keys()].sort((a, b) =>
    (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0,
  );
  const stamps: string[] = [];
  for (let k = 0; k < w.buckets; k++) stamps.push(hourText(w.first + k * w.step));
  const out: UsagePoint[] = [];
  for (const group of groups) {
    const series = w.series.get(group)!;
    for (let k = 0; k < w.buckets; k++) {
      if (series[k] !== 0) out.push({ group, timestamp: stamps[k]!, value: series[k]! });
    }
  }
  return out;
}
