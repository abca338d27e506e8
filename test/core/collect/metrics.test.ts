import { describe, expect, it } from 'vitest';
import {
  fetchPrincipalUsage,
  fetchTopicUsage,
  type MetricsQuery,
  queryMetrics,
  usageIntervals,
} from '../../../src/core/collect/metrics.ts';
import { ApiError, type CcostError } from '../../../src/core/errors/index.ts';
import { fakeApiPerTest, fixture, fixtureReply, type Handler } from '../../helpers/fake-api.ts';

const serve = fakeApiPerTest('Metrics API');

const query: MetricsQuery = {
  aggregations: [{ metric: 'io.confluent.kafka.server/request_bytes', agg: 'SUM' }],
  filter: { field: 'resource.kafka.id', op: 'EQ', value: 'lkc-ded001' },
  granularity: 'P1D',
  intervals: ['2026-10-01T00:00:00Z/2026-10-03T00:00:00Z'],
  group_by: ['metric.principal_id'],
  limit: 1000,
  format: 'FLAT',
};

/** Two pages of principal bytes; the second page needs the first page's token. */
const twoPages: Handler = (req) =>
  req.query.get('page_token') === 'dG9rZW4tcGFnZS0y'
    ? fixtureReply('metrics-principals-p2.json')
    : fixtureReply('metrics-principals-p1.json');

