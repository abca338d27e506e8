/**
 * Kafka cluster findings: idle clusters (billed every day of the last `idle_days` with usage
 * fetched and no bytes), capacity far above the busiest day's throughput, and legacy-billed
 * partitions far above what the throughput needs.
 */
import { Decimal } from 'decimal.js';
import { minimumUnits, peakMBps, unitsNeeded } from '../capacity.ts';
import { type BytesDay, factKey, type LineDay, type ResourceFact } from '../facts.ts';
import {
  billedDays,
  costIn,
  type Days,
  linesOf,
  monthlyRate,
  nameOf,
  perHour,
  quantityIn,
  short,
  teamsOf,
} from '../measure.ts';
import { cents, clusterType, isDedicated, priceCluster, pricePartitions, savingOf } from '../pricing.ts';
import type { Insight } from '../types.ts';
import { dayCount, type RuleContext, resourcesOf } from './context.ts';

const CKU_LINES = ['KAFKA_NUM_CKUS', 'KAFKA_NUM_CKU'];

/** Clusters billed with no bytes moved for `idle_days` days. */
export function idleClusters(ctx: RuleContext): Insight[] {
  return resourcesOf(ctx, ['kafka_cluster']).flatMap((cluster) => {
    const idle = idleEvidence(ctx, cluster);
    return idle ? [idleInsight(ctx, cluster, idle)] : [];
  });
}

/** The idle days of a cluster, or null when it moved bytes, was not billed or not measured. */
function idleEvidence(ctx: RuleContext, cluster: ResourceFact): { days: string[] } | null {
  const lines = linesOf(ctx.facts, cluster);
  const days = billedDays(lines, ctx.lookback);
  if (days.length < dayCount(ctx.lookback)) return null;
  const key = factKey(cluster.orgId, cluster.id);
  const fetched = ctx.facts.fetches.get(key);
  const bytes = ctx.facts.bytes.get(key);
  for (const day of days) {
    if (fetched?.get(day) !== 'ok') return null;
    const moved = bytes?.get(day);
    if (moved && !moved.in.plus(moved.out).isZero()) return null;
  }
  return { days };
}

function idleInsight(ctx: RuleContext, cluster: ResourceFact, idle: { days: string[] }): Insight {
  const lines = linesOf(ctx.facts, cluster);
  const recent = costIn(lines, ctx.lookback);
  const units = runningUnits(cluster, lines, ctx.lookback);
  const priced = units
    ? savingOf(priceCluster(cluster, units, storageGb(lines, ctx.lookback), ctx.pricing), null)
    : {
        saving: monthlyRate(recent, idle.days.length),
        savingBasis: 'its own billed lines (no CKU/eCKU lines: legacy billing, not in the catalog)',
      };
  const lastBusy = lastDayWithBytes(ctx, cluster);
  return {
    ...subject(ctx, cluster, 'idle_cluster'),
    summary: `Cluster ${nameOf(cluster)} was billed on each of the last ${idle.days.length} days and moved no bytes.`,
    action: 'Delete the cluster if nothing uses it (or shrink it to the minimum while you find out).',
    cost: costIn(lines, ctx.window).toFixed(),
    monthlyCost: monthlyRate(recent, idle.days.length),
    ...priced,
    evidence: [
      {
        label: 'days billed with no bytes',
        value: `${idle.days.length} (${idle.days[0]} – ${idle.days.at(-1)})`,
      },
      { label: 'billed in those days', value: `$${cents(recent)}` },
      { label: 'last day with bytes', value: lastBusy ?? 'none collected' },
      ...(units ? [{ label: `${unitWord(cluster)}s running (average)`, value: short(units) }] : []),
    ],
  };
}

/** Clusters whose billed CKUs or eCKUs are far above what the busiest day needed. */
export function underusedClusters(ctx: RuleContext): Insight[] {
  return resourcesOf(ctx, ['kafka_cluster']).flatMap((cluster) => {
    const found = underused(ctx, cluster);
    return found ? [found] : [];
  });
}

function underused(ctx: RuleContext, cluster: ResourceFact): Insight | null {
  const lines = linesOf(ctx.facts, cluster);
  const units = runningUnits(cluster, lines, ctx.window);
  const measured = measuredDays(ctx, cluster);
  if (!units || measured.length === 0) return null;
  const peak = peakMBps(measured);
  if (peak.ingress.plus(peak.egress).isZero()) return null; // idle, not underused
  const needed = unitsNeeded(cluster, peak, ctx.settings.headroom);
  if (needed === null || new Decimal(needed).gt(units.times(ctx.settings.underused_ratio))) return null;
  const storage = storageGb(lines, ctx.window);
  const priced = savingOf(
    priceCluster(cluster, units, storage, ctx.pricing),
    priceCluster(cluster, new Decimal(needed), storage, ctx.pricing),
  );
  const cost = costIn(lines, ctx.window);
  const word = unitWord(cluster);
  return {
    ...subject(ctx, cluster, 'underused_capacity'),
    summary: `Cluster ${nameOf(cluster)} runs ${short(units)} ${word}s; its busiest day needed ${needed} (with ${ctx.settings.headroom}× headroom).`,
    action: isDedicated(cluster)
      ? `Shrink the cluster to ${needed} CKU${needed === 1 ? '' : 's'}.`
      : `Lower max_ecku or move the cluster's quiet workloads: elastic clusters bill the eCKUs they hold.`,
    cost: cost.toFixed(),
    monthlyCost: monthlyRate(cost, dayCount(ctx.window)),
    ...priced,
    evidence: [
      { label: `${word}s billed (average)`, value: short(units) },
      { label: `${word}s needed`, value: `${needed} (minimum ${minimumUnits(cluster)})` },
      { label: 'busiest day ingress', value: `${short(peak.ingress, 3)} MB/s` },
      { label: 'busiest day egress', value: `${short(peak.egress, 3)} MB/s` },
      { label: 'days measured', value: String(measured.length) },
    ],
  };
}

