/**
 * `ccost doctor`: calls each Confluent Cloud API ccost uses once, with the key configured for an
 * organization, and says for each whether it works and, when not, which role the key's owner
 * lacks, in words a platform admin can act on. Secrets are never part of a result: only the
 * variable names, the key id and the base URLs (without any user info).
 */
import { type ApiClient, type ApiClientOptions, createApiClient } from '../collect/http.ts';
import { KAFKA_METRICS, METRICS_DATASET } from '../collect/metrics.ts';
import { apiCredentials, apiUrls } from '../collect/urls.ts';
import type { Config } from '../config/schema.ts';
import { ApiError, isCcostError } from '../errors/index.ts';

/** An organization entry of ccost.yaml. */
type OrganizationConfig = Config['organizations'][number];

/** How one check ended. */
export type CheckStatus =
  /** The call answered 2xx. */
  | 'ok'
  /** 403: the key works but its owner lacks a role. */
  | 'missing_role'
  /** 401: the key or secret is wrong, deleted, or not a Cloud API key. */
  | 'bad_key'
  /** Anything else: unreachable, 404 (wrong base URL), 5xx, a 4xx that is not about access. */
  | 'failed'
  /** Not called: what it needs (an environment, a cluster) was not found. */
  | 'skipped';

/** One API call of the doctor and what came of it. */
export interface CheckResult {
  id: string;
  /** What ccost reads with it, e.g. `billing costs`. */
  title: string;
  /** `GET /billing/v1/costs` (no query). */
  endpoint: string;
  status: CheckStatus;
  /** The HTTP status, null when no call was made or no answer came. */
  httpStatus: number | null;
  /** What happened, and for anything but `ok` what to do about it. */
  message: string;
}

/** The checks of one organization. */
export interface OrgDoctorReport {
  orgId: string;
  apiUrl: string;
  telemetryUrl: string;
  /** Variables the key and secret are read from. */
  keyEnv: string;
  secretEnv: string;
  /** The API key id (its owner is who needs the roles); null when the variables are unset. */
  keyId: string | null;
  /** Set when the key or secret variable is unset: nothing was called. */
  credentialsError: string | null;
  checks: CheckResult[];
  /** True when every check is ok or skipped and the credentials are set. */
  ok: boolean;
}

/** Options of {@link checkOrganization}. */
export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** The clock, for the billing window. */
  now?: Date;
  /** Extra client options (tests pass an instant `sleep`). */
  client?: Partial<ApiClientOptions>;
}

/** Where the key's owner gets each permission, per API family. */
export const ROLE_ADVICE = {
  billing: 'give the BillingAdmin role on the organization (OrganizationAdmin also works)',
  metrics: 'give the MetricsViewer role on the organization (OrganizationAdmin also works)',
  resources:
    'give the Operator role on the organization: read-only, it lists environments, clusters, connectors, Flink pools and Schema Registry (OrganizationAdmin also works)',
  ksqldb:
    'Operator does not cover ksqlDB: give EnvironmentAdmin on the environments that run ksqlDB, or OrganizationAdmin',
  accounts:
    'give the AccountAdmin role on the organization, which lists service accounts, users, identity providers and API keys (OrganizationAdmin also works)',
} as const;

interface Context {
  environmentId: string | null;
  clusterId: string | null;
  now: Date;
}

interface Probe {
  id: string;
  title: string;
  method: 'GET' | 'POST';
  path: string;
  client: 'api' | 'telemetry';
  advice: keyof typeof ROLE_ADVICE;
  /** What the probe needs from earlier ones; skipped without it. */
  needs?: 'environment' | 'cluster';
  call(client: ApiClient, ctx: Context): Promise<unknown>;
  /** Reads what later probes need from the answer. */
  learn?(json: unknown, ctx: Context): void;
}

