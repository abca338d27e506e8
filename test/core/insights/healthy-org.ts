/**
 * A small healthy org for insights tests: one Standard cluster running one eCKU every day of
 * October 2026 with steady traffic from one service account that team orders owns. Nothing in
 * it is idle, underused, spiky or unowned.
 */
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { normalizeCost } from '../../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../../src/core/billing/store.ts';
import { daysOf } from '../../../src/core/calendar/days.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Config } from '../../../src/core/config/schema.ts';
import { recordInventory } from '../../../src/core/inventory/record.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { type UsageInput, upsertUsage } from '../../../src/core/usage/store.ts';

/** The healthy org's id. */
export const HEALTHY_ORG = 'org-healthy';

/** Its config: team orders owns sa-1. */
export const healthyConfig: Config = parseConfig({
  organizations: [{ id: HEALTHY_ORG }],
  teams: { orders: { owners: ['sa-1'] } },
});

function linesOf(day: string, resource = 'lkc-ok1') {
  const line = (lineType: string, quantity: string, amount: string, unit: string) =>
    normalizeCost({
      start_date: day,
      end_date: day,
      product: 'KAFKA',
      line_type: lineType,
      unit,
      quantity,
      original_amount: amount,
      amount,
      resource: { id: resource, environment: { id: 'env-1' } },
    });
  return [line('KAFKA_NUM_CKUS', '24', '18', 'eCKU-hour'), line('KAFKA_NETWORK_WRITE', '100', '5', 'GB')];
}

/**
 * Stores and allocates the healthy org's October; with `idle`, also Standard cluster lkc-idle1,
 * billed one eCKU all month with usage fetched every day and no bytes at all.
 */
export async function loadHealthyOrg(store: Store, options: { idle?: boolean } = {}): Promise<void> {
  await recordInventory(
    store,
    HEALTHY_ORG,
    {
      environments: [{ id: 'env-1', displayName: 'production' }],
      resources: [
        {
          id: 'lkc-ok1',
          kind: 'kafka_cluster',
          type: 'Standard',
          environmentId: 'env-1',
          displayName: 'orders',
        },
        ...(options.idle
          ? [
              {
                id: 'lkc-idle1',
                kind: 'kafka_cluster',
                type: 'Standard',
                environmentId: 'env-1',
                displayName: 'forgotten',
              },
            ]
          : []),
      ],
      principals: [{ id: 'sa-1', kind: 'service_account', displayName: 'orders-app' }],
    },
    '2026-06-01T00:00:00Z',
  );
  const days = daysOf({ from: '2026-10-01', to: '2026-11-01' });
  await upsertBillingLines(
    store,
    HEALTHY_ORG,
    days.flatMap((day) => linesOf(day)),
  );
  if (options.idle) {
    const idle = days.map((day) => linesOf(day, 'lkc-idle1')[0]!);
    await upsertBillingLines(store, HEALTHY_ORG, idle);
    const fetched = days.map((day) => ({ resourceId: 'lkc-idle1', day, status: 'ok' as const }));
    await upsertUsage(store, HEALTHY_ORG, [], fetched);
  }
  const usage: UsageInput[] = days.flatMap((day) =>
    (['request_bytes', 'response_bytes'] as const).map((metric) => ({
      bucketStart: day,
      granularity: 'day' as const,
      resourceId: 'lkc-ok1',
      subjectKind: 'principal',
      subjectId: 'sa-1',
      metric,
      value: metric === 'request_bytes' ? '50000000000' : '100000000000',
    })),
  );
  const fetches = days.map((day) => ({ resourceId: 'lkc-ok1', day, status: 'ok' as const }));
  await upsertUsage(store, HEALTHY_ORG, usage, fetches);
  await allocateMonth(store, { orgId: HEALTHY_ORG, month: '2026-10', config: healthyConfig });
}
