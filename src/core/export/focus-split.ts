/**
 * The split of one origin charge (a billing line) for FOCUS: one row per owner plus at most one
 * unallocated row, each with its AllocatedRatio and its part of the line's quantity. Ratios and
 * quantities are split with the largest-remainder method, weighted by each row's share of the
 * line amount, so per origin they sum exactly to 1 and to the line's quantity.
 */
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import { splitByWeights } from '../money/split.ts';
import { ExactSum, type Fixed, formatFixed, formatTrimmed, parseFixed, rescale } from './fixed.ts';
import type { AllocationPart } from './origins.ts';

/** Places of AllocatedRatio (1e-12). */
export const RATIO_SCALE = 12;
/** Fewest places a split quantity is written with; more when the line's quantity has more. */
export const QUANTITY_SCALE = 6;

const RATIO_UNITS = 10n ** BigInt(RATIO_SCALE);

/** An origin's rows with their ratios and quantities, aligned. */
export interface OriginSplit {
  parts: AllocationPart[];
  /** AllocatedRatio per row, exact decimal text; sums to exactly 1. */
  ratios: string[];
  /** Quantity per row (null when the line has none); sums to exactly the line's quantity. */
  quantities: (string | null)[];
  /** Exact sums of what the rows carry: billed and list amounts, and quantity (null: none). */
  totals: { amount: Fixed; gross: Fixed; quantity: Fixed | null };
}

const CONFIDENCE_RANK: Record<string, number> = { low: 0, medium: 1, high: 2 };

/**
 * One unallocated row per origin: the engine may book a line's unallocated part and the digits
 * beyond its 1e-6 scale (method `rounding`) separately; they are merged, keeping the other method.
 */
export function mergeUnallocated(parts: readonly AllocationPart[]): AllocationPart[] {
  const unallocated = parts.filter((p) => p.ownerId === UNALLOCATED_OWNER);
  if (unallocated.length <= 1) return [...parts];
  const amount = new ExactSum();
  const gross = new ExactSum();
  for (const p of unallocated) {
    amount.add(p.amount);
    gross.add(p.grossAmount);
  }
  const main = unallocated.find((p) => p.method !== 'rounding') ?? unallocated[0]!;
  const reasons = [...new Set(unallocated.map((p) => p.fallbackReason).filter((r) => r !== null))];
  const confidence = unallocated
    .map((p) => p.confidence)
    .reduce((a, b) => ((CONFIDENCE_RANK[a] ?? 0) <= (CONFIDENCE_RANK[b] ?? 0) ? a : b));
  const merged: AllocationPart = {
    ...main,
    amount: amount.text(),
    grossAmount: gross.text(),
    confidence,
    fallbackReason: reasons.length > 0 ? reasons.join('; ') : null,
  };
  const at = parts.findIndex((p) => p.ownerId === UNALLOCATED_OWNER);
  const others = parts.filter((p) => p.ownerId !== UNALLOCATED_OWNER);
  return [...others.slice(0, at), merged, ...others.slice(at)];
}

/** The sum of parsed values at their common scale. */
function total(values: readonly Fixed[]): Fixed {
  const scale = Math.max(0, ...values.map((f) => f.scale));
  let sum = 0n;
  for (const f of values) sum += rescale(f, scale);
  return { value: sum, scale };
}

/** Non-negative integer weights of parsed values at their common scale (absolute values). */
function scaledWeights(values: readonly Fixed[]): bigint[] {
  const scale = Math.max(0, ...values.map((f) => f.scale));
  return values.map((f) => {
    const v = rescale(f, scale);
    return v < 0n ? -v : v;
  });
}

/**
 * Each row's weight: its share of the line amount (`amounts`, parsed); for a line whose rows are
 * all zero, the usage share; when that is zero too, equal weights.
 */
export function splitWeights(parts: readonly AllocationPart[], amounts: readonly Fixed[]): bigint[] {
  const byAmount = scaledWeights(amounts);
  if (byAmount.some((w) => w > 0n)) return byAmount;
  const byShare = scaledWeights(parts.map((p) => parseFixed(p.usageShare)));
  if (byShare.some((w) => w > 0n)) return byShare;
  return parts.map(() => 1n);
}

/** Tie-break keys of the rows: owner and method, unique within an origin. */
function keysOf(parts: readonly AllocationPart[]): string[] {
  return parts.map((p) => `${p.ownerId}\u0000${p.method}`);
}

/** Splits `quantity` over the weights at max(6, its own places), exactly: parts and their scale. */
export function splitQuantity(
  quantity: string,
  keys: readonly string[],
  weights: readonly bigint[],
): { parts: bigint[]; scale: number } {
  const q = parseFixed(quantity);
  const scale = Math.max(QUANTITY_SCALE, q.scale);
  return { parts: splitByWeights(rescale(q, scale), keys, weights), scale };
}

/** Splits one origin: merged rows, AllocatedRatio per row, quantity per row, and their exact sums. */
export function splitOrigin(parts: readonly AllocationPart[], quantity: string | null): OriginSplit {
  const rows = mergeUnallocated(parts);
  const keys = keysOf(rows);
  const amounts = rows.map((p) => parseFixed(p.amount));
  const grosses = rows.map((p, i) => (p.grossAmount === p.amount ? amounts[i]! : parseFixed(p.grossAmount)));
  const weights = splitWeights(rows, amounts);
  const ratios = splitByWeights(RATIO_UNITS, keys, weights).map((v) => formatTrimmed(v, RATIO_SCALE));
  const totals: OriginSplit['totals'] = { amount: total(amounts), gross: total(grosses), quantity: null };
  if (quantity === null) return { parts: rows, ratios, quantities: rows.map(() => null), totals };
  const split = splitQuantity(quantity, keys, weights);
  totals.quantity = { value: split.parts.reduce((a, b) => a + b, 0n), scale: split.scale };
  const quantities = split.parts.map((v) => formatFixed(v, split.scale));
  return { parts: rows, ratios, quantities, totals };
}
