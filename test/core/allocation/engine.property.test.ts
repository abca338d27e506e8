import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineLine } from '../../../src/core/allocation/engine.ts';
import type { UsageRecord } from '../../../src/core/allocation/usage-index.ts';
import { runEngine } from '../../helpers/engine.ts';

const LINE_TYPES: [string, string][] = [
  ['KAFKA', 'KAFKA_NETWORK_WRITE'],
  ['KAFKA', 'KAFKA_NETWORK_READ'],
  ['KAFKA', 'KAFKA_NUM_CKUS'],
  ['KAFKA', 'KAFKA_NUM_CKU'],
  ['KAFKA', 'KAFKA_STORAGE'],
  ['CONNECT', 'CONNECT_NUM_TASKS'],
  ['FLINK', 'FLINK_NUM_CFUS'],
  ['SUPPORT_CLOUD_BUSINESS', 'SUPPORT'],
  ['PROMO', 'PROMO_CREDIT'],
  ['NEW_PRODUCT', 'NEW_LINE'],
];
const DAYS = ['2026-10-01', '2026-10-02'];
const CLUSTERS = ['lkc-1', 'lkc-2'];

/** Decimal text with up to 8 places built from integers (so some lines exceed the 1e-6 scale). */
const amountArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, places]) => new Decimal(units.toString()).div(new Decimal(10).pow(places)).toFixed());

const lineArb = fc
  .tuple(
    fc.constantFrom(...LINE_TYPES),
    amountArb,
    fc.constantFrom(...DAYS),
    fc.constantFrom(...CLUSTERS, null),
  )
  .map(([[product, lineType], amount, day, resourceId]) => ({ product, lineType, amount, day, resourceId }));

const usageArb = fc.array(
  fc.record({
    resourceId: fc.constantFrom(...CLUSTERS),
    day: fc.constantFrom(...DAYS),
    principalId: fc.constantFrom('sa-1', 'sa-2', 'sa-3', 'u-4', 'pool-5'),
    metric: fc.constantFrom('request_bytes', 'response_bytes'),
    value: fc.bigInt({ min: 0n, max: 10n ** 13n }).map(String),
  }),
  { maxLength: 30 },
);

const weightArb = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
  .filter(([u, e]) => u + e > 0);

const scenarioArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 25 }),
  usage: usageArb,
  failed: fc.subarray(CLUSTERS),
  weights: weightArb,
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const lines: EngineLine[] = s.lines.map((l, i) => ({
    id: i + 1,
    orgId: 'org-1',
    environmentId: l.resourceId ? 'env-1' : null,
    originalAmount: l.amount,
    ...l,
  }));
  const fetches = CLUSTERS.flatMap((resourceId) =>
    DAYS.map((day) => ({ resourceId, day, status: s.failed.includes(resourceId) ? 'failed' : 'ok' })),
  );
  const dedup = new Map<string, UsageRecord>();
  for (const u of s.usage) dedup.set(`${u.resourceId}|${u.day}|${u.principalId}|${u.metric}`, u);
  const config = { allocation: { cku: { usage_weight: s.weights[0], even_weight: s.weights[1] } } };
  return { lines, usage: [...dedup.values()], fetches, config };
}

const key = (r: ReturnType<typeof runEngine>[number]) =>
  `${r.lineId}|${r.ownerId}|${r.method}|${r.amount}|${r.grossAmount}`;

describe('allocation engine properties', () => {
  it('conserves every line to the last digit, never gives a negative part of a positive line, and is order-independent', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 1000 }), (scenario, seed) => {
        const input = build(scenario);
        const rows = runEngine(input);
        const sums = new Map<number, Decimal>();
        for (const r of rows) {
          sums.set(r.lineId, (sums.get(r.lineId) ?? new Decimal(0)).plus(r.amount));
          const origin = new Decimal(input.lines.find((l) => l.id === r.lineId)!.amount);
          if (origin.gt(0) && r.method !== 'rounding') expect(new Decimal(r.amount).lt(0)).toBe(false);
          if (origin.lt(0) && r.method !== 'rounding') expect(new Decimal(r.amount).gt(0)).toBe(false);
        }
        for (const l of input.lines) expect((sums.get(l.id) ?? new Decimal(0)).equals(l.amount)).toBe(true);

        const shuffled = [...input.lines].sort((a, b) => ((a.id * seed) % 13) - ((b.id * seed) % 13));
        const again = runEngine({ ...input, lines: shuffled, usage: [...input.usage].reverse() });
        expect(again.map(key).sort()).toEqual(rows.map(key).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('never splits evenly when metrics failed: usage lines go to the resource with the reason', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const input = build({ ...scenario, failed: CLUSTERS });
        for (const r of runEngine(input)) {
          if (['usage', 'weighted', 'even'].includes(r.method))
            throw new Error(`split by ${r.method} without metrics`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
