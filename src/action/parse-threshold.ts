import { Decimal } from 'decimal.js';

/**
 * A `warn-above` / `fail-above` threshold. The sign gives the direction: a positive (or zero)
 * threshold triggers on increases of at least that much, a negative one on decreases (savings)
 * of at least that much.
 */
export interface Threshold {
  /** `usd`: compared with the monthly delta in dollars; `percent`: with the delta in %. */
  kind: 'usd' | 'percent';
  /** Signed exact decimal text: "250", "-100", "10". */
  amount: string;
  /** As the user wrote it, for messages. */
  text: string;
}

const USD = /^([+-]?)\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;
const PERCENT = /^([+-]?)(\d+(?:\.\d+)?)\s*%$/;

/**
 * Parses a threshold written `$250`, `250`, `$1,000.50`, `10%`, `-$100` or `-5%`.
 *
 * @param name - the input's name, for the error message
 * @param text - the input's value; empty means no threshold
 * @returns the threshold, or undefined when `text` is empty
 * @throws Error naming the input when `text` is neither a dollar amount nor a percentage
 */
export function parseThreshold(name: string, text: string): Threshold | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const compact = trimmed.replace(/^([+-])\s+/, '$1');
  const percent = PERCENT.exec(compact);
  if (percent) {
    return { kind: 'percent', amount: signed(percent[1]!, percent[2]!), text: trimmed };
  }
  const usd = USD.exec(compact);
  if (usd) {
    const whole = usd[2]!.replace(/,/g, '');
    return { kind: 'usd', amount: signed(usd[1]!, whole + (usd[3] ?? '')), text: trimmed };
  }
  throw new Error(
    `${name}: "${trimmed.slice(0, 40)}" is not a threshold; write a dollar amount such as "$250" or a percentage such as "10%" (a leading "-" means savings)`,
  );
}

function signed(sign: string, digits: string): string {
  const value = new Decimal(digits);
  return (sign === '-' && !value.isZero() ? value.negated() : value).toString();
}

/** What a threshold is compared with: the estimate's monthly delta in dollars and in %. */
export interface DeltaFigures {
  /** Exact decimal text. */
  delta: string;
  /** delta / before × 100, or null when before is 0. */
  deltaPercent: string | null;
}

/**
 * Whether `delta` crosses `threshold`. A positive (or zero) threshold is crossed by an increase
 * of at least its amount (zero: any increase); a negative one by a decrease of at least its
 * absolute amount. A % threshold against a before of $0 is crossed by any change in its
 * direction (the change is infinitely large in %).
 *
 * @param threshold - the parsed threshold
 * @param figures - the estimate's delta in dollars and in percent
 * @returns true when the threshold is crossed
 */
export function crosses(threshold: Threshold, figures: DeltaFigures): boolean {
  const limit = new Decimal(threshold.amount);
  const delta = new Decimal(figures.delta);
  const increases = !limit.isNegative();
  if (increases ? !delta.gt(0) : !delta.lt(0)) return false;
  if (threshold.kind === 'usd') return increases ? delta.gte(limit) : delta.lte(limit);
  if (figures.deltaPercent === null) return true;
  const pct = new Decimal(figures.deltaPercent);
  return increases ? pct.gte(limit) : pct.lte(limit);
}
