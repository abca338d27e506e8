import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitEvenly, splitLargestRemainder, ZeroWeightError } from '../../../src/core/money/split.ts';

const recipientsArb = fc
  .uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 12 })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: keys.length, maxLength: keys.length }),
    ),
  )
  .filter(([, weights]) => weights.some((w) => w > 0n))
  .map(([keys, weights]) => keys.map((key, i) => ({ key, weight: weights[i]! })));

describe('splitLargestRemainder', () => {
  it('conserves the amount exactly, keeps its sign, and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), recipientsArb, (amount, recipients) => {
        const parts = splitLargestRemainder(amount, recipients);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
        const total = recipients.reduce((a, r) => a + r.weight, 0n);
        parts.forEach((part, i) => {
          const w = recipients[i]!.weight;
          if (w === 0n) expect(part).toBe(0n);
          if (amount >= 0n) expect(part >= 0n).toBe(true);
          else expect(part <= 0n).toBe(true);
          // |part·W − amount·w| < W  ⇔  the part is within one unit of the exact share.
          const diff = part * total - amount * w;
          expect((diff < 0n ? -diff : diff) < total).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on input order (ties go to the smallest key)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        recipientsArb,
        fc.integer(),
        (amount, recipients, seed) => {
          const shuffled = [...recipients].sort(
            (a, b) => ((a.key.charCodeAt(0) * seed) % 7) - ((b.key.charCodeAt(0) * seed) % 7),
          );
          const byKey = (rs: typeof recipients, parts: bigint[]) =>
            Object.fromEntries(rs.map((r, i) => [r.key, parts[i]]));
          expect(byKey(shuffled, splitLargestRemainder(amount, shuffled))).toEqual(
            byKey(recipients, splitLargestRemainder(amount, recipients)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the leftover unit by largest remainder, then by key', () => {
    expect(splitEvenly(100n, ['c', 'a', 'b'])).toEqual([33n, 34n, 33n]);
    expect(splitEvenly(-100n, ['c', 'a', 'b'])).toEqual([-33n, -34n, -33n]);
    // 10 × 2/7 = 2.857, 10 × 5/7 = 7.142: the .857 wins the unit.
    expect(
      splitLargestRemainder(10n, [
        { key: 'x', weight: 2n },
        { key: 'y', weight: 5n },
      ]),
    ).toEqual([3n, 7n]);
  });

  it('refuses to divide when every weight is zero', () => {
    expect(() => splitLargestRemainder(5n, [{ key: 'a', weight: 0n }])).toThrow(ZeroWeightError);
    expect(splitLargestRemainder(0n, [{ key: 'a', weight: 0n }])).toEqual([0n]);
    expect(() => splitLargestRemainder(5n, [{ key: 'a', weight: -1n }])).toThrow(RangeError);
  });
});
