/**
 * Topic mode: a shared Kafka cluster's lines split by topic instead of by principal. Network write
 * follows each topic's received bytes, network read its sent bytes, storage its retained bytes,
 * and the fixed part (CKU/eCKU, base, partitions) its received+sent bytes or evenly across the
 * active topics. Topics map to teams by prefix or glob pattern; an unmatched topic stays visible
 * as its own owner in the `unowned` team.
 */
import type { Config, TopicModeConfig } from '../config/schema.ts';
import { weightToBigInt } from '../money/amount.ts';
import { globToRegex, UNOWNED_TEAM } from '../teams/resolver.ts';
import type { Rule } from './rules.ts';

/** Metrics API names of the per-topic byte counters (retained_bytes is a daily level). */
export const TOPIC_METRICS = {
  received: 'received_bytes',
  sent: 'sent_bytes',
  retained: 'retained_bytes',
} as const;

/** Owner kind of the rows of topic-mode lines. */
export const TOPIC_OWNER_KIND = 'topic';

/**
 * Topic owners are keyed apart from principals inside the engine (a NUL byte cannot start a
 * principal or resource id), so a topic named like a principal, or `unallocated`, never shares
 * its totals, team or kind; rows carry the bare topic name.
 */
const TOPIC_KEY_PREFIX = '\u0000topic:';

/** The engine's owner key of a topic. */
export function topicOwnerKey(topic: string): string {
  return TOPIC_KEY_PREFIX + topic;
}

/** Whether an engine owner key is a topic's. */
export function isTopicKey(ownerKey: string): boolean {
  return ownerKey.charCodeAt(0) === 0 && ownerKey.startsWith(TOPIC_KEY_PREFIX);
}

/** The topic name of a topic owner key. */
export function topicOfKey(ownerKey: string): string {
  return ownerKey.slice(TOPIC_KEY_PREFIX.length);
}

/** Bytes per topic on one cluster and day; `topics` sorted, arrays aligned with it. */
export interface TopicUsage {
  topics: string[];
  /** The topics' engine owner keys, made once here rather than for every line. */
  keys: string[];
  received: bigint[];
  sent: bigint[];
  retained: bigint[];
}

/** One daily per-topic usage row as loaded for allocation. */
export interface TopicUsageRecord {
  resourceId: string;
  day: string;
  topic: string;
  metric: string;
  value: string;
}

