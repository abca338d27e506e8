/**
 * The HTTP client every Confluent Cloud collector uses: Basic auth, a timeout on every call,
 * retries with backoff for 429, 5xx, timeouts, dropped connections and broken bodies, an optional
 * client-side request rate, and lossless JSON. Credentials never appear in errors or log events.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { parseJsonExact } from '../billing/cost.ts';
import { ApiError, type ApiErrorEntry, CcostError, ErrorCode } from '../errors/index.ts';
import { backoffMs, type Headers, rateLimitWaitMs } from './backoff.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';

/** Query parameters; undefined and null values are left out. */
export type Query = Record<string, string | number | boolean | undefined | null>;

/** Why a call is tried again. */
export type RetryReason = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'invalid_body';

/** Structured log events; never carry credentials. */
export type HttpLogEvent =
  | {
      event: 'http_retry';
      api: string;
      endpoint: string;
      status: number | null;
      reason: RetryReason;
      attempt: number;
      waitMs: number;
    }
  | { event: 'http_error'; api: string; endpoint: string; status: number | null; attempts: number };

/** Counters over the life of a client. */
export interface ApiClientStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Calls that ended in an error. */
  failures: number;
  /** Time spent waiting between attempts (backoff and Retry-After), in ms. */
  waitedMs: number;
}

/** Options of createApiClient. `sleep`, `random` and `now` are injectable for tests. */
export interface ApiClientOptions {
  /** `https://api.confluent.cloud`, or a proxy (a path prefix is kept). */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Names the API in errors and log events, e.g. `Confluent Cloud API`. */
  name: string;
  /** Limit for one attempt, headers and body together; default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 6. */
  maxRetries?: number;
  /** Client-side request rate; unset means no client-side limit. */
  requestsPerSecond?: number;
  /** Longest Retry-After honoured; a longer one fails the call at once. Default 15 min. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  logger?: (event: HttpLogEvent) => void;
  /** An undici dispatcher to use instead of the client's own agent (not closed by close()). */
  dispatcher?: Dispatcher;
}

/** A client bound to one API base URL and one key. */
export interface ApiClient {
  readonly name: string;
  readonly baseUrl: string;
  /**
   * GETs a path under the base URL, or a full URL such as `metadata.next` (see resolveApiUrl).
   * `query` entries are added where the URL does not already carry them.
   */
  getJson(pathOrUrl: string, query?: Query): Promise<unknown>;
  /**
   * POSTs JSON; a string body is sent as is (already-serialized JSON), byte for byte. Retried like
   * a GET: ccost only POSTs read-only queries (Metrics API `/query`).
   */
  postJson(path: string, body: unknown, query?: Query): Promise<unknown>;
  stats(): ApiClientStats;
  /** Closes the client's connections. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 6;
const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;
const MAX_REDIRECTIONS = 3;
const ERROR_TEXT_LIMIT = 300;

type Attempt =
  | { kind: 'ok'; json: unknown }
  | { kind: 'retry'; reason: RetryReason; status: number | null; message: string; waitMs: number | null }
  | { kind: 'fail'; error: CcostError };

/** Creates a client; see ApiClientOptions for the defaults. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = parseBaseUrl(options.baseUrl, options.name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const log = options.logger ?? (() => {});
  const limiter: RateLimiter | null = options.requestsPerSecond
    ? createRateLimiter(options.requestsPerSecond, { now, sleep })
    : null;
  const ownAgent = options.dispatcher
    ? null
    : new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const dispatcher =
    options.dispatcher ?? ownAgent!.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
  const token = Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64');
  const redact = redactor([options.apiSecret, token]);
  const counters: ApiClientStats = { requests: 0, retries: 0, rateLimited: 0, failures: 0, waitedMs: 0 };

  async function attemptOnce(method: string, url: URL, endpoint: string, body?: string): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const res = await request(url, {
        method: method as Dispatcher.HttpMethod,
        dispatcher,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: {
          authorization: `Basic ${token}`,
          accept: 'application/json',
          'user-agent': 'ccost',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.body.text();
      const status = res.statusCode;
      if (status >= 200 && status < 300) return parseBody(text, status);
      const errors = errorEntries(text).map((e) => redactEntry(e, redact));
      const message = redact(describeStatus(status, errors, text));
      if (status === 429) {
        counters.rateLimited++;
        const waitMs = rateLimitWaitMs(res.headers as Headers, now());
        if (waitMs !== null && waitMs > maxRetryAfterMs) {
          const error = new ApiError(
            options.name,
            endpoint,
            status,
            `${message}; the API asks to wait ${Math.ceil(waitMs / 1000)} s, longer than the ${Math.round(maxRetryAfterMs / 1000)} s ccost waits`,
            errors,
          );
          return { kind: 'fail', error };
        }
        return { kind: 'retry', reason: 'rate_limited', status, message, waitMs };
      }
      if (status >= 500 || status === 408) {
        return { kind: 'retry', reason: 'server_error', status, message, waitMs: null };
      }
      return { kind: 'fail', error: new ApiError(options.name, endpoint, status, message, errors) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (timedOut || (typeof code === 'string' && code.endsWith('_TIMEOUT'))) {
        return {
          kind: 'retry',
          reason: 'timeout',
          status: null,
          message: `no complete answer within ${timeoutMs} ms`,
          waitMs: null,
        };
      }
      if (typeof code !== 'string') throw err;
      const detail = redact(`${code}: ${(err as Error).message}`);
      return { kind: 'retry', reason: 'connection', status: null, message: detail, waitMs: null };
    } finally {
      clearTimeout(timer);
    }
  }

  function parseBody(text: string, status: number): Attempt {
    if (text.trim() === '') return { kind: 'ok', json: null };
    try {
      return { kind: 'ok', json: parseJsonExact(text) };
    } catch (err) {
      const message = redact(`HTTP ${status} with a body that is not valid JSON (${(err as Error).message})`);
      return { kind: 'retry', reason: 'invalid_body', status, message, waitMs: null };
    }
  }

  async function call(method: string, pathOrUrl: string, query?: Query, body?: string): Promise<unknown> {
    const url = resolveApiUrl(base, pathOrUrl, options.name);
    addQuery(url, query);
    const endpoint = `${method} ${url.pathname}`;
    for (let attempt = 1; ; attempt++) {
      await limiter?.acquire();
      counters.requests++;
      const result = await attemptOnce(method, url, endpoint, body);
      if (result.kind === 'ok') return result.json;
      if (result.kind === 'fail' || attempt > maxRetries) {
        counters.failures++;
        const status = result.kind === 'fail' ? statusOf(result.error) : result.status;
        log({ event: 'http_error', api: options.name, endpoint, status, attempts: attempt });
        if (result.kind === 'fail') throw result.error;
        const message = `gave up after ${attempt} attempts: ${result.message}`;
        if (result.reason === 'invalid_body') {
          throw new CcostError(ErrorCode.ApiResponseInvalid, `${options.name}: ${endpoint}: ${message}`);
        }
        throw new ApiError(options.name, endpoint, result.status, message);
      }
      const waitMs = result.waitMs ?? backoffMs(attempt - 1, random);
      log({
        event: 'http_retry',
        api: options.name,
        endpoint,
        status: result.status,
        reason: result.reason,
        attempt,
        waitMs,
      });
      counters.retries++;
      counters.waitedMs += waitMs;
      await sleep(waitMs);
    }
  }

  return {
    name: options.name,
    baseUrl: base.href,
    getJson: (pathOrUrl, query) => call('GET', pathOrUrl, query),
    postJson: (path, body, query) =>
      call('POST', path, query, typeof body === 'string' ? body : JSON.stringify(body)),
    stats: () => ({ ...counters }),
    close: async () => {
      await ownAgent?.close();
    },
  };
}

/**
 * Resolves a path (under the base URL, keeping its path prefix) or a full URL. A full URL must
 * have the base URL's origin; one on another Confluent Cloud host (`*.confluent.cloud`, as in a
 * `metadata.next` link seen through a proxy) is moved onto the base URL's origin with its path
 * and query. Any other host is refused, so credentials only ever go to the configured host.
 */
export function resolveApiUrl(base: URL, pathOrUrl: string, api = 'API'): URL {
  if (!/^https?:\/\//i.test(pathOrUrl)) {
    if (!pathOrUrl.startsWith('/')) throw new RangeError(`API paths start with "/": ${pathOrUrl}`);
    return new URL(withPrefix(base, pathOrUrl), base.origin);
  }
  const target = new URL(pathOrUrl);
  if (target.origin === base.origin) return target;
  const host = target.hostname.toLowerCase();
  if (host === 'confluent.cloud' || host.endsWith('.confluent.cloud') || host === base.hostname) {
    return new URL(withPrefix(base, target.pathname) + target.search, base.origin);
  }
  throw new CcostError(
    ErrorCode.ApiResponseInvalid,
    `${api}: refusing to follow a link to ${target.origin}${target.pathname}: only ${base.origin} is allowed`,
  );
}

function withPrefix(base: URL, path: string): string {
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix === '' || path === prefix || path.startsWith(`${prefix}/`)) return path;
  return prefix + path;
}

