import { Decimal } from 'decimal.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCostList } from '../../../src/core/billing/cost.ts';
import { createModel } from '../../../src/core/simulate/model.ts';
import { type Simulator, type SimulatorStats, startSimulator } from '../../../src/core/simulate/server.ts';
import { type Client, clientOf, listAll, loadSpec, metricsBody, queryAll, specViolations } from './client.ts';

const D = Decimal.clone({ precision: 64 });
const REQUEST = 'io.confluent.kafka.server/request_bytes';
const RECEIVED = 'io.confluent.kafka.server/received_bytes';

const model = createModel({ seed: 42, start: '2026-10-01' });
const org = model.org;
const prod = org.environments[0]!.id;
let clock = new Date('2026-11-10T12:00:00Z');
let sim: Simulator;
let client: Client;

beforeAll(async () => {
  sim = await startSimulator({ model, now: () => clock, retryAfterSeconds: 0 });
  client = clientOf(sim);
});
afterAll(() => sim.stop());
afterEach(() => {
  sim.setFaults({});
  clock = new Date('2026-11-10T12:00:00Z');
});

const costs = (query: string) => `/billing/v1/costs?${query}`;

describe('simulator: Billing API', () => {
  it('serves the month in pages whose amounts add up exactly to billingTotal', async () => {
    const { items, pages } = await listAll(
      client,
      costs('start_date=2026-10-01&end_date=2026-11-01&page_size=40'),
      true,
    );
    const expected = model.billingLines('2026-10-01', '2026-11-01');
    expect(pages).toBe(Math.ceil(expected.length / 40));
    const lines = parseCostList({ data: items }, 'served');
    const total = lines.reduce((t, l) => t.plus(l.amount), new D(0));
    expect(total.toFixed(6)).toBe(model.billingTotal('2026-10-01', '2026-11-01'));
    expect(items.map((c) => c.id)).toEqual(expected.map((c) => c.id));
  });

  it('answers with the real envelope: CostList, metadata.next as a full URL, number amounts', async () => {
    const res = await client.get(costs('start_date=2026-10-05&end_date=2026-10-06&page_size=10'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ api_version: 'billing/v1', kind: 'CostList' });
    const next = new URL(res.json.metadata.next);
    expect(`${next.origin}${next.pathname}`).toBe(`${sim.url}/billing/v1/costs`);
    expect(next.searchParams.get('page_token')).toBeTruthy();
    expect(next.searchParams.get('start_date')).toBe('2026-10-05');
    expect(res.text).toMatch(/"amount":-?\d/);
    const line = res.json.data.find((c: { resource?: { environment?: unknown } }) => c.resource?.environment);
    expect(line.resource.environment.id).toMatch(/^env-/);
    const spec = loadSpec('billing-v1.yaml');
    if (spec) {
      // tier_dimensions and description are newer than the 2023 spec (see the API reference).
      const shaped = {
        ...res.json,
        data: res.json.data.map(
          ({ tier_dimensions: _t, description: _d, ...c }: object & Record<string, unknown>) => c,
        ),
      };
      expect(specViolations(spec, 'billing.v1.CostList', shaped)).toEqual([]);
    }
  });

  it('refuses windows over a month, starts over a year back and bad page sizes with the real error body', async () => {
    const cases: [string, string][] = [
      ['start_date=2026-09-01&end_date=2026-10-15', 'end_date'],
      ['start_date=2025-10-01&end_date=2025-10-15', 'start_date'],
      ['start_date=2026-10-01&end_date=2026-10-02&page_size=10001', 'page_size'],
      ['end_date=2026-10-02', 'start_date'],
      ['start_date=2026-10-05&end_date=2026-10-05', 'end_date'],
    ];
    for (const [query, parameter] of cases) {
      const res = await client.get(costs(query));
      expect(res.status, query).toBe(400);
      expect(res.json.errors[0]).toMatchObject({ status: '400', source: { parameter } });
      expect(Object.keys(res.json.errors[0])).toEqual(
        expect.arrayContaining(['status', 'code', 'title', 'detail']),
      );
    }
  });

  it('serves only complete days before now', async () => {
    clock = new Date('2026-10-10T05:00:00Z');
    const { items } = await listAll(
      client,
      costs('start_date=2026-10-01&end_date=2026-11-01&page_size=10000'),
    );
    expect(items.every((c) => c.start_date < '2026-10-10')).toBe(true);
    expect(items.some((c) => c.start_date === '2026-10-09')).toBe(true);
  });
});

