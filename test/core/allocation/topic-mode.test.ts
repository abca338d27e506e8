import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { type AllocationRow, allocate, type EngineLine } from '../../../src/core/allocation/engine.ts';
import { RuleBook, ruleSetHash } from '../../../src/core/allocation/rules.ts';
import {
  indexTopicUsage,
  TopicMode,
  type TopicUsageRecord,
} from '../../../src/core/allocation/topic-mode.ts';
import { MemoryUsageIndex, type UsageRecord } from '../../../src/core/allocation/usage-index.ts';
import { ConfigError, parseConfig } from '../../../src/core/config/load.ts';
import { InventoryView } from '../../../src/core/inventory/view.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { bytesOn, line } from '../../helpers/engine.ts';

const DAY = '2026-10-01';
const ok = (resourceId = 'lkc-shared') => ({ resourceId, day: DAY, status: 'ok' });

/** Per-topic rows of one cluster-day: topic → [received, sent, retained] bytes. */
function topicBytes(resourceId: string, bytes: Record<string, [number, number, number]>): TopicUsageRecord[] {
  return Object.entries(bytes).flatMap(([topic, [received, sent, retained]]) => [
    { resourceId, day: DAY, topic, metric: 'received_bytes', value: String(received) },
    { resourceId, day: DAY, topic, metric: 'sent_bytes', value: String(sent) },
    { resourceId, day: DAY, topic, metric: 'retained_bytes', value: String(retained) },
  ]);
}

const TOPIC_MODE = {
  clusters: ['lkc-shared', { id: 'lkc-even', fixed: 'even' }],
  topics: [
    { pattern: 'payments.*', team: 'payments' },
    { prefix: 'search-', team: 'search' },
  ],
};

/** Runs the engine with topic mode on `lkc-shared` and `lkc-even`. */
function run(fixture: {
  lines: EngineLine[];
  topics?: TopicUsageRecord[];
  usage?: UsageRecord[];
  fetches?: { resourceId: string; day: string; status: string }[];
  config?: Record<string, unknown>;
}): AllocationRow[] {
  const config = parseConfig({
    teams: { checkout: { owners: ['sa-c'] } },
    ...fixture.config,
    allocation: { topic_mode: TOPIC_MODE, ...(fixture.config?.allocation as object) },
  });
  return allocate(fixture.lines, {
    rules: new RuleBook(config.allocation),
    teams: new TeamResolver(config),
    inventory: new InventoryView({ resources: [], principals: [], environments: [] }),
    usage: new MemoryUsageIndex(fixture.usage ?? [], fixture.fetches ?? [ok(), ok('lkc-even')]),
    topics: new TopicMode(config.allocation.topic_mode, indexTopicUsage(fixture.topics ?? [])),
  });
}

const rowsOf = (rows: AllocationRow[], lineId: number) =>
  rows.filter((r) => r.lineId === lineId).map((r) => [r.ownerId, r.ownerKind, r.team, r.amount]);

const USAGE = topicBytes('lkc-shared', {
  'payments.orders': [3, 0, 10],
  'search-index': [1, 4, 30],
  'misc.audit': [0, 4, 60],
});

