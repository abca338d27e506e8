/**
 * Savings priced with the same catalog and pricer as `ccost estimate` and the PR action
 * (pricing/catalog.ts, pricing/price-resource.ts): a resource is priced as it runs and as it
 * could run, and the saving is the difference for a month of 730 hours. ccost.yaml
 * `pricing.overrides` apply; where the catalog publishes no price (connector tasks) the org's own
 * billed unit price is used as an effective price, and the basis says so.
 */
import { Decimal } from 'decimal.js';
import { HOURS_PER_MONTH } from '../pricing/catalog.ts';
import type { EffectivePrices, PricingOptions } from '../pricing/options.ts';
import { priceResource, type ResourcePrice } from '../pricing/price-resource.ts';
import { resolveUnitPrice } from '../pricing/unit-price.ts';
import type { PricedResource } from '../terraform/priced.ts';
import type { ResourceFact } from './facts.ts';

/** A saving and how it was priced. */
export interface Priced {
  /** Monthly saving to the cent; "0" when not estimated. */
  saving: string;
  savingBasis: string;
}

/** Rounds to the cent, half-even, as exact decimal text. */
export function cents(value: Decimal.Value): string {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
}

/** Catalog cluster type (`standard`, `dedicated`, …) of a stored cluster, or null. */
export function clusterType(resource: ResourceFact): string | null {
  return resource.type ? resource.type.toLowerCase() : null;
}

/** True for clusters billed per CKU (Dedicated); the others bill eCKUs. */
export function isDedicated(resource: ResourceFact): boolean {
  return clusterType(resource) === 'dedicated';
}

/**
 * A Kafka cluster's monthly price with `units` CKUs or eCKUs running (Basic: including the free
 * first eCKU) and `storageGb` retained, from the catalog.
 */
export function priceCluster(
  resource: ResourceFact,
  units: Decimal,
  storageGb: Decimal,
  options: PricingOptions,
): ResourcePrice {
  const type = clusterType(resource);
  if (!type) return notPriced('the cluster type is not known');
  const unitText = units.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed();
  const attributes: Record<string, string> = { cluster_type: type, ...where(resource) };
  if (type === 'dedicated') attributes.cku = unitText;
  const usage = {
    ...(type === 'dedicated' ? {} : { ecku: unitText }),
    ...(storageGb.gt(0)
      ? { storage_gb: storageGb.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed() }
      : {}),
  };
  return priceAs(resource, 'confluent_kafka_cluster', attributes, options, usage);
}

/** A Flink pool's monthly price at `cfu` CFUs on average. */
export function priceFlinkPool(resource: ResourceFact, cfu: Decimal, options: PricingOptions): ResourcePrice {
  const attributes = {
    max_cfu: cfu.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(),
    ...where(resource),
  };
  return priceResource(priced(resource, 'confluent_flink_compute_pool', attributes), {
    ...options,
    usageProfile: {},
    flinkUtilization: '1',
  });
}

/**
 * A connector's monthly task price at `tasks` tasks. The catalog has no published task price, so
 * the org's billed price per task-hour (`billedUnitPrice`) stands in as an effective price.
 */
export function priceConnector(
  resource: ResourceFact,
  tasks: Decimal,
  billedUnitPrice: Decimal | null,
  options: PricingOptions,
): ResourcePrice {
  const effective: EffectivePrices = { ...(options.effectivePrices ?? {}) };
  if (billedUnitPrice && !effective['connect.task_hour'])
    effective['connect.task_hour'] = {
      unitPrice: billedUnitPrice.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(),
      basis: `CONNECT_NUM_TASKS lines of ${resource.id}`,
    };
  const attributes = { tasks_max: tasks.toFixed(), ...where(resource) };
  return priceResource(priced(resource, 'confluent_connector', attributes), {
    ...options,
    usageProfile: {},
    effectivePrices: effective,
  });
}

/** `count` legacy partitions for a month, from the catalog's partition-hour price; null when unpriced. */
export function pricePartitions(
  resource: ResourceFact,
  count: Decimal,
  options: PricingOptions,
): Priced | null {
  const price = resolveUnitPrice('kafka.legacy.partition_hour', where(resource), options);
  if (!price) return null;
  const monthly = count.times(price.unitPrice).times(HOURS_PER_MONTH);
  return {
    saving: cents(monthly),
    savingBasis: `${count.toFixed()} partitions × $${price.unitPrice}/partition-hour × ${HOURS_PER_MONTH} h (${price.basis}: ${price.source})`,
  };
}

/** The saving of going from `now` to `then` (or to nothing), with the basis in words. */
export function savingOf(now: ResourcePrice, then: ResourcePrice | null): Priced {
  if (now.status === 'not_estimated')
    return { saving: '0', savingBasis: `not estimated: ${now.reason ?? 'no price'}` };
  if (then?.status === 'not_estimated')
    return { saving: '0', savingBasis: `not estimated: ${then.reason ?? 'no price'}` };
  const diff = new Decimal(now.monthly).minus(then?.monthly ?? '0');
  const basis = then ? `${describe(now)} → ${describe(then)}` : describe(now);
  return { saving: cents(Decimal.max(diff, 0)), savingBasis: basis };
}

/** "2 CKU-hour × $2.66 × 730 h (list) + …". */
function describe(price: ResourcePrice): string {
  if (price.items.length === 0) return '$0 (nothing billed)';
  return price.items
    .map((item) => {
      const hours = item.hours ? ` × ${item.hours} h` : '';
      return `${item.quantity} ${item.unit} × $${item.unitPrice}${hours} (${item.basis})`;
    })
    .join(' + ');
}

function priceAs(
  resource: ResourceFact,
  type: string,
  attributes: Record<string, string>,
  options: PricingOptions,
  usage: Record<string, string>,
): ResourcePrice {
  const base = priced(resource, type, attributes);
  // Only what was observed: the configured usage profile (network, storage guesses) does not apply.
  return priceResource(base, { ...options, usageProfile: { resources: { [base.address]: usage } } });
}

function priced(resource: ResourceFact, type: string, attributes: Record<string, string>): PricedResource {
  return { address: `${type}.${resource.id}`, type, attributes, unknown: {} };
}

function where(resource: ResourceFact): Record<string, string> {
  return {
    ...(resource.cloud ? { cloud: resource.cloud } : {}),
    ...(resource.region ? { region: resource.region } : {}),
  };
}

function notPriced(reason: string): ResourcePrice {
  return { status: 'not_estimated', monthly: '0', items: [], reason, assumptions: [] };
}
