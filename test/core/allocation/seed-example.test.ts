import { Decimal } from 'decimal.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { allocations } from '../../../src/core/storage/schema.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

type Row = typeof allocations.$inferSelect;

describe('the $33 allocation example of the cost-allocation documentation', () => {
  let store: Store;
  let rows: Row[];
  const config = parseConfig({
    teams: {
      payments: { owners: ['sa-abc', 'sa-def'] },
      search: { owners: ['sa-jkl', { pattern: 'SA-G*' }] },
      platform: { owners: [{ environment: 'env-xxx' }] },
    },
  });

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
    const run = await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    expect(run.outcome).toBe('created');
    expect(run.total).toBe('33');
    rows = await store.db.select().from(allocations).where(eq(allocations.runId, run.runId));
  });
  afterAll(async () => {
    await store.close();
  });

  const partsOf = (lineType: string) =>
    Object.fromEntries(
      rows.filter((r) => r.lineType === lineType).map((r) => [r.ownerId, new Decimal(r.amount).toFixed(6)]),
    );

  it('splits the $2 of CKU across the four accounts by the weighted read+write ratio', () => {
    // 50% by bytes (4,2,6,4 of 16 GB) + 50% evenly: 0.25, 0.1875, 0.3125, 0.25 of $2.
    expect(partsOf('KAFKA_NUM_CKUS')).toEqual({
      'sa-abc': '0.500000',
      'sa-def': '0.375000',
      'sa-ghi': '0.625000',
      'sa-jkl': '0.500000',
    });
  });

  it('splits write across the two writers and read across the two readers', () => {
    expect(partsOf('KAFKA_NETWORK_WRITE')).toEqual({ 'sa-abc': '4.000000', 'sa-def': '2.000000' });
    expect(partsOf('KAFKA_NETWORK_READ')).toEqual({ 'sa-ghi': '9.000000', 'sa-jkl': '6.000000' });
  });

  it('attributes Connect, cluster linking and Schema Registry to lkc-123 and Flink to the environment', () => {
    expect(partsOf('CONNECT_NUM_TASKS')).toEqual({ 'lkc-123': '4.000000' });
    expect(partsOf('CLUSTER_LINKING_PER_LINK')).toEqual({ 'lkc-123': '1.000000' });
    expect(partsOf('SCHEMA_REGISTRY')).toEqual({ 'lkc-123': '1.000000' });
    expect(partsOf('FLINK_NUM_CFUS')).toEqual({ 'env-xxx': '3.000000' });
  });

  it('allocates Support last, in proportion to every entity total of the other $32', () => {
    // abc 4.5, def 2.375, ghi 9.625, jkl 6.5, lkc-123 6, env-xxx 3 of 32; def's 0.07421875 takes
    // the one remaining micro-dollar (largest fractional part .75 vs ghi's .25).
    expect(partsOf('SUPPORT')).toEqual({
      'sa-abc': '0.140625',
      'sa-def': '0.074219',
      'sa-ghi': '0.300781',
      'sa-jkl': '0.203125',
      'lkc-123': '0.187500',
      'env-xxx': '0.093750',
    });
  });

  it('sums to exactly $33, with every line conserved, and maps owners to teams', () => {
    const total = rows.reduce((sum, r) => sum.plus(r.amount), new Decimal(0));
    expect(total.toFixed()).toBe('33');
    const byTeam: Record<string, string> = {};
    for (const r of rows) byTeam[r.team] = new Decimal(byTeam[r.team] ?? 0).plus(r.amount).toFixed();
    // payments = sa-abc + sa-def; search = sa-jkl + sa-ghi (by pattern); lkc-123 and env-xxx
    // belong to env-xxx → platform, including their Support share (a row without environment).
    expect(byTeam).toEqual({ payments: '7.089844', search: '16.628906', platform: '9.28125' });
  });

  it('records method, share and confidence on each row', () => {
    const write = rows.find((r) => r.lineType === 'KAFKA_NETWORK_WRITE' && r.ownerId === 'sa-abc')!;
    expect(write).toMatchObject({ method: 'usage', confidence: 'high', originalAmount: '6' });
    expect(new Decimal(write.usageShare).toFixed(4)).toBe('0.6667');
  });

  it('reuses the current run when nothing changed', async () => {
    const again = await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    expect(again.outcome).toBe('unchanged');
  });
});
