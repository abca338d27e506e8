import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { bytesOn, line, runEngine } from '../../helpers/engine.ts';

const ok = (resourceId = 'lkc-1', day = '2026-10-01') => ({ resourceId, day, status: 'ok' });
const amounts = (rows: ReturnType<typeof runEngine>) =>
  Object.fromEntries(rows.map((r) => [r.ownerId, r.amount]));

describe('allocation engine', () => {
  it('accepts KAFKA_NUM_CKU as well as KAFKA_NUM_CKUS, with configurable weights', () => {
    const usage = bytesOn('lkc-1', '2026-10-01', { 'sa-a': [3, 0], 'sa-b': [1, 0] });
    const config = { allocation: { cku: { usage_weight: 1, even_weight: 0 } } };
    const single = runEngine({
      lines: [line({ lineType: 'KAFKA_NUM_CKU', amount: '4' })],
      usage,
      fetches: [ok()],
      config,
    });
    const plural = runEngine({
      lines: [line({ lineType: 'KAFKA_NUM_CKUS', amount: '4' })],
      usage,
      fetches: [ok()],
      config,
    });
    expect(amounts(single)).toEqual({ 'sa-a': '3.000000', 'sa-b': '1.000000' });
    expect(amounts(plural)).toEqual(amounts(single));
    expect(single[0]!.method).toBe('weighted');
  });

  it('treats a missing metrics fetch as missing, never as zero usage', () => {
    const notCollected = runEngine({ lines: [line({ lineType: 'KAFKA_NETWORK_READ', amount: '5' })] });
    expect(notCollected).toMatchObject([
      { ownerId: 'lkc-1', method: 'resource', confidence: 'low', fallbackReason: 'metrics not collected' },
    ]);
    const failed = runEngine({
      lines: [line({ lineType: 'KAFKA_STORAGE', amount: '5' })],
      usage: bytesOn('lkc-1', '2026-10-01', { 'sa-a': [1, 1], 'sa-b': [1, 1] }),
      fetches: [{ resourceId: 'lkc-1', day: '2026-10-01', status: 'failed' }],
    });
    expect(failed).toMatchObject([{ ownerId: 'lkc-1', fallbackReason: 'metrics fetch failed' }]);
  });

  it('falls back from usage to even across active principals, then to the resource, recording why', () => {
    const writersOnly = bytesOn('lkc-1', '2026-10-01', { 'sa-a': [10, 0], 'sa-b': [30, 0] });
    const read = runEngine({
      lines: [line({ lineType: 'KAFKA_NETWORK_READ', amount: '1' })],
      usage: writersOnly,
      fetches: [ok()],
    });
    expect(read.map((r) => [r.ownerId, r.amount, r.method, r.confidence])).toEqual([
      ['sa-a', '0.500000', 'even', 'low'],
      ['sa-b', '0.500000', 'even', 'low'],
    ]);
    expect(read[0]!.fallbackReason).toBe('no read bytes in the bucket');
    const idle = runEngine({ lines: [line({ lineType: 'KAFKA_BASE', amount: '1' })], fetches: [ok()] });
    expect(idle).toMatchObject([
      { ownerId: 'lkc-1', method: 'resource', fallbackReason: 'no active principals' },
    ]);
  });

  it('puts credits, Tableflow and unknown products on the unallocated row with a reason', () => {
    const rows = runEngine({
      lines: [
        line({
          product: 'PROMO',
          lineType: 'PROMO_CREDIT',
          amount: '-562.29',
          resourceId: null,
          environmentId: null,
        }),
        line({ product: 'TABLEFLOW', lineType: 'TABLEFLOW_STORAGE', amount: '2' }),
        line({ product: 'QUANTUM', lineType: 'QUANTUM_QUBITS', amount: '1.5' }),
      ],
    });
    expect(rows.map((r) => [r.ownerId, r.team, r.amount, r.usageShare])).toEqual([
      ['unallocated', 'unallocated', '-562.290000', '0'],
      ['unallocated', 'unallocated', '2.000000', '0'],
      ['unallocated', 'unallocated', '1.500000', '0'],
    ]);
    expect(rows[2]!.fallbackReason).toBe('no allocation rule for QUANTUM/QUANTUM_QUBITS');
  });

  it('books digits beyond the internal scale on an explicit rounding row', () => {
    const rows = runEngine({
      lines: [line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '1.0000004' })],
      usage: bytesOn('lkc-1', '2026-10-01', { 'sa-a': [1, 0], 'sa-b': [1, 0], 'sa-c': [1, 0] }),
      fetches: [ok()],
    });
    expect(rows.map((r) => [r.ownerId, r.amount, r.method])).toEqual([
      ['sa-a', '0.333334', 'usage'],
      ['sa-b', '0.333333', 'usage'],
      ['sa-c', '0.333333', 'usage'],
      ['unallocated', '0.0000004', 'rounding'],
    ]);
    expect(rows.reduce((s, r) => s.plus(r.amount), new Decimal(0)).toFixed()).toBe('1.0000004');
  });

  it('applies custom rules from their effective date only', () => {
    const config = {
      allocation: { rules: [{ line_type: 'KAFKA_STORAGE', method: 'resource', from: '2026-10-15' }] },
    };
    const usage = [
      ...bytesOn('lkc-1', '2026-10-14', { 'sa-a': [1, 0] }),
      ...bytesOn('lkc-1', '2026-10-15', { 'sa-a': [1, 0] }),
    ];
    const rows = runEngine({
      lines: [
        line({ lineType: 'KAFKA_STORAGE', amount: '1', day: '2026-10-14' }),
        line({ lineType: 'KAFKA_STORAGE', amount: '1', day: '2026-10-15' }),
      ],
      usage,
      fetches: [ok('lkc-1', '2026-10-14'), ok('lkc-1', '2026-10-15')],
      config,
    });
    expect(rows.map((r) => [r.bucket, r.ownerId, r.method])).toEqual([
      ['2026-10-14', 'sa-a', 'even'],
      ['2026-10-15', 'lkc-1', 'resource'],
    ]);
  });

  it('follows a service account that moves between teams on its effective date', () => {
    const config = {
      teams: {
        checkout: { owners: [{ id: 'sa-a', until: '2026-10-15' }] },
        payments: { owners: [{ id: 'sa-a', from: '2026-10-15' }] },
      },
    };
    const rows = runEngine({
      lines: ['2026-10-14', '2026-10-15'].map((day) =>
        line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '1', day }),
      ),
      usage: ['2026-10-14', '2026-10-15'].flatMap((day) =>
        bytesOn('lkc-1', day, { 'sa-a': [1, 0], 'sa-z': [1, 0] }),
      ),
      fetches: [ok('lkc-1', '2026-10-14'), ok('lkc-1', '2026-10-15')],
      config,
    });
    expect(rows.map((r) => `${r.bucket} ${r.ownerId} ${r.team}`)).toEqual([
      '2026-10-14 sa-a checkout',
      '2026-10-14 sa-z unowned',
      '2026-10-15 sa-a payments',
      '2026-10-15 sa-z unowned',
    ]);
  });

  it('sends ksqlDB to the owning service account and a resource owned by a principal to that team', () => {
    const rows = runEngine({
      lines: [
        line({ product: 'KSQL', lineType: 'KSQL_NUM_CSUS', amount: '6.1344', resourceId: 'lksqlc-1' }),
        line({
          product: 'CUSTOM_CONNECT',
          lineType: 'CUSTOM_CONNECT_NUM_TASKS',
          amount: '2',
          resourceId: 'cc-1',
        }),
      ],
      resources: [
        { id: 'lksqlc-1', kind: 'ksqldb', ownerId: 'sa-k' },
        { id: 'cc-1', kind: 'custom_connector', ownerId: 'sa-k' },
      ],
      config: { teams: { search: { owners: ['sa-k'] } } },
    });
    expect(rows.map((r) => [r.ownerId, r.team, r.method])).toEqual([
      ['sa-k', 'search', 'resource_owner'],
      ['cc-1', 'search', 'resource'],
    ]);
  });

  it('splits Schema Registry evenly across the Kafka clusters of its environment', () => {
    const rows = runEngine({
      lines: [
        line({
          product: 'STREAM_GOVERNANCE',
          lineType: 'GOVERNANCE_BASE',
          amount: '1',
          resourceId: 'lsrc-1',
        }),
      ],
      resources: [
        { id: 'lkc-2', environmentId: 'env-1' },
        { id: 'lkc-1', environmentId: 'env-1' },
        { id: 'lkc-9', environmentId: 'env-9' },
      ],
    });
    expect(rows.map((r) => [r.ownerId, r.amount, r.confidence])).toEqual([
      ['lkc-1', '0.500000', 'medium'],
      ['lkc-2', '0.500000', 'medium'],
    ]);
  });

  it("gives an owner's Support share to the team its other costs went to that day", () => {
    const rows = runEngine({
      lines: [
        line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '3' }),
        line({
          product: 'SUPPORT_CLOUD_BUSINESS',
          lineType: 'SUPPORT',
          amount: '1',
          resourceId: null,
          environmentId: null,
        }),
      ],
      usage: bytesOn('lkc-1', '2026-10-01', { 'sa-a': [2, 0], 'sa-b': [1, 0] }),
      fetches: [ok()],
      config: { teams: { checkout: { owners: [{ environment: 'env-1' }] }, payments: { owners: ['sa-b'] } } },
    });
    expect(rows.filter((r) => r.lineType === 'SUPPORT').map((r) => [r.ownerId, r.amount, r.team])).toEqual([
      ['sa-a', '0.666667', 'checkout'],
      ['sa-b', '0.333333', 'payments'],
    ]);
  });
});