/** Legacy-billed clusters whose partitions are far above what their throughput needs. */
export function excessPartitions(ctx: RuleContext): Insight[] {
  return resourcesOf(ctx, ['kafka_cluster']).flatMap((cluster) => {
    const found = partitions(ctx, cluster);
    return found ? [found] : [];
  });
}

function partitions(ctx: RuleContext, cluster: ResourceFact): Insight | null {
  const lines = linesOf(ctx.facts, cluster);
  const days = billedDays(lines, ctx.window, ['KAFKA_PARTITION']);
  const measured = measuredDays(ctx, cluster);
  if (days.length === 0 || measured.length === 0) return null;
  const billed = perHour(quantityIn(lines, ctx.window, ['KAFKA_PARTITION']), days.length).floor();
  const peak = peakMBps(measured);
  const topics = ctx.facts.topics.get(factKey(cluster.orgId, cluster.id)) ?? 0;
  const needed = Decimal.max(
    topics,
    Decimal.max(peak.ingress, peak.egress)
      .times(ctx.settings.headroom)
      .div(ctx.settings.partition_mbps)
      .ceil(),
  );
  if (billed.isZero() || needed.gt(billed.times(ctx.settings.underused_ratio))) return null;
  const priced = pricePartitions(cluster, billed.minus(needed), ctx.pricing);
  const cost = costIn(lines, ctx.window, ['KAFKA_PARTITION']);
  return {
    ...subject(ctx, cluster, 'excess_partitions'),
    summary: `Cluster ${nameOf(cluster)} pays for ${billed.toFixed()} partitions; its throughput needs about ${needed.toFixed()}.`,
    action: 'Delete unused topics or recreate over-partitioned ones with fewer partitions.',
    cost: cost.toFixed(),
    monthlyCost: monthlyRate(cost, days.length),
    saving: priced?.saving ?? '0',
    savingBasis: priced?.savingBasis ?? 'not estimated: no partition price in the catalog',
    evidence: [
      { label: 'billed partitions (beyond the free ones)', value: billed.toFixed() },
      {
        label: 'partitions needed',
        value: `${needed.toFixed()} (at ${ctx.settings.partition_mbps} MB/s each)`,
      },
      { label: 'busiest day', value: `${short(Decimal.max(peak.ingress, peak.egress), 3)} MB/s` },
    ],
  };
}

/** Average CKUs or eCKUs running over `days` (Basic: with the free first eCKU); null without CKU lines. */
function runningUnits(cluster: ResourceFact, lines: LineDay[], days: Days): Decimal | null {
  const billed = billedDays(lines, days, CKU_LINES);
  if (billed.length === 0) return null;
  const units = perHour(quantityIn(lines, days, CKU_LINES), billed.length);
  return clusterType(cluster) === 'basic' ? units.plus(1) : units;
}

/** Average retained GB over `days`, from storage billed per GB-hour. */
function storageGb(lines: LineDay[], days: Days): Decimal {
  const storage = lines.filter((l) => l.lineType === 'KAFKA_STORAGE' && /hour/i.test(l.unit ?? ''));
  const billed = billedDays(storage, days);
  return perHour(quantityIn(storage, days, ['KAFKA_STORAGE']), billed.length);
}

/** Bytes of the window's days whose usage was fetched (outages and gaps are not zero). */
function measuredDays(ctx: RuleContext, cluster: ResourceFact): BytesDay[] {
  const key = factKey(cluster.orgId, cluster.id);
  const fetched = ctx.facts.fetches.get(key);
  const bytes = ctx.facts.bytes.get(key);
  if (!fetched) return [];
  const zero = { in: new Decimal(0), out: new Decimal(0) };
  return [...fetched.entries()]
    .filter(([day, status]) => status === 'ok' && day >= ctx.window.from && day < ctx.window.to)
    .map(([day]) => bytes?.get(day) ?? zero);
}

function lastDayWithBytes(ctx: RuleContext, cluster: ResourceFact): string | null {
  const bytes = ctx.facts.bytes.get(factKey(cluster.orgId, cluster.id));
  const busy = [...(bytes?.entries() ?? [])].filter(([, b]) => !b.in.plus(b.out).isZero()).map(([d]) => d);
  return busy.sort().at(-1) ?? null;
}

function unitWord(cluster: ResourceFact): string {
  return isDedicated(cluster) ? 'CKU' : 'eCKU';
}

/** The fields every insight about a resource shares. */
export function subject(ctx: RuleContext, resource: ResourceFact, kind: Insight['kind']) {
  return {
    kind,
    orgId: resource.orgId,
    subjectId: resource.id,
    subjectName: resource.displayName,
    ...teamsOf(ctx.facts, resource),
  };
}
