import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, rateLimitWaitMs } from '../../../src/core/collect/backoff.ts';
import {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type HttpLogEvent,
  resolveApiUrl,
} from '../../../src/core/collect/http.ts';
import { createRateLimiter } from '../../../src/core/collect/rate-limit.ts';
import { ApiError, CcostError } from '../../../src/core/errors/index.ts';
import { type FakeApi, fixture, type Handler, type Reply, startFakeApi } from '../../helpers/fake-api.ts';

const KEY = 'ABCDEFGH12345678';
const SECRET = 'sEcReT+DoNotLeak/9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXWVU';
const TOKEN = Buffer.from(`${KEY}:${SECRET}`).toString('base64');

let api: FakeApi | undefined;
let client: ApiClient | undefined;
afterEach(async () => {
  await client?.close();
  await api?.close();
  api = undefined;
  client = undefined;
});

interface Harness {
  api: FakeApi;
  client: ApiClient;
  sleeps: number[];
  logs: HttpLogEvent[];
}

async function harness(handler: Handler, options: Partial<ApiClientOptions> = {}): Promise<Harness> {
  api = await startFakeApi(handler);
  const sleeps: number[] = [];
  const logs: HttpLogEvent[] = [];
  client = createApiClient({
    baseUrl: api.url,
    apiKey: KEY,
    apiSecret: SECRET,
    name: 'Confluent Cloud API',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    logger: (event) => logs.push(event),
    ...options,
  });
  return { api, client, sleeps, logs };
}

/** Every text a user or a log could see: messages, inspected errors (with causes) and log lines. */
function expectNoSecret(texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text.toLowerCase()).not.toContain('authorization');
  }
}

