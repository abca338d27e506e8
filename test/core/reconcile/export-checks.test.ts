import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { writeAllocationExport } from '../../../src/core/export/allocation.ts';
import { importAllocationExport } from '../../../src/core/imports/allocation-export.ts';
import { formatReconciliation } from '../../../src/core/reconcile/format.ts';
import { reconcileMonth } from '../../../src/core/reconcile/reconcile.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('reconciliation against a native cost-allocation export', () => {
  let store: Store;
  let file: string;
  const config = parseConfig({});
  const now = new Date('2026-11-10T00:00:00Z');

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    file = path.join(mkdtempSync(path.join(tmpdir(), 'ccost-rec-')), 'export.csv');
    await writeAllocationExport(store, { orgId: ORG, month: '2026-10', granularity: 'monthly', file });
  });
  afterAll(async () => {
    await store.close();
  });

  it('agrees in total, per product and per owner with an export of the same allocation', async () => {
    await importAllocationExport(store, { orgId: ORG, filePath: file, resolver: new TeamResolver(config) });
    const rec = await reconcileMonth(store, { orgId: ORG, month: '2026-10', config, now });
    const byId = Object.fromEntries(rec.checks.map((c) => [c.id, c]));
    expect(byId.export_totals).toMatchObject({ status: 'pass', difference: '0', details: [] });
    expect(byId.export_totals!.left!.value).toBe('33');
    expect(byId.export_owners).toMatchObject({
      status: 'info',
      left: { label: 'agreement', value: '1.0000' },
      details: [],
    });
  });

  it('names the product and owners where the export disagrees', async () => {
    const csv = readFileSync(file, 'utf8').replace(
      ',sa-ghi,env-xxx,lkc-123,kafka,KafkaNetworkRead,,9.000000,',
      ',sa-ghi,env-xxx,lkc-123,kafka,KafkaNetworkRead,,8.990000,',
    );
    expect(csv).toContain('8.990000');
    const changed = path.join(path.dirname(file), 'changed.csv');
    writeFileSync(changed, csv);
    await importAllocationExport(store, {
      orgId: ORG,
      filePath: changed,
      resolver: new TeamResolver(config),
    });
    const rec = await reconcileMonth(store, { orgId: ORG, month: '2026-10', config, now });
    const totals = rec.checks.find((c) => c.id === 'export_totals')!;
    expect(totals.status).toBe('fail');
    expect(totals.details).toEqual(['kafka: billing 23 vs export 22.99 (difference 0.01)']);
    const owners = rec.checks.find((c) => c.id === 'export_owners')!;
    expect(owners.details).toEqual(['sa-ghi: ccost 9.925781 vs export 9.915781']);
    expect(formatReconciliation(rec)).toMatch(/\[FAIL\] Native cost-allocation export agrees/);
  });
});
