import type { PricedResource } from './priced.ts';
import { isObjectValue, type TfValue, Unknown } from './values.ts';

/**
 * Reads a resource's attribute at a path such as `["dedicated", 0, "cku"]` (blocks are lists of
 * objects in both hcl2json output and plan JSON). Returns undefined when the attribute is absent.
 */
export type AttributeReader = (path: (string | number)[]) => TfValue | undefined;

/** Cluster type blocks of `confluent_kafka_cluster`, exactly one of which is set. */
export const CLUSTER_TYPES = ['basic', 'standard', 'enterprise', 'freight', 'dedicated'] as const;

/**
 * Values that may be shown: short identifiers and numbers. Anything else (a long string, spaces,
 * punctuation typical of secrets and URLs with credentials) is refused, so an attribute can never
 * carry a secret into a comment even if a configuration puts one there.
 */
const SAFE_TEXT = /^[A-Za-z0-9._:/-]{1,64}$/;

/** Reduces a `confluent_*` resource to its priced attributes, reading through `read`. */
export function extractPriced(address: string, type: string, read: AttributeReader): PricedResource {
  const out: PricedResource = { address, type, attributes: {}, unknown: {} };
  const take = (name: string, path: (string | number)[]): void => {
    const value = read(path);
    if (value === undefined || value === null) return;
    if (value instanceof Unknown) {
      out.unknown[name] = value.reason;
      return;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      out.attributes[name] = String(value);
      return;
    }
    if (typeof value === 'string' && SAFE_TEXT.test(value)) {
      out.attributes[name] = value;
      return;
    }
    out.unknown[name] = `${name} has an unexpected value`;
  };
  readIdentity(out, read);
  switch (type) {
    case 'confluent_kafka_cluster':
      readClusterType(out, read, take);
      take('availability', ['availability']);
      take('cloud', ['cloud']);
      take('region', ['region']);
      break;
    case 'confluent_connector':
      take('tasks_max', ['config_nonsensitive', 'tasks.max']);
      take('connector_class', ['config_nonsensitive', 'connector.class']);
      take('status', ['status']);
      break;
    case 'confluent_flink_compute_pool':
      take('max_cfu', ['max_cfu']);
      take('cloud', ['cloud']);
      take('region', ['region']);
      break;
    case 'confluent_ksql_cluster':
      take('csu', ['csu']);
      break;
    case 'confluent_environment':
      take('package', ['stream_governance', 0, 'package']);
      break;
    case 'confluent_schema_registry_cluster':
      take('package', ['package']);
      break;
    case 'confluent_cluster_link':
      take('link_mode', ['link_mode']);
      break;
    case 'confluent_kafka_topic':
      take('partitions_count', ['partitions_count']);
      break;
    case 'confluent_tableflow_topic':
      if (isPresentBlock(read(['byob_aws']))) out.attributes.storage = 'byob_aws';
      else if (isPresentBlock(read(['managed_storage']))) out.attributes.storage = 'managed';
      break;
  }
  return out;
}

/** Display names may hold spaces; still no punctuation typical of secrets. */
const SAFE_NAME = /^[A-Za-z0-9._:/ -]{1,64}$/;

/** The resource's Confluent id and display name when known and identifier-like; else nothing. */
function readIdentity(out: PricedResource, read: AttributeReader): void {
  const id = read(['id']);
  const name = read(['display_name']);
  const identity: { id?: string; displayName?: string } = {};
  if (typeof id === 'string' && SAFE_TEXT.test(id)) identity.id = id;
  if (typeof name === 'string' && SAFE_NAME.test(name)) identity.displayName = name;
  if (identity.id || identity.displayName) out.identity = identity;
}

function readClusterType(
  out: PricedResource,
  read: AttributeReader,
  take: (name: string, path: (string | number)[]) => void,
): void {
  for (const kind of CLUSTER_TYPES) {
    const block = read([kind]);
    if (block instanceof Unknown) {
      out.unknown.cluster_type = block.reason;
      return;
    }
    if (!isPresentBlock(block)) continue;
    out.attributes.cluster_type = kind;
    if (kind === 'dedicated') take('cku', [kind, 0, 'cku']);
    else take('max_ecku', [kind, 0, 'max_ecku']);
    return;
  }
  // `dynamic "dedicated" { … }` in HCL: the type depends on an expression we do not expand.
  const dynamic = read(['dynamic']);
  out.unknown.cluster_type = isObjectValue(dynamic ?? null)
    ? 'the cluster type is set by a dynamic block'
    : 'no cluster type block (basic, standard, enterprise, freight or dedicated)';
}

/** A nested block is present when its list holds an object (`[{}]`), absent when `[]`. */
function isPresentBlock(value: TfValue | undefined): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && isObjectValue(value);
}
