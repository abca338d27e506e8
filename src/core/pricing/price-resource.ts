import { Decimal } from 'decimal.js';
import type { PricedResource } from '../terraform/priced.ts';
import { type Confidence, HOURS_PER_MONTH } from './catalog.ts';
import type { PricingOptions, Usage } from './options.ts';
import { type PriceBasis, resolveUnitPrice } from './unit-price.ts';

/** One line of a resource's monthly price. */
export interface PriceItem {
  what: string;
  /** Units billed: eCKUs, tasks, GB per month, … (decimal text). */
  quantity: string;
  unit: string;
  unitPrice: string;
  /** Hours per month for hourly units ("730"); absent for per-GB items. */
  hours?: string;
  /** quantity × unitPrice (× hours), exact decimal text. */
  monthly: string;
  /** Which price applied: list, the org's effective price, or a ccost.yaml override. */
  basis: PriceBasis;
  source: string;
  confidence: Confidence;
  /** True when the quantity is an estimate (usage profile, a ceiling, an expected utilization). */
  estimate: boolean;
}

/** A resource's monthly price. */
export interface ResourcePrice {
  status: 'priced' | 'free' | 'not_estimated';
  /** Exact decimal text; "0" when free or not estimated. */
  monthly: string;
  items: PriceItem[];
  reason?: string;
  assumptions: string[];
}

/** Resources without a billing dimension of their own. */
const FREE: Record<string, string> = {
  confluent_service_account: 'identities are free',
  confluent_role_binding: 'access control is free',
  confluent_api_key: 'API keys are free',
  confluent_kafka_acl: 'ACLs are free',
  confluent_identity_pool: 'identities are free',
  confluent_identity_provider: 'identities are free',
  confluent_group_mapping: 'identities are free',
  confluent_invitation: 'users are free',
  confluent_kafka_topic:
    'topics have no charge of their own on eCKU clusters (partitions bill only in orgs created before 2024-04-16); their bytes are in the cluster usage',
  confluent_kafka_mirror_topic: 'mirror topics bill through their cluster link',
  confluent_kafka_cluster_config: 'cluster settings are free',
  confluent_kafka_client_quota: 'quotas are free',
  confluent_schema: 'schemas are included in Stream Governance (100 with Essentials)',
  confluent_schema_exporter: 'schema exporters have no billing dimension',
  confluent_subject_config: 'Schema Registry settings are free',
  confluent_subject_mode: 'Schema Registry settings are free',
  confluent_schema_registry_cluster_config: 'Schema Registry settings are free',
  confluent_schema_registry_cluster_mode: 'Schema Registry settings are free',
  confluent_schema_registry_kek: 'encryption keys have no billing dimension',
  confluent_schema_registry_dek: 'encryption keys have no billing dimension',
  confluent_tag: 'catalog metadata is free',
  confluent_tag_binding: 'catalog metadata is free',
  confluent_business_metadata: 'catalog metadata is free',
  confluent_business_metadata_binding: 'catalog metadata is free',
  confluent_catalog_entity_attributes: 'catalog metadata is free',
  confluent_flink_statement: 'statements bill as CFUs of their compute pool',
  confluent_flink_artifact: 'artifacts are free; their statements bill on the compute pool',
  confluent_flink_connection: 'connections are free',
  confluent_connect_artifact: 'artifacts are free; their connectors bill per task',
  confluent_custom_connector_plugin: 'plugins are free; custom connectors bill per task',
  confluent_byok_key: 'keys are free',
  confluent_provider_integration: 'integrations are free',
  confluent_tf_importer: 'a Terraform helper, not a Confluent resource',
  confluent_certificate_authority: 'identities are free',
  confluent_certificate_pool: 'identities are free',
  confluent_plugin: 'plugins are free; custom connectors bill per task',
};

/** Networking resources: they may carry costs, but no price is published in our sources. */
const NETWORKING = new Set([
  'confluent_network',
  'confluent_private_link_access',
  'confluent_private_link_attachment',
  'confluent_private_link_attachment_connection',
  'confluent_peering',
  'confluent_transit_gateway_attachment',
  'confluent_access_point',
  'confluent_gateway',
  'confluent_dns_forwarder',
  'confluent_dns_record',
  'confluent_network_link_endpoint',
  'confluent_network_link_service',
]);