function addQuery(url: URL, query: Query | undefined): void {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || url.searchParams.has(key)) continue;
    url.searchParams.set(key, String(value));
  }
}

function parseBaseUrl(baseUrl: string, api: string): URL {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    url.search = '';
    url.hash = '';
    return url;
  } catch {
    throw new CcostError(ErrorCode.ConfigInvalid, `${api}: base URL is not an http(s) URL: ${baseUrl}`);
  }
}

/** The `errors` entries of a Confluent error body, or none when the body is something else. */
export function errorEntries(text: string): ApiErrorEntry[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(body?.errors)) return [];
    return body.errors
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      .map((e) => ({
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
        ...(typeof e.title === 'string' ? { title: e.title } : {}),
        ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
      }));
  } catch {
    return [];
  }
}

const STATUS_HINTS: Record<number, string> = {
  401: 'check the Cloud API key and secret (a cluster-scoped key does not work here)',
  403: "the API key's owner lacks a role this call needs (e.g. OrganizationAdmin, BillingAdmin or MetricsViewer)",
};

function describeStatus(status: number, errors: ApiErrorEntry[], text: string): string {
  const parts = errors
    .map((e) => [e.title, e.detail].filter((p) => p && p.length > 0).join(': '))
    .filter((p) => p.length > 0);
  const said = parts.length > 0 ? parts.join('; ') : text.replace(/\s+/g, ' ').trim();
  const clipped = said.length > ERROR_TEXT_LIMIT ? `${said.slice(0, ERROR_TEXT_LIMIT)}…` : said;
  const hint = STATUS_HINTS[status];
  return [`HTTP ${status}`, clipped && ` ${clipped}`, hint && ` (${hint})`].filter(Boolean).join('');
}

function statusOf(error: CcostError): number | null {
  return error instanceof ApiError ? error.status : null;
}

function redactEntry(entry: ApiErrorEntry, redact: (text: string) => string): ApiErrorEntry {
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, redact(v)]));
}

function redactor(secrets: string[]): (text: string) => string {
  const present = secrets.filter((s) => s.length >= 4);
  return (text) => present.reduce((out, secret) => out.split(secret).join('***'), text);
}
