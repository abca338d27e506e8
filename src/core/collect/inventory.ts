/**
 * One inventory listing of an organization: environments, the resources that bill (Kafka
 * clusters, connectors, Flink compute pools, Schema Registry, ksqlDB), the principals that use
 * them, and API keys, with owners resolved. Cluster links are not listed: their only list call is
 * on each cluster's Kafka REST endpoint, which needs cluster-scoped keys.
 */
import type { InventorySnapshot } from '../inventory/record.ts';
import { type KafkaCluster, listKafkaClusters } from './cmk.ts';
import { type Connector, listConnectors } from './connect.ts';
import { type ComputePool, listComputePools } from './flink.ts';
import type { ApiClient } from './http.ts';
import {
  type ApiKey,
  type IdentityPool,
  listApiKeys,
  listIdentityPools,
  listIdentityProviders,
  listServiceAccounts,
  listUsers,
  type ServiceAccount,
  type User,
} from './iam.ts';
import { type KsqldbCluster, listKsqldbClusters } from './ksqldb.ts';
import { type Environment, listEnvironments } from './org.ts';
import { listSchemaRegistries, type SchemaRegistry } from './schema-registry.ts';

type Row<K extends keyof InventorySnapshot> = NonNullable<InventorySnapshot[K]>[number];
export type EnvironmentItem = Row<'environments'>;
export type ResourceItem = Row<'resources'>;
export type PrincipalItem = Row<'principals'>;
export type ApiKeyItem = Row<'apiKeys'>;

/** A complete listing (every kind present), and when it was taken. */
export interface CollectedInventory extends Required<InventorySnapshot> {
  observedAt: string;
}

/** Options of fetchInventory: `now` stamps the listing; `concurrency` bounds parallel calls. */
export interface FetchInventoryOptions {
  now?: Date;
  concurrency?: number;
}

/** API key owner kinds as the API spells them, and ccost's principal kinds. */
const OWNER_KINDS: Record<string, string> = {
  User: 'user',
  ServiceAccount: 'service_account',
  IdentityPool: 'identity_pool',
};

/** Connector config keys that name the service account a connector runs as, or its API key. */
const SERVICE_ACCOUNT_KEY = 'kafka.service.account.id';
const API_KEY_KEY = 'kafka.api.key';

/**
 * Lists everything from the Cloud API. Any failed call fails the listing: a partial listing
 * recorded as complete would close rows of resources that still exist.
 */
export async function fetchInventory(
  client: ApiClient,
  options: FetchInventoryOptions = {},
): Promise<CollectedInventory> {
  const observedAt = (options.now ?? new Date()).toISOString();
  const limit = Math.max(1, options.concurrency ?? 4);
  const environments = await listEnvironments(client);
  const [serviceAccounts, users, pools, apiKeys] = await Promise.all([
    listServiceAccounts(client),
    listUsers(client),
    listAllIdentityPools(client, limit),
    listApiKeys(client),
  ]);
  const perEnvironment = await mapLimit(environments, limit, async (env) => {
    const [clusters, computePools, registries, ksqldbs] = await Promise.all([
      listKafkaClusters(client, env.id),
      listComputePools(client, env.id),
      listSchemaRegistries(client, env.id),
      listKsqldbClusters(client, env.id),
    ]);
    return { env, clusters, computePools, registries, ksqldbs };
  });
  const clusters = perEnvironment.flatMap((e) => e.clusters.map((cluster) => ({ env: e.env, cluster })));
  const connectors = await mapLimit(clusters, limit, async ({ env, cluster }) => ({
    cluster,
    env,
    list: await listConnectors(client, env.id, cluster.id),
  }));

  const principals = [
    ...serviceAccounts.map(serviceAccountItem),
    ...users.map(userItem),
    ...pools.map(identityPoolItem),
  ];
  const principalKinds = new Map(principals.map((p) => [p.id, p.kind]));
  const keys = apiKeys.flatMap((k) => apiKeyItem(k, principalKinds));
  const keyOwners = new Map(keys.map((k) => [k.id, k.ownerId]));
  const clustersById = new Map(clusters.map(({ cluster }) => [cluster.id, cluster]));

  const resources: ResourceItem[] = [];
  for (const { env, clusters: envClusters, computePools, registries, ksqldbs } of perEnvironment) {
    resources.push(...envClusters.map((c) => kafkaClusterItem(c, env.id)));
    resources.push(...computePools.map((p) => computePoolItem(p, env.id)));
    resources.push(...registries.map((r) => schemaRegistryItem(r, env.id)));
    resources.push(...ksqldbs.map((k) => ksqldbItem(k, env.id, clustersById)));
  }
  for (const { cluster, env, list } of connectors) {
    resources.push(...list.map((c) => connectorItem(c, cluster, env.id, keyOwners)));
  }

  return {
    observedAt,
    environments: byId(environments.map(environmentItem)),
    resources: byId(resources),
    principals: byId(principals),
    apiKeys: byId(keys),
  };
}