describe('topic mode', () => {
  it('splits write by received, read by sent and storage by retained bytes, topics mapped to teams', () => {
    const write = line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '8', resourceId: 'lkc-shared' });
    const read = line({ lineType: 'KAFKA_NETWORK_READ', amount: '8', resourceId: 'lkc-shared' });
    const storage = line({ lineType: 'KAFKA_STORAGE', amount: '10', resourceId: 'lkc-shared' });
    const rows = run({ lines: [write, read, storage], topics: USAGE });
    expect(rowsOf(rows, write.id)).toEqual([
      ['payments.orders', 'topic', 'payments', '6.000000'],
      ['search-index', 'topic', 'search', '2.000000'],
    ]);
    // An unmatched topic stays visible: its own owner, in the unowned team.
    expect(rowsOf(rows, read.id)).toEqual([
      ['misc.audit', 'topic', 'unowned', '4.000000'],
      ['search-index', 'topic', 'search', '4.000000'],
    ]);
    expect(rowsOf(rows, storage.id)).toEqual([
      ['misc.audit', 'topic', 'unowned', '6.000000'],
      ['payments.orders', 'topic', 'payments', '1.000000'],
      ['search-index', 'topic', 'search', '3.000000'],
    ]);
    expect(rows.every((r) => r.confidence === 'high' && r.method === 'topic_usage')).toBe(true);
    const write0 = rows.find((r) => r.lineId === write.id)!;
    expect(new Decimal(write0.usageShare).toFixed(2)).toBe('0.75');
  });

  it('splits the fixed part by received+sent bytes, or evenly across active topics per cluster', () => {
    const cku = line({ lineType: 'KAFKA_NUM_CKUS', amount: '12', resourceId: 'lkc-shared' });
    const base = line({ lineType: 'KAFKA_BASE', amount: '3', resourceId: 'lkc-even' });
    const topics = [...USAGE, ...topicBytes('lkc-even', { 'payments.a': [1, 0, 0], 'x.idle': [0, 0, 5] })];
    const rows = run({ lines: [cku, base], topics });
    // received+sent: 3, 5, 4 of 12.
    expect(rowsOf(rows, cku.id)).toEqual([
      ['misc.audit', 'topic', 'unowned', '4.000000'],
      ['payments.orders', 'topic', 'payments', '3.000000'],
      ['search-index', 'topic', 'search', '5.000000'],
    ]);
    // A topic that only retains data is active: it holds partitions and storage.
    expect(rowsOf(rows, base.id)).toEqual([
      ['payments.a', 'topic', 'payments', '1.500000'],
      ['x.idle', 'topic', 'unowned', '1.500000'],
    ]);
    expect(rows.find((r) => r.lineId === base.id)).toMatchObject({
      method: 'topic_even',
      confidence: 'medium',
    });
  });

  it('conserves every line exactly, down to the micro-dollar and beyond', () => {
    const topics = topicBytes('lkc-shared', { a: [1, 1, 1], b: [1, 1, 1], c: [1, 1, 1] });
    const lines = [
      line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '0.000007', resourceId: 'lkc-shared' }),
      line({ lineType: 'KAFKA_NUM_CKUS', amount: '10.000001', resourceId: 'lkc-shared' }),
      line({ lineType: 'KAFKA_STORAGE', amount: '1.23456789', resourceId: 'lkc-shared' }),
    ];
    const rows = run({ lines, topics });
    for (const l of lines) {
      const sum = rows.filter((r) => r.lineId === l.id).reduce((s, r) => s.plus(r.amount), new Decimal(0));
      expect(sum.toFixed()).toBe(new Decimal(l.amount).toFixed());
    }
    expect(rows.filter((r) => r.method === 'rounding')).toHaveLength(1);
  });

  it('falls back to the cluster with the reason when topic metrics are missing, never evenly', () => {
    const failed = line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '1', resourceId: 'lkc-shared' });
    const never = line({ lineType: 'KAFKA_STORAGE', amount: '1', resourceId: 'lkc-even' });
    const rows = run({
      lines: [failed, never],
      topics: USAGE,
      fetches: [{ resourceId: 'lkc-shared', day: DAY, status: 'failed' }],
    });
    expect(rows).toMatchObject([
      {
        ownerId: 'lkc-shared',
        method: 'resource',
        confidence: 'low',
        fallbackReason: 'metrics fetch failed',
      },
      { ownerId: 'lkc-even', method: 'resource', confidence: 'low', fallbackReason: 'metrics not collected' },
    ]);
    // Fetched, but no per-topic rows (collection.topic_usage off): to the cluster, with the reason.
    const principalsOnly = run({
      lines: [line({ lineType: 'KAFKA_NETWORK_READ', amount: '1', resourceId: 'lkc-shared' })],
      usage: bytesOn('lkc-shared', DAY, { 'sa-a': [1, 1] }),
    });
    expect(principalsOnly).toMatchObject([
      { ownerId: 'lkc-shared', method: 'resource', fallbackReason: 'no topic usage for the day' },
    ]);
  });

  it('splits evenly across active topics, with the reason and low confidence, when the bytes are zero', () => {
    const read = line({ lineType: 'KAFKA_NETWORK_READ', amount: '2', resourceId: 'lkc-shared' });
    const rows = run({ lines: [read], topics: topicBytes('lkc-shared', { a: [5, 0, 1], b: [0, 0, 1] }) });
    expect(rows.map((r) => [r.ownerId, r.amount, r.method, r.confidence, r.fallbackReason])).toEqual([
      ['a', '1.000000', 'topic_even', 'low', 'no sent bytes on any topic in the bucket'],
      ['b', '1.000000', 'topic_even', 'low', 'no sent bytes on any topic in the bucket'],
    ]);
  });

  it('leaves other clusters and lines a rule sends elsewhere to their principal-mode rule', () => {
    const other = line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '1', resourceId: 'lkc-other' });
    const pinned = line({ lineType: 'KAFKA_PARTITION', amount: '1', resourceId: 'lkc-shared' });
    const rows = run({
      lines: [other, pinned],
      topics: USAGE,
      usage: bytesOn('lkc-other', DAY, { 'sa-c': [1, 0] }),
      fetches: [ok(), ok('lkc-other')],
      config: { allocation: { rules: [{ line_type: 'KAFKA_PARTITION', method: 'resource' }] } },
    });
    expect(rowsOf(rows, other.id)).toEqual([['sa-c', 'service_account', 'checkout', '1.000000']]);
    expect(rowsOf(rows, pinned.id)).toEqual([['lkc-shared', 'resource', 'unowned', '1.000000']]);
  });

  it('carries topics into Support, and never mistakes a topic for a principal or the unallocated row', () => {
    const write = line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '3', resourceId: 'lkc-shared' });
    const principal = line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '1', resourceId: 'lkc-other' });
    const support = line({
      product: 'SUPPORT',
      lineType: 'SUPPORT',
      amount: '4',
      resourceId: null,
      environmentId: null,
    });
    const rows = run({
      lines: [support, write, principal],
      topics: topicBytes('lkc-shared', {
        'sa-c': [1, 0, 0],
        unallocated: [1, 0, 0],
        'payments.x': [1, 0, 0],
      }),
      usage: bytesOn('lkc-other', DAY, { 'sa-c': [1, 0] }),
      fetches: [ok(), ok('lkc-other')],
    });
    expect(rowsOf(rows, write.id)).toEqual([
      ['payments.x', 'topic', 'payments', '1.000000'],
      ['sa-c', 'topic', 'unowned', '1.000000'],
      ['unallocated', 'topic', 'unowned', '1.000000'],
    ]);
    expect(rowsOf(rows, support.id).sort()).toEqual([
      ['payments.x', 'topic', 'payments', '1.000000'],
      ['sa-c', 'service_account', 'checkout', '1.000000'],
      ['sa-c', 'topic', 'unowned', '1.000000'],
      ['unallocated', 'topic', 'unowned', '1.000000'],
    ]);
  });

  it('matches topic patterns case-sensitively, first match wins', () => {
    const rows = run({
      lines: [line({ lineType: 'KAFKA_NETWORK_WRITE', amount: '3', resourceId: 'lkc-shared' })],
      topics: topicBytes('lkc-shared', {
        'Payments.x': [1, 0, 0],
        'payments.y': [1, 0, 0],
        'search-z': [1, 0, 0],
      }),
      config: {
        allocation: {
          topic_mode: { ...TOPIC_MODE, topics: [{ prefix: 'search', team: 'a' }, ...TOPIC_MODE.topics] },
        },
      },
    });
    expect(rows.map((r) => [r.ownerId, r.team])).toEqual([
      ['Payments.x', 'unowned'],
      ['payments.y', 'payments'],
      ['search-z', 'a'],
    ]);
  });
});

