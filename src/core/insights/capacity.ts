/**
 * Capacity guidance: how much throughput one CKU or eCKU carries, and the fewest units a cluster
 * runs with. The price catalog carries prices only, so these are Confluent's published planning
 * figures per unit, rounded down (ingress and egress in MB/s, 1 MB = 10^6 bytes); they are
 * guidance, not guarantees, which is why insights compare them with a generous headroom and ratio.
 */
import { Decimal } from 'decimal.js';
import type { BytesDay, ResourceFact } from './facts.ts';
import { clusterType } from './pricing.ts';

/** Ingress and egress one unit (CKU or eCKU) is planned for, MB/s. */
export interface UnitThroughput {
  ingressMBps: number;
  egressMBps: number;
}

/** Per-unit planning throughput by cluster type. */
export const UNIT_THROUGHPUT: Record<string, UnitThroughput> = {
  basic: { ingressMBps: 25, egressMBps: 75 },
  standard: { ingressMBps: 25, egressMBps: 75 },
  enterprise: { ingressMBps: 60, egressMBps: 180 },
  freight: { ingressMBps: 60, egressMBps: 180 },
  dedicated: { ingressMBps: 60, egressMBps: 180 },
};

const SECONDS_PER_DAY = 86_400;
const MB = 1_000_000;

/** The fewest units a cluster can run with: Freight 2, multi-zone Dedicated 2, else 1. */
export function minimumUnits(resource: ResourceFact): number {
  const type = clusterType(resource);
  if (type === 'freight') return 2;
  if (type === 'dedicated' && resource.attributes.availability === 'MULTI_ZONE') return 2;
  return 1;
}

/** The busiest day's average ingress and egress in MB/s. */
export function peakMBps(days: BytesDay[]): { ingress: Decimal; egress: Decimal } {
  let ingress = new Decimal(0);
  let egress = new Decimal(0);
  for (const d of days) {
    ingress = Decimal.max(ingress, d.in);
    egress = Decimal.max(egress, d.out);
  }
  return { ingress: ingress.div(SECONDS_PER_DAY * MB), egress: egress.div(SECONDS_PER_DAY * MB) };
}

/** Units needed for a peak with `headroom` (× peak), never below the cluster's minimum. */
export function unitsNeeded(
  resource: ResourceFact,
  peak: { ingress: Decimal; egress: Decimal },
  headroom: string,
): number | null {
  const type = clusterType(resource);
  const guidance = type ? UNIT_THROUGHPUT[type] : undefined;
  if (!guidance) return null;
  const forIn = peak.ingress.times(headroom).div(guidance.ingressMBps).ceil();
  const forOut = peak.egress.times(headroom).div(guidance.egressMBps).ceil();
  return Math.max(minimumUnits(resource), forIn.toNumber(), forOut.toNumber());
}