describe('simulator: Metrics API', () => {
  const cluster = org.clusters[0]!.id;
  const day = '2026-10-07T00:00:00Z/2026-10-08T00:00:00Z';

  it('reports the bytes that network lines are priced from, paged by principal with the identical body', async () => {
    const body = metricsBody(REQUEST, cluster, day, { group_by: ['metric.principal_id'], limit: 2 });
    const points = await queryAll(client, body);
    expect(new Set(points.map((p) => p['metric.principal_id'])).size).toBeGreaterThan(2);
    const bytes = points.reduce((a, p) => a + Number(p.value), 0);
    const topics = await queryAll(
      client,
      metricsBody(RECEIVED, cluster, day, { group_by: ['metric.topic'] }),
    );
    expect(topics.reduce((a, p) => a + Number(p.value), 0)).toBe(bytes);
    const page = await client.get(costs('start_date=2026-10-07&end_date=2026-10-08'));
    const line = page.json.data.find(
      (c: { line_type: string; resource?: { id: string } }) =>
        c.line_type === 'KAFKA_NETWORK_WRITE' && c.resource?.id === cluster,
    );
    const expected = new D(bytes)
      .div(new D(2).pow(30))
      .times(line.price)
      .toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
    expect(new D(line.amount).eq(expected)).toBe(true);
  });

  it('serves hourly points whose daily sums are the daily points, in FLAT and GROUPED format', async () => {
    const hourly = await queryAll(
      client,
      metricsBody(REQUEST, cluster, day, { granularity: 'PT1H', group_by: ['metric.principal_id'] }),
    );
    const daily = await queryAll(
      client,
      metricsBody(REQUEST, cluster, day, { group_by: ['metric.principal_id'] }),
    );
    for (const d of daily) {
      const id = d['metric.principal_id'];
      const sum = hourly
        .filter((h) => h['metric.principal_id'] === id)
        .reduce((a, h) => a + Number(h.value), 0);
      expect(sum).toBe(Number(d.value));
    }
    const grouped = await client.post(
      '/v2/metrics/cloud/query',
      metricsBody(REQUEST, cluster, day, { group_by: ['metric.principal_id'], format: 'GROUPED' }),
    );
    expect(grouped.json.data[0]).toHaveProperty('metric.principal_id');
    expect(grouped.json.data[0].points[0]).toHaveProperty('timestamp');
  });

  it('answers 400 for a missing resource filter, another granularity, a changed body on a later page', async () => {
    const base = metricsBody(REQUEST, cluster, day, { group_by: ['metric.principal_id'], limit: 1 });
    const noFilter = await client.post('/v2/metrics/cloud/query', { ...base, filter: undefined });
    expect(noFilter.status).toBe(400);
    expect(noFilter.json.errors[0].detail).toMatch(/resource\.kafka\.id/);
    expect((await client.post('/v2/metrics/cloud/query', { ...base, granularity: 'PT5M' })).status).toBe(400);
    expect((await client.post('/v2/metrics/cloud/query', { ...base, aggregations: [] })).status).toBe(400);
    const first = await client.post('/v2/metrics/cloud/query', base);
    const token = first.json.meta.pagination.next_page_token;
    const changed = await client.post(`/v2/metrics/cloud/query?page_token=${token}`, { ...base, limit: 2 });
    expect(changed.status).toBe(400);
    expect((await client.post(`/v2/metrics/cloud/query?page_token=${token}`, base)).status).toBe(200);
  });
});