const HOURS = new Decimal(HOURS_PER_MONTH);

/**
 * Prices one resource for a month of 730 hours. Capacity (CKUs, eCKUs, tasks, CSUs, CFUs) comes
 * from the resource; network, storage and throughput from the usage profile, marked as estimates.
 * A resource that needs an unknown attribute or an unpublished price is not estimated, with the
 * reason.
 */
export function priceResource(resource: PricedResource, options: PricingOptions): ResourcePrice {
  if (resource.notEstimated) return notEstimated(resource.notEstimated);
  const free = FREE[resource.type];
  if (free) return { status: 'free', monthly: '0', items: [], reason: free, assumptions: [] };
  if (NETWORKING.has(resource.type)) {
    return notEstimated('networking may carry costs; no price is published in the catalog');
  }
  const pricer = PRICERS[resource.type];
  if (!pricer)
    return notEstimated(`${resource.type} is not in the price catalog (${options.catalog.version})`);
  const builder = new PriceBuilder(resource, options);
  try {
    pricer(builder);
  } catch (err) {
    if (err instanceof NotEstimated) return notEstimated(err.message, builder.assumptions);
    throw err;
  }
  return builder.result();
}

class NotEstimated extends Error {}

function notEstimated(reason: string, assumptions: string[] = []): ResourcePrice {
  return { status: 'not_estimated', monthly: '0', items: [], reason, assumptions };
}

/** Collects the items of one resource; each pricer reads attributes and adds items. */
class PriceBuilder {
  readonly items: PriceItem[] = [];
  readonly assumptions: string[] = [];
  /** Why nothing is billed, when a pricer adds no item. */
  freeReason = 'nothing billed';
  constructor(
    readonly resource: PricedResource,
    readonly options: PricingOptions,
  ) {}

  /** A priced attribute's text; throws "not estimated" when it is unknown (or required and absent). */
  attr(name: string, required: false): string | undefined;
  attr(name: string, required?: true): string;
  attr(name: string, required = true): string | undefined {
    const unknown = this.resource.unknown[name];
    if (unknown !== undefined) throw new NotEstimated(`${name}: ${unknown}`);
    const value = this.resource.attributes[name];
    if (value === undefined && required) throw new NotEstimated(`${name} is not set`);
    return value;
  }

  /** A numeric attribute as a Decimal (throws "not estimated" when it is not a number). */
  number(name: string, fallback?: string): Decimal {
    const text = this.attr(name, false) ?? fallback;
    if (text === undefined) throw new NotEstimated(`${name} is not set`);
    if (!/^\d+(\.\d+)?$/.test(text)) throw new NotEstimated(`${name} is not a number`);
    return new Decimal(text);
  }

  /** The usage estimate for this resource: per-address values over the kind's defaults. */
  usage(kind: 'kafka_cluster' | 'connector' | 'cluster_link' | 'tableflow_topic'): Usage {
    const profile = this.options.usageProfile ?? {};
    return { ...(profile[kind] ?? {}), ...(profile.resources?.[this.resource.address] ?? {}) };
  }

  /**
   * Labels a usage-driven item by where its usage came from ("observed usage" or "usage profile")
   * and, for observed usage, notes it once in the assumptions.
   */
  usageLabel(...fields: (keyof Usage)[]): string {
    const source = this.options.usageSources?.[this.resource.address];
    const own = this.options.usageProfile?.resources?.[this.resource.address] ?? {};
    if (!source || !fields.some((f) => own[f] !== undefined)) return 'usage profile';
    const note = `usage of ${this.resource.address}: ${source}`;
    if (!this.assumptions.includes(note)) this.assumptions.push(note);
    return 'observed usage';
  }

  /** Where the resource runs, when known (for regional prices). */
  where(): { cloud?: string; region?: string } {
    const { cloud, region } = this.resource.attributes;
    return { ...(cloud ? { cloud } : {}), ...(region ? { region } : {}) };
  }

