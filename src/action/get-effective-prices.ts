import type { Config } from '../core/config/schema.ts';
import { DEFAULT_CATALOG } from '../core/pricing/catalog.ts';
import type { EffectivePrices } from '../core/pricing/options.ts';
import { type CcostApi, fetchEffectivePrices } from './fetch-ccost.ts';
import { mapEffectivePrices } from './map-effective-prices.ts';
import type { PriceStatement } from './render-comment.ts';

/** Effective prices for pricing, what the comment says about them, and whether ccost answered. */
export interface EffectivePriceResult {
  /** Undefined when none apply: list prices (and ccost.yaml overrides). */
  prices?: EffectivePrices;
  statement: PriceStatement;
  /** True when the ccost server answered. */
  reachable: boolean;
}

/**
 * Fetches the organization's effective unit prices from a running ccost and maps them onto the
 * catalog. With one organization in ccost.yaml, only its prices are asked for. Without a server,
 * or when it does not answer, list prices apply and the statement says why.
 *
 * @param api - the ccost server, or undefined
 * @param config - ccost.yaml (its organizations)
 * @returns prices by catalog key and the statement for the comment
 */
export async function getEffectivePrices(
  api: CcostApi | undefined,
  config: Pick<Config, 'organizations'>,
): Promise<EffectivePriceResult> {
  if (!api) {
    return { statement: { effective: [], skipped: [], listReason: 'no ccost-url given' }, reachable: false };
  }
  const org = config.organizations.length === 1 ? config.organizations[0]!.id : undefined;
  const answer = await fetchEffectivePrices(api, org);
  if (!answer.ok) {
    return {
      statement: { effective: [], skipped: [], listReason: answer.reason },
      reachable: answer.status !== null,
    };
  }
  const mapped = mapEffectivePrices(answer.value, DEFAULT_CATALOG);
  const first = answer.value[0];
  const statement: PriceStatement = {
    effective: mapped.applied,
    skipped: mapped.skipped,
    ...(first ? { effectiveWindow: `${first.from} to ${first.to}` } : {}),
    ...(mapped.applied.length === 0
      ? {
          listReason:
            answer.value.length === 0
              ? 'ccost has no billing lines with quantities for last month'
              : 'no effective price maps onto a single catalog price',
        }
      : {}),
  };
  return { prices: mapped.applied.length > 0 ? mapped.prices : undefined, statement, reachable: true };
}