const firstId = (json: unknown): string | null => {
  const data = (json as { data?: unknown } | null)?.data;
  const first = Array.isArray(data) ? (data[0] as { id?: unknown } | undefined) : undefined;
  return typeof first?.id === 'string' ? first.id : null;
};

const dayOffset = (now: Date, days: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);

const list =
  (path: string, withEnvironment = false) =>
  (client: ApiClient, ctx: Context) =>
    client.getJson(path, { page_size: 1, ...(withEnvironment ? { environment: ctx.environmentId } : {}) });

/** Every call ccost's collection makes, once, in an order where each finds what the next needs. */
const PROBES: Probe[] = [
  {
    id: 'billing',
    title: 'billing costs',
    method: 'GET',
    path: '/billing/v1/costs',
    client: 'api',
    advice: 'billing',
    // One settled day (billing can arrive 72 hours late), one line.
    call: (client, ctx) =>
      client.getJson('/billing/v1/costs', {
        start_date: dayOffset(ctx.now, -4),
        end_date: dayOffset(ctx.now, -3),
        page_size: 1,
      }),
  },
  {
    id: 'environments',
    title: 'environments',
    method: 'GET',
    path: '/org/v2/environments',
    client: 'api',
    advice: 'resources',
    call: list('/org/v2/environments'),
    learn: (json, ctx) => {
      ctx.environmentId = firstId(json);
    },
  },
  {
    id: 'kafka_clusters',
    title: 'Kafka clusters',
    method: 'GET',
    path: '/cmk/v2/clusters',
    client: 'api',
    advice: 'resources',
    needs: 'environment',
    call: list('/cmk/v2/clusters', true),
    learn: (json, ctx) => {
      ctx.clusterId = firstId(json);
    },
  },
  {
    id: 'connectors',
    title: 'connectors',
    method: 'GET',
    path: '/connect/v1/environments/{env}/clusters/{lkc}/connectors',
    client: 'api',
    advice: 'resources',
    needs: 'cluster',
    call: (client, ctx) =>
      client.getJson(
        `/connect/v1/environments/${encodeURIComponent(ctx.environmentId!)}/clusters/${encodeURIComponent(ctx.clusterId!)}/connectors`,
      ),
  },
  {
    id: 'flink_pools',
    title: 'Flink compute pools',
    method: 'GET',
    path: '/fcpm/v2/compute-pools',
    client: 'api',
    advice: 'resources',
    needs: 'environment',
    call: list('/fcpm/v2/compute-pools', true),
  },
  {
    id: 'schema_registry',
    title: 'Schema Registry',
    method: 'GET',
    path: '/srcm/v3/clusters',
    client: 'api',
    advice: 'resources',
    needs: 'environment',
    call: list('/srcm/v3/clusters', true),
  },
  {
    id: 'ksqldb',
    title: 'ksqlDB clusters',
    method: 'GET',
    path: '/ksqldbcm/v2/clusters',
    client: 'api',
    advice: 'ksqldb',
    needs: 'environment',
    call: list('/ksqldbcm/v2/clusters', true),
  },
  {
    id: 'service_accounts',
    title: 'service accounts',
    method: 'GET',
    path: '/iam/v2/service-accounts',
    client: 'api',
    advice: 'accounts',
    call: list('/iam/v2/service-accounts'),
  },
  {
    id: 'users',
    title: 'users',
    method: 'GET',
    path: '/iam/v2/users',
    client: 'api',
    advice: 'accounts',
    call: list('/iam/v2/users'),
  },
  {
    id: 'identity_providers',
    title: 'identity providers',
    method: 'GET',
    path: '/iam/v2/identity-providers',
    client: 'api',
    advice: 'accounts',
    call: list('/iam/v2/identity-providers'),
  },
  {
    id: 'api_keys',
    title: 'API keys and their owners',
    method: 'GET',
    path: '/iam/v2/api-keys',
    client: 'api',
    advice: 'accounts',
    call: list('/iam/v2/api-keys'),
  },
  {
    id: 'metrics',
    title: 'bytes per principal (Metrics API)',
    method: 'POST',
    path: `/v2/metrics/${METRICS_DATASET}/query`,
    client: 'telemetry',
    advice: 'metrics',
    needs: 'cluster',
    // One metric, one settled day, one cluster, no grouping: a single small answer.
    call: (client, ctx) =>
      client.postJson(`/v2/metrics/${METRICS_DATASET}/query`, {
        aggregations: [{ metric: `${KAFKA_METRICS}/request_bytes`, agg: 'SUM' }],
        filter: { field: 'resource.kafka.id', op: 'EQ', value: ctx.clusterId },
        granularity: 'P1D',
        intervals: [`${dayOffset(ctx.now, -2)}T00:00:00Z/${dayOffset(ctx.now, -1)}T00:00:00Z`],
        limit: 1,
        format: 'FLAT',
      }),
  },
];