async function listAllIdentityPools(client: ApiClient, limit: number): Promise<IdentityPool[]> {
  const providers = await listIdentityProviders(client);
  return (await mapLimit(providers, limit, (p) => listIdentityPools(client, p.id))).flat();
}

/** An environment row. */
export function environmentItem(env: Environment): EnvironmentItem {
  return {
    id: env.id,
    displayName: env.display_name ?? null,
    streamGovernancePackage: env.stream_governance_config?.package ?? null,
  };
}

/** A Kafka cluster row: type is the config kind; CKUs, max eCKUs and availability are attributes. */
export function kafkaClusterItem(cluster: KafkaCluster, environmentId: string): ResourceItem {
  const { spec, status } = cluster;
  return {
    id: cluster.id,
    kind: 'kafka_cluster',
    type: spec.config.kind,
    cloud: spec.cloud ?? null,
    region: spec.region ?? null,
    displayName: spec.display_name ?? null,
    environmentId: spec.environment?.id ?? environmentId,
    parentId: null,
    ownerId: null,
    attributes: compact({
      availability: spec.availability,
      cku: status?.cku ?? spec.config.cku,
      max_ecku: spec.config.max_ecku,
      network_id: spec.network?.id,
    }),
  };
}

/**
 * A connector row on its Kafka cluster. Custom connectors (config `confluent.connector.type`
 * CUSTOM or a `confluent.custom.plugin.id`) get kind custom_connector. The owner is the
 * connector's service account, else the owner of its (unmasked) Kafka API key.
 */
export function connectorItem(
  connector: Connector,
  cluster: KafkaCluster,
  environmentId: string,
  keyOwners: ReadonlyMap<string, string>,
): ResourceItem {
  const config = connector.info?.config ?? {};
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined);
  const custom =
    text('confluent.connector.type')?.toUpperCase() === 'CUSTOM' ||
    text('confluent.custom.plugin.id') !== undefined;
  const apiKey = text(API_KEY_KEY);
  const ownerId = text(SERVICE_ACCOUNT_KEY) ?? (apiKey ? keyOwners.get(apiKey) : undefined) ?? null;
  return {
    id: connector.id.id,
    kind: custom ? 'custom_connector' : 'connector',
    type: text('connector.class') ?? null,
    cloud: cluster.spec.cloud ?? null,
    region: cluster.spec.region ?? null,
    displayName: connector.info?.name ?? connector.name,
    environmentId,
    parentId: cluster.id,
    ownerId,
    attributes: compact({
      direction: connector.status?.type ?? connector.info?.type,
      tasks_max: text('tasks.max'),
      state: connector.status?.connector?.state,
    }),
  };
}