describe('allocation.topic_mode in ccost.yaml', () => {
  it('reads cluster ids or entries, with bytes as the default fixed rule', () => {
    const config = parseConfig({ allocation: { topic_mode: TOPIC_MODE } });
    expect(config.allocation.topic_mode).toMatchObject({ fixed: 'bytes', clusters: TOPIC_MODE.clusters });
    expect(parseConfig({}).allocation.topic_mode).toEqual({ clusters: [], fixed: 'bytes', topics: [] });
  });

  it('names the key path of a wrong entry', () => {
    const bad = (topic_mode: unknown) => () => parseConfig({ allocation: { topic_mode } });
    expect(bad({ topics: [{ prefix: 'a', pattern: 'b*', team: 't' }] })).toThrow(ConfigError);
    expect(bad({ topics: [{ team: 't' }] })).toThrow(
      'allocation.topic_mode.topics[0]: each topic entry needs exactly one of prefix or pattern',
    );
    expect(bad({ clusters: ['env-1'] })).toThrow(/lkc-/);
    expect(bad({ clusters: ['lkc-1', { id: 'lkc-1', fixed: 'even' }] })).toThrow('may appear only once');
    expect(bad({ fixed: 'weighted' })).toThrow(/allocation\.topic_mode\.fixed/);
  });

  it('keeps the rule-set hash of configurations without topic mode, and changes it with topic mode', () => {
    const plain = parseConfig({});
    const unused = parseConfig({ allocation: { topic_mode: { topics: [{ prefix: 'a', team: 't' }] } } });
    const used = parseConfig({ allocation: { topic_mode: TOPIC_MODE } });
    expect(ruleSetHash(unused)).toBe(ruleSetHash(plain));
    // The hashes these configurations had before topic mode existed: current runs stay current.
    expect(ruleSetHash(plain)).toBe('2d7884c1245b319f');
    const weighted = {
      teams: { a: { owners: ['sa-1'] } },
      allocation: { cku: { usage_weight: 0.7, even_weight: 0.3 } },
    };
    expect(ruleSetHash(parseConfig(weighted))).toBe('7d241938c97ed057');
    expect(ruleSetHash(used)).not.toBe(ruleSetHash(plain));
  });
});
