/**
 * Which method allocates which billing line. The defaults reproduce the table "Cost allocation by
 * product" of Confluent's cost-allocation methodology; `allocation.rules` in ccost.yaml overrides
 * them per product or line type from a date on.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../billing/cost.ts';
import type { AllocationMethod, Config, RuleConfig, UsageMetric } from '../config/schema.ts';
import { topicModeClusters } from './topic-mode.ts';

/** Bump when a default rule changes: it is part of every run's rule-set hash. */
export const DEFAULT_RULES_VERSION = 'confluent-2026.1';

/** A resolved rule for one line. */
export interface Rule {
  method: AllocationMethod;
  metric?: UsageMetric;
  usageWeight?: string;
  evenWeight?: string;
  /** Where the rule came from: `default` or `allocation.rules[i]`. */
  source: string;
  /** Why a line goes unallocated by rule (credits, products without per-principal usage). */
  reason?: string;
}

type DefaultRule = Omit<Rule, 'source'>;

const byLineType: Record<string, DefaultRule> = {
  KAFKA_NETWORK_WRITE: { method: 'usage', metric: 'write' },
  KAFKA_REST_PRODUCE: { method: 'usage', metric: 'write' },
  KAFKA_NETWORK_READ: { method: 'usage', metric: 'read' },
  KAFKA_NUM_CKU: { method: 'weighted', metric: 'total' },
  KAFKA_NUM_CKUS: { method: 'weighted', metric: 'total' },
  KAFKA_STORAGE: { method: 'even' },
  KAFKA_PARTITION: { method: 'even' },
  KAFKA_BASE: { method: 'even' },
  AUDIT_LOG_READ: { method: 'usage', metric: 'read' },
  SCHEMA_REGISTRY: { method: 'kafka_cluster' },
  GOVERNANCE_BASE: { method: 'kafka_cluster' },
  NUM_RULES: { method: 'kafka_cluster' },
  KSQL_NUM_CSU: { method: 'resource_owner' },
  KSQL_NUM_CSUS: { method: 'resource_owner' },
  SUPPORT: { method: 'proportional' },
  PROMO_CREDIT: { method: 'unallocated', reason: 'credit applied at organization level' },
};

const byProduct: Record<string, DefaultRule> = {
  CONNECT: { method: 'kafka_cluster' },
  CUSTOM_CONNECT: { method: 'resource' },
  CLUSTER_LINK: { method: 'kafka_cluster' },
  STREAM_GOVERNANCE: { method: 'kafka_cluster' },
  KSQL: { method: 'resource_owner' },
  AUDIT_LOG: { method: 'usage', metric: 'read' },
  TABLEFLOW: { method: 'unallocated', reason: 'Tableflow emits no per-principal usage' },
  USM: { method: 'unallocated', reason: 'USM emits no per-principal usage' },
};

/** Resolves the rule of each line from ccost.yaml and the defaults. */
export class RuleBook {
  private readonly custom: RuleConfig[];
  private readonly cku: { usageWeight: string; evenWeight: string };
  private readonly flink: 'environment' | 'compute_pool';

  constructor(allocation: Config['allocation']) {
    this.custom = allocation.rules;
    this.cku = { usageWeight: allocation.cku.usage_weight, evenWeight: allocation.cku.even_weight };
    this.flink = allocation.flink;
  }

  /** The rule for a line of `product`/`lineType` on `day` in `orgId`. */
  ruleFor(orgId: string, product: string, lineType: string, day: string): Rule {
    const index = this.custom.findIndex(
      (r) =>
        (r.line_type === undefined || r.line_type === lineType) &&
        (r.product === undefined || r.product === product) &&
        (r.org === undefined || r.org === orgId) &&
        (r.from === undefined || day >= r.from) &&
        (r.until === undefined || day < r.until),
    );
    if (index >= 0) {
      const r = this.custom[index]!;
      return {
        method: r.method,
        metric: r.metric ?? (r.method === 'weighted' ? 'total' : r.method === 'usage' ? 'total' : undefined),
        usageWeight: r.usage_weight ?? this.cku.usageWeight,
        evenWeight: r.even_weight ?? this.cku.evenWeight,
        source: `allocation.rules[${index}]`,
      };
    }
    return { ...this.defaultRule(product, lineType), source: 'default' };
  }

  private defaultRule(product: string, lineType: string): DefaultRule {
    const rule = byLineType[lineType];
    if (rule?.method === 'weighted')
      return { ...rule, usageWeight: this.cku.usageWeight, evenWeight: this.cku.evenWeight };
    if (rule) return rule;
    if (lineType.startsWith('SUPPORT') || product.startsWith('SUPPORT')) return { method: 'proportional' };
    if (product === 'FLINK' || lineType.startsWith('FLINK_')) {
      return { method: this.flink === 'environment' ? 'environment' : 'resource' };
    }
    if (lineType.startsWith('CLUSTER_LINKING_')) return { method: 'kafka_cluster' };
    if (lineType.startsWith('CUSTOM_CONNECT_')) return { method: 'resource' };
    if (lineType.startsWith('CONNECT_')) return { method: 'kafka_cluster' };
    const productRule = byProduct[product];
    if (productRule) return productRule;
    return { method: 'unallocated', reason: `no allocation rule for ${product}/${lineType}` };
  }
}

/** Hash of everything that decides allocations besides the data: rules, weights, teams, topic mode. */
export function ruleSetHash(config: Pick<Config, 'allocation' | 'teams'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        version: DEFAULT_RULES_VERSION,
        allocation: hashedAllocation(config.allocation),
        teams: config.teams,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

/**
 * The allocation settings as hashed: an unused topic mode is left out, so configurations without
 * it keep the hash (and the current runs) they had before topic mode existed.
 */
function hashedAllocation(allocation: Config['allocation']): object {
  if (topicModeClusters(allocation).length > 0) return allocation;
  const { topic_mode: _unused, ...rest } = allocation;
  return rest;
}
