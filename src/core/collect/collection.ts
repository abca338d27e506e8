/**
 * One collection run for one organization: inventory, billing lines and principal usage for a
 * window of days, stored idempotently with checkpoints. Running it twice, or killing it half
 * way and running it again, leaves the same data as one clean run.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { ensureOrganization, type UpsertSummary, upsertBillingLines } from '../billing/store.ts';
import { addDays, daysOf, nextDay } from '../calendar/days.ts';
import { type InventorySummary, recordInventory } from '../inventory/record.ts';
import { loadInventory } from '../inventory/view.ts';
import type { Store } from '../storage/database.ts';
import { billingLines, collectionCheckpoints, collectionRuns, principals, usage } from '../storage/schema.ts';
import { type UsageInput, upsertUsage } from '../usage/store.ts';
import { fetchCosts, monthWindows } from './billing.ts';
import type { ApiClient } from './http.ts';
import { fetchInventory } from './inventory.ts';
import { fetchPrincipalUsage, fetchTopicUsage } from './metrics.ts';

/** Re-fetched on every run: billing data can arrive up to 72 h late. */
export const TRAILING_DAYS = 4;

/** Progress and outcome events, for a progress bar on a terminal or structured log lines. */
export type CollectEvent =
  | { event: 'collect_start'; orgId: string; from: string; to: string; steps: number }
  | { event: 'collect_step'; orgId: string; step: string; done: number; steps: number }
  | { event: 'metrics_failed'; orgId: string; clusterId: string; from: string; to: string; error: string }
  | { event: 'collect_done'; orgId: string; summary: CollectSummary };

export interface CollectOptions {
  orgId: string;
  api: ApiClient;
  telemetry: ApiClient;
  /** First day to collect (inclusive); default: resume from the checkpoint, else the first of last month. */
  since?: string;
  /** Day after the last day to collect (exclusive); default: today (UTC). */
  until?: string;
  /** What usage to collect beyond daily bytes per principal (ccost.yaml `collection`). */
  usage?: { hourly?: boolean; topics?: boolean };
  now?: Date;
  onEvent?: (event: CollectEvent) => void;
}

/** What a run fetched and stored. */
export interface CollectSummary {
  runId: string;
  orgId: string;
  from: string;
  to: string;
  days: number;
  lines: UpsertSummary;
  usageRows: number;
  inventory: InventorySummary;
  /** `lkc-…/YYYY-MM-DD` days with billing lines but no usage rows. */
  billingWithoutUsage: string[];
  /** Clusters and windows whose metrics could not be fetched. */
  metricsFailures: { clusterId: string; from: string; to: string; error: string }[];
  /** Principal ids seen in usage but missing from the inventory, kept as `unknown` principals. */
  unknownPrincipals: string[];
}

/** Collects one org's window. Throws after recording a failed run if billing or inventory fail. */
export async function collectOrg(store: Store, options: CollectOptions): Promise<CollectSummary> {
  const now = options.now ?? new Date();
  await ensureOrganization(store, options.orgId);
  const window = await collectionWindow(store, options, now);
  const runId = await startRun(store, options.orgId, window);
  try {
    const summary = await collectWindow(store, options, window, now, runId);
    await finishRun(store, runId, 'succeeded', summary);
    options.onEvent?.({ event: 'collect_done', orgId: options.orgId, summary });
    return summary;
  } catch (err) {
    await finishRun(store, runId, 'failed', undefined, (err as Error).message);
    throw err;
  }
}

async function collectWindow(
  store: Store,
  options: CollectOptions,
  window: { from: string; to: string },
  now: Date,
  runId: string,
): Promise<CollectSummary> {
  const { orgId } = options;
  const months = monthWindows(window.from, window.to).map((w) => ({ from: w.startDate, to: w.endDate }));
  const steps = months.length * 2 + 1;
  const emit = progress(options, steps);
  options.onEvent?.({ event: 'collect_start', orgId, from: window.from, to: window.to, steps });
  const snapshot = await fetchInventory(options.api, { now });
  const inventory = await recordInventory(store, orgId, snapshot, now.toISOString(), {
    firstSeenFrom: `${window.from}T00:00:00Z`,
  });
  emit('inventory');
  const lines: UpsertSummary = { new: 0, changed: 0, unchanged: 0 };
  for (const month of months) {
    const costs = await fetchCosts(options.api, { startDate: month.from, endDate: month.to, now });
    const counts = await upsertBillingLines(store, orgId, costs);
    lines.new += counts.new;
    lines.changed += counts.changed;
    lines.unchanged += counts.unchanged;
    await checkpoint(store, orgId, 'billing', month.to);
    emit(`billing ${month.from.slice(0, 7)}`);
  }
  const { usageRows, metricsFailures } = await collectUsage(store, options, window, months, emit);
  return {
    runId,
    orgId,
    from: window.from,
    to: window.to,
    days: daysOf(window).length,
    lines,
    usageRows,
    inventory,
    billingWithoutUsage: await billingWithoutUsage(store, orgId, window),
    metricsFailures,
    unknownPrincipals: await keepUnknownPrincipals(store, orgId, window),
  };
}

