import { sql } from 'drizzle-orm';
import { bulkInsert } from '../storage/bulk.ts';
import type { Store } from '../storage/database.ts';

/** One usage measurement to store. */
export interface UsageInput {
  /** ISO timestamp or YYYY-MM-DD of the bucket start (UTC). */
  bucketStart: string;
  granularity: 'day' | 'hour';
  resourceId: string;
  subjectKind: 'principal' | 'topic';
  subjectId: string;
  metric: string;
  /** Exact decimal text. */
  value: string;
}

const USAGE_COLUMNS = [
  { name: 'org_id', type: 'text' },
  { name: 'bucket_start', type: 'timestamptz' },
  { name: 'granularity', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'subject_kind', type: 'text' },
  { name: 'subject_id', type: 'text' },
  { name: 'metric', type: 'text' },
  { name: 'value', type: 'numeric' },
] as const;

/**
 * Upserts usage rows (a re-fetch replaces the value) and records each (resource, day) as fetched,
 * in one transaction.
 */
export async function upsertUsage(
  store: Store,
  orgId: string,
  rows: readonly UsageInput[],
  fetched: readonly { resourceId: string; day: string; status: 'ok' | 'failed'; detail?: string }[] = [],
): Promise<void> {
  await store.db.transaction(async (tx) => {
    await bulkInsert(
      store,
      tx,
      'usage',
      USAGE_COLUMNS,
      rows.map((r) => [
        orgId,
        r.bucketStart.length === 10 ? `${r.bucketStart}T00:00:00Z` : r.bucketStart,
        r.granularity,
        r.resourceId,
        r.subjectKind,
        r.subjectId,
        r.metric,
        r.value,
      ]),
      'on conflict (org_id, granularity, bucket_start, resource_id, subject_kind, subject_id, metric) do update set value = excluded.value',
    );
    await bulkInsert(
      store,
      tx,
      'usage_fetches',
      [
        { name: 'org_id', type: 'text' },
        { name: 'resource_id', type: 'text' },
        { name: 'day', type: 'date' },
        { name: 'status', type: 'text' },
        { name: 'detail', type: 'text' },
      ],
      fetched.map((f) => [orgId, f.resourceId, f.day, f.status, f.detail ?? null]),
      'on conflict (org_id, resource_id, day) do update set status = excluded.status, detail = excluded.detail, fetched_at = now()',
    );
  });
}

/** Number of usage rows of an org (for summaries and tests). */
export async function countUsage(store: Store, orgId: string): Promise<number> {
  const rows = await store.query<{ n: string | number }>(
    sql`select count(*) as n from usage where org_id = ${orgId}`,
  );
  return Number(rows[0]?.n ?? 0);
}
