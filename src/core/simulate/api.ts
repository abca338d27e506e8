/**
 * The wire shapes of the Org, IAM, CMK, Connect, FCPM, SRCM and ksqlDB APIs for the simulated
 * organization, with the field names of Confluent's published OpenAPI specs: `{api_version, kind,
 * id, metadata: {self, resource_name, created_at, updated_at}, spec, status}` items and object
 * references `{id, environment?, related, resource_name}`.
 */
import type {
  SimApiKey,
  SimCluster,
  SimComputePool,
  SimConnector,
  SimEnvironment,
  SimIdentityProvider,
  SimKsqlCluster,
  SimOrganization,
  SimPrincipal,
  SimSchemaRegistry,
} from './org.ts';

type Json = Record<string, unknown>;

/** What item builders need: where the API lives and whose organization it is. */
export interface Site {
  base: string;
  orgId: string;
}

/** The error body of the Cloud APIs (and, without `title`, of the Metrics API). */
export function errorBody(
  status: number,
  code: string,
  title: string,
  detail: string,
  parameter?: string,
): Json {
  const error: Json = { id: `sim-${status}-${code}`, status: String(status), code, title, detail };
  if (parameter) error.source = { parameter };
  return { errors: [error] };
}

/** The error body of the Connect v1 API. */
export function connectErrorBody(status: number, message: string): Json {
  return { error: { code: status, message } };
}

function crn(site: Site, ...parts: string[]): string {
  return ['crn://confluent.cloud', `organization=${site.orgId}`, ...parts].join('/');
}

function meta(site: Site, path: string, crnName: string, e: { createdAt: string }): Json {
  return {
    self: `${site.base}${path}`,
    resource_name: crnName,
    created_at: e.createdAt,
    updated_at: e.createdAt,
  };
}

function envRef(site: Site, envId: string): Json {
  return {
    id: envId,
    related: `${site.base}/org/v2/environments/${envId}`,
    resource_name: crn(site, `environment=${envId}`),
  };
}

/** `org/v2` Organization. */
export function organizationItem(site: Site, o: SimOrganization): Json {
  return {
    api_version: 'org/v2',
    kind: 'Organization',
    id: o.id,
    metadata: meta(site, `/org/v2/organizations/${o.id}`, `crn://confluent.cloud/organization=${o.id}`, o),
    display_name: o.name,
    jit_enabled: false,
  };
}

/** `org/v2` Environment. */
export function environmentItem(site: Site, e: SimEnvironment): Json {
  return {
    api_version: 'org/v2',
    kind: 'Environment',
    id: e.id,
    metadata: meta(site, `/org/v2/environments/${e.id}`, crn(site, `environment=${e.id}`), e),
    display_name: e.name,
    stream_governance_config: { package: e.package },
  };
}

/** `cmk/v2` Cluster; `spec.config` is the oneOf discriminated by `kind`. */
export function clusterItem(site: Site, c: SimCluster): Json {
  const host = `${c.id}-${c.region}.${c.cloud.toLowerCase()}`;
  const config =
    c.kind === 'Dedicated'
      ? { kind: 'Dedicated', cku: c.cku, zones: zones(c) }
      : c.kind === 'Freight'
        ? { kind: 'Freight', max_ecku: c.maxEcku, zones: zones(c) }
        : { kind: c.kind, max_ecku: c.maxEcku };
  const spec: Json = {
    display_name: c.name,
    availability: c.availability,
    cloud: c.cloud,
    region: c.region,
    config,
    kafka_bootstrap_endpoint: `SASL_SSL://${host}.confluent.cloud:9092`,
    http_endpoint: `https://${host}.confluent.cloud:443`,
    api_endpoint: `https://pkac-${c.id.slice(4)}.${c.region}.${c.cloud.toLowerCase()}.confluent.cloud`,
    environment: envRef(site, c.environmentId),
  };
  if (c.networkAccessType !== 'INTERNET') {
    const net = `n-${c.id.slice(4)}`;
    spec.network = {
      id: net,
      environment: c.environmentId,
      related: `${site.base}/networking/v1/networks/${net}`,
      resource_name: crn(site, `environment=${c.environmentId}`, `network=${net}`),
    };
  }
  const status: Json = { phase: 'PROVISIONED' };
  if (c.kind === 'Dedicated') status.cku = c.cku;
  return {
    api_version: 'cmk/v2',
    kind: 'Cluster',
    id: c.id,
    metadata: meta(site, `/cmk/v2/clusters/${c.id}`, clusterCrn(site, c.environmentId, c.id), c),
    spec,
    status,
  };
}