/** Per (cluster, day), the active topics (any received, sent or retained bytes) and their bytes. */
export function indexTopicUsage(records: Iterable<TopicUsageRecord>): Map<string, TopicUsage> {
  const raw = new Map<string, Map<string, [bigint, bigint, bigint]>>();
  for (const r of records) {
    const slot = metricSlot(r.metric);
    if (slot < 0) continue;
    const topics = entry(raw, `${r.resourceId}|${r.day}`, () => new Map());
    const bytes = entry(topics, r.topic, () => [0n, 0n, 0n]);
    bytes[slot] = bytes[slot]! + weightToBigInt(r.value, 0);
  }
  const index = new Map<string, TopicUsage>();
  for (const [key, topics] of raw) {
    const names = [...topics.keys()].filter((t) => topics.get(t)!.some((b) => b > 0n)).sort();
    const column = (slot: number) => names.map((t) => topics.get(t)![slot]!);
    index.set(key, {
      topics: names,
      keys: names.map(topicOwnerKey),
      received: column(0),
      sent: column(1),
      retained: column(2),
    });
  }
  return index;
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function metricSlot(metric: string): number {
  if (metric === TOPIC_METRICS.received) return 0;
  if (metric === TOPIC_METRICS.sent) return 1;
  if (metric === TOPIC_METRICS.retained) return 2;
  return -1;
}

/** What a topic-mode line is weighed by. */
type Basis = 'received' | 'sent' | 'bytes' | 'retained' | 'even';

/** A topic split, shaped as the engine's target; or why the day's topic usage cannot be used. */
export type TopicTarget =
  | {
      owners: string[];
      weights: bigint[];
      method: 'topic_usage' | 'topic_even';
      confidence: 'high' | 'medium' | 'low';
      reason: string | null;
    }
  | { missing: string };

/** The topic-mode clusters, their fixed-part rule, the topic → team patterns and the topic usage. */
export class TopicMode {
  private readonly fixedByCluster = new Map<string, 'bytes' | 'even'>();
  private readonly patterns: { regex: RegExp; team: string }[];
  private readonly teams = new Map<string, string>();

  /** `usage` is keyed `cluster|day` (see {@link indexTopicUsage}). */
  constructor(
    config: TopicModeConfig,
    private readonly usage: ReadonlyMap<string, TopicUsage>,
  ) {
    for (const c of config.clusters) {
      if (typeof c === 'string') this.fixedByCluster.set(c, config.fixed);
      else this.fixedByCluster.set(c.id, c.fixed ?? config.fixed);
    }
    // Topic names are case-sensitive in Kafka, unlike the owner patterns of `teams`.
    this.patterns = config.topics.map((t) => ({
      regex: t.prefix !== undefined ? prefixRegex(t.prefix) : new RegExp(globToRegex(t.pattern!).source),
      team: t.team,
    }));
  }

  /**
   * Whether a line is split by topic: its cluster is in topic mode and its rule weighs principals
   * (usage, weighted or even). Lines a rule sends elsewhere (a resource, unallocated) keep their rule.
   */
  applies(resourceId: string | null, rule: Rule): boolean {
    return (
      resourceId !== null &&
      this.fixedByCluster.has(resourceId) &&
      (rule.method === 'usage' || rule.method === 'weighted' || rule.method === 'even')
    );
  }

  /** The topic split of a line whose cluster's metrics were fetched that day. */
  target(resourceId: string, day: string, lineType: string, rule: Rule): TopicTarget {
    const usage = this.usage.get(`${resourceId}|${day}`);
    if (!usage || usage.topics.length === 0) return { missing: 'no topic usage for the day' };
    const basis = basisOf(lineType, rule, this.fixedByCluster.get(resourceId)!);
    if (basis === 'even') return evenly(usage, null, 'medium');
    const values = basisValues(usage, basis);
    const owners: string[] = [];
    const weights: bigint[] = [];
    for (let i = 0; i < values.length; i++) {
      if (values[i]! > 0n) {
        owners.push(usage.keys[i]!);
        weights.push(values[i]!);
      }
    }
    if (owners.length > 0)
      return { owners, weights, method: 'topic_usage', confidence: 'high', reason: null };
    const label = basis === 'bytes' ? 'received or sent' : basis;
    return evenly(usage, `no ${label} bytes on any topic in the bucket`, 'low');
  }

  /** The team of a topic: the first matching `topics` entry, else `unowned`. */
  teamOf(topic: string): string {
    let team = this.teams.get(topic);
    if (team === undefined) {
      team = this.patterns.find((p) => p.regex.test(topic))?.team ?? UNOWNED_TEAM;
      this.teams.set(topic, team);
    }
    return team;
  }
}

/**
 * What weighs a line: storage by retained bytes, usage lines by the bytes their rule names
 * (write → received, read → sent), and the rest (CKU, base, partitions) by the fixed rule.
 */
function basisOf(lineType: string, rule: Rule, fixed: 'bytes' | 'even'): Basis {
  if (lineType === 'KAFKA_STORAGE') return 'retained';
  if (rule.method === 'usage') {
    if (rule.metric === 'write') return 'received';
    if (rule.metric === 'read') return 'sent';
    return 'bytes';
  }
  return fixed;
}

function basisValues(usage: TopicUsage, basis: Exclude<Basis, 'even'>): bigint[] {
  if (basis === 'received') return usage.received;
  if (basis === 'sent') return usage.sent;
  if (basis === 'retained') return usage.retained;
  return usage.received.map((r, i) => r + usage.sent[i]!);
}

function evenly(usage: TopicUsage, reason: string | null, confidence: 'medium' | 'low'): TopicTarget {
  const owners = usage.keys;
  return { owners, weights: owners.map(() => 1n), method: 'topic_even', confidence, reason };
}

function prefixRegex(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** The ids of the clusters `allocation.topic_mode` names (none: principal mode everywhere). */
export function topicModeClusters(allocation: Pick<Config['allocation'], 'topic_mode'>): string[] {
  return allocation.topic_mode.clusters.map((c) => (typeof c === 'string' ? c : c.id));
}