describe('createApiClient', () => {
  it('sends Basic auth and parses numbers losslessly', async () => {
    const h = await harness(() => ({
      body: '{"price": 0.00014846, "big": 123456789012345678901, "n": 79.0}',
    }));
    const json = await h.client.getJson('/billing/v1/costs', { start_date: '2026-10-01', skip: undefined });
    expect(json).toEqual({ price: '0.00014846', big: '123456789012345678901', n: '79.0' });
    const [req] = h.api.requests;
    expect(req!.headers.authorization).toBe(`Basic ${TOKEN}`);
    expect(req!.url).toBe('/billing/v1/costs?start_date=2026-10-01');
    expect(h.client.stats()).toEqual({ requests: 1, retries: 0, rateLimited: 0, failures: 0, waitedMs: 0 });
  });

  it('honours Retry-After on a 429, then succeeds', async () => {
    const h = await harness((_req, i) =>
      i === 0 ? { status: 429, headers: { 'Retry-After': '2' }, body: {} } : { body: { ok: true } },
    );
    await expect(h.client.getJson('/org/v2/environments')).resolves.toEqual({ ok: true });
    expect(h.sleeps).toEqual([2000]);
    expect(h.logs).toEqual([
      {
        event: 'http_retry',
        api: 'Confluent Cloud API',
        endpoint: 'GET /org/v2/environments',
        status: 429,
        reason: 'rate_limited',
        attempt: 1,
        waitMs: 2000,
      },
    ]);
    expect(h.client.stats()).toMatchObject({ requests: 2, retries: 1, rateLimited: 1, waitedMs: 2000 });
  });

  it('reads an HTTP-date Retry-After and the reset headers case-insensitively', async () => {
    const now = Date.parse('2026-10-01T12:00:00Z');
    const replies: Reply[] = [
      { status: 429, headers: { 'Retry-After': 'Thu, 01 Oct 2026 12:00:05 GMT' }, body: {} },
      { status: 429, headers: { 'rateLimit-reset': '7' }, body: {} },
      { status: 429, headers: { 'X-RateLimit-Reset': String(now / 1000 + 3) }, body: {} },
      { status: 429, body: {} },
      { body: { ok: true } },
    ];
    const h = await harness((_req, i) => replies[i]!, { now: () => now });
    await h.client.getJson('/v2/metrics/cloud/descriptors/metrics');
    // The last 429 names no wait: full-jitter backoff (random 0.5 of 500 · 2^3).
    expect(h.sleeps).toEqual([5000, 7000, 3000, 2000]);
  });

  it('retries 5xx with capped exponential backoff and full jitter', async () => {
    const h = await harness((_req, i) =>
      i < 2 ? { status: 500, body: fixture('error-500.json') } : { body: [] },
    );
    await expect(h.client.getJson('/cmk/v2/clusters')).resolves.toEqual([]);
    expect(h.sleeps).toEqual([250, 500]);
    expect(h.logs.map((l) => (l.event === 'http_retry' ? [l.status, l.reason, l.attempt] : null))).toEqual([
      [500, 'server_error', 1],
      [500, 'server_error', 2],
    ]);
  });

  it('retries a call that timed out', async () => {
    const h = await harness((_req, i) => (i === 0 ? { hang: true } : { body: { ok: 1 } }), {
      timeoutMs: 300,
    });
    await expect(h.client.getJson('/iam/v2/users')).resolves.toEqual({ ok: '1' });
    expect(h.api.requests).toHaveLength(2);
    expect(h.logs[0]).toMatchObject({ event: 'http_retry', status: null, reason: 'timeout', attempt: 1 });
  });

  it('retries a truncated body and a body that is not JSON', async () => {
    const h = await harness((_req, i) =>
      i === 0
        ? { truncate: '{"data": [{"id": "env-1"' }
        : i === 1
          ? { body: '{"data": [' }
          : { body: { data: [] } },
    );
    await expect(h.client.getJson('/org/v2/environments')).resolves.toEqual({ data: [] });
    expect(h.logs.map((l) => (l.event === 'http_retry' ? l.reason : l.event))).toEqual([
      'connection',
      'invalid_body',
    ]);
  });

  it('fails a wrong key at once with the API error and without the secret', async () => {
    const h = await harness(() => ({
      status: 401,
      headers: {
        'WWW-Authenticate': 'Basic error="invalid_key", error_description="The API Key is invalid"',
      },
      body: fixture('error-401.json'),
    }));
    const error = await h.client
      .getJson('/billing/v1/costs', { start_date: '2026-10-01', page_token: 'opaque' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.code).toBe('http_error');
    expect(apiError.endpoint).toBe('GET /billing/v1/costs');
    expect(apiError.message).toBe(
      'Confluent Cloud API: GET /billing/v1/costs: HTTP 401 Authentication Required: Valid authentication ' +
        'credentials must be provided (check the Cloud API key and secret (a cluster-scoped key does not work here))',
    );
    expect(h.api.requests).toHaveLength(1);
    expectNoSecret([
      apiError.message,
      inspect(apiError, { depth: 10 }),
      ...h.logs.map((l) => JSON.stringify(l)),
    ]);
  });

  it('gives up after maxRetries and says why', async () => {
    const h = await harness(() => ({ status: 503, body: 'upstream unavailable' }), { maxRetries: 2 });
    const error = (await h.client.getJson('/org/v2/environments').catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe(
      'Confluent Cloud API: GET /org/v2/environments: gave up after 3 attempts: HTTP 503 upstream unavailable',
    );
    expect(error.status).toBe(503);
    expect(h.api.requests).toHaveLength(3);
    expect(h.logs.at(-1)).toEqual({
      event: 'http_error',
      api: 'Confluent Cloud API',
      endpoint: 'GET /org/v2/environments',
      status: 503,
      attempts: 3,
    });
    expect(h.client.stats()).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it('never shows the secret, even when the API echoes it', async () => {
    const scenarios: Handler[] = [
      (_r, i) =>
        i === 0 ? { status: 429, body: {} } : { status: 403, body: { errors: [{ detail: SECRET }] } },
      () => ({ status: 500, body: `bad credentials ${KEY}:${SECRET} / Basic ${TOKEN}` }),
      () => ({ hang: true }),
      () => ({ truncate: '{' }),
      () => ({ body: '{"broken' }),
      () => ({ status: 404, body: fixture('error-400-invalid-filter.json') }),
    ];
    const texts: string[] = [];
    for (const scenario of scenarios) {
      const h = await harness(scenario, { maxRetries: 1, timeoutMs: 250 });
      const error = await h.client.postJson('/v2/metrics/cloud/query', { q: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CcostError);
      texts.push((error as Error).message, inspect(error, { depth: 10 }), String(error));
      texts.push(...h.logs.map((l) => JSON.stringify(l)));
      await client!.close();
      await api!.close();
      client = undefined;
      api = undefined;
    }
    expect(texts.join('\n')).toContain('***');
    expectNoSecret(texts);
  });

  it('retries a refused connection and then fails with no status', async () => {
    const closed = await startFakeApi(() => ({ body: {} }));
    await closed.close();
    const sleeps: number[] = [];
    client = createApiClient({
      baseUrl: closed.url,
      apiKey: KEY,
      apiSecret: SECRET,
      name: 'Metrics API',
      maxRetries: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0,
    });
    const error = (await client.getJson('/v2/metrics/cloud/export').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBeNull();
    expect(error.message).toMatch(
      /^Metrics API: GET \/v2\/metrics\/cloud\/export: gave up after 3 attempts: ECONNREFUSED/,
    );
    expect(sleeps).toEqual([0, 0]);
  });

  it('follows a next link on a Confluent host through the proxy base URL, keeping path and query', async () => {
    api = await startFakeApi((req) =>
      req.query.has('page_token')
        ? { body: { data: ['b'], metadata: { next: null } } }
        : {
            body: {
              data: ['a'],
              metadata: { next: 'https://api.confluent.cloud/org/v2/environments?page_token=T2' },
            },
          },
    );
    // A proxy mounted under /proxy: the path prefix stays on every call and on rewritten links.
    client = createApiClient({ baseUrl: `${api.url}/proxy/`, apiKey: KEY, apiSecret: SECRET, name: 'Cloud' });
    const first = (await client.getJson('/org/v2/environments', { page_size: 100 })) as {
      metadata: { next: string };
    };
    await expect(client.getJson(first.metadata.next, { page_size: 100 })).resolves.toMatchObject({
      data: ['b'],
    });
    expect(api.requests.map((r) => r.url)).toEqual([
      '/proxy/org/v2/environments?page_size=100',
      '/proxy/org/v2/environments?page_token=T2&page_size=100',
    ]);
  });

  it('refuses a next link to another host and sends nothing there', async () => {
    const h = await harness(() => ({ body: {} }));
    const error = await h.client
      .getJson('https://evil.example.com/steal?page_token=x')
      .catch((e: unknown) => e);
    expect((error as CcostError).code).toBe('api_response_invalid');
    expect((error as Error).message).toBe(
      `Confluent Cloud API: refusing to follow a link to https://evil.example.com/steal: only ${h.api.url} is allowed`,
    );
    expect(h.api.requests).toHaveLength(0);
  });

  it('spaces requests with the client-side rate limit', async () => {
    const arrivals: number[] = [];
    const h = await harness(
      () => {
        arrivals.push(performance.now());
        return { body: {} };
      },
      { requestsPerSecond: 10, sleep: undefined },
    );
    await h.client.getJson('/iam/v2/users'); // opens the connection; its slot is the first
    await Promise.all(Array.from({ length: 4 }, () => h.client.getJson('/iam/v2/users')));
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    // 100 ms apart, with room for scheduling jitter on a busy machine.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(70);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(370);
  });
});

describe('resolveApiUrl', () => {
  const base = new URL('http://127.0.0.1:8080/confluent');
  it('keeps the base path prefix for paths and rewritten links', () => {
    expect(resolveApiUrl(base, '/cmk/v2/clusters').href).toBe(
      'http://127.0.0.1:8080/confluent/cmk/v2/clusters',
    );
    expect(resolveApiUrl(base, 'https://api.confluent.cloud/cmk/v2/clusters?page_token=a%2Fb').href).toBe(
      'http://127.0.0.1:8080/confluent/cmk/v2/clusters?page_token=a%2Fb',
    );
    expect(resolveApiUrl(base, 'http://127.0.0.1:8080/confluent/iam/v2/users?page_token=x').href).toBe(
      'http://127.0.0.1:8080/confluent/iam/v2/users?page_token=x',
    );
  });
});

describe('rateLimitWaitMs and backoffMs', () => {
  const now = 1_790_000_000_000;
  it('prefers Retry-After, then the longest reset header; > 1e9 is an epoch', () => {
    expect(rateLimitWaitMs({ 'retry-after': '3', 'x-ratelimit-reset': '60' }, now)).toBe(3000);
    expect(rateLimitWaitMs({ 'RateLimit-Reset': '4' }, now)).toBe(4000);
    expect(rateLimitWaitMs({ 'ratelimit-reset': ['1', '9'] }, now)).toBe(9000);
    expect(rateLimitWaitMs({ 'ratelimit-reset': '2, 5' }, now)).toBe(5000);
    expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 12) }, now)).toBe(12_000);
    expect(rateLimitWaitMs({ 'retry-after': 'soon', 'x-ratelimit-reset': '1' }, now)).toBe(1000);
    expect(rateLimitWaitMs({}, now)).toBeNull();
  });
  it('grows exponentially, caps at 30 s and jitters over the whole range', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, () => 0.999999))).toEqual([499, 999, 1999, 3999, 29_999]);
    expect(backoffMs(5, () => 0)).toBe(0);
  });
});

describe('createRateLimiter', () => {
  it('spaces concurrent callers by 1/rate on an injected clock', async () => {
    let t = 1000;
    const waits: number[] = [];
    const limiter = createRateLimiter(4, {
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(waits).toEqual([250, 500]);
    t += 2000;
    await limiter.acquire();
    expect(waits).toEqual([250, 500]);
  });
});