function clusterCrn(site: Site, envId: string, id: string): string {
  return crn(site, `environment=${envId}`, `cloud-cluster=${id}`, `kafka=${id}`);
}

function zones(c: SimCluster): string[] {
  const zonesByCloud: Record<string, string[]> = {
    AWS: ['use1-az1', 'use1-az2', 'use1-az4'],
    GCP: [`${c.region}-a`, `${c.region}-b`, `${c.region}-c`],
    AZURE: ['1', '2', '3'],
  };
  const all = zonesByCloud[c.cloud]!;
  return c.availability === 'MULTI_ZONE' ? all : all.slice(0, 1);
}

/** `iam/v2` ServiceAccount. */
export function serviceAccountItem(site: Site, p: SimPrincipal): Json {
  return {
    api_version: 'iam/v2',
    kind: 'ServiceAccount',
    id: p.id,
    metadata: meta(site, `/iam/v2/service-accounts/${p.id}`, crn(site, `service-account=${p.id}`), p),
    display_name: p.name,
    description: p.description,
  };
}

/** `iam/v2` User. */
export function userItem(site: Site, p: SimPrincipal): Json {
  return {
    api_version: 'iam/v2',
    kind: 'User',
    id: p.id,
    metadata: meta(site, `/iam/v2/users/${p.id}`, crn(site, `user=${p.id}`), p),
    email: p.email,
    full_name: p.name,
    auth_type: p.authType,
  };
}

/** `iam/v2` IdentityProvider. */
export function identityProviderItem(site: Site, op: SimIdentityProvider): Json {
  return {
    api_version: 'iam/v2',
    kind: 'IdentityProvider',
    id: op.id,
    metadata: meta(site, `/iam/v2/identity-providers/${op.id}`, crn(site, `identity-provider=${op.id}`), op),
    display_name: op.name,
    description: 'Corporate OIDC provider',
    state: 'ENABLED',
    issuer: op.issuer,
    jwks_uri: op.jwksUri,
  };
}

/** `iam/v2` IdentityPool. */
export function identityPoolItem(site: Site, p: SimPrincipal): Json {
  const provider = p.providerId!;
  return {
    api_version: 'iam/v2',
    kind: 'IdentityPool',
    id: p.id,
    metadata: meta(
      site,
      `/iam/v2/identity-providers/${provider}/identity-pools/${p.id}`,
      crn(site, `identity-provider=${provider}`, `identity-pool=${p.id}`),
      p,
    ),
    display_name: p.name,
    description: p.description,
    identity_claim: 'claims.sub',
    filter: `claims.aud == "confluent" && claims.group == "${p.name}"`,
    state: 'ENABLED',
  };
}

/** `iam/v2` ApiKey: `spec.owner` is the principal, `spec.resource` the cluster (or `cloud`). */
export function apiKeyItem(site: Site, k: SimApiKey): Json {
  const ownerPath = k.ownerKind === 'User' ? 'users' : 'service-accounts';
  const owner = {
    id: k.ownerId,
    related: `${site.base}/iam/v2/${ownerPath}/${k.ownerId}`,
    resource_name: crn(site, `${k.ownerKind === 'User' ? 'user' : 'service-account'}=${k.ownerId}`),
    api_version: 'iam/v2',
    kind: k.ownerKind,
  };
  const resource = k.clusterId
    ? {
        id: k.clusterId,
        environment: k.environmentId,
        related: `${site.base}/cmk/v2/clusters/${k.clusterId}`,
        resource_name: clusterCrn(site, k.environmentId!, k.clusterId),
        api_version: 'cmk/v2',
        kind: 'Cluster',
      }
    : { id: 'cloud', related: `${site.base}/`, resource_name: crn(site), kind: 'Cloud' };
  return {
    api_version: 'iam/v2',
    kind: 'ApiKey',
    id: k.id,
    metadata: meta(site, `/iam/v2/api-keys/${k.id}`, crn(site, `api-key=${k.id}`), k),
    spec: {
      display_name: k.name,
      description: `${k.name} (managed by platform)`,
      owner,
      resource,
      resources: [resource],
    },
  };
}

/** `fcpm/v2` ComputePool. */
export function computePoolItem(site: Site, p: SimComputePool, currentCfu: number): Json {
  return {
    api_version: 'fcpm/v2',
    kind: 'ComputePool',
    id: p.id,
    metadata: meta(
      site,
      `/fcpm/v2/compute-pools/${p.id}`,
      crn(
        site,
        `environment=${p.environmentId}`,
        `flink-region=${p.cloud.toLowerCase()}.${p.region}`,
        `compute-pool=${p.id}`,
      ),
      p,
    ),
    spec: {
      display_name: p.name,
      cloud: p.cloud,
      region: p.region,
      max_cfu: p.maxCfu,
      default_pool: false,
      environment: envRef(site, p.environmentId),
    },
    status: { phase: 'PROVISIONED', current_cfu: currentCfu },
  };
}

