import { Decimal } from 'decimal.js';

/** Internal money scale: amounts are split and stored in whole micro-dollars (1e-6 USD). */
export const SCALE_DIGITS = 6;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal string exactly; throws on anything that is not a finite decimal number. */
export function parseDecimal(text: string): Decimal {
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) throw new RangeError(`not a decimal number: "${text}"`);
  return new Decimal(trimmed);
}

/** True when `text` is a finite decimal number. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text.trim());
}

/** Converts a Decimal with at most 6 fractional digits to integer micro-units. */
export function toMicros(value: Decimal): bigint {
  if (value.decimalPlaces() > SCALE_DIGITS) {
    throw new RangeError(`${value.toString()} has more than ${SCALE_DIGITS} decimal places`);
  }
  return BigInt(value.times(1_000_000).toFixed(0));
}

/**
 * Splits an exact amount into the part representable at the internal scale and the rest.
 * The rest is non-zero only when the source carried more than 6 decimal places; it is booked
 * as an explicit rounding row so the origin still sums exactly.
 */
export function splitAtScale(value: Decimal): { micros: bigint; rest: Decimal } {
  const scaled = value.toDecimalPlaces(SCALE_DIGITS, Decimal.ROUND_HALF_EVEN);
  return { micros: toMicros(scaled), rest: value.minus(scaled) };
}

const DIGITS_ONLY = /^\d+$/;
const AT_SCALE = /^([+-]?)(\d+)(?:\.(\d{0,6}))?$/;

/**
 * `splitAtScale(parseDecimal(text))` with a zero rest as null; text with at most 6 places (the
 * common case) is converted without a Decimal.
 */
export function parseAtScale(text: string): { micros: bigint; rest: Decimal | null } {
  const m = AT_SCALE.exec(text.trim());
  if (m) {
    const frac = m[3] ?? '';
    const micros = BigInt(m[2]! + frac + '000000'.slice(frac.length));
    return { micros: m[1] === '-' ? -micros : micros, rest: null };
  }
  const { micros, rest } = splitAtScale(parseDecimal(text));
  return { micros, rest: rest.isZero() ? null : rest };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Formats integer micro-units as a plain decimal string with 6 places ("-1.500000"). */
export function microsToString(micros: bigint): string {
  if (micros <= MAX_SAFE && micros >= -MAX_SAFE) {
    // Exact in doubles: whole·1e6 + frac = |micros| < 2^53, with the quotient corrected if rounded.
    const n = Number(micros);
    const abs = n < 0 ? -n : n;
    let whole = Math.floor(abs / 1_000_000);
    let frac = abs - whole * 1_000_000;
    if (frac < 0) {
      whole -= 1;
      frac += 1_000_000;
    } else if (frac >= 1_000_000) {
      whole += 1;
      frac -= 1_000_000;
    }
    return `${n < 0 ? '-' : ''}${whole}.${String(frac + 1_000_000).slice(1)}`;
  }
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Formats a ratio num/den as a decimal string with `digits` places, truncated (both non-negative). */
export function ratioToString(num: bigint, den: bigint, digits = 12): string {
  if (den === 0n) return '0';
  const unit = digits === 12 ? E12 : 10n ** BigInt(digits);
  const scaled = (num * unit) / den;
  if (scaled >= 0n && scaled < unit && digits > 0) return `0.${scaled.toString().padStart(digits, '0')}`;
  const whole = scaled / unit;
  const frac = (scaled % unit).toString().padStart(digits, '0');
  return `${whole}.${frac}`;
}

const E12 = 10n ** 12n;

/** Parses a non-negative decimal weight (bytes, config weights) to an integer at `digits` places. */
export function weightToBigInt(text: string, digits = 6): bigint {
  if (DIGITS_ONLY.test(text) && Number.isInteger(digits) && digits >= 0) {
    // Plain digits (byte counts): exact without a Decimal.
    return digits === 0 ? BigInt(text) : BigInt(text) * 10n ** BigInt(digits);
  }
  const value = parseDecimal(text);
  if (value.isNegative()) throw new RangeError(`weight must not be negative: ${text}`);
  return BigInt(value.times(new Decimal(10).pow(digits)).toFixed(0, Decimal.ROUND_DOWN));
}

/** Formats a stored amount as US dollars with two decimals and thousands separators ("$1,234.57"). */
export function formatUsd(value: Decimal | string, options: { sign?: boolean } = {}): string {
  const d = typeof value === 'string' ? parseDecimal(value) : value;
  const fixed = d.abs().toFixed(2, Decimal.ROUND_HALF_EVEN);
  const [whole, frac] = fixed.split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = d.isNegative() && !d.isZero() ? '-' : options.sign ? '+' : '';
  return `${sign}$${grouped}.${frac}`;
}