describe('queryMetrics', () => {
  it('follows next_page_token with the identical body and keeps values exact', async () => {
    const { api, client } = await serve(twoPages);
    const rows = await queryMetrics(client, query);
    expect(api.requests.map((r) => r.url)).toEqual([
      '/v2/metrics/cloud/query',
      '/v2/metrics/cloud/query?page_token=dG9rZW4tcGFnZS0y',
    ]);
    expect(api.requests[0]!.body).toBe(JSON.stringify(query));
    expect(api.requests[1]!.body).toBe(api.requests[0]!.body);
    expect(api.requests[0]!.headers['content-type']).toBe('application/json');
    expect(rows).toEqual([
      {
        timestamp: '2026-10-01T00:00:00Z',
        value: '123456789012345678',
        labels: { 'metric.principal_id': 'sa-pay01' },
      },
      { timestamp: '2026-10-02T00:00:00Z', value: '2500.25', labels: { 'metric.principal_id': 'sa-pay01' } },
      { timestamp: '2026-10-01T00:00:00Z', value: '1024', labels: { 'metric.principal_id': 'u-4kd9x' } },
      { timestamp: '2026-10-02T00:00:00Z', value: '0.5', labels: { 'metric.principal_id': 'u-4kd9x' } },
    ]);
  });

  it('restarts from the first page when the page token has expired', async () => {
    let expired = false;
    const { api, client } = await serve((req, i) => {
      if (req.query.has('page_token') && !expired) {
        expired = true;
        return { status: 400, body: { errors: [{ status: '400', detail: 'Invalid page token' }] } };
      }
      return twoPages(req, i);
    });
    const rows = await queryMetrics(client, query);
    expect(api.requests.map((r) => r.query.get('page_token'))).toEqual([
      null,
      'dG9rZW4tcGFnZS0y',
      null,
      'dG9rZW4tcGFnZS0y',
    ]);
    expect(new Set(api.requests.map((r) => r.body)).size).toBe(1);
    expect(rows).toHaveLength(4);
  });

  it('gives up after a bounded number of restarts', async () => {
    const { api, client } = await serve((req, i) =>
      req.query.has('page_token')
        ? { status: 400, body: { errors: [{ detail: 'Invalid page token' }] } }
        : twoPages(req, i),
    );
    const error = await queryMetrics(client, query, { maxRestarts: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      'Metrics API: POST /v2/metrics/cloud/query: HTTP 400 Invalid page token; the page token was rejected 3 ' +
        'times, restarting the query each time, so ccost gives up',
    );
    expect(api.requests).toHaveLength(6);
  });

  it('reads the spec examples in FLAT and GROUPED format alike', async () => {
    const { client } = await serve((req) =>
      JSON.parse(req.body).format === 'GROUPED'
        ? fixtureReply('metrics-query-grouped.json')
        : fixtureReply('metrics-query-flat.json'),
    );
    const flat = await queryMetrics(client, { ...query, group_by: ['metric.topic'] });
    const grouped = await queryMetrics(client, { ...query, group_by: ['metric.topic'], format: 'GROUPED' });
    expect(flat).toEqual([
      { timestamp: '2019-10-17T20:17:00Z', value: '9741', labels: { 'metric.topic': 'foo' } },
      { timestamp: '2019-10-17T20:18:00Z', value: '9246', labels: { 'metric.topic': 'foo' } },
      { timestamp: '2019-10-17T20:17:00Z', value: '844.1', labels: { 'metric.topic': 'bar' } },
      { timestamp: '2019-10-17T20:18:00Z', value: '821.1', labels: { 'metric.topic': 'bar' } },
    ]);
    expect(grouped).toEqual(flat);
  });

  it('names the endpoint and field of a value that is not a number', async () => {
    const broken = fixture('metrics-query-flat.json').replace('"value": 844.1', '"value": "n/a"');
    const { client } = await serve(() => ({ body: broken }));
    const error = await queryMetrics(client, query).catch((e: unknown) => e);
    expect((error as CcostError).code).toBe('api_response_invalid');
    expect((error as Error).message).toBe(
      'POST /v2/metrics/cloud/query: data[2].value: must be a decimal number (the API answered in a shape ccost does not know)',
    );
  });
});

/** Answers each usage query with one point per principal or topic for each day or hour asked. */
const perBucket: Handler = (req) => {
  const body = JSON.parse(req.body) as MetricsQuery;
  const metric = body.aggregations[0]!.metric.split('/')[1]!;
  const [from, to] = body.intervals[0]!.split('/').map((t) => Date.parse(t)) as [number, number];
  const step = body.granularity === 'P1D' ? 86_400_000 : 3_600_000;
  const label = body.group_by![0]!;
  const subjects = label === 'metric.principal_id' ? ['sa-pay01', 'u-4kd9x'] : ['orders'];
  const data = [];
  for (let t = from; t < to; t += step) {
    for (const s of subjects) {
      data.push(
        `{"timestamp": "${new Date(t).toISOString()}", "${label}": "${s}", "value": ${metric.length}.000000001}`,
      );
    }
  }
  return { body: `{"data": [${data.join(',')}], "meta": {"pagination": {"page_size": 1000}}}` };
};

describe('fetchPrincipalUsage and fetchTopicUsage', () => {
  it('asks for request and response bytes per principal and stores each day', async () => {
    const { api, client } = await serve(perBucket);
    const rows = await fetchPrincipalUsage(client, {
      clusterId: 'lkc-ded001',
      startDate: '2026-10-01',
      endDate: '2026-10-03',
      granularity: 'P1D',
    });
    expect(api.requests.map((r) => JSON.parse(r.body))).toEqual(
      ['request_bytes', 'response_bytes'].map((m) => ({
        aggregations: [{ metric: `io.confluent.kafka.server/${m}`, agg: 'SUM' }],
        filter: { field: 'resource.kafka.id', op: 'EQ', value: 'lkc-ded001' },
        granularity: 'P1D',
        intervals: ['2026-10-01T00:00:00Z/2026-10-03T00:00:00Z'],
        group_by: ['metric.principal_id'],
        limit: 1000,
        format: 'FLAT',
      })),
    );
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      bucketStart: '2026-10-01',
      granularity: 'day',
      resourceId: 'lkc-ded001',
      subjectKind: 'principal',
      subjectId: 'sa-pay01',
      metric: 'request_bytes',
      value: '13.000000001',
    });
    expect(new Set(rows.map((r) => `${r.metric} ${r.bucketStart}`))).toEqual(
      new Set([
        'request_bytes 2026-10-01',
        'request_bytes 2026-10-02',
        'response_bytes 2026-10-01',
        'response_bytes 2026-10-02',
      ]),
    );
  });

  it('stores hourly buckets when asked, one query per day', async () => {
    const { api, client } = await serve(perBucket);
    const rows = await fetchPrincipalUsage(client, {
      clusterId: 'lkc-ded001',
      startDate: '2026-10-01',
      endDate: '2026-10-03',
      granularity: 'PT1H',
    });
    expect(api.requests.map((r) => JSON.parse(r.body).intervals[0])).toEqual([
      '2026-10-01T00:00:00Z/2026-10-02T00:00:00Z',
      '2026-10-02T00:00:00Z/2026-10-03T00:00:00Z',
      '2026-10-01T00:00:00Z/2026-10-02T00:00:00Z',
      '2026-10-02T00:00:00Z/2026-10-03T00:00:00Z',
    ]);
    expect(rows).toHaveLength(2 * 2 * 48);
    expect(rows[1]).toMatchObject({
      bucketStart: '2026-10-01T00:00:00Z',
      granularity: 'hour',
      subjectId: 'u-4kd9x',
    });
    expect(rows.at(-1)).toMatchObject({ bucketStart: '2026-10-02T23:00:00Z', metric: 'response_bytes' });
  });

  it('asks for received, sent and retained bytes per topic', async () => {
    const { api, client } = await serve(perBucket);
    const rows = await fetchTopicUsage(client, {
      clusterId: 'lkc-std002',
      startDate: '2026-10-01',
      endDate: '2026-10-02',
      granularity: 'P1D',
    });
    expect(api.requests.map((r) => JSON.parse(r.body).group_by)).toEqual([
      ['metric.topic'],
      ['metric.topic'],
      ['metric.topic'],
    ]);
    expect(rows.map((r) => [r.subjectKind, r.subjectId, r.metric, r.value])).toEqual([
      ['topic', 'orders', 'received_bytes', '14.000000001'],
      ['topic', 'orders', 'sent_bytes', '10.000000001'],
      ['topic', 'orders', 'retained_bytes', '14.000000001'],
    ]);
  });
});

describe('usageIntervals', () => {
  it('chunks a range into weeks at P1D and days at PT1H', () => {
    expect(usageIntervals('2026-10-01', '2026-10-20', 'P1D')).toEqual([
      '2026-10-01T00:00:00Z/2026-10-08T00:00:00Z',
      '2026-10-08T00:00:00Z/2026-10-15T00:00:00Z',
      '2026-10-15T00:00:00Z/2026-10-20T00:00:00Z',
    ]);
    expect(usageIntervals('2026-10-31', '2026-11-02', 'PT1H')).toEqual([
      '2026-10-31T00:00:00Z/2026-11-01T00:00:00Z',
      '2026-11-01T00:00:00Z/2026-11-02T00:00:00Z',
    ]);
    expect(() => usageIntervals('2026-10-02', '2026-10-02', 'P1D')).toThrow('is empty');
  });
});
