import { describe, expect, it } from 'vitest';
import { naturalKey } from '../../../src/core/billing/cost.ts';
import { fetchCosts, monthWindows, oneYearBefore } from '../../../src/core/collect/billing.ts';
import { ApiError, type CcostError } from '../../../src/core/errors/index.ts';
import { fakeApiPerTest, fixture, fixtureReply, type Handler } from '../../helpers/fake-api.ts';

const NOW = new Date('2026-11-20T08:00:00Z');

const serve = fakeApiPerTest('Confluent Cloud API');

/** September in three pages (the fixtures' `next` links point at api.confluent.cloud), October in one. */
const paged: Handler = (req) => {
  if (req.path !== '/billing/v1/costs') return { status: 404, body: {} };
  if (req.query.get('start_date') === '2026-10-01') return fixtureReply('billing-costs-2026-10.json');
  const token = req.query.get('page_token');
  if (token === 'UvmDWOB1iwfAIBPj6EYb') return fixtureReply('billing-costs-2026-09-p2.json');
  if (token === 'bcAOehAY8F16YD84Z1wT') return fixtureReply('billing-costs-2026-09-p3.json');
  return fixtureReply('billing-costs-2026-09-p1.json');
};

describe('fetchCosts', () => {
  it('pages through two month windows and keeps every amount exactly', async () => {
    const { api, client } = await serve(paged);
    const lines = await fetchCosts(client, { startDate: '2026-09-01', endDate: '2026-10-02', now: NOW });
    expect(api.requests.map((r) => r.url)).toEqual([
      '/billing/v1/costs?start_date=2026-09-01&end_date=2026-10-01&page_size=10000',
      '/billing/v1/costs?page_token=UvmDWOB1iwfAIBPj6EYb&start_date=2026-09-01&end_date=2026-10-01&page_size=10000',
      '/billing/v1/costs?page_token=bcAOehAY8F16YD84Z1wT&start_date=2026-09-01&end_date=2026-10-01&page_size=10000',
      '/billing/v1/costs?start_date=2026-10-01&end_date=2026-10-02&page_size=10000',
    ]);
    expect(lines).toHaveLength(8);
    expect(new Set(lines.map(naturalKey)).size).toBe(8);

    const ckus = lines.find((l) => l.lineType === 'KAFKA_NUM_CKUS' && l.startDate === '2026-09-02')!;
    expect(ckus).toMatchObject({
      sourceId: 'dlz-f3a90de',
      price: '1.5',
      quantity: '99.95',
      originalAmount: '99.95',
      discountAmount: '20.95',
      amount: '79.0',
      resourceId: 'lkc-12345',
      environmentId: 'env-123',
    });
    const storage = lines.find((l) => l.lineType === 'KAFKA_STORAGE')!;
    expect(storage).toMatchObject({ price: '0.00014846', amount: '0.18327387', unit: 'GB-hour' });
    expect(storage.tierDimensions).toBe('{"provider":"aws","region":"us-east-1"}');
    const ksql = lines.find((l) => l.product === 'KSQL')!;
    expect(ksql).toMatchObject({ startDate: '2026-10-01', price: '0.255553', amount: '6.1344' });
  });

  it('accepts lines without price, resource, discount_amount or amount', async () => {
    const { client } = await serve(paged);
    const lines = await fetchCosts(client, { startDate: '2026-09-01', endDate: '2026-10-01', now: NOW });
    const support = lines.find((l) => l.lineType === 'SUPPORT')!;
    expect(support).toMatchObject({
      product: 'SUPPORT_CLOUD_BUSINESS',
      price: null,
      discountAmount: null,
      resourceId: null,
      environmentId: null,
      originalAmount: '12.1234567891',
      amount: '12.1234567891',
    });
  });

  it('restarts the month from its first page when a page token expires, without duplicates', async () => {
    let expired = false;
    const { api, client } = await serve((req, i) => {
      if (req.query.get('page_token') === 'bcAOehAY8F16YD84Z1wT' && !expired) {
        expired = true;
        return {
          status: 400,
          body: { errors: [{ status: '400', code: 'invalid_page_token', detail: 'page token expired' }] },
        };
      }
      return paged(req, i);
    });
    const lines = await fetchCosts(client, { startDate: '2026-09-01', endDate: '2026-10-01', now: NOW });
    expect(api.requests.map((r) => r.query.get('page_token'))).toEqual([
      null,
      'UvmDWOB1iwfAIBPj6EYb',
      'bcAOehAY8F16YD84Z1wT',
      null,
      'UvmDWOB1iwfAIBPj6EYb',
      'bcAOehAY8F16YD84Z1wT',
    ]);
    expect(lines).toHaveLength(7);
    expect(new Set(lines.map(naturalKey)).size).toBe(7);
    expect(lines.map((l) => `${l.startDate} ${l.lineType}`).sort()).toEqual([
      '2026-09-01 KAFKA_NUM_CKUS',
      '2026-09-01 KAFKA_STORAGE',
      '2026-09-02 KAFKA_NUM_CKUS',
      '2026-09-02 KAFKA_STORAGE',
      '2026-09-03 KAFKA_NUM_CKUS',
      '2026-09-03 KAFKA_STORAGE',
      '2026-09-03 SUPPORT',
    ]);
  });

  it('gives up when the page token keeps expiring', async () => {
    const { api, client } = await serve((req, i) =>
      req.query.has('page_token')
        ? { status: 400, body: fixture('error-400-invalid-filter.json') }
        : paged(req, i),
    );
    const error = await fetchCosts(client, {
      startDate: '2026-09-01',
      endDate: '2026-10-01',
      now: NOW,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      "Confluent Cloud API: GET /billing/v1/costs: HTTP 400 Invalid Filter: The 'delorean' resource can't be " +
        "filtered by 'num_doors'; the page token was rejected 4 times, restarting 2026-09-01..2026-10-01 each time, so ccost gives up",
    );
    expect(api.requests).toHaveLength(8);
  });

  it('fails a 400 on the first page at once', async () => {
    const { api, client } = await serve(() => ({
      status: 400,
      body: fixture('error-400-invalid-filter.json'),
    }));
    const error = await fetchCosts(client, {
      startDate: '2026-10-01',
      endDate: '2026-10-05',
      now: NOW,
    }).catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(400);
    expect((error as Error).message).toContain(
      "GET /billing/v1/costs: HTTP 400 Invalid Filter: The 'delorean'",
    );
    expect(api.requests).toHaveLength(1);
  });

  it('names the endpoint, window and field of a line that breaks the schema', async () => {
    const broken = fixture('billing-costs-2026-10.json').replace(
      '"original_amount": 6.1344',
      '"original_amount": "six"',
    );
    const { client } = await serve(() => ({ body: broken }));
    const error = await fetchCosts(client, {
      startDate: '2026-10-01',
      endDate: '2026-10-02',
      now: NOW,
    }).catch((e: unknown) => e);
    expect((error as CcostError).code).toBe('billing_invalid');
    expect((error as Error).message).toBe(
      'GET /billing/v1/costs (2026-10-01..2026-10-02): data[0].original_amount: must be a decimal number',
    );
  });

  it('refuses a start more than a year back before calling the API', async () => {
    const { api, client } = await serve(paged);
    const error = await fetchCosts(client, {
      startDate: '2025-11-01',
      endDate: '2025-12-01',
      now: NOW,
    }).catch((e: unknown) => e);
    expect((error as CcostError).code).toBe('input_invalid');
    expect((error as Error).message).toBe(
      'billing start date 2025-11-01 is more than one year back: the Billing API serves costs from 2025-11-20 on',
    );
    expect(api.requests).toHaveLength(0);
    await expect(
      fetchCosts(client, { startDate: '2026-10-05', endDate: '2026-10-05', now: NOW }),
    ).rejects.toThrow('billing end date 2026-10-05 must be after the start date 2026-10-05');
  });
});

describe('monthWindows', () => {
  it('splits at calendar months, start inclusive and end exclusive', () => {
    expect(monthWindows('2026-09-15', '2026-11-10')).toEqual([
      { startDate: '2026-09-15', endDate: '2026-10-01' },
      { startDate: '2026-10-01', endDate: '2026-11-01' },
      { startDate: '2026-11-01', endDate: '2026-11-10' },
    ]);
    expect(monthWindows('2026-12-01', '2027-01-01')).toEqual([
      { startDate: '2026-12-01', endDate: '2027-01-01' },
    ]);
  });
  it('knows what one year back is, leap days included', () => {
    expect(oneYearBefore(new Date('2028-02-29T10:00:00Z'))).toBe('2027-02-28');
    expect(oneYearBefore(NOW)).toBe('2025-11-20');
  });
});
