import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/pricing/catalog.ts';
import { pricingConfigSchema, pricingOptions } from '../../../src/core/pricing/options.ts';
import { priceResource } from '../../../src/core/pricing/price-resource.ts';
import type { PricedResource } from '../../../src/core/terraform/priced.ts';

const catalog = DEFAULT_CATALOG;
const HOURS = new Decimal(730);

function resource(
  type: string,
  attributes: Record<string, string>,
  unknown: Record<string, string> = {},
): PricedResource {
  return { address: `${type}.x`, type, attributes, unknown };
}

/** Independent of the pricer: the catalog's unit price × quantity × 730. */
function expected(key: string, quantity: number): string {
  return new Decimal(catalog.entries[key]!.unitPrice!).times(quantity).times(HOURS).toString();
}

const where = { cloud: 'AWS', region: 'us-east-1', availability: 'SINGLE_ZONE' };

describe('priceResource: a cluster of every type', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['basic (first eCKU free)', { cluster_type: 'basic' }, expected('kafka.basic.ecku_hour', 0)],
    ['basic with max_ecku 3', { cluster_type: 'basic', max_ecku: '3' }, expected('kafka.basic.ecku_hour', 2)],
    ['standard', { cluster_type: 'standard' }, expected('kafka.standard.ecku_hour', 1)],
    [
      'standard with max_ecku 4',
      { cluster_type: 'standard', max_ecku: '4' },
      expected('kafka.standard.ecku_hour', 4),
    ],
    ['enterprise', { cluster_type: 'enterprise' }, expected('kafka.enterprise.ecku_hour', 1)],
    ['freight (minimum 2 eCKU)', { cluster_type: 'freight' }, expected('kafka.freight.ecku_hour', 2)],
    ['dedicated 1 CKU', { cluster_type: 'dedicated', cku: '1' }, expected('kafka.dedicated.cku_hour', 1)],
    ['dedicated 2 CKU', { cluster_type: 'dedicated', cku: '2' }, expected('kafka.dedicated.cku_hour', 2)],
  ];
  for (const [name, attrs, monthly] of cases) {
    it(name, () => {
      const price = priceResource(resource('confluent_kafka_cluster', { ...where, ...attrs }), { catalog });
      expect(price.status).toBe('priced');
      expect(price.monthly).toBe(monthly);
      expect(price.items.every((i) => i.basis === 'list' && i.hours === '730')).toBe(true);
    });
  }

  it('dedicated 2 CKU is $3,883.60 a month at the list price', () => {
    const price = priceResource(
      resource('confluent_kafka_cluster', { ...where, cluster_type: 'dedicated', cku: '2' }),
      { catalog },
    );
    expect(price.monthly).toBe('3883.6');
  });

  it('adds network and storage from the usage profile, as estimates', () => {
    const price = priceResource(resource('confluent_kafka_cluster', { ...where, cluster_type: 'standard' }), {
      catalog,
      usageProfile: { kafka_cluster: { ingress_gb_month: '100', egress_gb_month: '300', storage_gb: '50' } },
    });
    const network = new Decimal(catalog.entries['kafka.standard.network_gb']!.unitPrice!).times(400);
    const storage = new Decimal(catalog.entries['kafka.standard.storage_gb_month']!.unitPrice!).times(50);
    expect(price.monthly).toBe(
      new Decimal(expected('kafka.standard.ecku_hour', 1)).plus(network).plus(storage).toString(),
    );
    expect(price.items.filter((i) => i.estimate)).toHaveLength(3);
  });

  it('is not estimated when the type or CKUs are unknown', () => {
    const unknownCku = priceResource(
      resource(
        'confluent_kafka_cluster',
        { cluster_type: 'dedicated' },
        { cku: 'variable "cku" has no value' },
      ),
      { catalog },
    );
    expect(unknownCku).toMatchObject({ status: 'not_estimated', monthly: '0' });
    expect(unknownCku.reason).toMatch(/cku: variable "cku" has no value/);
  });

  it('lowers confidence outside the base regions and says so', () => {
    const price = priceResource(
      resource('confluent_kafka_cluster', { cluster_type: 'standard', cloud: 'GCP', region: 'europe-west1' }),
      { catalog },
    );
    expect(price.items[0]!.confidence).toBe('medium');
    expect(price.assumptions.join(' ')).toMatch(/gcp:europe-west1/);
  });
});