async function collectUsage(
  store: Store,
  options: CollectOptions,
  window: { from: string; to: string },
  months: { from: string; to: string }[],
  emit: (step: string) => void,
) {
  const { orgId } = options;
  const clusters = await clustersToMeasure(store, orgId, window);
  let usageRows = 0;
  const metricsFailures: CollectSummary['metricsFailures'] = [];
  for (const month of months) {
    for (const clusterId of clusters) {
      const days = daysOf(month);
      try {
        const rows = await fetchClusterUsage(options, clusterId, month);
        await upsertUsage(
          store,
          orgId,
          rows,
          days.map((day) => ({ resourceId: clusterId, day, status: 'ok' as const })),
        );
        usageRows += rows.length;
      } catch (err) {
        const error = (err as Error).message;
        metricsFailures.push({ clusterId, from: month.from, to: month.to, error });
        options.onEvent?.({
          event: 'metrics_failed',
          orgId,
          clusterId,
          from: month.from,
          to: month.to,
          error,
        });
        // Recorded as an outage, so allocation never mistakes it for zero usage.
        await upsertUsage(
          store,
          orgId,
          [],
          days.map((day) => ({ resourceId: clusterId, day, status: 'failed' as const, detail: error })),
        );
      }
    }
    await checkpoint(store, orgId, 'usage', month.to);
    emit(`usage ${month.from.slice(0, 7)}`);
  }
  return { usageRows, metricsFailures };
}

/**
 * One cluster's usage for one window: daily bytes per principal (summed from hourly ones when
 * hourly usage is kept), and daily bytes per topic when topic usage is on.
 */
async function fetchClusterUsage(
  options: CollectOptions,
  clusterId: string,
  month: { from: string; to: string },
): Promise<UsageInput[]> {
  const query = { clusterId, startDate: month.from, endDate: month.to };
  const rows: UsageInput[] = [];
  if (options.usage?.hourly) {
    const hourly = await fetchPrincipalUsage(options.telemetry, { ...query, granularity: 'PT1H' });
    rows.push(...hourly, ...dailyFromHourly(hourly));
  } else {
    rows.push(...(await fetchPrincipalUsage(options.telemetry, { ...query, granularity: 'P1D' })));
  }
  if (options.usage?.topics !== false) {
    rows.push(...(await fetchTopicUsage(options.telemetry, { ...query, granularity: 'P1D' })));
  }
  return rows;
}

/** Daily rows as exact sums of hourly ones (byte counters add up; no gauges here). */
export function dailyFromHourly(hourly: readonly UsageInput[]): UsageInput[] {
  const sums = new Map<string, { row: UsageInput; total: Decimal }>();
  for (const h of hourly) {
    const day = h.bucketStart.slice(0, 10);
    const key = `${day}|${h.resourceId}|${h.subjectKind}|${h.subjectId}|${h.metric}`;
    const entry = sums.get(key);
    if (entry) entry.total = entry.total.plus(h.value);
    else sums.set(key, { row: { ...h, bucketStart: day, granularity: 'day' }, total: new Decimal(h.value) });
  }
  return [...sums.values()].map(({ row, total }) => ({ ...row, value: total.toFixed() }));
}

/** Kafka clusters in the inventory during the window, and any billed `lkc-` id it lacks. */
async function clustersToMeasure(
  store: Store,
  orgId: string,
  window: { from: string; to: string },
): Promise<string[]> {
  const inventory = await loadInventory(store, orgId, window.from, window.to);
  const billed = await store.db
    .selectDistinct({ id: billingLines.resourceId })
    .from(billingLines)
    .where(
      and(
        eq(billingLines.orgId, orgId),
        gte(billingLines.startDate, window.from),
        lt(billingLines.startDate, window.to),
        sql`${billingLines.resourceId} like 'lkc-%'`,
      ),
    );
  const ids = new Set([...inventory.kafkaClusterIds(), ...billed.map((b) => b.id!)]);
  return [...ids].sort();
}

/**
 * The days to fetch: `since`..`until` when given; else from the billing checkpoint less the
 * trailing window, else from the first day of last month; until today.
 */
