/**
 * The allocation example of Confluent's cost-allocation documentation ($33 in a month across
 * lkc-123, lcc-456, lfcp-789 and Support; four service accounts), as billing lines, usage and
 * inventory. Byte counts are ours (the documentation gives none): writers sa-abc 4 GB and
 * sa-def 2 GB, readers sa-ghi 6 GB and sa-jkl 4 GB.
 */

import { normalizeCost } from '../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../src/core/billing/store.ts';
import { recordInventory } from '../../src/core/inventory/record.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { upsertUsage } from '../../src/core/usage/store.ts';

export const ORG = 'org-seed';
export const DAY = '2026-10-01';
const GB = 1_000_000_000n;

export const seedLines: [
  product: string,
  lineType: string,
  amount: string,
  resource: string | null,
  env: string | null,
][] = [
  ['KAFKA', 'KAFKA_NUM_CKUS', '2', 'lkc-123', 'env-xxx'],
  ['KAFKA', 'KAFKA_NETWORK_WRITE', '6', 'lkc-123', 'env-xxx'],
  ['KAFKA', 'KAFKA_NETWORK_READ', '15', 'lkc-123', 'env-xxx'],
  ['CONNECT', 'CONNECT_NUM_TASKS', '4', 'lcc-456', 'env-xxx'],
  ['CLUSTER_LINK', 'CLUSTER_LINKING_PER_LINK', '1', 'link-1', 'env-xxx'],
  ['STREAM_GOVERNANCE', 'SCHEMA_REGISTRY', '1', 'lsrc-1', 'env-xxx'],
  ['FLINK', 'FLINK_NUM_CFUS', '3', 'lfcp-789', 'env-xxx'],
  ['SUPPORT_CLOUD_BUSINESS', 'SUPPORT', '1', null, null],
];

/** Stores the example's lines, usage and inventory for ORG. */
export async function loadSeedExample(store: Store, org = ORG): Promise<void> {
  await upsertBillingLines(
    store,
    org,
    seedLines.map(([product, line_type, amount, resource, env]) =>
      normalizeCost({
        start_date: DAY,
        end_date: '2026-10-02',
        product,
        line_type,
        original_amount: amount,
        amount,
        ...(resource ? { resource: { id: resource, environment: env ? { id: env } : null } } : {}),
      }),
    ),
  );
  await recordInventory(
    store,
    org,
    {
      environments: [{ id: 'env-xxx', displayName: 'production' }],
      resources: [
        {
          id: 'lkc-123',
          kind: 'kafka_cluster',
          type: 'Dedicated',
          environmentId: 'env-xxx',
          displayName: 'orders',
        },
        {
          id: 'lcc-456',
          kind: 'connector',
          environmentId: 'env-xxx',
          parentId: 'lkc-123',
          displayName: 's3-sink',
        },
        { id: 'link-1', kind: 'cluster_link', environmentId: 'env-xxx', parentId: 'lkc-123' },
        { id: 'lsrc-1', kind: 'schema_registry', environmentId: 'env-xxx' },
        { id: 'lfcp-789', kind: 'flink_pool', environmentId: 'env-xxx' },
      ],
      principals: ['sa-abc', 'sa-def', 'sa-ghi', 'sa-jkl'].map((id) => ({
        id,
        kind: 'service_account',
        displayName: id,
      })),
    },
    '2026-09-01T00:00:00Z',
  );
  const bytes: [string, string, bigint][] = [
    ['sa-abc', 'request_bytes', 4n * GB],
    ['sa-def', 'request_bytes', 2n * GB],
    ['sa-ghi', 'response_bytes', 6n * GB],
    ['sa-jkl', 'response_bytes', 4n * GB],
  ];
  await upsertUsage(
    store,
    org,
    bytes.map(([principal, metric, value]) => ({
      bucketStart: DAY,
      granularity: 'day',
      resourceId: 'lkc-123',
      subjectKind: 'principal',
      subjectId: principal,
      metric,
      value: value.toString(),
    })),
    [{ resourceId: 'lkc-123', day: DAY, status: 'ok' }],
  );
}
