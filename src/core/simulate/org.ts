/**
 * The structure of the simulated organization: environments, clusters, principals, keys and the
 * other billed resources, each with the instants it was created (and deleted). Built once from
 * the options with a seeded sequential generator, so the same options give the same organization.
 */
import { CcostError, ErrorCode } from '../errors/index.ts';
import { addDays, instantOf, tryDayNumber } from './calendar.ts';
import { IdMint, KEY_ALPHABET, Rng, seedWord } from './random.ts';

/** Teams owning the simulated principals and resources; `platform` is the shared team. */
export const TEAMS = ['payments', 'checkout', 'search', 'data-platform', 'platform'] as const;
export type Team = (typeof TEAMS)[number];

/** Options of a simulated organization. */
export interface ModelOptions {
  /** Any number or text; 42 and "42" are the same seed. */
  seed: number | string;
  /** Kafka clusters (default 8, at least 1). */
  clusters?: number;
  /** Service accounts, users and identity pools together (default 40, at least 6). */
  principals?: number;
  /**
   * First day of the story (default 2026-10-01): the mid-month cluster is created 14 days later and
   * a service account is deleted 19 days later. Data exists for every day any entity exists.
   */
  start?: string;
}

/** When an entity existed: [createdAt, deletedAt), ISO instants. */
export interface Lifetime {
  createdAt: string;
  deletedAt?: string;
}

export interface SimOrganization extends Lifetime {
  id: string;
  name: string;
}

export interface SimEnvironment extends Lifetime {
  id: string;
  name: string;
  /** Stream Governance package. */
  package: 'ESSENTIALS' | 'ADVANCED';
}

export type ClusterKind = 'Basic' | 'Standard' | 'Enterprise' | 'Dedicated' | 'Freight';

export interface SimTopic {
  name: string;
  /** Share of the cluster's bytes this topic carries (relative integer weight). */
  weight: number;
  /** Typical retained bytes; each day varies by up to +20%. */
  retainedBytes: number;
  partitions: number;
}

export interface SimCluster extends Lifetime {
  id: string;
  index: number;
  name: string;
  kind: ClusterKind;
  team: Team;
  environmentId: string;
  cloud: 'AWS' | 'GCP' | 'AZURE';
  region: string;
  availability: 'SINGLE_ZONE' | 'MULTI_ZONE';
  /** CKUs of a Dedicated cluster. */
  cku?: number;
  /** eCKU ceiling of the elastic types. */
  maxEcku?: number;
  networkAccessType: 'INTERNET' | 'PRIVATE_LINK' | 'PEERED_VPC' | 'TRANSIT_GATEWAY';
  /** Billed with KAFKA_BASE and KAFKA_PARTITION (an organization created before 2024-04-16). */
  legacy: boolean;
  topics: SimTopic[];
}

export type PrincipalKind = 'service_account' | 'user' | 'identity_pool';

/** How a principal moves bytes: peak bytes per hour and the shape of its day. */
export interface ActivityProfile {
  writePerHour: number;
  readPerHour: number;
  /** Index into `SHAPES` of usage.ts. */
  shape: number;
}

export interface SimPrincipal extends Lifetime {
  id: string;
  index: number;
  kind: PrincipalKind;
  name: string;
  description: string;
  team: Team;
  email?: string;
  authType?: 'AUTH_TYPE_SSO' | 'AUTH_TYPE_LOCAL';
  /** Identity provider of an identity pool. */
  providerId?: string;
  /** Cluster indexes the principal is active on, primary first (1–3). */
  clusters: number[];
  profile: ActivityProfile;
}

export interface SimIdentityProvider extends Lifetime {
  id: string;
  name: string;
  issuer: string;
  jwksUri: string;
}

export interface SimApiKey extends Lifetime {
  id: string;
  name: string;
  ownerId: string;
  ownerKind: 'ServiceAccount' | 'User';
  /** The Kafka cluster it is scoped to; null for a Cloud API key. */
  clusterId: string | null;
  environmentId: string | null;
}