  /**
   * Adds an item; `hourly` items are quantity × unit price × 730. With `required`, a missing price
   * makes the resource not estimated; otherwise the item is skipped with an assumption.
   */
  add(
    key: string,
    what: string,
    quantity: Decimal,
    opts: { unit: string; hourly: boolean; estimate: boolean; required: boolean },
  ): void {
    const price = resolveUnitPrice(key, this.where(), this.options);
    if (!price) {
      const message = `no list price for ${what} (${key}): set pricing.overrides["${key}"] in ccost.yaml or calibrate from billing`;
      if (opts.required) throw new NotEstimated(message);
      this.assumptions.push(`${message}; left out`);
      return;
    }
    if (price.assumption && !this.assumptions.includes(price.assumption))
      this.assumptions.push(price.assumption);
    let monthly = quantity.times(price.unitPrice);
    if (opts.hourly) monthly = monthly.times(HOURS);
    this.items.push({
      what,
      quantity: quantity.toString(),
      unit: opts.unit,
      unitPrice: price.unitPrice,
      ...(opts.hourly ? { hours: HOURS_PER_MONTH } : {}),
      monthly: monthly.toString(),
      basis: price.basis,
      source: price.source,
      confidence: price.confidence,
      estimate: opts.estimate,
    });
  }

  result(): ResourcePrice {
    if (this.items.length === 0) {
      return {
        status: 'free',
        monthly: '0',
        items: [],
        reason: this.freeReason,
        assumptions: this.assumptions,
      };
    }
    const monthly = this.items.reduce((sum, item) => sum.plus(item.monthly), new Decimal(0));
    return {
      status: 'priced',
      monthly: monthly.toString(),
      items: this.items,
      assumptions: this.assumptions,
    };
  }
}

type Pricer = (b: PriceBuilder) => void;

/** Minimum eCKUs a cluster runs with, by type. */
const MIN_ECKU: Record<string, number> = { basic: 1, standard: 1, enterprise: 1, freight: 2 };

function priceKafkaCluster(b: PriceBuilder): void {
  const type = b.attr('cluster_type');
  const availability = b.resource.attributes.availability;
  if (availability && availability !== 'SINGLE_ZONE' && availability !== 'LOW') {
    b.assumptions.push(`availability ${availability} priced like single zone: no published multiplier`);
  }
  if (type === 'dedicated') {
    const cku = b.number('cku');
    b.add('kafka.dedicated.cku_hour', 'Dedicated CKU', cku, {
      unit: 'CKU-hour',
      hourly: true,
      estimate: false,
      required: true,
    });
  } else {
    const usage = b.usage('kafka_cluster');
    const min = MIN_ECKU[type] ?? 1;
    const maxEcku = b.attr('max_ecku', false);
    let ecku: Decimal;
    if (maxEcku !== undefined) {
      ecku = b.number('max_ecku');
      b.assumptions.push(
        `priced at max_ecku ${maxEcku}, the ceiling: eCKUs scale with load and bill on actual use`,
      );
    } else {
      ecku = Decimal.max(new Decimal(usage.ecku ?? min), min);
      b.assumptions.push(
        `eCKUs scale with load; priced at ${ecku.toString()} eCKU (${usage.ecku ? 'usage profile' : 'the minimum'})`,
      );
    }
    // The first Basic eCKU is free.
    const billed = type === 'basic' ? Decimal.max(ecku.minus(1), 0) : ecku;
    const what = type === 'basic' ? 'Basic eCKU (first eCKU free)' : `${title(type)} eCKU`;
    b.add(`kafka.${type}.ecku_hour`, what, billed, {
      unit: 'eCKU-hour',
      hourly: true,
      estimate: true,
      required: true,
    });
  }
  const usage = b.usage('kafka_cluster');
  const network = new Decimal(usage.ingress_gb_month ?? 0).plus(usage.egress_gb_month ?? 0);
  if (network.gt(0)) {
    b.add(
      `kafka.${type}.network_gb`,
      `${title(type)} network (${b.usageLabel('ingress_gb_month', 'egress_gb_month')})`,
      network,
      {
        unit: 'GB',
        hourly: false,
        estimate: true,
        required: false,
      },
    );
  }
  const storage = new Decimal(usage.storage_gb ?? 0);
  if (storage.gt(0)) {
    b.add(
      `kafka.${type}.storage_gb_month`,
      `${title(type)} storage (${b.usageLabel('storage_gb')})`,
      storage,
      {
        unit: 'GB-month',
        hourly: false,
        estimate: true,
        required: false,
      },
    );
  }
  if (network.isZero() && storage.isZero()) {
    b.assumptions.push(
      'network and storage not included: no usage profile for this cluster (pricing.usage_profile)',
    );
  }
}

