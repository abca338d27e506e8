import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { weightToBigInt } from '../money/amount.ts';
import type { Store } from '../storage/database.ts';
import { usage, usageFetches } from '../storage/schema.ts';
import type { PrincipalUsage, UsageIndex } from './engine.ts';
import { TOPIC_METRICS, type TopicUsageRecord } from './topic-mode.ts';

/** Metrics API names of the two byte counters that weigh principals. */
export const WRITE_METRIC = 'request_bytes';
export const READ_METRIC = 'response_bytes';

/** One daily usage row as loaded for allocation. */
export interface UsageRecord {
  resourceId: string;
  day: string;
  principalId: string;
  metric: string;
  value: string;
}

/** In-memory usage index built from rows; also used directly by tests and benchmarks. */
export class MemoryUsageIndex implements UsageIndex {
  private readonly byKey = new Map<string, PrincipalUsage>();
  private readonly statuses = new Map<string, 'ok' | 'failed'>();

  constructor(
    records: Iterable<UsageRecord>,
    fetches: Iterable<{ resourceId: string; day: string; status: string }>,
  ) {
    const raw = new Map<string, Map<string, { write: bigint; read: bigint }>>();
    for (const r of records) {
      const key = `${r.resourceId}|${r.day}`;
      let principals = raw.get(key);
      if (!principals) {
        principals = new Map();
        raw.set(key, principals);
      }
      let entry = principals.get(r.principalId);
      if (!entry) {
        entry = { write: 0n, read: 0n };
        principals.set(r.principalId, entry);
      }
      const bytes = weightToBigInt(r.value, 0);
      if (r.metric === WRITE_METRIC) entry.write += bytes;
      else if (r.metric === READ_METRIC) entry.read += bytes;
    }
    for (const [key, principals] of raw) {
      const ids = [...principals.keys()].filter((id) => {
        const e = principals.get(id)!;
        return e.write + e.read > 0n;
      });
      ids.sort();
      this.byKey.set(key, {
        principals: ids,
        write: ids.map((id) => principals.get(id)!.write),
        read: ids.map((id) => principals.get(id)!.read),
      });
    }
    for (const f of fetches)
      this.statuses.set(`${f.resourceId}|${f.day}`, f.status === 'ok' ? 'ok' : 'failed');
  }

  status(resourceId: string, day: string): 'ok' | 'failed' | undefined {
    return this.statuses.get(`${resourceId}|${day}`);
  }

  principalsOn(resourceId: string, day: string): PrincipalUsage | undefined {
    return this.byKey.get(`${resourceId}|${day}`);
  }
}

/** Loads daily principal usage and fetch statuses of an org for days in [from, to). */
export async function loadUsageIndex(
  store: Store,
  orgId: string,
  from: string,
  to: string,
): Promise<{
  index: MemoryUsageIndex;
  records: UsageRecord[];
  fetches: { resourceId: string; day: string; status: string }[];
}> {
  const [records, fetches]: [UsageRecord[], { resourceId: string; day: string; status: string }[]] =
    await Promise.all([
      store.db
        .select({
          resourceId: usage.resourceId,
          // The UTC day of the bucket, computed by the database rather than per row in JS.
          day: sql<string>`to_char(${usage.bucketStart} at time zone 'UTC', 'YYYY-MM-DD')`,
          principalId: usage.subjectId,
          metric: usage.metric,
          value: usage.value,
        })
        .from(usage)
        .where(
          and(
            eq(usage.orgId, orgId),
            eq(usage.granularity, 'day'),
            eq(usage.subjectKind, 'principal'),
            inArray(usage.metric, [WRITE_METRIC, READ_METRIC]),
            gte(usage.bucketStart, `${from}T00:00:00Z`),
            lt(usage.bucketStart, `${to}T00:00:00Z`),
          ),
        )
        .orderBy(usage.resourceId, usage.bucketStart, usage.subjectId, usage.metric),
      store.db
        .select({ resourceId: usageFetches.resourceId, day: usageFetches.day, status: usageFetches.status })
        .from(usageFetches)
        .where(and(eq(usageFetches.orgId, orgId), gte(usageFetches.day, from), lt(usageFetches.day, to)))
        .orderBy(usageFetches.resourceId, usageFetches.day),
    ]);
  return { index: new MemoryUsageIndex(records, fetches), records, fetches };
}

/**
 * Loads the daily per-topic bytes (received, sent, retained) of an org's topic-mode clusters for
 * days in [from, to); only called when topic mode names clusters, so principal mode loads nothing more.
 */
export async function loadTopicUsage(
  store: Store,
  orgId: string,
  clusters: readonly string[],
  from: string,
  to: string,
): Promise<TopicUsageRecord[]> {
  if (clusters.length === 0) return [];
  return store.db
    .select({
      resourceId: usage.resourceId,
      day: sql<string>`to_char(${usage.bucketStart} at time zone 'UTC', 'YYYY-MM-DD')`,
      topic: usage.subjectId,
      metric: usage.metric,
      value: usage.value,
    })
    .from(usage)
    .where(
      and(
        eq(usage.orgId, orgId),
        eq(usage.granularity, 'day'),
        eq(usage.subjectKind, 'topic'),
        inArray(usage.resourceId, [...clusters]),
        inArray(usage.metric, Object.values(TOPIC_METRICS)),
        gte(usage.bucketStart, `${from}T00:00:00Z`),
        lt(usage.bucketStart, `${to}T00:00:00Z`),
      ),
    )
    .orderBy(usage.resourceId, usage.bucketStart, usage.subjectId, usage.metric);
}