export interface SimConnector extends Lifetime {
  id: string;
  name: string;
  connectorClass: string;
  type: 'source' | 'sink';
  tasks: number;
  clusterId: string;
  environmentId: string;
  serviceAccountId: string;
  team: Team;
}

export interface SimComputePool extends Lifetime {
  id: string;
  name: string;
  environmentId: string;
  cloud: string;
  region: string;
  maxCfu: number;
  team: Team;
}

export interface SimKsqlCluster extends Lifetime {
  id: string;
  name: string;
  csu: number;
  clusterId: string;
  environmentId: string;
  credentialIdentityId: string;
  team: Team;
}

export interface SimSchemaRegistry extends Lifetime {
  id: string;
  environmentId: string;
  package: 'ESSENTIALS' | 'ADVANCED';
  cloud: string;
  region: string;
  /** Registered schemas (billed above the package's free allowance). */
  schemas: number;
}

export interface SimClusterLink extends Lifetime {
  id: string;
  name: string;
  sourceClusterId: string;
  destinationClusterId: string;
  environmentId: string;
}

/** The notable events the simulator exists to exercise. */
export interface SimEvents {
  /** A cluster created mid-month: absent before `at`. */
  createdCluster?: { id: string; at: string };
  /** A service account deleted mid-month: usage and billing before `at`, absent from listings after. */
  deletedServiceAccount?: { id: string; at: string };
  /** The Basic cluster billed with the legacy KAFKA_BASE / KAFKA_PARTITION lines. */
  legacyClusterId?: string;
  /** The topic billed for Tableflow, and its cluster. */
  tableflow?: { clusterId: string; topic: string };
}

/** The whole generated organization. */
export interface SimOrg {
  seed: number | string;
  start: string;
  organization: SimOrganization;
  environments: SimEnvironment[];
  clusters: SimCluster[];
  principals: SimPrincipal[];
  identityProviders: SimIdentityProvider[];
  apiKeys: SimApiKey[];
  connectors: SimConnector[];
  computePools: SimComputePool[];
  ksqlClusters: SimKsqlCluster[];
  schemaRegistries: SimSchemaRegistry[];
  clusterLinks: SimClusterLink[];
  /** The Confluent-managed audit log cluster: billed (AUDIT_LOG_READ) but never listed. */
  auditLog: { clusterId: string; name: string; cloud: string; region: string };
  events: SimEvents;
}

interface ClusterTemplate {
  name: string;
  kind: ClusterKind;
  team: Team;
  env: number;
  cloud: SimCluster['cloud'];
  region: string;
  network: SimCluster['networkAccessType'];
  legacy?: boolean;
}

/** The first clusters of every organization; the last one is the one created mid-month. */
const CLUSTER_TEMPLATES: ClusterTemplate[] = [
  {
    name: 'payments-prod',
    kind: 'Dedicated',
    team: 'payments',
    env: 0,
    cloud: 'AWS',
    region: 'us-east-1',
    network: 'PRIVATE_LINK',
  },
  {
    name: 'checkout-prod',
    kind: 'Enterprise',
    team: 'checkout',
    env: 0,
    cloud: 'AWS',
    region: 'us-west-2',
    network: 'PRIVATE_LINK',
  },
  {
    name: 'search-prod',
    kind: 'Standard',
    team: 'search',
    env: 0,
    cloud: 'GCP',
    region: 'us-central1',
    network: 'INTERNET',
  },
  {
    name: 'data-platform-lake',
    kind: 'Freight',
    team: 'data-platform',
    env: 0,
    cloud: 'AWS',
    region: 'us-east-1',
    network: 'PEERED_VPC',
  },
  {
    name: 'platform-staging',
    kind: 'Standard',
    team: 'platform',
    env: 1,
    cloud: 'AZURE',
    region: 'eastus',
    network: 'INTERNET',
  },
  {
    name: 'platform-legacy-sandbox',
    kind: 'Basic',
    team: 'platform',
    env: 2,
    cloud: 'AWS',
    region: 'us-east-1',
    network: 'INTERNET',
    legacy: true,
  },
  {
    name: 'search-dev',
    kind: 'Basic',
    team: 'search',
    env: 2,
    cloud: 'GCP',
    region: 'us-east4',
    network: 'INTERNET',
  },
  {
    name: 'checkout-events-v2',
    kind: 'Enterprise',
    team: 'checkout',
    env: 0,
    cloud: 'AWS',
    region: 'us-east-2',
    network: 'TRANSIT_GATEWAY',
  },
];

