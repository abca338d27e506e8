import { Decimal } from 'decimal.js';
import type { ChangeAction, PricedResource, ResourceChange } from '../terraform/priced.ts';
import { HOURS_PER_MONTH } from './catalog.ts';
import type { PricingOptions } from './options.ts';
import { type PriceItem, priceResource, type ResourcePrice } from './price-resource.ts';

/** The priced effect of one change. */
export interface ResourceEstimate {
  address: string;
  type: string;
  action: ChangeAction;
  /** Short description of the change, from priced attributes only. */
  whatChanged: string;
  /** Exact decimal text, null when not estimated or absent on that side. */
  monthlyBefore: string | null;
  monthlyAfter: string | null;
  delta: string | null;
  status: ResourcePrice['status'];
  reason?: string;
  /** Items of the resource as it will be (as it was, for a delete). */
  items: PriceItem[];
  assumptions: string[];
}

/** The priced effect of a set of changes. */
export interface Estimate {
  catalogVersion: string;
  hoursPerMonth: string;
  /** Monthly totals over the resources that could be estimated, exact decimal text. */
  before: string;
  after: string;
  delta: string;
  /** delta / before × 100 to 2 places; null when before is 0. */
  deltaPercent: string | null;
  resources: ResourceEstimate[];
  notEstimated: { address: string; action: ChangeAction; reason: string }[];
  assumptions: string[];
}

/**
 * Prices every change and sums before, after and delta with exact decimals. Resources that cannot
 * be estimated are kept out of the totals and listed with their reason.
 */
export function estimateChanges(changes: ResourceChange[], options: PricingOptions): Estimate {
  let before = new Decimal(0);
  let after = new Decimal(0);
  const resources: ResourceEstimate[] = [];
  const notEstimated: Estimate['notEstimated'] = [];
  const assumptions = new Set<string>([
    `monthly = ${HOURS_PER_MONTH} hours; prices in USD from catalog ${options.catalog.version} unless marked effective or override`,
  ]);
  for (const change of changes) {
    const estimate = estimateChange(change, options);
    resources.push(estimate);
    for (const a of estimate.assumptions) assumptions.add(a);
    if (estimate.status === 'not_estimated') {
      notEstimated.push({
        address: change.address,
        action: change.action,
        reason: estimate.reason ?? 'unknown',
      });
      continue;
    }
    before = before.plus(estimate.monthlyBefore ?? 0);
    after = after.plus(estimate.monthlyAfter ?? 0);
  }
  const delta = after.minus(before);
  return {
    catalogVersion: options.catalog.version,
    hoursPerMonth: HOURS_PER_MONTH,
    before: before.toString(),
    after: after.toString(),
    delta: delta.toString(),
    deltaPercent: before.isZero() ? null : delta.div(before).times(100).toDecimalPlaces(2).toFixed(2),
    resources,
    notEstimated,
    assumptions: [...assumptions],
  };
}

function estimateChange(change: ResourceChange, options: PricingOptions): ResourceEstimate {
  const priceBefore = change.before ? priceResource(change.before, options) : null;
  const priceAfter = change.after ? priceResource(change.after, options) : null;
  const sides = [priceBefore, priceAfter].filter((p): p is ResourcePrice => p !== null);
  const failed = sides.find((p) => p.status === 'not_estimated');
  const type = (change.after ?? change.before)?.type ?? 'unknown';
  const assumptions = [...new Set(sides.flatMap((p) => p.assumptions))];
  if (change.note) assumptions.push(`${change.address}: ${change.note}`);
  const base = {
    address: change.address,
    type,
    action: change.action,
    whatChanged: describeChange(change),
    items: (priceAfter ?? priceBefore)?.items ?? [],
    assumptions,
  };
  if (failed || sides.length === 0) {
    return {
      ...base,
      monthlyBefore: null,
      monthlyAfter: null,
      delta: null,
      status: 'not_estimated',
      reason: failed?.reason ?? 'nothing to price',
    };
  }
  const monthlyBefore = priceBefore ? priceBefore.monthly : '0';
  const monthlyAfter = priceAfter ? priceAfter.monthly : '0';
  const status = sides.some((p) => p.status === 'priced') ? 'priced' : 'free';
  const reason = status === 'free' ? sides[0]?.reason : undefined;
  return {
    ...base,
    monthlyBefore,
    monthlyAfter,
    delta: new Decimal(monthlyAfter).minus(monthlyBefore).toString(),
    status,
    ...(reason ? { reason } : {}),
  };
}

/** "Dedicated, cku 2, MULTI_ZONE" for a create; "cku 1 → 2" for an update. */
export function describeChange(change: ResourceChange): string {
  const { before, after } = change;
  if (change.action === 'create' && after) return describe(after);
  if (change.action === 'delete' && before) return describe(before);
  if (!before || !after) return '';
  const keys = [...new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])];
  const diffs = keys
    .filter((k) => before.attributes[k] !== after.attributes[k])
    .map((k) => `${k} ${before.attributes[k] ?? '(unset)'} → ${after.attributes[k] ?? '(unset)'}`);
  if (diffs.length > 0) return diffs.join(', ');
  return change.action === 'no-op' ? 'unchanged' : 'other attributes';
}

function describe(resource: PricedResource): string {
  if (resource.notEstimated) return '';
  return Object.entries(resource.attributes)
    .map(([k, v]) => (k === 'cluster_type' ? v : `${k} ${v}`))
    .join(', ');
}
