import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { importAllocationExport } from '../../../src/core/imports/allocation-export.ts';
import { formatReport } from '../../../src/core/reports/format.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

const EXPORT = path.resolve(import.meta.dirname, '../../fixtures/allocation-export/seed-example-monthly.csv');

describe('reports', () => {
  let store: Store;
  const config = parseConfig({
    teams: { payments: { owners: ['sa-abc', 'sa-def'] }, platform: { owners: ['lkc-123'] } },
  });

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    await importAllocationExport(store, { orgId: ORG, filePath: EXPORT, resolver: new TeamResolver(config) });
  });
  afterAll(async () => {
    await store.close();
  });

  it('groups the current run by team, listing unmapped owners largest first', async () => {
    const report = await buildReport(store, { month: '2026-10', by: 'team' });
    expect(report.total).toBe('33');
    expect(report.rows.map((r) => [r.key, r.amount])).toEqual([
      ['unowned', '19.722656'],
      ['payments', '7.089844'],
      ['platform', '6.1875'],
    ]);
    expect(report.unmapped.map((u) => u.ownerId)).toEqual(['sa-ghi', 'sa-jkl', 'env-xxx']);
    expect(report.unallocated).toBe('0');
  });

  it('reads the imported native export the same way', async () => {
    const report = await buildReport(store, { month: '2026-04', by: 'product', source: 'export' });
    expect(report.total).toBe('27.75');
    expect(report.unallocated).toBe('-5.25');
    expect(report.rows.find((r) => r.key === 'kafka')?.amount).toBe('23');
  });

  it('says what to run when there is nothing to report', async () => {
    await expect(buildReport(store, { month: '2026-09', by: 'team' })).rejects.toThrow(
      /no allocation for 2026-09; run `ccost allocate --org ORG --month 2026-09` first/,
    );
    await expect(buildReport(store, { month: '2026-10', by: 'team', source: 'export' })).rejects.toThrow(
      /import allocation-export/,
    );
  });

  it('keeps organizations apart in one database and rolls them up on request', async () => {
    await loadSeedExample(store, 'org-other');
    await allocateMonth(store, { orgId: 'org-other', month: '2026-10', config });
    const both = await buildReport(store, { month: '2026-10', by: 'team' });
    expect(both.orgIds).toEqual(['org-other', 'org-seed']);
    expect(both.total).toBe('66');
    const one = await buildReport(store, { month: '2026-10', by: 'team', orgId: 'org-seed' });
    expect(one.total).toBe('33');
    expect(one.runIds).toHaveLength(1);
  });

  it('renders a table whose cents add up', async () => {
    const text = formatReport(await buildReport(store, { month: '2026-10', by: 'principal' }), 'table');
    expect(text).toContain('Costs for 2026-10 by principal (org-other, org-seed)');
    expect(text).toMatch(/sa-ghi\s+\$19\.85/);
    expect(text).toMatch(/Total\s+\$66\.00\s+100\.0%/);
  });
});