describe('simulator: inventory listings', () => {
  const specChecks: [string, string, string][] = [
    ['org-v2.yaml', 'org.v2.EnvironmentList', '/org/v2/environments'],
    ['org-v2.yaml', 'org.v2.OrganizationList', '/org/v2/organizations'],
    ['cmk-v2.yaml', 'cmk.v2.ClusterList', `/cmk/v2/clusters?environment=${prod}`],
    ['iam-v2.yaml', 'iam.v2.ServiceAccountList', '/iam/v2/service-accounts'],
    ['iam-v2.yaml', 'iam.v2.UserList', '/iam/v2/users'],
    ['fcpm-v2.yaml', 'fcpm.v2.ComputePoolList', `/fcpm/v2/compute-pools?environment=${prod}`],
    ['srcm-v3.yaml', 'srcm.v3.ClusterList', `/srcm/v3/clusters?environment=${prod}`],
    ['ksqldbcm-v2.yaml', 'ksqldbcm.v2.ClusterList', `/ksqldbcm/v2/clusters?environment=${prod}`],
  ];

  it('lists with the field names of the published OpenAPI specs', async () => {
    for (const [file, schema, path] of specChecks) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.json.data.length, path).toBeGreaterThan(0);
      const spec = loadSpec(file);
      if (spec) expect(specViolations(spec, schema, res.json), path).toEqual([]);
    }
  });

  it('carries the fields ccost joins on', async () => {
    const clusters = (await client.get(`/cmk/v2/clusters?environment=${prod}&page_size=100`)).json.data;
    expect(new Set(clusters.map((c: { spec: { config: { kind: string } } }) => c.spec.config.kind))).toEqual(
      new Set(['Dedicated', 'Enterprise', 'Standard', 'Freight']),
    );
    expect(
      clusters.find((c: { spec: { config: { kind: string } } }) => c.spec.config.kind === 'Dedicated').spec
        .config.cku,
    ).toBeGreaterThan(0);
    const keys = await listAll(client, '/iam/v2/api-keys?page_size=100');
    expect(keys.items.every((k) => /^(sa|u)-/.test(k.spec.owner.id))).toBe(true);
    expect(keys.items.some((k) => k.spec.resource.id.startsWith('lkc-'))).toBe(true);
    const ksql = (await client.get(`/ksqldbcm/v2/clusters?environment=${prod}`)).json.data[0];
    expect(ksql.spec.credential_identity.id).toBe(org.ksqlClusters[0]!.credentialIdentityId);
    const envs = (await client.get('/org/v2/environments')).json.data;
    expect(envs.find((e: { id: string }) => e.id === prod).stream_governance_config.package).toBe('ADVANCED');
    const provider = org.identityProviders[0]!.id;
    const pools = (await client.get(`/iam/v2/identity-providers/${provider}/identity-pools`)).json;
    expect(pools).toMatchObject({ api_version: 'iam/v2', kind: 'IdentityPoolList' });
    expect(pools.data[0].id).toMatch(/^pool-/);
    expect((await client.get('/iam/v2/identity-providers')).json.data[0].id).toBe(provider);
    expect((await client.get('/iam/v2/identity-providers/op-nope/identity-pools')).status).toBe(404);
    expect((await client.get('/cmk/v2/clusters')).status).toBe(400);
  });

  it('pages with page_size up to 100 and metadata.next until the last page', async () => {
    const { items, pages } = await listAll(client, '/iam/v2/service-accounts?page_size=7');
    const live = model.inventoryAt(clock).serviceAccounts;
    expect(items.map((p) => p.id).sort()).toEqual(live.map((p) => p.id).sort());
    expect(pages).toBe(Math.ceil(live.length / 7));
    expect((await client.get('/iam/v2/service-accounts?page_size=101')).status).toBe(400);
    expect((await client.get('/iam/v2/service-accounts?page_token=garbage')).status).toBe(400);
  });

  it('lists connectors as a map keyed by name, not paginated, with ids, config and status', async () => {
    const k = org.connectors[0]!;
    const res = await client.get(
      `/connect/v1/environments/${k.environmentId}/clusters/${k.clusterId}/connectors?expand=info,status,id`,
    );
    expect(res.status).toBe(200);
    const entry = res.json[k.name];
    expect(entry.id).toEqual({ id: k.id, id_type: 'ID' });
    expect(entry.info.config['kafka.service.account.id']).toBe(k.serviceAccountId);
    expect(entry.status.connector.state).toBe('RUNNING');
    const names = await client.get(
      `/connect/v1/environments/${k.environmentId}/clusters/${k.clusterId}/connectors`,
    );
    expect(names.json).toContain(k.name);
    const missing = await client.get(`/connect/v1/environments/${prod}/clusters/lkc-nope/connectors`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe(404);
  });

  it('shows the model as of now: the mid-month cluster and the deleted service account', async () => {
    const created = org.events.createdCluster!.id;
    const deleted = org.events.deletedServiceAccount!.id;
    const ids = async (path: string) => (await listAll(client, path)).items.map((i) => i.id);
    clock = new Date('2026-10-12T00:00:00Z');
    expect(await ids(`/cmk/v2/clusters?environment=${prod}&page_size=100`)).not.toContain(created);
    expect(await ids('/iam/v2/service-accounts?page_size=100')).toContain(deleted);
    clock = new Date('2026-11-10T12:00:00Z');
    expect(await ids(`/cmk/v2/clusters?environment=${prod}&page_size=100`)).toContain(created);
    expect(await ids('/iam/v2/service-accounts?page_size=100')).not.toContain(deleted);
    const keys = (await listAll(client, '/iam/v2/api-keys?page_size=100')).items;
    expect(keys.some((k) => k.spec.owner.id === deleted)).toBe(false);
    // Its usage before deletion is still served, under its id.
    const points = await queryAll(
      client,
      metricsBody(REQUEST, org.clusters[0]!.id, '2026-10-18T00:00:00Z/2026-10-19T00:00:00Z', {
        group_by: ['metric.principal_id'],
      }),
    );
    expect(points.some((p) => p['metric.principal_id'] === deleted)).toBe(true);
  });
});

