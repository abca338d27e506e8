/**
 * Exact sums over an explanation's line rows: per product and line type, per method, per
 * confidence, per resource and per line. Everything adds up with decimal.js; nothing is rounded.
 */
import { Decimal } from 'decimal.js';
import type { LineRow } from './rows.ts';
import { NO_RESOURCE } from './state.ts';
import type { DrillState, ExplainChild, LineTypeSection, MethodPart } from './types.ts';

/** Exact sum of decimal strings. */
export function sumOf(values: Iterable<string>): string {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total.toFixed();
}

/** part / whole × 100 with two decimals (half-even); null when the whole is zero. */
export function percent(part: string, whole: string): string | null {
  const w = new Decimal(whole);
  return w.isZero() ? null : new Decimal(part).div(w).times(100).toFixed(2, Decimal.ROUND_HALF_EVEN);
}

/** Groups items by a key, keeping first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The distinct billing lines behind rows: how many, and their billed total (each line once). */
export function billedOf(rows: readonly LineRow[]): { lines: number; amount: string } {
  const byLine = new Map<number, string>();
  for (const r of rows) byLine.set(r.lineId, r.billed);
  return { lines: byLine.size, amount: sumOf(byLine.values()) };
}

const byAmount = (a: { amount: string }, b: { amount: string }) => new Decimal(b.amount).comparedTo(a.amount);

/** Per method, confidence and fallback reason, largest first. */
export function methodsOf(rows: readonly LineRow[]): MethodPart[] {
  const groups = groupBy(rows, (r) => `${r.method}|${r.confidence}|${r.fallbackReason ?? ''}`);
  return [...groups.values()]
    .map((g) => ({
      method: g[0]!.method,
      confidence: g[0]!.confidence,
      fallbackReason: g[0]!.fallbackReason,
      amount: sumOf(g.map((r) => r.amount)),
      lines: new Set(g.map((r) => r.lineId)).size,
    }))
    .sort((a, b) => byAmount(a, b) || a.method.localeCompare(b.method));
}

/** Per product and line type, largest first, each with its billed lines and methods. */
export function sectionsOf(rows: readonly LineRow[]): LineTypeSection[] {
  const groups = groupBy(rows, (r) => `${r.product}|${r.lineType}`);
  return [...groups.values()]
    .map((g) => {
      const amount = sumOf(g.map((r) => r.amount));
      const billed = billedOf(g);
      return {
        product: g[0]!.product,
        lineType: g[0]!.lineType,
        amount,
        lines: billed.lines,
        billed: billed.amount,
        sharePercent: percent(amount, billed.amount),
        methods: methodsOf(g),
      };
    })
    .sort((a, b) => byAmount(a, b) || `${a.product}${a.lineType}`.localeCompare(`${b.product}${b.lineType}`));
}

/** The amount allocated with high, medium and low confidence. */
export function confidenceOf(rows: readonly LineRow[]): { high: string; medium: string; low: string } {
  const of = (c: string) => sumOf(rows.filter((r) => r.confidence === c).map((r) => r.amount));
  return { high: of('high'), medium: of('medium'), low: of('low') };
}

/** The resource key of a row: its id, or `(none)`. */
export function resourceKey(row: LineRow): string {
  return row.resourceId ?? NO_RESOURCE;
}

/** The team level's children: one per resource, largest first. */
export function resourceChildren(rows: readonly LineRow[], state: DrillState): ExplainChild[] {
  const groups = groupBy(rows, resourceKey);
  return [...groups.entries()]
    .map(([key, g]) => {
      const billed = billedOf(g);
      return {
        kind: 'resource' as const,
        key,
        name: null,
        amount: sumOf(g.map((r) => r.amount)),
        lines: billed.lines,
        billed: billed.amount,
        next: { team: state.team, from: state.from, to: state.to, resource: key },
      };
    })
    .sort((a, b) => byAmount(a, b) || a.key.localeCompare(b.key));
}

/** The resource and day levels' children: one per billing line, by day then line type. */
export function lineChildren(rows: readonly LineRow[], state: DrillState): ExplainChild[] {
  const groups = groupBy(rows, (r) => String(r.lineId));
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const amount = sumOf(g.map((r) => r.amount));
    const methods = [...new Set(g.map((r) => r.method))];
    const reasons = [...new Set(g.map((r) => r.fallbackReason).filter((r) => r !== null))];
    return {
      kind: 'line' as const,
      key: String(first.lineId),
      name: null,
      amount,
      lines: 1,
      billed: first.billed,
      day: first.day,
      product: first.product,
      lineType: first.lineType,
      method: methods.join(', '),
      confidence: [...new Set(g.map((r) => r.confidence))].join(', '),
      fallbackReason: reasons.length > 0 ? reasons.join('; ') : null,
      sharePercent: percent(amount, first.billed),
      next: {
        team: state.team,
        from: state.from,
        to: state.to,
        resource: resourceKey(first),
        line: first.lineId,
      },
    };
  });
}