describe('priceResource: other resources', () => {
  it('prices a Flink pool at max_cfu × utilization', () => {
    const pool = resource('confluent_flink_compute_pool', {
      max_cfu: '10',
      cloud: 'AWS',
      region: 'us-east-1',
    });
    expect(priceResource(pool, { catalog }).monthly).toBe(expected('flink.cfu_hour', 10));
    expect(priceResource(pool, { catalog, flinkUtilization: '0.5' }).monthly).toBe(
      expected('flink.cfu_hour', 5),
    );
  });

  it('prices ksqlDB CSUs', () => {
    expect(priceResource(resource('confluent_ksql_cluster', { csu: '4' }), { catalog }).monthly).toBe(
      expected('ksql.csu_hour', 4),
    );
  });

  it('leaves connectors not estimated until a price is known, then prices tasks', () => {
    const connector = resource('confluent_connector', { tasks_max: '4', connector_class: 'S3_SINK' });
    const listed = priceResource(connector, { catalog });
    expect(listed.status).toBe('not_estimated');
    expect(listed.reason).toMatch(/connect\.task_hour/);
    const priced = priceResource(connector, { catalog, overrides: { 'connect.task_hour': '0.1' } });
    expect(priced.monthly).toBe('292');
    expect(priced.items[0]!.basis).toBe('override');
  });

  it('override wins over effective, effective over list', () => {
    const cluster = resource('confluent_kafka_cluster', { ...where, cluster_type: 'standard' });
    const effective = { 'kafka.standard.ecku_hour': { unitPrice: '0.6', basis: 'billing 2026-09' } };
    const calibrated = priceResource(cluster, { catalog, effectivePrices: effective });
    expect(calibrated.monthly).toBe('438');
    expect(calibrated.items[0]).toMatchObject({ basis: 'effective', unitPrice: '0.6' });
    const overridden = priceResource(cluster, {
      catalog,
      effectivePrices: effective,
      overrides: { 'kafka.standard.ecku_hour@aws:us-east-1': '0.5' },
    });
    expect(overridden.monthly).toBe('365');
    expect(overridden.items[0]!.basis).toBe('override');
  });

  it('lists free resources as free and unknown types as not estimated', () => {
    for (const type of [
      'confluent_service_account',
      'confluent_role_binding',
      'confluent_api_key',
      'confluent_kafka_acl',
    ]) {
      expect(priceResource(resource(type, {}), { catalog })).toMatchObject({ status: 'free', monthly: '0' });
    }
    expect(priceResource(resource('confluent_environment', {}), { catalog }).status).toBe('free');
    expect(
      priceResource(resource('confluent_environment', { package: 'ESSENTIALS' }), { catalog }).monthly,
    ).toBe('0');
    expect(
      priceResource(resource('confluent_environment', { package: 'ADVANCED' }), { catalog }).status,
    ).toBe('not_estimated');
    expect(priceResource(resource('confluent_something_new', {}), { catalog }).reason).toMatch(
      /not in the price catalog/,
    );
  });

  it('prices Tableflow per topic-hour', () => {
    expect(
      priceResource(resource('confluent_tableflow_topic', { storage: 'byob_aws' }), { catalog }).monthly,
    ).toBe(expected('tableflow.topic_hour', 1));
  });
});

describe('catalog and pricing config', () => {
  it('every entry carries a source, a date and a confidence', () => {
    for (const entry of Object.values(catalog.entries)) {
      expect(entry.source, entry.key).toBeTruthy();
      expect(entry.asOf, entry.key).toMatch(/^\d{4}-\d{2}$/);
      expect(['high', 'medium', 'low'], entry.key).toContain(entry.confidence);
      if (entry.unitPrice !== null) expect(entry.unitPrice).toMatch(/^\d+(\.\d+)?$/);
    }
  });

  it('parses the pricing section of ccost.yaml', () => {
    const parsed = pricingConfigSchema.parse({
      overrides: { 'kafka.dedicated.cku_hour': 2.1 },
      flink_utilization: 0.5,
      usage_profile: { kafka_cluster: { ingress_gb_month: 100 } },
    });
    expect(parsed.overrides['kafka.dedicated.cku_hour']).toBe('2.1');
    const options = pricingOptions(parsed);
    expect(options.flinkUtilization).toBe('0.5');
    expect(() => pricingConfigSchema.parse({ flink_utilization: 2 })).toThrow();
    expect(() => pricingConfigSchema.parse({ usage_profile: { kafka_cluster: { bogus: 1 } } })).toThrow();
  });
});

describe('usage known per address', () => {
  const cluster = resource('confluent_kafka_cluster', { ...where, cluster_type: 'standard', max_ecku: '2' });
  const observed = {
    'confluent_kafka_cluster.x': {
      usage: { ingress_gb_month: '10', egress_gb_month: '5' },
      source: 'observed over the last 30 days (ccost)',
    },
  };

  it('prices observed usage and says where it came from', () => {
    const price = priceResource(cluster, pricingOptions(undefined, undefined, observed));
    const network = price.items.find((i) => i.what === 'Standard network (observed usage)')!;
    expect(network.quantity).toBe('15');
    expect(network.estimate).toBe(true);
    expect(price.assumptions).toContain(
      'usage of confluent_kafka_cluster.x: observed over the last 30 days (ccost)',
    );
  });

  it('lets ccost.yaml usage_profile.resources win over observed usage', () => {
    const config = pricingConfigSchema.parse({
      usage_profile: { resources: { 'confluent_kafka_cluster.x': { ingress_gb_month: 100 } } },
    });
    const price = priceResource(cluster, pricingOptions(config, undefined, observed));
    const network = price.items.find((i) => i.what === 'Standard network (usage profile)')!;
    expect(network.quantity).toBe('100');
    expect(price.assumptions.join('\n')).not.toContain('observed');
  });
});
