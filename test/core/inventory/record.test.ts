import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInventory } from '../../../src/core/inventory/record.ts';
import { loadInventory } from '../../../src/core/inventory/view.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { principals } from '../../../src/core/storage/schema.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('inventory with validity intervals', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('keeps what each id was on each day, so a past month sees its own names and owners', async () => {
    const first = await recordInventory(
      store,
      'org-1',
      {
        principals: [
          { id: 'sa-1', kind: 'service_account', displayName: 'checkout-api' },
          { id: 'sa-2', kind: 'service_account', displayName: 'legacy' },
        ],
        resources: [{ id: 'lksqlc-1', kind: 'ksqldb', ownerId: 'sa-1', environmentId: 'env-1' }],
      },
      '2026-09-01T00:00:00Z',
    );
    expect(first).toEqual({ opened: 3, closed: 0, unchanged: 0 });
    const same = await recordInventory(
      store,
      'org-1',
      {
        principals: [
          { id: 'sa-1', kind: 'service_account', displayName: 'checkout-api' },
          { id: 'sa-2', kind: 'service_account', displayName: 'legacy' },
        ],
      },
      '2026-10-01T00:00:00Z',
    );
    expect(same).toEqual({ opened: 0, closed: 0, unchanged: 2 });
    const changed = await recordInventory(
      store,
      'org-1',
      {
        principals: [{ id: 'sa-1', kind: 'service_account', displayName: 'payments-api' }],
        resources: [{ id: 'lksqlc-1', kind: 'ksqldb', ownerId: 'sa-9', environmentId: 'env-1' }],
      },
      '2026-10-15T12:00:00Z',
    );
    expect(changed).toEqual({ opened: 2, closed: 3, unchanged: 0 });

    const october = await loadInventory(store, 'org-1', '2026-10-01', '2026-11-01');
    expect(october.nameOn('sa-1', '2026-10-10')).toBe('checkout-api');
    // On the day of a change the newest version counts.
    expect(october.nameOn('sa-1', '2026-10-15')).toBe('payments-api');
    expect(october.nameOn('sa-1', '2026-10-14')).toBe('checkout-api');
    expect(october.principalOn('sa-2', '2026-10-10')?.displayName).toBe('legacy');
    expect(october.principalOn('sa-2', '2026-10-16')).toBeUndefined();
    expect(october.resourceOn('lksqlc-1', '2026-10-01')?.ownerId).toBe('sa-1');
    expect(october.resourceOn('lksqlc-1', '2026-10-20')?.ownerId).toBe('sa-9');

    const august = await loadInventory(store, 'org-1', '2026-08-01', '2026-09-01');
    expect(august.principalOn('sa-1', '2026-08-15')).toBeUndefined();
    expect(await store.db.select().from(principals)).toHaveLength(3);
  });
});

describe('inventory first seen during a backfill', () => {
  it('dates a new item from its creation time, else from the backfill start', async () => {
    const store = await createTestStore();
    try {
      await recordInventory(
        store,
        'org-1',
        {
          resources: [
            { id: 'lkc-1', kind: 'kafka_cluster', createdAt: '2026-10-12T08:00:00Z' },
            { id: 'lkc-2', kind: 'kafka_cluster' },
          ],
        },
        '2026-11-23T10:00:00Z',
        { firstSeenFrom: '2026-10-01T00:00:00Z' },
      );
      const october = await loadInventory(store, 'org-1', '2026-10-01', '2026-11-01');
      expect(october.resourceOn('lkc-1', '2026-10-11')).toBeUndefined();
      expect(october.resourceOn('lkc-1', '2026-10-12')?.id).toBe('lkc-1');
      expect(october.resourceOn('lkc-2', '2026-10-01')?.id).toBe('lkc-2');
    } finally {
      await store.close();
    }
  });
});