const REGIONS: Record<SimCluster['cloud'], string[]> = {
  AWS: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'],
  GCP: ['us-central1', 'europe-west1', 'us-east4'],
  AZURE: ['eastus', 'westeurope'],
};

const ROLES: Record<Team, string[]> = {
  payments: ['api', 'worker', 'ledger', 'reconciler', 'fraud-scorer', 'refunds', 'settlement', 'notifier'],
  checkout: ['worker', 'api', 'ksql', 'cart-service', 'pricing', 'inventory-sync', 'promotions'],
  search: ['indexer', 'query-api', 'crawler', 'ranker', 'suggest'],
  'data-platform': ['etl', 'cdc-reader', 'lake-writer', 'spark-ingest', 'dbt-runner', 'quality-checker'],
  platform: ['connect', 'monitoring', 'schema-tools', 'replicator', 'audit-reader', 'gitops'],
};

const TOPICS: Record<Team, string[]> = {
  payments: ['orders', 'refunds', 'ledger-entries', 'settlements'],
  checkout: ['carts', 'checkout-events', 'promotions'],
  search: ['index-updates', 'queries', 'click-stream'],
  'data-platform': ['events', 'cdc.customers', 'lake-ingest'],
  platform: ['audit', 'heartbeats', 'connect-offsets'],
};

/** Service-account teams in proportion: payments and checkout are the biggest. */
const TEAM_CYCLE: Team[] = [
  'payments',
  'checkout',
  'data-platform',
  'search',
  'payments',
  'checkout',
  'platform',
  'data-platform',
  'search',
  'payments',
];

const USER_NAMES = [
  'Maya Patel',
  'Jonas Berg',
  'Lena Okafor',
  'Tomas Silva',
  'Priya Nair',
  'Eli Cohen',
  'Sara Lind',
  'Kenji Mori',
];

/** Organization-wide facts the builders share. */
interface Ctx {
  rng: Rng;
  ids: IdMint;
  start: string;
  org: SimOrg;
}

/** Validates options and fills defaults. */
export function resolveOptions(options: ModelOptions): Required<ModelOptions> {
  const clusters = options.clusters ?? 8;
  const principals = options.principals ?? 40;
  const start = options.start ?? '2026-10-01';
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 10_000) {
    throw new CcostError(
      ErrorCode.InputInvalid,
      `clusters must be an integer from 1 to 10000 (got ${clusters})`,
    );
  }
  if (!Number.isInteger(principals) || principals < 6 || principals > 200_000) {
    throw new CcostError(
      ErrorCode.InputInvalid,
      `principals must be an integer from 6 to 200000 (got ${principals})`,
    );
  }
  if (tryDayNumber(start) === undefined) {
    throw new CcostError(ErrorCode.InputInvalid, `start must be a date YYYY-MM-DD (got "${start}")`);
  }
  return { seed: options.seed, clusters, principals, start };
}

/** Builds the organization of `options`; a pure function of them. */
export function buildOrganization(options: ModelOptions): SimOrg {
  const opts = resolveOptions(options);
  const rng = new Rng(seedWord(opts.seed));
  const ctx: Ctx = { rng, ids: new IdMint(rng), start: opts.start, org: emptyOrg(opts, rng) };
  buildEnvironments(ctx, opts.clusters);
  buildClusters(ctx, opts.clusters);
  buildPrincipals(ctx, opts.principals);
  assignClusters(ctx);
  buildResources(ctx);
  buildTopics(ctx);
  buildApiKeys(ctx);
  return ctx.org;
}

