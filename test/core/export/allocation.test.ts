import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonth } from '../../../src/core/allocation/period.ts';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { CcostError, ErrorCode } from '../../../src/core/errors/index.ts';
import {
  type AllocationExportOptions,
  bucketsOf,
  exportAllocation,
  metricName,
  usageShare,
  writeAllocationExport,
} from '../../../src/core/export/allocation.ts';
import {
  type Granularity,
  importAllocationExport,
  parseAllocationExport,
} from '../../../src/core/imports/allocation-export.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const config = parseConfig({
  teams: {
    payments: { owners: ['sa-abc', 'sa-def'] },
    platform: { owners: [{ environment: 'env-xxx' }] },
  },
});

/** Runs an export into memory. */
async function exportText(store: Store, options: AllocationExportOptions) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await exportAllocation(store, options, out);
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), result };
}

/** Non-zero exact sums by owner (an owner at 0, such as a zero unallocated row, counts as absent). */
function nonZero(rows: { owner_id: string; amount: string }[]): Record<string, string> {
  const sums = rows.map((r) => [r.owner_id, new Decimal(r.amount)] as const).filter(([, v]) => !v.isZero());
  return Object.fromEntries(sums.map(([owner, v]) => [owner, v.toFixed()]));
}

/** Per owner, the exact Σ of a run's allocations. */
async function runOwners(store: Store, runId: string): Promise<Record<string, string>> {
  const rows = await store.query<{ owner_id: string; amount: string }>(
    sql`select owner_id, sum(amount)::text as amount from allocations where run_id = ${runId} group by 1`,
  );
  return nonZero(rows);
}

/** Per owner, the exact Σ of an imported export of one granularity. */
async function importedOwners(
  store: Store,
  orgId: string,
  granularity: string,
): Promise<Record<string, string>> {
  const rows = await store.query<{ owner_id: string; amount: string }>(
    sql`select owner_id, sum(chargeback_cost)::text as amount from export_allocations
        where org_id = ${orgId} and granularity = ${granularity} group by 1`,
  );
  return nonZero(rows);
}

