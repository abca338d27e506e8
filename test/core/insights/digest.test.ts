import { Decimal } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monthlyCloseBlocks } from '../../../src/bot/digest-blocks.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { dueMonthlyCloses } from '../../../src/core/digests/monthly-close.ts';
import { DEFAULT_CATALOG, HOURS_PER_MONTH } from '../../../src/core/pricing/catalog.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { createTestStore } from '../../helpers/store.ts';
import { HEALTHY_ORG, loadHealthyOrg } from './healthy-org.ts';

const SETTLED = new Date('2026-11-04T00:00:00Z');
const config = parseConfig({
  organizations: [{ id: HEALTHY_ORG }],
  slack: { finance_channel: '#finance' },
  teams: { orders: { owners: ['sa-1'] } },
});

describe('the monthly close digest’s insights section', () => {
  let store: Store;
  beforeEach(async () => {
    store = await createTestStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('carries the month’s findings for the org, the idle cluster first with its catalog saving', async () => {
    await loadHealthyOrg(store, { idle: true });
    const [digest] = await dueMonthlyCloses(store, config, SETTLED);
    const insights = digest!.insights!;
    expect(insights).toMatchObject({ from: '2026-10-01', to: '2026-11-01' });
    const price = DEFAULT_CATALOG.entries['kafka.standard.ecku_hour']!.unitPrice!;
    const saving = new Decimal(price).times(HOURS_PER_MONTH);
    expect(insights.insights[0]).toMatchObject({
      kind: 'idle_cluster',
      subjectId: 'lkc-idle1',
      saving: saving.toFixed(2), // 1 eCKU × $0.75 × 730 h = $547.50
    });
    const text = JSON.stringify(monthlyCloseBlocks(digest!).blocks);
    expect(text).toContain('Idle cluster');
    expect(text).toContain('forgotten (lkc-idle1)');
    expect(text).toContain('est. saving $547.50 a month');
  });

  it('says plainly when the month has nothing to act on', async () => {
    await loadHealthyOrg(store);
    const [digest] = await dueMonthlyCloses(store, config, SETTLED);
    expect(digest!.insights!.insights).toEqual([]);
    expect(JSON.stringify(monthlyCloseBlocks(digest!).blocks)).toContain('No insights for October 2026');
  });
});