/** A Flink compute pool row; max CFUs and default-pool flag are attributes. */
export function computePoolItem(pool: ComputePool, environmentId: string): ResourceItem {
  return {
    id: pool.id,
    kind: 'flink_pool',
    type: null,
    cloud: pool.spec.cloud ?? null,
    region: pool.spec.region ?? null,
    displayName: pool.spec.display_name ?? null,
    environmentId: pool.spec.environment?.id ?? environmentId,
    parentId: null,
    ownerId: null,
    attributes: compact({ max_cfu: pool.spec.max_cfu, default_pool: pool.spec.default_pool }),
  };
}

/** A Schema Registry row; the type is its Stream Governance package. */
export function schemaRegistryItem(registry: SchemaRegistry, environmentId: string): ResourceItem {
  return {
    id: registry.id,
    kind: 'schema_registry',
    type: registry.spec.package ?? null,
    cloud: registry.spec.cloud ?? null,
    region: registry.spec.region ?? null,
    displayName: registry.spec.display_name ?? null,
    environmentId: registry.spec.environment?.id ?? environmentId,
    parentId: null,
    ownerId: null,
    attributes: null,
  };
}

/** A ksqlDB row: parent is its Kafka cluster (cloud and region come from it), owner its credential identity. */
export function ksqldbItem(
  ksqldb: KsqldbCluster,
  environmentId: string,
  clusters: ReadonlyMap<string, KafkaCluster>,
): ResourceItem {
  const parentId = ksqldb.spec.kafka_cluster?.id ?? null;
  const parent = parentId ? clusters.get(parentId) : undefined;
  return {
    id: ksqldb.id,
    kind: 'ksqldb',
    type: null,
    cloud: parent?.spec.cloud ?? null,
    region: parent?.spec.region ?? null,
    displayName: ksqldb.spec.display_name ?? null,
    environmentId: ksqldb.spec.environment?.id ?? environmentId,
    parentId,
    ownerId: ksqldb.spec.credential_identity?.id ?? null,
    attributes: compact({ csu: ksqldb.spec.csu }),
  };
}

/** A service account row. */
export function serviceAccountItem(sa: ServiceAccount): PrincipalItem {
  return {
    id: sa.id,
    kind: 'service_account',
    displayName: sa.display_name ?? null,
    description: sa.description ?? null,
  };
}

/** A user row: named by full name, else email; the email is the description. */
export function userItem(user: User): PrincipalItem {
  return {
    id: user.id,
    kind: 'user',
    displayName: user.full_name || user.email || null,
    description: user.email ?? null,
  };
}

/** An identity pool row. */
export function identityPoolItem(pool: IdentityPool): PrincipalItem {
  return {
    id: pool.id,
    kind: 'identity_pool',
    displayName: pool.display_name ?? null,
    description: pool.description ?? null,
  };
}

/**
 * An API key row, or none for a key without an owner. The owner kind is the listed principal's
 * kind, else the API's `spec.owner.kind` mapped to ccost's names, else `unknown`.
 */
export function apiKeyItem(key: ApiKey, principalKinds: ReadonlyMap<string, string>): ApiKeyItem[] {
  const owner = key.spec.owner;
  if (!owner) return [];
  const ownerKind = principalKinds.get(owner.id) ?? OWNER_KINDS[owner.kind ?? ''] ?? 'unknown';
  return [
    {
      id: key.id,
      ownerId: owner.id,
      ownerKind,
      resourceId: key.spec.resource?.id ?? null,
      displayName: key.spec.display_name ?? null,
    },
  ];
}

/** Drops null and undefined entries; null when nothing is left. */
function compact(values: Record<string, unknown>): Record<string, unknown> | null {
  const kept = Object.entries(values).filter(([, v]) => v !== null && v !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

/** One item per id (the last listed wins), sorted by id so a listing is stable. */
function byId<T extends { id: string }>(items: T[]): T[] {
  const map = new Map(items.map((item) => [item.id, item]));
  return [...map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Maps with at most `limit` calls in flight, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
