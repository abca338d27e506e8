import { Decimal } from 'decimal.js';
import { parseDecimal } from './amount.ts';

/**
 * Rounds exact amounts to cents for display so that the shown parts add up to the shown total:
 * the total is rounded half-to-even, each part is floored to the cent, and the missing cents go
 * to the parts with the largest fractional remainders (largest-remainder method; ties to the
 * earlier part). Returns plain decimal strings with two places.
 */
export function centsForDisplay(amounts: readonly string[]): { parts: string[]; total: string } {
  const exact = amounts.map((a) => parseDecimal(a).times(100));
  const total = exact.reduce((sum, a) => sum.plus(a), new Decimal(0));
  const target = total.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  const floors = exact.map((a) => a.floor());
  let missing = target.minus(floors.reduce((sum, f) => sum.plus(f), new Decimal(0))).toNumber();
  const order = exact
    .map((a, i) => ({ i, frac: a.minus(floors[i]!) }))
    .sort((x, y) => y.frac.comparedTo(x.frac) || x.i - y.i);
  const cents = [...floors];
  for (const { i } of order) {
    if (missing <= 0) break;
    cents[i] = cents[i]!.plus(1);
    missing--;
  }
  return { parts: cents.map((c) => c.div(100).toFixed(2)), total: target.div(100).toFixed(2) };
}