function priceConnector(b: PriceBuilder): void {
  // The provider's connectors default to one task when tasks.max is not set.
  const tasks = b.number('tasks_max', '1');
  if (b.resource.attributes.status === 'PAUSED')
    b.assumptions.push('paused connector priced as running (whether paused tasks bill is unverified)');
  b.add('connect.task_hour', 'connector task', tasks, {
    unit: 'task-hour',
    hourly: true,
    estimate: false,
    required: true,
  });
  const throughput = new Decimal(b.usage('connector').throughput_gb_month ?? 0);
  if (throughput.gt(0)) {
    b.add(
      'connect.throughput_gb',
      `connector throughput (${b.usageLabel('throughput_gb_month')})`,
      throughput,
      {
        unit: 'GB',
        hourly: false,
        estimate: true,
        required: false,
      },
    );
  }
}

function priceFlinkPool(b: PriceBuilder): void {
  const maxCfu = b.number('max_cfu');
  const utilization = b.options.flinkUtilization ?? '1';
  const cfu = maxCfu.times(utilization);
  b.assumptions.push(
    `Flink bills actual CFU-minutes; priced at ${new Decimal(utilization).times(100).toString()}% of max_cfu ${maxCfu.toString()} (pricing.flink_utilization)`,
  );
  b.add('flink.cfu_hour', 'Flink CFU', cfu, {
    unit: 'CFU-hour',
    hourly: true,
    estimate: true,
    required: true,
  });
}

function priceKsql(b: PriceBuilder): void {
  b.add('ksql.csu_hour', 'ksqlDB CSU', b.number('csu'), {
    unit: 'CSU-hour',
    hourly: true,
    estimate: false,
    required: true,
  });
}

function priceGovernance(b: PriceBuilder): void {
  const pkg = b.attr('package', false);
  if (pkg === undefined) {
    b.freeReason = 'no Stream Governance package';
    return;
  }
  const level = pkg.toUpperCase() === 'ADVANCED' ? 'advanced' : 'essentials';
  b.add(`governance.${level}_hour`, `Stream Governance ${title(level)}`, new Decimal(1), {
    unit: 'hour',
    hourly: true,
    estimate: false,
    required: true,
  });
}

function priceClusterLink(b: PriceBuilder): void {
  b.add('cluster_link.link_hour', 'cluster link', new Decimal(1), {
    unit: 'link-hour',
    hourly: true,
    estimate: false,
    required: true,
  });
  const gb = new Decimal(b.usage('cluster_link').gb_month ?? 0);
  if (gb.gt(0))
    b.add('cluster_link.gb', `cluster link data (${b.usageLabel('gb_month')})`, gb, {
      unit: 'GB',
      hourly: false,
      estimate: true,
      required: false,
    });
}

function priceTableflow(b: PriceBuilder): void {
  b.add('tableflow.topic_hour', 'Tableflow topic', new Decimal(1), {
    unit: 'topic-hour',
    hourly: true,
    estimate: false,
    required: true,
  });
  const gb = new Decimal(b.usage('tableflow_topic').gb_processed_month ?? 0);
  if (gb.gt(0))
    b.add('tableflow.gb_processed', `Tableflow data processed (${b.usageLabel('gb_processed_month')})`, gb, {
      unit: 'GB',
      hourly: false,
      estimate: true,
      required: false,
    });
  if (b.resource.attributes.storage === 'managed')
    b.assumptions.push('Confluent-managed Tableflow storage is not priced');
}

const PRICERS: Record<string, Pricer> = {
  confluent_kafka_cluster: priceKafkaCluster,
  confluent_connector: priceConnector,
  confluent_flink_compute_pool: priceFlinkPool,
  confluent_ksql_cluster: priceKsql,
  confluent_environment: priceGovernance,
  confluent_schema_registry_cluster: priceGovernance,
  confluent_cluster_link: priceClusterLink,
  confluent_tableflow_topic: priceTableflow,
};

function title(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
