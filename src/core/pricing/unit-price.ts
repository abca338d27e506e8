import { Decimal } from 'decimal.js';
import type { Confidence } from './catalog.ts';
import type { PricingOptions } from './options.ts';

/** Which price applied to an item. */
export type PriceBasis = 'list' | 'effective' | 'override';

/** A unit price resolved for one resource's cloud and region. */
export interface ResolvedPrice {
  key: string;
  unitPrice: string;
  basis: PriceBasis;
  source: string;
  confidence: Confidence;
  /** A caveat about how the price was chosen (region fallback). */
  assumption?: string;
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

/**
 * Resolves the unit price of catalog `key` where the resource runs: a ccost.yaml override first,
 * then the org's effective price, then the list price (adjusted by a region multiplier when one is
 * published, else one step lower in confidence outside the catalog's base regions). Returns null
 * when none is known.
 */
export function resolveUnitPrice(
  key: string,
  where: { cloud?: string; region?: string },
  options: PricingOptions,
): ResolvedPrice | null {
  const place =
    where.cloud && where.region ? `${where.cloud.toLowerCase()}:${where.region.toLowerCase()}` : null;
  const scoped = place ? [`${key}@${place}`, key] : [key];
  for (const k of scoped) {
    const override = options.overrides?.[k];
    if (override !== undefined) {
      return {
        key,
        unitPrice: override,
        basis: 'override',
        source: `ccost.yaml pricing.overrides["${k}"]`,
        confidence: 'high',
      };
    }
  }
  for (const k of scoped) {
    const effective = options.effectivePrices?.[k];
    if (effective !== undefined) {
      const basis = effective.basis ? ` (${effective.basis})` : '';
      return {
        key,
        unitPrice: effective.unitPrice,
        basis: 'effective',
        source: `your organization's billing lines${basis}`,
        confidence: 'high',
      };
    }
  }
  const entry = options.catalog.entries[key];
  if (!entry || entry.unitPrice === null) return null;
  const list: ResolvedPrice = {
    key,
    unitPrice: entry.unitPrice,
    basis: 'list',
    source: `${entry.source} (as of ${entry.asOf}, catalog ${options.catalog.version})`,
    confidence: entry.confidence,
  };
  if (entry.unitPrice === '0' || (place && options.catalog.baseRegions.includes(place))) return list;
  const multiplier = place ? options.catalog.regionMultipliers[place] : undefined;
  if (multiplier) {
    return {
      ...list,
      unitPrice: multiplyText(entry.unitPrice, multiplier.multiplier),
      source: `${list.source}; ${multiplier.source}`,
    };
  }
  const at = place ? `in ${place}` : 'where the region is not known';
  return {
    ...list,
    confidence: LOWER[entry.confidence],
    assumption: `${entry.what}: list price for AWS us-east used ${at} (no published region multiplier)`,
  };
}

function multiplyText(a: string, b: string): string {
  return new Decimal(a).times(b).toString();
}
