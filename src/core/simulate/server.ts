/**
 * The simulated Confluent Cloud over real HTTP (node:http): the Billing, Metrics, Org, IAM, CMK,
 * Connect, FCPM, SRCM and ksqlDB endpoints ccost calls, with HTTP Basic auth, rate-limit headers
 * and injectable faults. Listings show the model as of the server's `now`; billing serves only
 * complete days. Control endpoints under `/_sim/` (no auth) set faults and read statistics.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as api from './api.ts';
import { type FaultCounts, FaultState, type Faults, parseFaults } from './faults.ts';
import {
  type ApiFamily,
  billingCosts,
  connectors,
  currentCfu,
  DEFAULT_PAGE_SIZES,
  fail,
  type HandlerContext,
  HttpFailure,
  listing,
  metricsQuery,
  optionalAll,
  type PageSizes,
  type Reply,
  required,
} from './handlers.ts';
import type { SimModel } from './model.ts';

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  model: SimModel;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Basic auth credentials the server accepts (default SIMKEY / SIMSECRET: fixed, not secret). */
  apiKey?: string;
  apiSecret?: string;
  faults?: Faults;
  /** The server's clock: listings, the billing cut-off and the one-year limit use it. Default: real time. */
  now?: string | Date | (() => Date);
  /** Retry-After of a 429, in seconds (fractions allowed, e.g. 0 in tests). Default 1. */
  retryAfterSeconds?: number;
  /** Page size limits; default the real APIs' (billing 5000/10000, lists 10/100, metrics limit 100/1000). */
  pageSizes?: Partial<PageSizes>;
  /** The X-RateLimit-Limit advertised per 60-second window. Default 1000. */
  rateLimitPerMinute?: number;
}

/** Request counts by endpoint and status, and how often each fault fired. */
export interface SimulatorStats {
  requests: number;
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  faults: FaultCounts;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL of the Cloud APIs, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  /** Base URL of the Metrics API (the same origin). */
  telemetryUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Replaces the faults and restarts their counters. */
  setFaults(faults: Faults): void;
  /** The faults in force. */
  faults(): Faults;
  stats(): SimulatorStats;
  stop(): Promise<void>;
}

/** Fixed, non-secret credentials of the simulator. */
export const SIM_API_KEY = 'SIMKEY';
export const SIM_API_SECRET = 'SIMSECRET';

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  name: string;
  family: ApiFamily;
  handle: (ctx: HandlerContext) => Reply;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const ROUTES: Route[] = [
  route('GET', '/billing/v1/costs', 'cloud', billingCosts),
  route('POST', '/v2/metrics/{dataset}/query', 'metrics', metricsQuery),
  route(
    'GET',
    '/org/v2/organizations',
    'cloud',
    listing('org/v2', 'OrganizationList', (ctx, inv) => [api.organizationItem(ctx.site, inv.organization)]),
  ),
  route(
    'GET',
    '/org/v2/environments',
    'cloud',
    listing('org/v2', 'EnvironmentList', (ctx, inv) =>
      inv.environments.sort(byId).map((e) => api.environmentItem(ctx.site, e)),
    ),
  ),
  route(
    'GET',
    '/cmk/v2/clusters',
    'cloud',
    listing('cmk/v2', 'ClusterList', (ctx, inv) => {
      const env = required(ctx, 'environment');
      return inv.clusters
        .filter((c) => c.environmentId === env)
        .sort(byId)
        .map((c) => api.clusterItem(ctx.site, c));
    }),
  ),
  route(
    'GET',
    '/iam/v2/service-accounts',
    'cloud',
    listing('iam/v2', 'ServiceAccountList', (ctx, inv) => {
      const names = optionalAll(ctx, 'display_name');
      return inv.serviceAccounts
        .filter((p) => !names || names.includes(p.name))
        .sort(byId)
        .map((p) => api.serviceAccountItem(ctx.site, p));
    }),
  ),
  route(
    'GET',
    '/iam/v2/users',
    'cloud',
    listing('iam/v2', 'UserList', (ctx, inv) => inv.users.sort(byId).map((p) => api.userItem(ctx.site, p))),
  ),
  route(
    'GET',
    '/iam/v2/identity-providers',
    'cloud',
    listing('iam/v2', 'IdentityProviderList', (ctx, inv) =>
      inv.identityProviders.sort(byId).map((op) => api.identityProviderItem(ctx.site, op)),
    ),
  ),
  route(
    'GET',
    '/iam/v2/identity-providers/{id}/identity-pools',
    'cloud',
    listing('iam/v2', 'IdentityPoolList', (ctx, inv) => {
      const provider = ctx.params[0]!;
      if (!inv.identityProviders.some((op) => op.id === provider)) {
        fail(ctx, 404, 'not_found', `identity provider ${provider} not found`);
      }
      return inv.identityPools
        .filter((p) => p.providerId === provider)
        .sort(byId)
        .map((p) => api.identityPoolItem(ctx.site, p));
    }),
  ),
  route(
    'GET',
    '/iam/v2/api-keys',
    'cloud',
    listing('iam/v2', 'ApiKeyList', (ctx, inv) => {
      const owners = optionalAll(ctx, 'spec.owner');
      const resources = optionalAll(ctx, 'spec.resource');
      return inv.apiKeys
        .filter(
          (k) =>
            (!owners || owners.includes(k.ownerId)) &&
            (!resources || resources.includes(k.clusterId ?? 'cloud')),
        )
        .sort(byId)
        .map((k) => api.apiKeyItem(ctx.site, k));
    }),
  ),
  route('GET', '/connect/v1/environments/{env}/clusters/{lkc}/connectors', 'connect', connectors),
  route(
    'GET',
    '/fcpm/v2/compute-pools',
    'cloud',
    listing('fcpm/v2', 'ComputePoolList', (ctx, inv) => {
      const env = required(ctx, 'environment');
      return inv.computePools
        .filter((p) => p.environmentId === env)
        .sort(byId)
        .map((p) =>
          api.computePoolItem(ctx.site, p, currentCfu(p, ctx.model.org.computePools.indexOf(p), ctx.now)),
        );
    }),
  ),
  route(
    'GET',
    '/srcm/v3/clusters',
    'cloud',
    listing('srcm/v3', 'ClusterList', (ctx, inv) => {
      const env = required(ctx, 'environment');
      return inv.schemaRegistries
        .filter((s) => s.environmentId === env)
        .map((s) => api.schemaRegistryItem(ctx.site, s));
    }),
  ),
  route(
    'GET',
    '/ksqldbcm/v2/clusters',
    'cloud',
    listing('ksqldbcm/v2', 'ClusterList', (ctx, inv) => {
      const env = required(ctx, 'environment');
      return inv.ksqlClusters
        .filter((k) => k.environmentId === env)
        .sort(byId)
        .map((k) => api.ksqlItem(ctx.site, k));
    }),
  ),
];

