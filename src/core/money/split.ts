/**
 * Largest-remainder (Hamilton) split of an integer amount over non-negative integer weights.
 *
 * Works entirely in bigint: exact, and fast enough for millions of parts. Parts keep the sign of
 * the amount, sum to it exactly, and are each within one unit of the exact share. Ties in the
 * fractional remainder go to the recipient whose key sorts first, so results never depend on
 * input order.
 */
export interface Recipient {
  /** Stable tie-break key (owner id, then resource id); must be unique within one split. */
  key: string;
  weight: bigint;
}

/** Thrown instead of dividing by zero: the caller must choose a recorded fallback. */
export class ZeroWeightError extends Error {
  constructor() {
    super('all weights are zero');
    this.name = 'ZeroWeightError';
  }
}

/**
 * Returns one part per recipient, in the order given.
 * @throws ZeroWeightError when every weight is zero (and the amount is not).
 */
export function splitLargestRemainder(amount: bigint, recipients: readonly Recipient[]): bigint[] {
  const n = recipients.length;
  let total = 0n;
  for (const r of recipients) {
    if (r.weight < 0n) throw new RangeError(`negative weight for ${r.key}`);
    total += r.weight;
  }
  if (total === 0n) {
    if (amount === 0n) return recipients.map(() => 0n);
    throw new ZeroWeightError();
  }
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const parts = new Array<bigint>(n);
  const remainders = new Array<bigint>(n);
  let assigned = 0n;
  for (let i = 0; i < n; i++) {
    const product = abs * recipients[i]!.weight;
    const floor = product / total;
    parts[i] = floor;
    remainders[i] = product % total;
    assigned += floor;
  }
  let left = Number(abs - assigned);
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ka = recipients[a]!.key;
      const kb = recipients[b]!.key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const i of order) {
      if (left === 0) break;
      if (recipients[i]!.weight === 0n) continue;
      parts[i]! += 1n;
      left--;
    }
  }
  if (negative) for (let i = 0; i < n; i++) parts[i] = -parts[i]!;
  return parts;
}

/** Even split: every recipient weight 1. */
export function splitEvenly(amount: bigint, keys: readonly string[]): bigint[] {
  return splitLargestRemainder(
    amount,
    keys.map((key) => ({ key, weight: 1n })),
  );
}
