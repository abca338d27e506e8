import { Decimal } from 'decimal.js';
import type { Catalog } from '../core/pricing/catalog.ts';
import type { EffectivePrices } from '../core/pricing/options.ts';
import type { ApiPrice } from './fetch-ccost.ts';

/** Effective prices mapped onto catalog keys, and what could not be mapped. */
export interface MappedPrices {
  /** By catalog key, for `pricingOptions(config.pricing, prices)`. */
  prices: EffectivePrices;
  /** Catalog keys that got an effective price. */
  applied: string[];
  /** Line types of the answer that were left to list prices, with the reason. */
  skipped: { lineType: string; reason: string }[];
}

/**
 * Maps `GET /api/v1/prices` rows (per organization, product and line type) onto catalog keys
 * through each catalog entry's `lineType` (`A/B` means both line types bill the dimension). A
 * line type several catalog entries share (Kafka eCKUs of every cluster type, say) is ambiguous
 * and stays at list prices; so does one that several organizations pay differently for, and a
 * zero price (free tiers and credits are not a unit price). Parts of a composite line type are
 * averaged by quantity.
 *
 * @param rows - the API's price rows
 * @param catalog - the price catalog
 * @returns prices by catalog key, and what stayed at list prices and why
 */
export function mapEffectivePrices(rows: ApiPrice[], catalog: Catalog): MappedPrices {
  const usable = rows.filter((r) => isPositive(r.unitPrice) && isPositive(r.quantity));
  const byLineType = new Map<string, ApiPrice[]>();
  for (const row of usable) {
    const list = byLineType.get(row.lineType) ?? [];
    list.push(row);
    byLineType.set(row.lineType, list);
  }
  const owners = new Map<string, string[]>();
  for (const entry of Object.values(catalog.entries)) {
    for (const part of entry.lineType.split('/')) owners.set(part, [...(owners.get(part) ?? []), entry.key]);
  }
  const prices: EffectivePrices = {};
  const applied: string[] = [];
  const skipped = new Map<string, string>();
  for (const lineType of byLineType.keys()) {
    const keys = owners.get(lineType);
    if (!keys) skipped.set(lineType, 'not in the price catalog');
    else if (keys.length > 1) skipped.set(lineType, `ambiguous: bills ${keys.join(', ')}`);
  }
  for (const entry of Object.values(catalog.entries)) {
    const parts = entry.lineType.split('/');
    if (parts.some((p) => (owners.get(p) ?? []).length !== 1)) continue;
    const matched = parts.flatMap((p) => byLineType.get(p) ?? []);
    if (matched.length === 0) continue;
    const orgs = new Set(matched.map((r) => r.orgId));
    if (orgs.size > 1) {
      for (const p of parts)
        skipped.set(p, `several organizations (${[...orgs].join(', ')}) pay different prices`);
      continue;
    }
    let amount = new Decimal(0);
    let quantity = new Decimal(0);
    for (const r of matched) {
      amount = amount.plus(new Decimal(r.unitPrice).times(r.quantity));
      quantity = quantity.plus(r.quantity);
    }
    const first = matched[0]!;
    prices[entry.key] = {
      unitPrice: amount.div(quantity).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toString(),
      basis: `${entry.lineType}, ${first.from} to ${first.to}`,
    };
    applied.push(entry.key);
  }
  return {
    prices,
    applied,
    skipped: [...skipped]
      .map(([lineType, reason]) => ({ lineType, reason }))
      .sort((a, b) => a.lineType.localeCompare(b.lineType)),
  };
}

function isPositive(text: string): boolean {
  try {
    return new Decimal(text).gt(0);
  } catch {
    return false;
  }
}
