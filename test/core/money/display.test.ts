import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsForDisplay } from '../../../src/core/money/display.ts';

describe('centsForDisplay', () => {
  it('shows parts that add up to the shown total', () => {
    expect(centsForDisplay(['1.005', '1.005', '1.005'])).toEqual({
      parts: ['1.01', '1.01', '1.00'],
      total: '3.02',
    });
    expect(centsForDisplay(['10.333333', '10.333333', '10.333334'])).toEqual({
      parts: ['10.33', '10.33', '10.34'],
      total: '31.00',
    });
    expect(centsForDisplay(['-5.255', '3.1'])).toEqual({ parts: ['-5.26', '3.10'], total: '-2.16' });
  });

  it('holds for any amounts, credits included', () => {
    const amount = fc
      .bigInt({ min: -(10n ** 12n), max: 10n ** 12n })
      .map((n) => new Decimal(n.toString()).div(1_000_000).toFixed());
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 20 }), (amounts) => {
        const { parts, total } = centsForDisplay(amounts);
        const shown = parts.reduce((s, p) => s.plus(p), new Decimal(0));
        expect(shown.toFixed(2)).toBe(total);
        const exact = amounts.reduce((s, a) => s.plus(a), new Decimal(0));
        expect(exact.minus(total).abs().lte('0.005')).toBe(true);
        for (const [i, p] of parts.entries())
          expect(new Decimal(p).minus(amounts[i]!).abs().lt('0.01')).toBe(true);
      }),
    );
  });
});
