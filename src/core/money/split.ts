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
  const keys = new Array<string>(n);
  const weights = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const r = recipients[i]!;
    keys[i] = r.key;
    weights[i] = r.weight;
  }
  return splitByWeights(amount, keys, weights);
}

/**
 * `splitLargestRemainder` over parallel arrays of keys and weights, without recipient objects.
 * @throws ZeroWeightError when every weight is zero (and the amount is not).
 */
export function splitByWeights(
  amount: bigint,
  keys: readonly string[],
  weights: readonly bigint[],
): bigint[] {
  const n = weights.length;
  const first = weights[0];
  let total = 0n;
  let equal = true;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (w < 0n) throw new RangeError(`negative weight for ${keys[i]}`);
    total += w;
    if (w !== first) equal = false;
  }
  if (total === 0n) {
    if (amount === 0n) return new Array<bigint>(n).fill(0n);
    throw new ZeroWeightError();
  }
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const parts = new Array<bigint>(n);
  if (equal) {
    // Equal (non-zero) weights: every share is abs/n with the same remainder, so the leftover
    // units go to the smallest keys.
    const count = BigInt(n);
    const floor = abs / count;
    const left = Number(abs - floor * count);
    const part = negative ? -floor : floor;
    parts.fill(part);
    if (left > 0) {
      const up = negative ? part - 1n : part + 1n;
      const order = byKey(keys);
      for (let k = 0; k < left; k++) parts[order ? order[k]! : k] = up;
    }
    return parts;
  }
  const remainders = new Array<bigint>(n);
  // Remainders as doubles: rounding is monotonic, so unequal doubles order their bigints.
  const approx = new Float64Array(n);
  let assigned = 0n;
  for (let i = 0; i < n; i++) {
    const product = abs * weights[i]!;
    const floor = product / total;
    const remainder = product - floor * total;
    parts[i] = floor;
    remainders[i] = remainder;
    approx[i] = Number(remainder);
    assigned += floor;
  }
  let left = Number(abs - assigned);
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const fa = approx[a]!;
      const fb = approx[b]!;
      if (fa !== fb) return fa > fb ? -1 : 1;
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ka = keys[a]!;
      const kb = keys[b]!;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const i of order) {
      if (left === 0) break;
      if (weights[i]! === 0n) continue;
      parts[i]! += 1n;
      left--;
    }
  }
  if (negative) for (let i = 0; i < n; i++) parts[i] = -parts[i]!;
  return parts;
}

/** Indices in key order (stable), or null when the keys are already in order. */
function byKey(keys: readonly string[]): number[] | null {
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  const order = Array.from({ length: keys.length }, (_, i) => i);
  return order.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Even split: every recipient weight 1. */
export function splitEvenly(amount: bigint, keys: readonly string[]): bigint[] {
  return splitLargestRemainder(
    amount,
    keys.map((key) => ({ key, weight: 1n })),
  );
}
