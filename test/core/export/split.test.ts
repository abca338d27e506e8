import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum, formatFixed, parseFixed, subtractText } from '../../../src/core/export/fixed.ts';
import { mergeUnallocated, splitOrigin } from '../../../src/core/export/focus-split.ts';
import type { AllocationPart } from '../../../src/core/export/origins.ts';
import { microsToString } from '../../../src/core/money/amount.ts';

const part = (ownerId: string, amount: string, fields: Partial<AllocationPart> = {}): AllocationPart => ({
  lineId: 1,
  ownerId,
  method: 'usage',
  team: 't',
  amount,
  grossAmount: amount,
  usageShare: '0.5',
  confidence: 'high',
  fallbackReason: null,
  ...fields,
});

const sum = (values: readonly (string | null)[]) => values.reduce((s, v) => s.plus(v ?? 0), new Decimal(0));

describe('splitOrigin', () => {
  it('splits ratios and quantity by each row’s share of the line amount', () => {
    const split = splitOrigin([part('sa-a', '2.000000'), part('sa-b', '1.000000')], '10');
    expect(split.ratios).toEqual(['0.666666666667', '0.333333333333']);
    expect(split.quantities).toEqual(['6.666667', '3.333333']);
  });

  it('keeps a quantity’s own places when it has more than 6', () => {
    const split = splitOrigin([part('sa-a', '1.000000'), part('sa-b', '1.000000')], '0.0000001');
    expect(split.quantities).toEqual(['0.0000001', '0.0000000']);
  });

  it('splits a zero-amount line by usage share, then evenly', () => {
    const byShare = splitOrigin(
      [part('sa-a', '0', { usageShare: '0.75' }), part('sa-b', '0', { usageShare: '0.25' })],
      '4',
    );
    expect(byShare.quantities).toEqual(['3.000000', '1.000000']);
    const even = splitOrigin(
      [part('sa-a', '0', { usageShare: '0' }), part('sa-b', '0', { usageShare: '0' })],
      '3',
    );
    expect(even.ratios).toEqual(['0.5', '0.5']);
  });

  it('merges the unallocated part and the rounding rest into one unallocated row', () => {
    const merged = mergeUnallocated([
      part('sa-a', '1.000000'),
      part('unallocated', '0.500000', {
        method: 'unallocated',
        fallbackReason: 'no usage',
        confidence: 'low',
      }),
      part('unallocated', '0.0000004', {
        method: 'rounding',
        fallbackReason: 'digits beyond the 1e-6 internal scale',
      }),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[1]).toMatchObject({
      ownerId: 'unallocated',
      method: 'unallocated',
      amount: '0.5000004',
      confidence: 'low',
      fallbackReason: 'no usage; digits beyond the 1e-6 internal scale',
    });
  });

  it('always sums exactly: ratios to 1, quantities to the line’s quantity, with credits and tiny rests', () => {
    const amounts = fc.array(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), {
      minLength: 1,
      maxLength: 12,
    });
    const quantity = fc.tuple(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      fc.integer({ min: 0, max: 9 }),
    );
    fc.assert(
      fc.property(amounts, quantity, (micros, [q, places]) => {
        const parts = micros.map((m, i) => part(`sa-${i}`, microsToString(m)));
        const qText = formatFixed(q, places);
        const split = splitOrigin(parts, qText);
        expect(sum(split.ratios).equals(1)).toBe(true);
        expect(sum(split.quantities).equals(qText)).toBe(true);
        for (const r of split.ratios) expect(new Decimal(r).isNegative()).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fixed-point helpers', () => {
  it('parses, sums and subtracts plain decimals exactly', () => {
    expect(parseFixed('-12.500')).toEqual({ value: -12500n, scale: 3 });
    expect(parseFixed('.5')).toEqual({ value: 5n, scale: 1 });
    expect(() => parseFixed('1e5')).toThrow('not a plain decimal number');
    const total = new ExactSum();
    for (const v of ['0.1', '0.2', '-0.3', '0.0000001']) total.add(v);
    expect(total.text()).toBe('0.0000001');
    expect(total.equals('0.00000010')).toBe(true);
    expect(subtractText('2.222223', '2')).toBe('0.222223');
    expect(formatFixed(-5n, 3)).toBe('-0.005');
  });
});