/** A route from a path template; `{name}` segments are captured in order. */
function route(method: Route['method'], template: string, family: ApiFamily, handle: Route['handle']): Route {
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
  return { method, pattern, name: `${method} ${template}`, family, handle };
}

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const state = new ServerState(options);
  const server = createServer((req, res) => {
    state.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(api.errorBody(500, 'internal_error', 'Internal Server Error', String(err))));
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.base = `http://${host}:${address.port}`;
  return {
    url: state.base,
    telemetryUrl: state.base,
    apiKey: state.apiKey,
    apiSecret: state.apiSecret,
    setFaults: (f) => state.faults.set(parseFaults(f)),
    faults: () => state.faults.current,
    stats: () => state.snapshot(),
    stop: () => close(server),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Per-server state: model, clock, credentials, faults, counters. */
class ServerState {
  base = '';
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly faults: FaultState;
  private readonly model: SimModel;
  private readonly now: () => Date;
  private readonly sizes: PageSizes;
  private readonly retryAfter: number;
  private readonly rateLimit: number;
  private readonly counts = {
    requests: 0,
    byEndpoint: {} as Record<string, number>,
    byStatus: {} as Record<string, number>,
  };
  private window = { start: 0, used: 0 };
  private requestSeq = 0;

  constructor(options: SimulatorOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey ?? SIM_API_KEY;
    this.apiSecret = options.apiSecret ?? SIM_API_SECRET;
    this.faults = new FaultState(parseFaults(options.faults ?? {}));
    this.now = clockOf(options.now);
    this.sizes = { ...DEFAULT_PAGE_SIZES, ...options.pageSizes };
    this.retryAfter = options.retryAfterSeconds ?? 1;
    this.rateLimit = options.rateLimitPerMinute ?? 1000;
  }

  snapshot(): SimulatorStats {
    return {
      requests: this.counts.requests,
      byEndpoint: { ...this.counts.byEndpoint },
      byStatus: { ...this.counts.byStatus },
      faults: { ...this.faults.fired },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const rawBody = await readBody(req);
    if (url.pathname.startsWith('/_sim/')) return this.control(req.method ?? 'GET', url, rawBody, res);
    const found = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const name = found?.name ?? 'unmatched';
    this.counts.requests++;
    this.counts.byEndpoint[name] = (this.counts.byEndpoint[name] ?? 0) + 1;
    if (this.faults.slowMs > 0) await sleep(this.faults.slowMs);
    const reply = this.answer(req, url, rawBody, found);
    this.send(res, reply);
  }

  /** Auth, then the rate-limit and server-error faults, then the endpoint. */
  private answer(req: IncomingMessage, url: URL, rawBody: string, found: Route | undefined): Reply {
    const family = found?.family ?? 'cloud';
    try {
      if (!this.authorized(req.headers.authorization)) {
        fail({ family }, 401, 'user_unauthenticated', 'Valid authentication credentials must be provided');
      }
      const fault = this.faults.onRequest();
      if (fault === 'rateLimit')
        fail({ family }, 429, 'too_many_requests', 'Too many requests (simulated rate limit)');
      if (fault === 500) fail({ family }, 500, 'internal_error', 'Simulated internal server error');
      if (fault === 503) fail({ family }, 503, 'service_unavailable', 'Simulated service unavailability');
      if (!found) fail({ family }, 404, 'not_found', `no such endpoint: ${req.method} ${url.pathname}`);
      const params = found.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
      return found.handle(this.context(url, params, rawBody, family));
    } catch (err) {
      if (err instanceof HttpFailure) return err.reply;
      throw err;
    }
  }

  private context(url: URL, params: string[], rawBody: string, family: ApiFamily): HandlerContext {
    return {
      url,
      params,
      rawBody,
      site: { base: this.base, orgId: this.model.org.organization.id },
      model: this.model,
      now: this.now(),
      faults: this.faults,
      sizes: this.sizes,
      family,
    };
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded === `${this.apiKey}:${this.apiSecret}`;
  }

  private send(res: ServerResponse, reply: Reply): void {
    this.counts.byStatus[reply.status] = (this.counts.byStatus[reply.status] ?? 0) + 1;
    const text = reply.text ?? JSON.stringify(reply.body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Request-Id': `sim-${++this.requestSeq}`,
      ...this.limitHeaders(reply.status),
    };
    if (reply.status === 401)
      headers['WWW-Authenticate'] = 'Basic error="invalid_key", error_description="The API Key is invalid"';
    if (reply.status === 200 && reply.billingPage && this.faults.onBillingPage()) {
      // Chunked, so the response ends cleanly with half a JSON document: the client must retry.
      res.writeHead(200, headers);
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
  }

  /** X-RateLimit-* on every answer (reset in relative seconds); a 429 adds Retry-After and rateLimit-*. */
  private limitHeaders(status: number): Record<string, string> {
    const nowMs = Date.now();
    if (nowMs - this.window.start >= 60_000) this.window = { start: nowMs, used: 0 };
    this.window.used++;
    const reset = String(Math.max(1, Math.ceil((this.window.start + 60_000 - nowMs) / 1000)));
    const remaining = String(status === 429 ? 0 : Math.max(0, this.rateLimit - this.window.used));
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(this.rateLimit),
      'X-RateLimit-Remaining': remaining,
      'X-RateLimit-Reset': reset,
    };
    if (status !== 429) return headers;
    return {
      ...headers,
      'Retry-After': String(this.retryAfter),
      'rateLimit-limit': String(this.rateLimit),
      'rateLimit-remaining': '0',
      'rateLimit-reset': String(this.retryAfter),
    };
  }

  /** `GET|POST /_sim/faults`, `GET /_sim/stats`. */
  private control(method: string, url: URL, rawBody: string, res: ServerResponse): void {
    const { status, body } = this.controlReply(method, url.pathname, rawBody);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private controlReply(method: string, pathname: string, rawBody: string): { status: number; body: unknown } {
    if (pathname === '/_sim/stats' && method === 'GET') return { status: 200, body: this.snapshot() };
    if (pathname !== '/_sim/faults') {
      return { status: 404, body: api.errorBody(404, 'not_found', 'Not Found', pathname) };
    }
    if (method === 'GET') return { status: 200, body: this.faults.current };
    if (method !== 'POST') {
      return { status: 405, body: api.errorBody(405, 'method_not_allowed', 'Method Not Allowed', method) };
    }
    try {
      this.faults.set(parseFaults(rawBody.trim() === '' ? {} : JSON.parse(rawBody)));
      return { status: 200, body: this.faults.current };
    } catch (err) {
      return {
        status: 400,
        body: api.errorBody(400, 'invalid_faults', 'Bad Request', (err as Error).message),
      };
    }
  }
}

function clockOf(now: SimulatorOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  const fixed = new Date(now);
  if (Number.isNaN(fixed.getTime())) throw new RangeError(`now is not a valid instant: ${String(now)}`);
  return () => fixed;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
