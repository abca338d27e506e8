/**
 * A small org with three allocated months (September to November 2026, November billed through
 * the 22nd) named like the examples of issue 5: cluster lkc-abc12 (orders-prod) in environment
 * production, service accounts sa-123 and sa-456 of team payments, sa-789 of search, sa-999 of
 * no team, a Flink pool, an unmapped dev cluster and Tableflow (unallocated). Daily amounts grow
 * month by month so previous periods differ; the 15th has no metrics (low-confidence rows).
 */
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { normalizeCost } from '../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../src/core/billing/store.ts';
import { daysOf } from '../../src/core/calendar/days.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { Config } from '../../src/core/config/schema.ts';
import { recordInventory } from '../../src/core/inventory/record.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { type UsageInput, upsertUsage } from '../../src/core/usage/store.ts';

export const Q_ORG = 'org-questions';
/** The moment the tests ask at: Monday 23 November 2026, afternoon (UTC). */
export const Q_NOW = new Date('2026-11-23T15:00:00Z');
export const Q_MONTHS = ['2026-09', '2026-10', '2026-11'] as const;
const GB = 1_000_000_000n;

/** Teams: payments (with a budget), search, data (everything in production nobody else owns). */
export const questionsConfig: Config = parseConfig({
  organizations: [{ id: Q_ORG, name: 'Questions' }],
  teams: {
    payments: { owners: ['sa-123', 'sa-456'], budget: { monthly: '700' } },
    search: { owners: ['sa-789'] },
    data: { owners: [{ environment: 'env-prod' }] },
  },
});

/** Per-day write cost of lkc-abc12 by month: 10, 12, 14 dollars. */
const WRITE: Record<string, string> = { '2026-09': '10', '2026-10': '12', '2026-11': '14' };

function linesOf(day: string) {
  const month = day.slice(0, 7);
  const line = (
    product: string,
    lineType: string,
    amount: string,
    resource: string | null,
    env: string | null,
  ) =>
    normalizeCost({
      start_date: day,
      end_date: day,
      product,
      line_type: lineType,
      original_amount: amount,
      amount,
      ...(resource ? { resource: { id: resource, environment: env ? { id: env } : null } } : {}),
    });
  return [
    line('KAFKA', 'KAFKA_NETWORK_WRITE', WRITE[month]!, 'lkc-abc12', 'env-prod'),
    line('KAFKA', 'KAFKA_NETWORK_READ', '8', 'lkc-abc12', 'env-prod'),
    line('KAFKA', 'KAFKA_BASE', '2.333333', 'lkc-dev01', 'env-dev'),
    line('FLINK', 'FLINK_NUM_CFUS', '3', 'lfcp-1', 'env-prod'),
    line('TABLEFLOW', 'TABLEFLOW_DATA_PROCESSED', '1.5', null, null),
  ];
}

function usageOf(day: string): UsageInput[] {
  const bytes: [string, string, bigint][] = [
    ['sa-123', 'request_bytes', 3n * GB],
    ['sa-789', 'request_bytes', 1n * GB],
    ['sa-999', 'request_bytes', 1n * GB],
    ['sa-456', 'response_bytes', 2n * GB],
    ['sa-789', 'response_bytes', 2n * GB],
  ];
  return bytes.map(([principal, metric, value]) => ({
    bucketStart: day,
    granularity: 'day',
    resourceId: 'lkc-abc12',
    subjectKind: 'principal',
    subjectId: principal,
    metric,
    value: value.toString(),
  }));
}

/** Stores the org's inventory, billing and usage, and allocates the three months. */
export async function loadQuestionsOrg(store: Store): Promise<void> {
  await recordInventory(
    store,
    Q_ORG,
    {
      environments: [
        { id: 'env-prod', displayName: 'production' },
        { id: 'env-dev', displayName: 'development' },
      ],
      resources: [
        {
          id: 'lkc-abc12',
          kind: 'kafka_cluster',
          type: 'Dedicated',
          environmentId: 'env-prod',
          displayName: 'orders-prod',
        },
        {
          id: 'lkc-dev01',
          kind: 'kafka_cluster',
          type: 'Basic',
          environmentId: 'env-dev',
          displayName: 'sandbox',
        },
        { id: 'lfcp-1', kind: 'flink_pool', environmentId: 'env-prod', displayName: 'analytics' },
      ],
      principals: [
        ['sa-123', 'payments-api'],
        ['sa-456', 'payments-worker'],
        ['sa-789', 'search-indexer'],
        ['sa-999', 'orphan'],
      ].map(([id, displayName]) => ({ id: id!, kind: 'service_account', displayName })),
    },
    '2026-06-01T00:00:00Z',
  );
  const days = daysOf({ from: '2026-09-01', to: '2026-11-23' });
  await upsertBillingLines(store, Q_ORG, days.flatMap(linesOf));
  // No metrics on the 15th: those lines go to the cluster with low confidence.
  const measured = days.filter((d) => !d.endsWith('-15'));
  await upsertUsage(
    store,
    Q_ORG,
    measured.flatMap(usageOf),
    measured.map((day) => ({ resourceId: 'lkc-abc12', day, status: 'ok' as const })),
  );
  for (const month of Q_MONTHS) {
    await allocateMonth(store, { orgId: Q_ORG, month, config: questionsConfig, now: Q_NOW });
  }
}