/** The ids of every check, in the order they run. */
export const CHECK_IDS: readonly string[] = PROBES.map((p) => p.id);

/** A base URL without user info, query or fragment: safe to print. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/**
 * Runs every check for one organization with its configured key. Never throws for an API
 * answer: each becomes a {@link CheckResult}. Unset key or secret variables are reported in
 * `credentialsError` without calling anything.
 */
export async function checkOrganization(
  org: OrganizationConfig,
  options: DoctorOptions = {},
): Promise<OrgDoctorReport> {
  const env = options.env ?? process.env;
  const urls = apiUrls(org, env);
  const report: OrgDoctorReport = {
    orgId: org.id,
    apiUrl: printableUrl(urls.api),
    telemetryUrl: printableUrl(urls.telemetry),
    keyEnv: org.api_key_env || 'CONFLUENT_CLOUD_API_KEY',
    secretEnv: org.api_secret_env || 'CONFLUENT_CLOUD_API_SECRET',
    keyId: null,
    credentialsError: null,
    checks: [],
    ok: false,
  };
  let credentials: ReturnType<typeof apiCredentials>;
  try {
    credentials = apiCredentials(org, env);
  } catch (err) {
    if (!isCcostError(err)) throw err;
    report.credentialsError = err.message;
    return report;
  }
  report.keyEnv = credentials.keyEnv;
  report.secretEnv = credentials.secretEnv;
  report.keyId = credentials.apiKey;
  const common = {
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    requestsPerSecond: org.requests_per_second,
    maxRetries: 2,
    timeoutMs: 20_000,
    ...options.client,
  };
  const clients = {
    api: createApiClient({ ...common, baseUrl: urls.api, name: 'Confluent Cloud API' }),
    telemetry: createApiClient({ ...common, baseUrl: urls.telemetry, name: 'Confluent Metrics API' }),
  };
  const ctx: Context = { environmentId: null, clusterId: null, now: options.now ?? new Date() };
  try {
    for (const probe of PROBES) report.checks.push(await runProbe(probe, clients[probe.client], ctx, report));
  } finally {
    await clients.api.close();
    await clients.telemetry.close();
  }
  report.ok = report.checks.every((c) => c.status === 'ok' || c.status === 'skipped');
  return report;
}

async function runProbe(
  probe: Probe,
  client: ApiClient,
  ctx: Context,
  report: OrgDoctorReport,
): Promise<CheckResult> {
  const base = { id: probe.id, title: probe.title, endpoint: `${probe.method} ${probe.path}` };
  if (probe.needs === 'environment' && !ctx.environmentId) {
    return { ...base, status: 'skipped', httpStatus: null, message: 'no environment to look in' };
  }
  if (probe.needs === 'cluster' && !ctx.clusterId) {
    const why = ctx.environmentId ? 'no Kafka cluster' : 'no environment';
    return { ...base, status: 'skipped', httpStatus: null, message: `${why} to ask about` };
  }
  try {
    const json = await probe.call(client, ctx);
    probe.learn?.(json, ctx);
    return { ...base, status: 'ok', httpStatus: 200, message: 'ok' };
  } catch (err) {
    if (!(err instanceof ApiError)) {
      if (isCcostError(err)) return { ...base, status: 'failed', httpStatus: null, message: err.message };
      throw err;
    }
    return { ...base, ...classify(err, probe, report) };
  }
}