export async function collectionWindow(
  store: Store,
  options: Pick<CollectOptions, 'orgId' | 'since' | 'until'>,
  now: Date,
): Promise<{ from: string; to: string }> {
  const to = options.until ?? now.toISOString().slice(0, 10);
  if (options.since) return { from: options.since, to };
  const [cp] = await store.db
    .select()
    .from(collectionCheckpoints)
    .where(and(eq(collectionCheckpoints.orgId, options.orgId), eq(collectionCheckpoints.kind, 'usage')));
  const firstOfLastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 10);
  if (!cp) return { from: firstOfLastMonth, to };
  const resume = addDays(nextDay(cp.throughDay), -TRAILING_DAYS);
  return { from: resume < to ? resume : addDays(to, -TRAILING_DAYS), to };
}

async function checkpoint(store: Store, orgId: string, kind: 'billing' | 'usage', endExclusive: string) {
  const throughDay = addDays(endExclusive, -1);
  await store.db
    .insert(collectionCheckpoints)
    .values({ orgId, kind, throughDay })
    .onConflictDoUpdate({
      target: [collectionCheckpoints.orgId, collectionCheckpoints.kind],
      set: {
        throughDay: sql`greatest(${collectionCheckpoints.throughDay}, excluded.through_day)`,
        updatedAt: new Date(),
      },
    });
}

async function startRun(store: Store, orgId: string, window: { from: string; to: string }): Promise<string> {
  // A run still marked running was interrupted (killed, crashed): say so before starting anew.
  await store.db
    .update(collectionRuns)
    .set({ status: 'failed', error: 'interrupted', finishedAt: new Date() })
    .where(and(eq(collectionRuns.orgId, orgId), eq(collectionRuns.status, 'running')));
  const id = `collect-${randomUUID().slice(0, 8)}`;
  await store.db
    .insert(collectionRuns)
    .values({ id, orgId, windowFrom: window.from, windowTo: window.to, status: 'running' });
  return id;
}

async function finishRun(store: Store, id: string, status: string, summary?: CollectSummary, error?: string) {
  await store.db
    .update(collectionRuns)
    .set({
      status,
      summary: summary as unknown as Record<string, unknown>,
      error: error ?? null,
      finishedAt: new Date(),
    })
    .where(eq(collectionRuns.id, id));
}

async function billingWithoutUsage(
  store: Store,
  orgId: string,
  window: { from: string; to: string },
): Promise<string[]> {
  const rows = await store.query<{ resource_id: string; day: string }>(sql`
    select distinct b.resource_id, to_char(b.start_date, 'YYYY-MM-DD') as day
    from billing_lines b
    where b.org_id = ${orgId} and b.start_date >= ${window.from} and b.start_date < ${window.to}
      and b.resource_id like 'lkc-%'
      and not exists (
        select 1 from usage u
        where u.org_id = b.org_id and u.resource_id = b.resource_id and u.granularity = 'day'
          and u.bucket_start = b.start_date::timestamptz)
    order by 1, 2`);
  return rows.map((r) => `${r.resource_id}/${r.day}`);
}

/** Inserts `unknown` principals for ids in usage that the inventory never listed. */
async function keepUnknownPrincipals(
  store: Store,
  orgId: string,
  window: { from: string; to: string },
): Promise<string[]> {
  const seen = await store.db
    .selectDistinct({ id: usage.subjectId })
    .from(usage)
    .where(
      and(
        eq(usage.orgId, orgId),
        eq(usage.subjectKind, 'principal'),
        gte(usage.bucketStart, `${window.from}T00:00:00Z`),
        lt(usage.bucketStart, `${window.to}T00:00:00Z`),
      ),
    );
  const ids = seen.map((s) => s.id);
  if (ids.length === 0) return [];
  const known = new Set(
    (
      await store.db
        .selectDistinct({ id: principals.id })
        .from(principals)
        .where(and(eq(principals.orgId, orgId), inArray(principals.id, ids)))
    ).map((p) => p.id),
  );
  const unknown = ids.filter((id) => !known.has(id)).sort();
  if (unknown.length > 0) {
    await store.db
      .insert(principals)
      .values(unknown.map((id) => ({ orgId, id, kind: 'unknown', validFrom: `${window.from}T00:00:00Z` })))
      .onConflictDoNothing();
  }
  return unknown;
}

function progress(options: CollectOptions, steps: number) {
  let done = 0;
  return (step: string) => {
    done++;
    options.onEvent?.({ event: 'collect_step', orgId: options.orgId, step, done, steps });
  };
}