function emptyOrg(opts: Required<ModelOptions>, rng: Rng): SimOrg {
  const hex = () => rng.chars(4, '0123456789abcdef');
  const id = `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
  // Old enough for the legacy Basic billing model (organizations created before 2024-04-16).
  const relative = addDays(opts.start, -rng.int(950, 1300));
  const legacyCutoff = addDays('2024-04-01', -rng.int(0, 300));
  const createdDay = [relative, legacyCutoff].sort()[0]!;
  return {
    seed: opts.seed,
    start: opts.start,
    organization: { id, name: 'Simulated Retail Co', createdAt: instantOf(createdDay, 8) },
    environments: [],
    clusters: [],
    principals: [],
    identityProviders: [],
    apiKeys: [],
    connectors: [],
    computePools: [],
    ksqlClusters: [],
    schemaRegistries: [],
    clusterLinks: [],
    auditLog: { clusterId: '', name: 'audit-log', cloud: 'AWS', region: 'us-west-2' },
    events: {},
  };
}

/** A creation instant 10–400 days before the story starts (after the organization existed). */
function before(ctx: Ctx, minDays = 10, maxDays = 400): string {
  return instantOf(addDays(ctx.start, -ctx.rng.int(minDays, maxDays)), ctx.rng.int(0, 23));
}

function buildEnvironments(ctx: Ctx, clusters: number): void {
  const names: [string, SimEnvironment['package']][] = [
    ['production', 'ADVANCED'],
    ['staging', 'ESSENTIALS'],
    ['development', 'ESSENTIALS'],
  ];
  const count = clusters >= 3 ? 3 : 2;
  const orgDay = ctx.org.organization.createdAt.slice(0, 10);
  for (const [name, pkg] of names.slice(0, count)) {
    ctx.org.environments.push({
      id: ctx.ids.next('env-', 6),
      name,
      package: pkg,
      createdAt: instantOf(addDays(orgDay, ctx.rng.int(1, 15)), ctx.rng.int(0, 23)),
    });
  }
}

/** The template of cluster `i` of `count`: the mid-month cluster is always the last. */
function templateFor(ctx: Ctx, i: number, count: number): ClusterTemplate {
  const last = CLUSTER_TEMPLATES.length - 1;
  if (count >= 2 && i === count - 1) return CLUSTER_TEMPLATES[last]!;
  if (i < last) return CLUSTER_TEMPLATES[i]!;
  const rng = ctx.rng;
  const team = rng.pick(TEAMS);
  const kind = rng.pick<ClusterKind>([
    'Standard',
    'Standard',
    'Basic',
    'Enterprise',
    'Enterprise',
    'Dedicated',
    'Freight',
  ]);
  const cloud = rng.pick<SimCluster['cloud']>(['AWS', 'AWS', 'GCP', 'AZURE']);
  const env = rng.int(0, 9) < 6 ? 0 : rng.int(1, ctx.org.environments.length - 1);
  const network =
    kind === 'Basic' || kind === 'Standard' ? 'INTERNET' : rng.pick(['PRIVATE_LINK', 'PEERED_VPC'] as const);
  return {
    name: `${team}-${rng.pick(['events', 'core', 'stream', 'ops'])}-${i}`,
    kind,
    team,
    env,
    cloud,
    region: rng.pick(REGIONS[cloud]),
    network,
  };
}

function buildClusters(ctx: Ctx, count: number): void {
  const { rng, org } = ctx;
  for (let i = 0; i < count; i++) {
    const t = templateFor(ctx, i, count);
    const env = org.environments[Math.min(t.env, org.environments.length - 1)]!;
    const midMonth = count >= 2 && i === count - 1;
    const createdAt = t.legacy
      ? instantOf(addDays(org.organization.createdAt.slice(0, 10), 20), 10)
      : midMonth
        ? instantOf(addDays(ctx.start, 14), 9)
        : before(ctx, 30, 400);
    const cluster: SimCluster = {
      id: ctx.ids.next('lkc-', 5),
      index: i,
      name: t.name,
      kind: t.kind,
      team: t.team,
      environmentId: env.id,
      cloud: t.cloud,
      region: t.region,
      availability: t.kind === 'Dedicated' || t.kind === 'Enterprise' ? 'MULTI_ZONE' : 'SINGLE_ZONE',
      networkAccessType: t.network,
      legacy: t.legacy === true,
      createdAt,
      topics: [],
    };
    if (t.kind === 'Dedicated') cluster.cku = rng.int(2, 4);
    else cluster.maxEcku = t.kind === 'Basic' ? 2 : t.kind === 'Freight' ? rng.int(10, 30) : rng.int(4, 10);
    org.clusters.push(cluster);
    if (cluster.legacy) org.events.legacyClusterId = cluster.id;
    if (midMonth) org.events.createdCluster = { id: cluster.id, at: createdAt };
  }
}

function buildPrincipals(ctx: Ctx, count: number): void {
  const users = Math.min(50, Math.max(1, Math.round(count / 13)));
  const pools = count >= 200 ? 2 : 1;
  const serviceAccounts = count - users - pools;
  const perTeam = new Map<Team, number>();
  for (let i = 0; i < serviceAccounts; i++) {
    const team = TEAM_CYCLE[i % TEAM_CYCLE.length]!;
    const k = perTeam.get(team) ?? 0;
    perTeam.set(team, k + 1);
    addServiceAccount(ctx, team, k);
  }
  for (let i = 0; i < users; i++) addUser(ctx, i);
  addIdentityPools(ctx, pools);
  markDeletedServiceAccount(ctx);
}

function serviceAccountName(team: Team, k: number): string {
  // Two accounts predate the naming convention; ccost.yaml maps them by exact id.
  if (team === 'platform' && k === 0) return 'kafka-admin';
  if (team === 'data-platform' && k === 1) return 'nightly-etl';
  const roles = ROLES[team];
  const round = Math.floor(k / roles.length);
  return `${team}-${roles[k % roles.length]}${round > 0 ? `-${round + 1}` : ''}`;
}

function addServiceAccount(ctx: Ctx, team: Team, k: number): void {
  const name = serviceAccountName(team, k);
  const batch = name === 'nightly-etl' || name.endsWith('-etl') || name.includes('dbt-runner');
  ctx.org.principals.push({
    id: ctx.ids.next('sa-', 6),
    index: ctx.org.principals.length,
    kind: 'service_account',
    name,
    description: `${team} team: ${name}`,
    team,
    clusters: [],
    profile: profile(ctx.rng, batch ? 3 : ctx.rng.pick([0, 0, 0, 1, 2, 4])),
    createdAt: before(ctx),
  });
}

function addUser(ctx: Ctx, i: number): void {
  const full = USER_NAMES[i % USER_NAMES.length]!;
  const round = Math.floor(i / USER_NAMES.length);
  const name = round > 0 ? `${full} ${round + 1}` : full;
  const team = (['data-platform', 'platform', 'search', 'payments', 'checkout'] as const)[i % 5]!;
  const p = profile(ctx.rng, 5);
  ctx.org.principals.push({
    id: ctx.ids.next('u-', 6),
    index: ctx.org.principals.length,
    kind: 'user',
    name,
    description: `${team} engineer`,
    team,
    email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`,
    authType: i % 4 === 3 ? 'AUTH_TYPE_LOCAL' : 'AUTH_TYPE_SSO',
    clusters: [],
    profile: {
      ...p,
      writePerHour: Math.floor(p.writePerHour / 20),
      readPerHour: Math.floor(p.readPerHour / 10),
    },
    createdAt: before(ctx),
  });
}