function classify(
  err: ApiError,
  probe: Probe,
  report: OrgDoctorReport,
): Pick<CheckResult, 'status' | 'httpStatus' | 'message'> {
  const httpStatus = err.status;
  const owner = `the owner of key ${report.keyId}`;
  if (httpStatus === 401) {
    return {
      status: 'bad_key',
      httpStatus,
      message: `HTTP 401: the key in ${report.keyEnv} or the secret in ${report.secretEnv} is wrong, deleted or expired, or it is a cluster key: create a Cloud API key (Cloud resource management) and set both variables`,
    };
  }
  if (httpStatus === 403) {
    return {
      status: 'missing_role',
      httpStatus,
      message: `HTTP 403: ${ROLE_ADVICE[probe.advice]} to ${owner}`,
    };
  }
  const base =
    probe.client === 'api' ? 'api_url or CONFLUENT_API_URL' : 'telemetry_url or CONFLUENT_TELEMETRY_URL';
  if (httpStatus === 404) {
    return {
      status: 'failed',
      httpStatus,
      message: `HTTP 404: ${probe.path} is not at this base URL; check ${base} (a proxy must pass the path through)`,
    };
  }
  const said = err.message.replace(`${err.api}: ${err.endpoint}: `, '');
  const reach = httpStatus === null ? `; check ${base} and the network` : '';
  return { status: 'failed', httpStatus, message: `${said}${reach}` };
}

/**
 * Checks the organizations of ccost.yaml (or only `orgId`; one not in ccost.yaml is checked with
 * the default variables and base URLs).
 */
export async function runDoctor(
  config: Config,
  options: DoctorOptions & { orgId?: string } = {},
): Promise<OrgDoctorReport[]> {
  const orgs: OrganizationConfig[] = options.orgId
    ? [config.organizations.find((o) => o.id === options.orgId) ?? { id: options.orgId, invoices: {} }]
    : config.organizations;
  const reports: OrgDoctorReport[] = [];
  for (const org of orgs) reports.push(await checkOrganization(org, options));
  return reports;
}

const LABELS: Record<CheckStatus, string> = {
  ok: 'ok',
  missing_role: 'MISSING',
  bad_key: 'BAD KEY',
  failed: 'FAILED',
  skipped: 'skipped',
};

/** The reports as text: per organization the base URLs, the key, then one line per check. */
export function formatDoctor(reports: OrgDoctorReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.orgId}`);
    out.push(`  Cloud API    ${r.apiUrl}`);
    out.push(`  Metrics API  ${r.telemetryUrl}`);
    if (r.credentialsError) {
      out.push(`  key          not set: ${r.credentialsError}`);
      out.push('');
      continue;
    }
    out.push(`  key          ${r.keyId} from ${r.keyEnv} (secret from ${r.secretEnv}, not shown)`);
    const width = Math.max(...r.checks.map((c) => c.title.length));
    for (const c of r.checks) {
      const detail = c.status === 'ok' ? c.endpoint : `${c.endpoint}: ${c.message}`;
      out.push(`  ${LABELS[c.status].padEnd(8)} ${c.title.padEnd(width)}  ${detail}`);
    }
    const problems = r.checks.filter((c) => c.status !== 'ok' && c.status !== 'skipped').length;
    out.push(
      problems === 0
        ? '  everything ccost reads is readable with this key'
        : `  ${problems} of ${r.checks.length} checks failed`,
    );
    out.push('');
  }
  return `${out.join('\n')}`;
}