/** `srcm/v3` Cluster (the environment's Schema Registry). */
export function schemaRegistryItem(site: Site, sr: SimSchemaRegistry): Json {
  const host = `https://psrc-${sr.id.slice(5)}.${sr.region}.${sr.cloud.toLowerCase()}.confluent.cloud`;
  return {
    api_version: 'srcm/v3',
    kind: 'Cluster',
    id: sr.id,
    metadata: meta(
      site,
      `/srcm/v3/clusters/${sr.id}`,
      crn(site, `environment=${sr.environmentId}`, `schema-registry=${sr.id}`),
      sr,
    ),
    spec: {
      display_name: 'Stream Governance Package',
      package: sr.package,
      http_endpoint: host,
      catalog_http_endpoint: host,
      cloud: sr.cloud,
      region: sr.region,
      environment: envRef(site, sr.environmentId),
    },
    status: { phase: 'PROVISIONED' },
  };
}

/** `ksqldbcm/v2` Cluster: `spec.credential_identity` is the service account it runs as. */
export function ksqlItem(site: Site, k: SimKsqlCluster): Json {
  return {
    api_version: 'ksqldbcm/v2',
    kind: 'Cluster',
    id: k.id,
    metadata: meta(
      site,
      `/ksqldbcm/v2/clusters/${k.id}`,
      crn(site, `environment=${k.environmentId}`, `ksql=${k.id}`),
      k,
    ),
    spec: {
      display_name: k.name,
      use_detailed_processing_log: true,
      csu: k.csu,
      kafka_cluster: {
        id: k.clusterId,
        environment: k.environmentId,
        related: `${site.base}/cmk/v2/clusters/${k.clusterId}`,
        resource_name: clusterCrn(site, k.environmentId, k.clusterId),
        api_version: 'cmk/v2',
        kind: 'Cluster',
      },
      credential_identity: {
        id: k.credentialIdentityId,
        related: `${site.base}/iam/v2/service-accounts/${k.credentialIdentityId}`,
        resource_name: crn(site, `service-account=${k.credentialIdentityId}`),
        api_version: 'iam/v2',
        kind: 'ServiceAccount',
      },
      environment: { ...envRef(site, k.environmentId), api_version: 'org/v2', kind: 'Environment' },
    },
    status: {
      http_endpoint: `https://pksqlc-${k.id.slice(7)}.us-east-1.aws.confluent.cloud`,
      phase: 'PROVISIONED',
      is_paused: false,
      storage: 125 * k.csu,
      topic_prefix: `pksqlc-${k.id.slice(7)}`,
    },
  };
}

/** Which parts of a connector `?expand=` asked for. */
export interface Expansion {
  id: boolean;
  info: boolean;
  status: boolean;
}

/** One entry of the Connect v1 expanded listing (a map keyed by connector name). */
export function connectorEntry(k: SimConnector, cluster: SimCluster, topic: string, expand: Expansion): Json {
  const entry: Json = {};
  if (expand.id) entry.id = { id: k.id, id_type: 'ID' };
  if (expand.info) {
    entry.info = {
      name: k.name,
      config: {
        'cloud.environment': 'prod',
        'cloud.provider': cluster.cloud.toLowerCase(),
        'connector.class': k.connectorClass,
        name: k.name,
        'kafka.auth.mode': 'SERVICE_ACCOUNT',
        'kafka.service.account.id': k.serviceAccountId,
        'kafka.api.key': '****************',
        'kafka.api.secret': '****************',
        'kafka.endpoint': `SASL_SSL://${cluster.id}-${cluster.region}.${cluster.cloud.toLowerCase()}.confluent.cloud:9092`,
        'kafka.region': cluster.region,
        'tasks.max': String(k.tasks),
        [k.type === 'sink' ? 'topics' : 'kafka.topic']: topic,
      },
      type: k.type,
    };
  }
  if (expand.status) {
    entry.status = {
      name: k.name,
      connector: { state: 'RUNNING', worker_id: k.name, trace: '' },
      tasks: Array.from({ length: k.tasks }, (_, id) => ({ id, state: 'RUNNING', worker_id: k.name })),
      type: k.type,
    };
  }
  return entry;
}
