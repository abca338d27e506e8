import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCostListText } from '../../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../../src/core/billing/store.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { billingLines, billingLineVersions } from '../../../src/core/storage/schema.ts';
import { createTestStore } from '../../helpers/store.ts';

const page = (amount: string) => `{
  "api_version": "billing/v1", "kind": "CostList", "metadata": {"next": null},
  "data": [
    {"id": "dlz-1", "start_date": "2026-10-01", "end_date": "2026-10-02", "granularity": "DAILY",
     "product": "KSQL", "line_type": "KSQL_NUM_CSUS", "unit": "CSU-hour", "quantity": 24,
     "price": 0.255553, "original_amount": ${amount}, "discount_amount": 0, "amount": ${amount},
     "network_access_type": "INTERNET", "tier_dimensions": {"region": "us-east-1", "provider": "aws"},
     "resource": {"id": "lksqlc-1", "display_name": "ksql", "environment": {"id": "env-1"}}},
    {"start_date": "2026-10-01", "end_date": "2026-10-02", "product": "SUPPORT_CLOUD_BUSINESS",
     "line_type": "SUPPORT", "unit": "hour", "original_amount": 12.1234567891}
  ]}`;

describe('upsertBillingLines', () => {
  let store: Store;
  beforeEach(async () => {
    store = await createTestStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores amounts exactly, is idempotent, and keeps the previous version of a changed line', async () => {
    const first = await upsertBillingLines(store, 'org-1', parseCostListText(page('6.1344'), 'p.json'));
    expect(first).toEqual({ new: 2, changed: 0, unchanged: 0 });
    const again = await upsertBillingLines(store, 'org-1', parseCostListText(page('6.1344'), 'p.json'));
    expect(again).toEqual({ new: 0, changed: 0, unchanged: 2 });
    const rows = await store.db.select().from(billingLines).orderBy(billingLines.lineType);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.amount)).toEqual(['6.1344', '12.1234567891']);
    expect(rows[1]!.resourceId).toBeNull();

    const changed = await upsertBillingLines(store, 'org-1', parseCostListText(page('6.2000'), 'p.json'));
    expect(changed).toEqual({ new: 0, changed: 1, unchanged: 1 });
    const ksql = (
      await store.db.select().from(billingLines).where(eq(billingLines.lineType, 'KSQL_NUM_CSUS'))
    )[0]!;
    expect(ksql.amount).toBe('6.2000');
    expect(ksql.version).toBe(2);
    const versions = await store.db.select().from(billingLineVersions);
    expect(versions.map((v) => [v.version, v.amount])).toEqual([[1, '6.1344']]);
  });

  it('lets no NULL in the natural key create a duplicate line', async () => {
    await upsertBillingLines(store, 'org-1', parseCostListText(page('1'), 'p.json'));
    const duplicate = store.query(sql`
      insert into billing_lines (org_id, start_date, end_date, product, line_type, original_amount, amount, raw, content_hash)
      values ('org-1', '2026-10-01', '2026-10-02', 'SUPPORT_CLOUD_BUSINESS', 'SUPPORT', 1, 1, '{}', 'x')`);
    const error = await duplicate.catch((e: Error) => e);
    expect(String((error as Error).cause ?? error)).toMatch(/billing_lines_natural_key|duplicate key/);
  });

  it('names the file and field of an invalid line and writes nothing', async () => {
    const bad = page('"12,5"');
    expect(() => parseCostListText(bad, 'costs.json')).toThrow(/costs\.json: data\[0\]\.original_amount/);
    expect(await store.db.select().from(billingLines)).toHaveLength(0);
  });
});
