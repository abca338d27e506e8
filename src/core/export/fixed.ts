/**
 * Exact fixed-point arithmetic on plain decimal text for the exports' hot loops: a value is an
 * integer count of 10^-scale units, so sums and differences never round and never pass through a
 * JS number.
 */
import { CcostError, ErrorCode } from '../errors/index.ts';

/** `value` · 10^-`scale`. */
export interface Fixed {
  value: bigint;
  scale: number;
}

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Parses plain decimal text (`-12.500`, `3`, `.5`) exactly; anything else is an error. */
export function parseFixed(text: string): Fixed {
  const m = PLAIN.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new CcostError(ErrorCode.InputInvalid, `not a plain decimal number: "${text}"`);
  }
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${frac}`);
  return { value: m[1] === '-' ? -digits : digits, scale: frac.length };
}

/** The same number at a scale at least its own. */
export function rescale(x: Fixed, scale: number): bigint {
  if (scale < x.scale) throw new RangeError(`cannot rescale ${x.scale} places to ${scale}`);
  return scale === x.scale ? x.value : x.value * 10n ** BigInt(scale - x.scale);
}

/** Plain decimal text of `value` · 10^-`scale`, with exactly `scale` places. */
export function formatFixed(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(scale + 1, '0');
  const cut = padded.length - scale;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** `formatFixed` without trailing fractional zeros (`0.400` → `0.4`, `1.000` → `1`). */
export function formatTrimmed(value: bigint, scale: number): string {
  const text = formatFixed(value, scale);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** a − b, exact, as plain text at the larger of the two scales. */
export function subtractText(a: string, b: string): string {
  const x = parseFixed(a);
  const y = parseFixed(b);
  const scale = Math.max(x.scale, y.scale);
  return formatFixed(rescale(x, scale) - rescale(y, scale), scale);
}

/** An exact running sum of decimal texts; the scale grows to the finest term added. */
export class ExactSum {
  private value = 0n;
  private scale = 0;

  /** Adds plain decimal text (null and undefined add nothing). */
  add(text: string | null | undefined): void {
    if (text === null || text === undefined) return;
    this.addFixed(parseFixed(text));
  }

  /** Adds a parsed value. */
  addFixed(x: Fixed): void {
    if (x.scale > this.scale) {
      this.value *= 10n ** BigInt(x.scale - this.scale);
      this.scale = x.scale;
    }
    this.value += rescale(x, this.scale);
  }

  /** The sum as plain decimal text without trailing zeros. */
  text(): string {
    return formatTrimmed(this.value, this.scale);
  }

  /** True when the sum equals the decimal text (null counts as zero). */
  equals(text: string | null | undefined): boolean {
    const x = parseFixed(text ?? '0');
    const scale = Math.max(x.scale, this.scale);
    return rescale(x, scale) === rescale({ value: this.value, scale: this.scale }, scale);
  }
}
