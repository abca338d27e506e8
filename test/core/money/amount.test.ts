import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  formatUsd,
  microsToString,
  parseDecimal,
  ratioToString,
  splitAtScale,
  toMicros,
} from '../../../src/core/money/amount.ts';

describe('money', () => {
  it('parses decimal text exactly and rejects anything else', () => {
    expect(parseDecimal('0.1').plus(parseDecimal('0.2')).toString()).toBe('0.3');
    expect(parseDecimal('1e-7').toFixed()).toBe('0.0000001');
    for (const bad of ['', '12,5', 'NaN', 'Infinity', '0x10', '1.2.3'])
      expect(() => parseDecimal(bad)).toThrow(RangeError);
  });

  it('converts to integer micro-dollars and back without loss', () => {
    expect(toMicros(new Decimal('6.1344'))).toBe(6134400n);
    expect(microsToString(-1500000n)).toBe('-1.500000');
    expect(microsToString(7n)).toBe('0.000007');
    expect(() => toMicros(new Decimal('0.0000001'))).toThrow(RangeError);
  });

  it('keeps the digits beyond the internal scale as a separate rest', () => {
    const { micros, rest } = splitAtScale(new Decimal('12.1234567891'));
    expect(micros).toBe(12123457n);
    expect(rest.toFixed()).toBe('-0.0000002109');
    expect(new Decimal(microsToString(micros)).plus(rest).toFixed()).toBe('12.1234567891');
  });

  it('formats dollars for people, rounding half to even only for display', () => {
    expect(formatUsd('1234567.125')).toBe('$1,234,567.12');
    expect(formatUsd('-562.29')).toBe('-$562.29');
    expect(formatUsd('3', { sign: true })).toBe('+$3.00');
    expect(ratioToString(1n, 3n, 6)).toBe('0.333333');
  });
});