/** Exports to a file, imports it back with our own importer, and compares per-owner totals. */
async function roundTrip(orgId: string, runId: string, granularity: Granularity, pageRows: number) {
  const file = path.join(dir, `${orgId}-${granularity}.csv`);
  const written = await writeAllocationExport(store, {
    orgId,
    month: '2026-10',
    granularity,
    pageRows,
    file,
  });
  const imported = await importAllocationExport(store, {
    orgId,
    filePath: file,
    resolver: new TeamResolver(config),
    granularity,
  });
  expect(imported.rows).toBe(written.rows);
  expect(imported.total).toBe(written.total);
  expect(await importedOwners(store, orgId, granularity)).toEqual(await runOwners(store, runId));
  return { file, written, imported };
}

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await createTestStore();
  dir = mkdtempSync(path.join(tmpdir(), 'ccost-alloc-export-'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('native-format allocation export', () => {
  let runId: string;

  beforeAll(async () => {
    await loadSeedExample(store);
    runId = (await allocateMonth(store, { orgId: ORG, month: '2026-10', config })).runId;
  });

  it('writes the seed example monthly in the native columns plus org_id', async () => {
    const { text, result } = await exportText(store, {
      orgId: ORG,
      month: '2026-10',
      granularity: 'monthly',
    });
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'timestamp,owner_id,environment_id,resource_id,product,metric,unit,chargeback_cost,original_amount,usage_share,org_id',
    );
    expect(lines).toContain(
      '2026-10-01T00:00:00Z,sa-abc,env-xxx,lkc-123,kafka,KafkaNumCKUs,,0.500000,2,0.250000,org-seed',
    );
    expect(lines).toContain(
      '2026-10-01T00:00:00Z,sa-ghi,env-xxx,lkc-123,kafka,KafkaNetworkRead,,9.000000,15,0.600000,org-seed',
    );
    expect(lines).toContain(
      '2026-10-01T00:00:00Z,lkc-123,env-xxx,lcc-456,connect,ConnectNumTasks,,4.000000,4,1.000000,org-seed',
    );
    expect(lines).toContain(
      '2026-10-01T00:00:00Z,env-xxx,env-xxx,lfcp-789,flink,FlinkNumCFUs,,3.000000,3,1.000000,org-seed',
    );
    expect(lines).toContain('2026-10-01T00:00:00Z,sa-def,,,support,Support,,0.074219,1,0.074219,org-seed');
    expect(lines[lines.length - 1]).toBe(
      '2026-10-01T00:00:00Z,unallocated,,,unallocated,Unallocated,USD,0,0,0,org-seed',
    );
    expect(result).toMatchObject({ rows: 19, buckets: 1, total: '33' });
    // Our own importer reads it as the native format.
    const rows = parseAllocationExport(text, 'ccost.csv', { granularity: 'monthly' });
    expect(rows).toHaveLength(19);
  });

  it('round-trips through importAllocationExport monthly and weekly, per owner exactly', async () => {
    // (Daily is the same file as monthly for this one-day month: the simulated month covers it.)
    for (const granularity of ['monthly', 'weekly'] as const) {
      const { written } = await roundTrip(ORG, runId, granularity, 7);
      expect(written.total).toBe('33');
    }
    // 2026-10-01 is a Thursday: its ISO week starts on Monday 2026-09-28.
    const weekly = readFileSync(path.join(dir, `${ORG}-weekly.csv`), 'utf8');
    expect(weekly.split('\r\n')[1]).toMatch(/^2026-09-28T00:00:00Z,/);
  });

  it('refuses a month without a run and an unknown granularity, writing no file', async () => {
    const file = path.join(dir, 'none.csv');
    writeFileSync(file, 'keep me');
    const refused = writeAllocationExport(store, {
      orgId: ORG,
      month: '2026-09',
      granularity: 'daily',
      file,
    });
    await expect(refused).rejects.toThrow('no billing lines for org-seed in 2026-09');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const bad = exportText(store, { orgId: ORG, month: '2026-10', granularity: 'hourly' as Granularity });
    await expect(bad).rejects.toSatisfy((e) => e instanceof CcostError && e.code === ErrorCode.UsageError);
  });
});

describe('native-format export of a simulated month', () => {
  it('round-trips daily with credits on the unallocated row', async () => {
    const org = await startSimulatedOrg({ now: '2026-11-05T06:00:00Z' });
    try {
      const now = new Date('2026-11-05T06:00:00Z');
      await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-10-04', now });
      const run = await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
      const { file, written } = await roundTrip(org.orgId, run.runId, 'daily', 100);
      expect(new Decimal(written.total).equals(org.model.billingTotal('2026-10-01', '2026-10-04'))).toBe(
        true,
      );
      expect(written.buckets).toBe(3);
      const rows = parseAllocationExport(readFileSync(file, 'utf8'), file, { granularity: 'daily' });
      const unallocated = rows.filter((r) => r.ownerId === 'unallocated');
      expect(unallocated.map((r) => r.bucketStart)).toEqual([
        '2026-10-01T00:00:00Z',
        '2026-10-02T00:00:00Z',
        '2026-10-03T00:00:00Z',
      ]);
      // The 1st carries the month's promotional credit.
      expect(new Decimal(unallocated[0]!.chargebackCost).isNegative()).toBe(true);
      expect(rows.every((r) => !new Decimal(r.chargebackCost).isZero() || r.ownerId === 'unallocated')).toBe(
        true,
      );
    } finally {
      await org.sim.stop();
    }
  });
});

describe('export helpers', () => {
  it('names metrics in CamelCase from line types', () => {
    expect(metricName('KAFKA_NETWORK_READ')).toBe('KafkaNetworkRead');
    expect(metricName('KAFKA_NUM_CKUS')).toBe('KafkaNumCKUs');
    expect(metricName('FLINK_NUM_CFUS')).toBe('FlinkNumCFUs');
    expect(metricName('SUPPORT')).toBe('Support');
  });

  it('buckets a month by UTC day, ISO week from Monday, or month', () => {
    const october = parseMonth('2026-10');
    expect(bucketsOf(october, 'monthly')).toEqual([
      { start: '2026-10-01', from: '2026-10-01', to: '2026-11-01' },
    ]);
    const days = bucketsOf(october, 'daily');
    expect(days).toHaveLength(31);
    expect(days[30]).toEqual({ start: '2026-10-31', from: '2026-10-31', to: '2026-11-01' });
    expect(bucketsOf(october, 'weekly')).toEqual([
      { start: '2026-09-28', from: '2026-10-01', to: '2026-10-05' },
      { start: '2026-10-05', from: '2026-10-05', to: '2026-10-12' },
      { start: '2026-10-12', from: '2026-10-12', to: '2026-10-19' },
      { start: '2026-10-19', from: '2026-10-19', to: '2026-10-26' },
      { start: '2026-10-26', from: '2026-10-26', to: '2026-11-01' },
    ]);
    // A month starting on a Monday: June 2026.
    expect(bucketsOf(parseMonth('2026-06'), 'weekly')[0]).toEqual({
      start: '2026-06-01',
      from: '2026-06-01',
      to: '2026-06-08',
    });
  });

  it('computes usage_share to 6 places within [0, 1]', () => {
    expect(usageShare('4.000000', '6')).toBe('0.666667');
    expect(usageShare('-5.25', '-5.25')).toBe('1.000000');
    expect(usageShare('1', '0')).toBe('0.000000');
  });
});