describe('simulator: auth, headers and faults', () => {
  it('answers 401 with the real error body for a wrong key, in each API family', async () => {
    const wrong = clientOf(sim, 'SIMKEY', 'wrong');
    const res = await wrong.get('/org/v2/environments');
    expect(res.status).toBe(401);
    expect(res.json.errors[0]).toMatchObject({ status: '401', code: 'user_unauthenticated' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    const k = org.connectors[0]!;
    const connect = await wrong.get(
      `/connect/v1/environments/${k.environmentId}/clusters/${k.clusterId}/connectors`,
    );
    expect(connect.json).toEqual({
      error: { code: 401, message: 'Valid authentication credentials must be provided' },
    });
  });

  it('carries X-RateLimit-* (reset in relative seconds) on every answer', async () => {
    const res = await client.get('/org/v2/organizations');
    expect(res.json.data[0].id).toBe(org.organization.id);
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
  });

  it('rate-limits every Nth request with 429, Retry-After and rateLimit-* headers', async () => {
    sim.setFaults({ rateLimit: 2 });
    expect((await client.get('/org/v2/environments')).status).toBe(200);
    const limited = await client.get('/org/v2/environments');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('0');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.json.errors[0].status).toBe('429');
    expect(sim.stats().faults.rateLimited).toBeGreaterThanOrEqual(1);
  });

  it('fails every Nth request with 500 then 503', async () => {
    sim.setFaults({ serverError: 1 });
    expect((await client.get('/org/v2/environments')).status).toBe(500);
    expect((await client.get('/org/v2/environments')).status).toBe(503);
  });

  it('answers slowly with slowMs', async () => {
    sim.setFaults({ slowMs: 120 });
    const started = Date.now();
    expect((await client.get('/org/v2/environments')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('cuts every Nth billing page off halfway: the retry succeeds', async () => {
    sim.setFaults({ truncatePage: 2 });
    const url = costs('start_date=2026-10-01&end_date=2026-10-02');
    expect((await client.get(url)).json.kind).toBe('CostList');
    const cut = await client.get(url);
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect((await client.get(url)).json.kind).toBe('CostList');
    expect(sim.stats().faults.truncatedPages).toBe(1);
  });

  it('expires the Nth page token with a 400 in the real shape (Billing and Metrics API)', async () => {
    sim.setFaults({ expireToken: 1 });
    const first = await client.get(costs('start_date=2026-10-01&end_date=2026-10-02&page_size=3'));
    const expired = await client.get(first.json.metadata.next);
    expect(expired.status).toBe(400);
    expect(expired.json.errors[0].detail).toMatch(/expired/);
    expect((await client.get(first.json.metadata.next)).status).toBe(200);
    sim.setFaults({ expireToken: 1 });
    const body = metricsBody(REQUEST, org.clusters[0]!.id, '2026-10-07T00:00:00Z/2026-10-08T00:00:00Z', {
      group_by: ['metric.principal_id'],
      limit: 1,
    });
    const page = await client.post('/v2/metrics/cloud/query', body);
    const again = await client.post(
      `/v2/metrics/cloud/query?page_token=${page.json.meta.pagination.next_page_token}`,
      body,
    );
    expect(again.status).toBe(400);
    expect(again.json.errors[0].detail).toMatch(/expired/);
  });

  it('holds a late day back until the fault is cleared, through POST /_sim/faults', async () => {
    const url = costs('start_date=2026-10-01&end_date=2026-10-08&page_size=10000');
    const set = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ lateDay: '2026-10-05' }),
    });
    expect(await set.json()).toEqual({ lateDay: '2026-10-05' });
    const late = (await client.get(url)).json.data;
    expect(late.some((c: { start_date: string }) => c.start_date === '2026-10-05')).toBe(false);
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{}' });
    const arrived = (await client.get(url)).json.data;
    expect(
      arrived.filter((c: { start_date: string }) => c.start_date === '2026-10-05').length,
    ).toBeGreaterThan(10);
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{"rateLimit":0}' });
    expect(bad.status).toBe(400);
  });

  it('counts requests per endpoint', async () => {
    const before = sim.stats().byEndpoint['GET /iam/v2/users'] ?? 0;
    await client.get('/iam/v2/users');
    await client.get('/iam/v2/users');
    const stats = sim.stats();
    expect(stats.byEndpoint['GET /iam/v2/users']).toBe(before + 2);
    expect(stats.byEndpoint['GET /billing/v1/costs']).toBeGreaterThan(0);
    const viaHttp = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as SimulatorStats;
    expect(viaHttp.byEndpoint['GET /iam/v2/users']).toBe(before + 2);
  });
});

describe('simulator: determinism over HTTP', () => {
  it('serves identical bytes from two servers of the same seed', async () => {
    const other = await startSimulator({
      model: createModel({ seed: 42, start: '2026-10-01' }),
      now: '2026-11-10T12:00:00Z',
    });
    try {
      const path = costs('start_date=2026-10-03&end_date=2026-10-05&page_size=10000');
      const a = (await client.get(path)).text;
      const b = (await clientOf(other).get(path)).text;
      // The only difference is the origin in metadata URLs.
      expect(b.replaceAll(other.url, sim.url)).toBe(a);
    } finally {
      await other.stop();
    }
  });
});
