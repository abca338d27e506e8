import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Config } from '../../../src/core/config/schema.ts';
import { parseAtScale, weightToBigInt } from '../../../src/core/money/amount.ts';
import { splitByWeights } from '../../../src/core/money/split.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = '2026-11-05T06:00:00Z';
const MONTH = '2026-10';
/** Mapped teams; the platform team's topics are left unmapped on purpose. */
const MAPPED = ['payments', 'checkout', 'search', 'data-platform'];

type Sums = Record<string, string>;

/** Exact Σ amount of a run's allocations per value of `key` (SQL numeric sums, as text). */
async function sumsBy(store: Store, runId: string, key: string, where = 'true'): Promise<Sums> {
  const rows = await store.query<{ k: string | null; amount: string }>(
    sql.raw(`select ${key}::text as k, sum(amount)::text as amount from allocations
             where run_id = '${runId}' and ${where} group by 1 order by 1`),
  );
  return Object.fromEntries(rows.map((r) => [r.k ?? '(none)', new Decimal(r.amount).toFixed()]));
}

describe('topic mode on the simulated org', () => {
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let store: Store;
  let clusters: string[];
  let principalRun: string;
  let topicRun: string;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, {
      since: '2026-10-01',
      until: '2026-11-01',
      now: new Date(NOW),
    });
    clusters = org.model.org.clusters.map((c) => c.id).sort();
    const topicConfig: Config = {
      ...org.config,
      allocation: {
        ...org.config.allocation,
        topic_mode: parseConfig({
          allocation: {
            topic_mode: {
              // Every Kafka cluster, one of them with the fixed part split evenly across topics.
              clusters: [{ id: clusters[0]!, fixed: 'even' }, ...clusters.slice(1)],
              topics: MAPPED.map((team) => ({ pattern: `${team}.*`, team })),
            },
          },
        }).allocation.topic_mode,
      },
    };
    principalRun = (await allocateMonth(store, { orgId: org.orgId, month: MONTH, config: org.config })).runId;
    const topic = await allocateMonth(store, { orgId: org.orgId, month: MONTH, config: topicConfig });
    expect(topic.outcome).toBe('created');
    topicRun = topic.runId;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await org?.sim.stop();
  });

  it('gives every cluster, and every billing line, exactly the same total in both modes', async () => {
    const byCluster = await sumsBy(store, principalRun, 'resource_id');
    expect(await sumsBy(store, topicRun, 'resource_id')).toEqual(byCluster);
    for (const id of clusters.filter((c) => byCluster[c] !== undefined)) {
      expect(new Decimal(byCluster[id]!).isZero()).toBe(false);
    }
    expect(await sumsBy(store, topicRun, 'line_id')).toEqual(await sumsBy(store, principalRun, 'line_id'));
  });

  it("puts the clusters' Kafka lines on topics, each in the team its prefix names or unowned", async () => {
    const rows = await store.query<{ owner_id: string; team: string; n: number }>(
      sql`select owner_id, team, count(*)::int as n from allocations
          where run_id = ${topicRun} and owner_kind = 'topic' group by 1, 2 order by 1`,
    );
    const modelTopics = new Set(org.model.org.clusters.flatMap((c) => c.topics.map((t) => t.name)));
    expect(rows.map((r) => r.owner_id)).toEqual([...modelTopics].sort());
    for (const r of rows) {
      const team = r.owner_id.split('.')[0]!;
      expect([r.owner_id, r.team]).toEqual([r.owner_id, MAPPED.includes(team) ? team : 'unowned']);
    }
    expect(rows.some((r) => r.team === 'unowned')).toBe(true);
    // No principal keeps a Kafka usage line of a topic-mode cluster, unless it fell back to the cluster.
    const left = await store.query<{ owner_kind: string; method: string; reason: string | null }>(
      sql`select distinct owner_kind, method, fallback_reason as reason from allocations
          where run_id = ${topicRun} and line_type like 'KAFKA_%' and owner_kind <> 'topic' order by 1, 2`,
    );
    for (const r of left) expect(r).toMatchObject({ owner_kind: 'resource', method: 'resource' });
  });

  it('splits network write by topic received bytes exactly as the stored usage says', async () => {
    const cluster = clusters[1]!;
    const lines = await store.query<{ id: number; day: string; amount: string }>(
      sql`select id, start_date::text as day, amount::text from billing_lines
          where org_id = ${org.orgId} and resource_id = ${cluster} and line_type = 'KAFKA_NETWORK_WRITE'
            and start_date >= '2026-10-01' and start_date < '2026-11-01' order by id`,
    );
    expect(lines.length).toBeGreaterThan(20);
    const expected = new Map<string, bigint>();
    for (const l of lines) {
      const usage = await store.query<{ topic: string; value: string }>(
        sql`select subject_id as topic, value::text from usage where org_id = ${org.orgId}
            and resource_id = ${cluster} and subject_kind = 'topic' and metric = 'received_bytes'
            and granularity = 'day' and bucket_start = ${`${l.day}T00:00:00Z`} order by 1`,
      );
      const parts = splitByWeights(
        parseAtScale(l.amount).micros,
        usage.map((u) => u.topic),
        usage.map((u) => weightToBigInt(u.value, 0)),
      );
      for (const [i, u] of usage.entries()) expected.set(u.topic, (expected.get(u.topic) ?? 0n) + parts[i]!);
    }
    const actual = await sumsBy(
      store,
      topicRun,
      'owner_id',
      `resource_id = '${cluster}' and line_type = 'KAFKA_NETWORK_WRITE'`,
    );
    const want = Object.fromEntries(
      [...expected]
        .filter(([, m]) => m !== 0n)
        .map(([t, m]) => [t, new Decimal(m.toString()).div(1e6).toFixed()]),
    );
    expect(actual).toEqual(want);
  });

  it('moves cost between teams: the split follows topics, not the service accounts that move the bytes', async () => {
    const where = `resource_id in (${clusters.map((c) => `'${c}'`).join(',')})`;
    const principal = await sumsBy(store, principalRun, 'team', where);
    const topic = await sumsBy(store, topicRun, 'team', where);
    expect(topic).not.toEqual(principal);
    const total = (s: Sums) =>
      Object.values(s)
        .reduce((a, v) => a.plus(v), new Decimal(0))
        .toFixed();
    expect(total(topic)).toBe(total(principal));
    // The platform team's topics are unmapped: their cost shows as unowned, not as platform's.
    expect(new Decimal(topic.unowned ?? 0).gt(principal.unowned ?? 0)).toBe(true);
  });

  it('lists unowned topics by name in the report by principal, and in the rollups', async () => {
    const report = await buildReport(store, { month: MONTH, by: 'principal', orgId: org.orgId });
    expect(report.rows.some((r) => r.key.startsWith('platform.'))).toBe(true);
    expect(report.unmapped.some((u) => u.ownerId.startsWith('platform.'))).toBe(true);
    const [rollup] = await store.query<{ amount: string }>(
      sql`select sum(amount)::text as amount from allocation_rollups where run_id = ${topicRun} and owner_kind = 'topic'`,
    );
    const [rows] = await store.query<{ amount: string }>(
      sql`select sum(amount)::text as amount from allocations where run_id = ${topicRun} and owner_kind = 'topic'`,
    );
    expect(new Decimal(rollup!.amount).toFixed()).toBe(new Decimal(rows!.amount).toFixed());
  });
});
