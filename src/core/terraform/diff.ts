import type { ChangeAction, PricedResource, ResourceChange } from './priced.ts';

/**
 * Attributes whose change makes Terraform destroy and re-create the resource (ForceNew in the
 * provider). A cluster type change replaces too, except Basic → Standard, which upgrades in place.
 */
const FORCES_REPLACEMENT: Record<string, string[]> = {
  confluent_kafka_cluster: ['cloud', 'region', 'availability'],
  confluent_flink_compute_pool: ['cloud', 'region'],
  confluent_ksql_cluster: ['csu'],
  confluent_connector: ['connector_class'],
  confluent_cluster_link: ['link_mode'],
};

/** Compares base and head configurations by address, in head order then deleted resources. */
export function diffResources(base: PricedResource[], head: PricedResource[]): ResourceChange[] {
  const before = new Map(base.map((r) => [r.address, r]));
  const seen = new Set<string>();
  const out: ResourceChange[] = [];
  for (const after of head) {
    seen.add(after.address);
    const prior = before.get(after.address);
    if (!prior) out.push({ address: after.address, action: 'create', after });
    else out.push({ address: after.address, action: classify(prior, after), before: prior, after });
  }
  for (const prior of base) {
    if (!seen.has(prior.address)) out.push({ address: prior.address, action: 'delete', before: prior });
  }
  return out;
}

/** Every resource of one configuration as created (no base to compare to). */
export function asCreated(head: PricedResource[]): ResourceChange[] {
  return head.map((after) => ({ address: after.address, action: 'create', after }));
}

function classify(before: PricedResource, after: PricedResource): ChangeAction {
  if (before.type !== after.type) return 'replace';
  if (JSON.stringify(sorted(before)) === JSON.stringify(sorted(after))) return 'no-op';
  if (before.type === 'confluent_kafka_cluster') {
    const from = before.attributes.cluster_type;
    const to = after.attributes.cluster_type;
    if (from && to && from !== to && !(from === 'basic' && to === 'standard')) return 'replace';
  }
  for (const attr of FORCES_REPLACEMENT[before.type] ?? []) {
    if (before.attributes[attr] !== after.attributes[attr]) return 'replace';
  }
  return 'update';
}

function sorted(r: PricedResource): unknown {
  const pick = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort());
  return [pick(r.attributes), pick(r.unknown), r.notEstimated ?? null];
}