function addIdentityPools(ctx: Ctx, count: number): void {
  const provider: SimIdentityProvider = {
    id: ctx.ids.next('op-', 6),
    name: 'Okta',
    issuer: 'https://simulated-retail.okta.example.com/oauth2/default',
    jwksUri: 'https://simulated-retail.okta.example.com/oauth2/default/v1/keys',
    createdAt: before(ctx, 300, 400),
  };
  ctx.org.identityProviders.push(provider);
  const pools: [string, Team][] = [
    ['search-k8s-workloads', 'search'],
    ['data-platform-airflow', 'data-platform'],
  ];
  for (const [name, team] of pools.slice(0, count)) {
    ctx.org.principals.push({
      id: ctx.ids.next('pool-', 4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
      index: ctx.org.principals.length,
      kind: 'identity_pool',
      name,
      description: `${team} workloads authenticating with OAuth`,
      team,
      providerId: provider.id,
      clusters: [],
      profile: profile(ctx.rng, 2),
      createdAt: before(ctx, 10, 290),
    });
  }
}

/** A payments service account that is deleted 19 days into the story. */
function markDeletedServiceAccount(ctx: Ctx): void {
  const payments = ctx.org.principals.filter((p) => p.kind === 'service_account' && p.team === 'payments');
  const victim = payments[Math.min(2, payments.length - 1)];
  if (!victim) return;
  victim.deletedAt = instantOf(addDays(ctx.start, 19), 14);
  ctx.org.events.deletedServiceAccount = { id: victim.id, at: victim.deletedAt };
}

/** Peak bytes per hour by tier, and the ratio of bytes read to bytes written. */
const TIERS = [8e6, 3e7, 1.2e8, 4e8, 1.5e9];

function profile(rng: Rng, shape: number): ActivityProfile {
  const tier = TIERS[rng.int(0, TIERS.length - 1)]!;
  const writePerHour = Math.floor((tier * rng.int(500, 1500)) / 1000);
  return { writePerHour, readPerHour: Math.floor((writePerHour * rng.int(200, 4000)) / 1000), shape };
}

/** Gives every principal 1–3 clusters (mostly its team's) and every cluster at least one principal. */
function assignClusters(ctx: Ctx): void {
  const { rng, org } = ctx;
  const byTeam = new Map<Team, number[]>();
  for (const c of org.clusters) byTeam.set(c.team, [...(byTeam.get(c.team) ?? []), c.index]);
  const n = org.clusters.length;
  const deleted = org.events.deletedServiceAccount?.id;
  const midMonth = org.clusters.findIndex((c) => c.id === org.events.createdCluster?.id);
  for (const p of org.principals) {
    const own = (byTeam.get(p.team) ?? []).filter((i) => p.id !== deleted || i !== midMonth);
    const want = p.kind === 'user' ? 1 : Math.min(n, rng.chance(50) ? 1 : rng.chance(60) ? 2 : 3);
    const first =
      own.length > 0 && rng.chance(75)
        ? rng.pick(own)
        : firstCluster(rng, n, p.id === deleted ? midMonth : -1);
    p.clusters.push(first);
    while (p.clusters.length < want) {
      const c = rng.int(0, n - 1);
      if (!p.clusters.includes(c)) p.clusters.push(c);
    }
  }
  coverEveryCluster(ctx);
}

function firstCluster(rng: Rng, n: number, avoid: number): number {
  if (n === 1) return 0;
  for (;;) {
    const c = rng.int(0, n - 1);
    if (c !== avoid) return c;
  }
}

/** A cluster nobody uses would make usage-based lines fall back; give it a service account. */
function coverEveryCluster(ctx: Ctx): void {
  const sas = ctx.org.principals.filter((p) => p.kind === 'service_account' && !p.deletedAt);
  const used = new Set(ctx.org.principals.flatMap((p) => p.clusters));
  for (const c of ctx.org.clusters) {
    if (used.has(c.index)) continue;
    const candidates = sas.filter((p) => p.clusters.length < 3);
    const pick = candidates[c.index % Math.max(1, candidates.length)] ?? sas[c.index % sas.length]!;
    pick.clusters.push(c.index);
  }
}

/** Topics carry the prefixes of the teams active on the cluster, the cluster's own team first. */
function buildTopics(ctx: Ctx): void {
  const { rng, org } = ctx;
  for (const c of org.clusters) {
    const teams: Team[] = [c.team];
    for (const p of org.principals) {
      if (p.clusters.includes(c.index) && !teams.includes(p.team)) teams.push(p.team);
    }
    const count = Math.min(6, 2 + teams.length);
    const names = new Set<string>();
    for (let i = 0; names.size < count && i < 40; i++) {
      const team = teams[i % teams.length]!;
      const list = TOPICS[team];
      names.add(`${team}.${list[Math.floor(i / teams.length) % list.length]}`);
    }
    c.topics = [...names].map((name) => ({
      name,
      weight: rng.int(1, 10),
      retainedBytes: rng.int(2, 400) * 2 ** 28,
      partitions: rng.pick([3, 6, 6, 12]),
    }));
  }
  const lake = org.clusters.find((c) => c.kind === 'Freight') ?? org.clusters[0]!;
  org.events.tableflow = { clusterId: lake.id, topic: lake.topics[0]!.name };
}

function buildApiKeys(ctx: Ctx): void {
  const { rng, org } = ctx;
  for (const p of org.principals) {
    if (p.kind === 'identity_pool') continue;
    const scoped = p.kind === 'user' || rng.chance(70) ? 1 : Math.min(2, p.clusters.length);
    for (const c of p.clusters.slice(0, scoped)) {
      const cluster = org.clusters[c]!;
      org.apiKeys.push({
        id: ctx.ids.next('', 16, KEY_ALPHABET),
        name: `${p.name} on ${cluster.name}`,
        ownerId: p.id,
        ownerKind: p.kind === 'user' ? 'User' : 'ServiceAccount',
        clusterId: cluster.id,
        environmentId: cluster.environmentId,
        createdAt: laterOf(p.createdAt, cluster.createdAt),
        ...(p.deletedAt ? { deletedAt: p.deletedAt } : {}),
      });
    }
  }
  const admin = org.principals.find((p) => p.name === 'kafka-admin') ?? org.principals[0]!;
  org.apiKeys.push({
    id: ctx.ids.next('', 16, KEY_ALPHABET),
    name: 'cloud resource management',
    ownerId: admin.id,
    ownerKind: 'ServiceAccount',
    clusterId: null,
    environmentId: null,
    createdAt: admin.createdAt,
  });
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/** Connectors, Flink pools, ksqlDB, Schema Registry, the cluster link and the audit log. */
function buildResources(ctx: Ctx): void {
  buildConnectors(ctx);
  buildComputePools(ctx);
  buildKsql(ctx);
  const { org } = ctx;
  for (const env of org.environments) {
    const home = org.clusters.find((c) => c.environmentId === env.id) ?? org.clusters[0]!;
    org.schemaRegistries.push({
      id: ctx.ids.next('lsrc-', 5),
      environmentId: env.id,
      package: env.package,
      cloud: home.cloud,
      region: home.region,
      schemas: env.package === 'ADVANCED' ? ctx.rng.int(300, 900) : ctx.rng.int(110, 260),
      createdAt: env.createdAt,
    });
  }
  if (org.clusters.length >= 3) {
    const [source, destination] = [org.clusters[0]!, org.clusters[1]!];
    org.clusterLinks.push({
      id: ctx.rng.chars(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      name: `${source.name}-to-${destination.name}`,
      sourceClusterId: source.id,
      destinationClusterId: destination.id,
      environmentId: destination.environmentId,
      createdAt: laterOf(source.createdAt, destination.createdAt),
    });
  }
  org.auditLog.clusterId = ctx.ids.next('lkc-', 5);
}

const CONNECTOR_TEMPLATES: [string, string, SimConnector['type'], Team, number][] = [
  ['payments-postgres-cdc', 'PostgresCdcSource', 'source', 'payments', 1],
  ['checkout-s3-sink', 'S3_SINK', 'sink', 'checkout', 2],
  ['search-elasticsearch-sink', 'ElasticsearchSink', 'sink', 'search', 2],
  ['data-platform-snowflake-sink', 'SnowflakeSink', 'sink', 'data-platform', 4],
  ['platform-datagen', 'DatagenSource', 'source', 'platform', 1],
];

function buildConnectors(ctx: Ctx): void {
  const { org } = ctx;
  const stable = org.clusters.filter((c) => c.id !== org.events.createdCluster?.id);
  const count = Math.max(1, Math.round(org.clusters.length / 2));
  for (let i = 0; i < count; i++) {
    const [base, cls, type, team, tasks] = CONNECTOR_TEMPLATES[i % CONNECTOR_TEMPLATES.length]!;
    const round = Math.floor(i / CONNECTOR_TEMPLATES.length);
    const cluster =
      stable.find((c) => c.team === team && !org.connectors.some((x) => x.clusterId === c.id)) ??
      stable[i % stable.length]!;
    const sa = ownerOn(ctx, cluster, team);
    org.connectors.push({
      id: ctx.ids.next('lcc-', 5),
      name: round > 0 ? `${base}-${round + 1}` : base,
      connectorClass: cls,
      type,
      tasks,
      clusterId: cluster.id,
      environmentId: cluster.environmentId,
      serviceAccountId: sa.id,
      team,
      createdAt: laterOf(before(ctx, 10, 200), cluster.createdAt),
    });
  }
}

/** A live service account of `team` active on `cluster`, made active there if none is. */
function ownerOn(ctx: Ctx, cluster: SimCluster, team: Team): SimPrincipal {
  const sas = ctx.org.principals.filter((p) => p.kind === 'service_account' && !p.deletedAt);
  const onCluster = sas.find((p) => p.team === team && p.clusters.includes(cluster.index));
  if (onCluster) return onCluster;
  const free = (p: SimPrincipal) => p.clusters.length < 3;
  const sa = sas.find((p) => p.team === team && free(p)) ?? sas.find(free) ?? sas[0]!;
  if (!sa.clusters.includes(cluster.index)) sa.clusters.push(cluster.index);
  return sa;
}

function buildComputePools(ctx: Ctx): void {
  const { org, rng } = ctx;
  const names: [string, Team, number][] = [
    ['payments-fraud-detection', 'payments', 0],
    ['data-platform-streaming', 'data-platform', 0],
    ['search-enrichment', 'search', 1],
  ];
  const count = Math.max(1, Math.round(org.clusters.length / 4));
  for (let i = 0; i < count; i++) {
    const [base, team, envIndex] = names[i % names.length]!;
    const round = Math.floor(i / names.length);
    const env = org.environments[Math.min(envIndex, org.environments.length - 1)]!;
    const home = org.clusters.find((c) => c.environmentId === env.id) ?? org.clusters[0]!;
    org.computePools.push({
      id: ctx.ids.next('lfcp-', 5),
      name: round > 0 ? `${base}-${round + 1}` : base,
      environmentId: env.id,
      cloud: home.cloud,
      region: home.region,
      maxCfu: rng.pick([10, 20, 30, 40, 50]),
      team,
      createdAt: before(ctx, 10, 300),
    });
  }
}

function buildKsql(ctx: Ctx): void {
  const { org } = ctx;
  if (org.clusters.length < 2) return;
  const count = 1 + Math.floor(org.clusters.length / 20);
  for (let i = 0; i < count; i++) {
    const cluster = i === 0 ? org.clusters[1]! : org.clusters[(i * 7) % (org.clusters.length - 1)]!;
    const named = org.principals.find(
      (p) =>
        p.name === 'checkout-ksql' &&
        !p.deletedAt &&
        (p.clusters.includes(cluster.index) || p.clusters.length < 3),
    );
    const identity = i === 0 && named ? named : ownerOn(ctx, cluster, cluster.team);
    if (!identity.clusters.includes(cluster.index)) identity.clusters.push(cluster.index);
    org.ksqlClusters.push({
      id: ctx.ids.next('lksqlc-', 5),
      name: i === 0 ? 'checkout-ksql' : `${cluster.team}-ksql-${i + 1}`,
      csu: i === 0 ? 4 : ctx.rng.pick([1, 2, 4, 8, 12]),
      clusterId: cluster.id,
      environmentId: cluster.environmentId,
      credentialIdentityId: identity.id,
      team: i === 0 ? 'checkout' : cluster.team,
      createdAt: laterOf(before(ctx, 10, 200), cluster.createdAt),
    });
  }
}
