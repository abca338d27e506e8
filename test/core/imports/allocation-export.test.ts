import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import { ErrorCode, InputError } from '../../../src/core/errors/index.ts';
import {
  checkSplits,
  importAllocationExport,
  inferGranularity,
  parseAllocationExport,
} from '../../../src/core/imports/allocation-export.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { createTestStore } from '../../helpers/store.ts';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/allocation-export',
);
const fixture = (name: string) => path.join(FIXTURES, name);
const readFixture = (name: string) => readFileSync(fixture(name), 'utf8');

const HEADER =
  'timestamp,owner_id,environment_id,resource_id,product,metric,unit,chargeback_cost,original_amount,usage_share';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

const resolver = new TeamResolver(
  parseConfig({ teams: { payments: { owners: ['sa-abc'] }, platform: { owners: [{ id: 'lkc-123' }] } } }),
);

/** The InputError `fn` throws. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe(ErrorCode.CsvInvalid);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseAllocationExport', () => {
  it('reads the seed example with exact amounts, line numbers and empty organization-level ids', () => {
    const rows = parseAllocationExport(readFixture('seed-example-monthly.csv'), 'export.csv');
    expect(rows).toHaveLength(19);
    expect(rows[0]).toEqual({
      line: 2,
      bucketStart: '2026-04-01T00:00:00Z',
      ownerId: 'sa-abc',
      environmentId: 'env-xxx',
      resourceId: 'lkc-123',
      product: 'kafka',
      metric: 'KafkaNumCKUs',
      unit: 'CKU-hour',
      chargebackCost: '0.80',
      originalAmount: '2.00',
      usageShare: '0.40',
    });
    const support = rows.find((r) => r.product === 'support' && r.ownerId === 'sa-abc')!;
    expect(support).toMatchObject({ environmentId: '', resourceId: '', chargebackCost: '0.165625' });
    const credit = rows.at(-1)!;
    expect(credit).toMatchObject({
      line: 20,
      ownerId: 'unallocated',
      chargebackCost: '-5.25',
      usageShare: '0',
    });
  });

  it('maps alias headers case-insensitively, in any order, with a BOM, CRLF and extra columns', () => {
    const rows = parseAllocationExport(readFixture('aliases-daily.csv'), 'aliases.csv');
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 7]);
    expect(rows[0]).toEqual({
      line: 2,
      bucketStart: '2026-04-01T00:00:00Z',
      ownerId: 'sa-abc',
      environmentId: 'env-1',
      resourceId: 'lkc-1',
      product: 'kafka',
      metric: 'KafkaNetworkWrite',
      unit: 'GB',
      chargebackCost: '2.5',
      originalAmount: '4',
      usageShare: '0.625',
    });
    expect(rows[2]).toMatchObject({ ownerId: 'unallocated', environmentId: '', resourceId: '' });
  });

  it('accepts the three timestamp forms and leaves optional columns out', () => {
    const text = [
      'Timestamp,Owner_ID,Product,Metric,Chargeback_Cost,Original_Amount,Usage_Share',
      '2026-04-01T00:00:00Z,sa-1,kafka,KafkaNumCKUs,1,1,1',
      '2026-04-02 00:00:00,sa-1,kafka,KafkaNumCKUs,1,1,1',
      '2026-04-03,sa-1,kafka,KafkaNumCKUs,1,1,1',
      '2026-04-04T00:00:00.000+00:00,sa-1,kafka,KafkaNumCKUs,1e-2,1E0,+.5',
    ].join('\n');
    const rows = parseAllocationExport(text, 'x.csv');
    expect(rows.map((r) => r.bucketStart)).toEqual([
      '2026-04-01T00:00:00Z',
      '2026-04-02T00:00:00Z',
      '2026-04-03T00:00:00Z',
      '2026-04-04T00:00:00Z',
    ]);
    expect(rows[0]).toMatchObject({ environmentId: '', resourceId: '', unit: null });
    expect(rows[3]).toMatchObject({ chargebackCost: '0.01', originalAmount: '1', usageShare: '0.5' });
  });

  it('keeps amounts beyond double precision exact', () => {
    const rows = parseAllocationExport(
      csv(
        '2026-04-01,sa-1,,,kafka,KafkaNumCKUs,,123456789012345678.123456789012,123456789012345678.123456789012,1',
      ),
      'x.csv',
    );
    expect(rows[0]!.chargebackCost).toBe('123456789012345678.123456789012');
  });

  it('rejects a header it cannot map, listing the columns found and those needed', () => {
    const err = inputError(() => parseAllocationExport(readFixture('bad-header.csv'), 'export.csv'));
    expect(err.where).toBe('export.csv:1');
    expect(err.message).toMatch(/Found columns: when, who, what, amount/);
    expect(err.message).toMatch(
      /Needed: timestamp, owner_id, product, metric, chargeback_cost, original_amount, usage_share \(optional: environment_id, resource_id, unit\)/,
    );
    expect(err.message).toMatch(/missing timestamp or bucket_start; owner_id or principal_id/);
  });

  it('rejects an empty file', () => {
    expect(inputError(() => parseAllocationExport('', 'e.csv')).where).toBe('e.csv:1');
  });

  it('names file, line and column of a value that is not a decimal number', () => {
    const err = inputError(() => parseAllocationExport(readFixture('bad-number.csv'), 'export.csv'));
    expect(err.where).toBe('export.csv:7');
    expect(err.message).toBe('export.csv:7: column chargeback_cost: "12,5" is not a decimal number');
  });

  it('names the aliased column as the file writes it', () => {
    const text =
      'Bucket_Start,Principal_ID,Category,Line_Type,Cost,Total_Amount,Share\n2026-04-01,sa-1,k,M,1,1,NaN';
    expect(() => parseAllocationExport(text, 'a.csv')).toThrow(
      'a.csv:2: column Share: "NaN" is not a decimal number',
    );
  });

  it('rejects a usage share outside [0, 1]', () => {
    expect(() => parseAllocationExport(csv('2026-04-01,sa-1,,,kafka,M,,1,1,1.5'), 'x.csv')).toThrow(
      'x.csv:2: column usage_share: "1.5" is not between 0 and 1',
    );
  });

  it('rejects dates that are not calendar days, not ISO, or not at midnight UTC', () => {
    const err = inputError(() => parseAllocationExport(readFixture('bad-date.csv'), 'export.csv'));
    expect(err.message).toMatch(
      /^export\.csv:3: column timestamp: "2026-04-31T00:00:00Z" is not a calendar date/,
    );
    for (const bad of ['04/01/2026', '2026-04-01T00:00:00+02:00', '', 'yesterday']) {
      expect(() => parseAllocationExport(csv(`${bad},sa-1,,,kafka,M,,1,1,1`), 'x.csv')).toThrow(
        /^x\.csv:2: column timestamp: .* is not a date/,
      );
    }
    expect(() => parseAllocationExport(csv('2026-04-01T06:00:00Z,sa-1,,,kafka,M,,1,1,1'), 'x.csv')).toThrow(
      /x\.csv:2: column timestamp: "2026-04-01T06:00:00Z" is not a bucket start/,
    );
  });

  it('rejects a row with the wrong number of columns', () => {
    const err = inputError(() => parseAllocationExport(readFixture('bad-column-count.csv'), 'export.csv'));
    expect(err.message).toBe('export.csv:3: expected 10 columns as in the header, found 9');
  });

  it('rejects empty required cells and malformed CSV', () => {
    expect(() => parseAllocationExport(csv('2026-04-01,,,,kafka,M,,1,1,1'), 'x.csv')).toThrow(
      'x.csv:2: column owner_id: is empty',
    );
    expect(() => parseAllocationExport(csv('2026-04-01,"sa-1,,,kafka,M,,1,1,1'), 'x.csv')).toThrow(
      /^x\.csv:\d+: not valid CSV/,
    );
  });

  it('rejects a duplicate natural key, naming both lines', () => {
    const text = csv(
      '2026-04-01,sa-1,env-1,lkc-1,kafka,M,,1,2,0.5',
      '2026-04-02,sa-1,env-1,lkc-1,kafka,M,,1,2,0.5',
      '2026-04-01T00:00:00Z,sa-1,env-1,lkc-1,kafka,M,,1,2,0.5',
    );
    expect(() => parseAllocationExport(text, 'x.csv')).toThrow(/^x\.csv:4: duplicate row: .* as line 2$/);
  });

  it('checks bucket starts against a given granularity', () => {
    const err = inputError(() =>
      parseAllocationExport(readFixture('weekly-not-monday.csv'), 'export.csv', { granularity: 'weekly' }),
    );
    expect(err.message).toBe(
      'export.csv:3: column timestamp: 2026-04-01 is a Wednesday, but weekly buckets start on Monday (ISO week, UTC)',
    );
    expect(() =>
      parseAllocationExport(readFixture('weekly.csv'), 'w.csv', { granularity: 'monthly' }),
    ).toThrow(/^w\.csv:2: column bucket_start: 2026-03-30 is not the 1st/);
    expect(parseAllocationExport(readFixture('weekly.csv'), 'w.csv', { granularity: 'daily' })).toHaveLength(
      7,
    );
  });
});

describe('inferGranularity', () => {
  it('infers monthly, weekly and daily buckets', () => {
    expect(inferGranularity(['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'])).toBe('monthly');
    expect(inferGranularity(['2026-03-30T00:00:00Z', '2026-04-13T00:00:00Z', '2026-04-06T00:00:00Z'])).toBe(
      'weekly',
    );
    expect(inferGranularity(['2026-03-30T00:00:00Z', '2026-04-13T00:00:00Z'])).toBe('daily');
    expect(inferGranularity(['2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'])).toBe('daily');
    expect(inferGranularity(['2026-04-02T00:00:00Z'])).toBe('daily');
  });
});

describe('checkSplits', () => {
  it('passes the seed example and names the lines of a split that does not add up', () => {
    expect(
      checkSplits(parseAllocationExport(readFixture('seed-example-monthly.csv'), 'e.csv'), 'e.csv'),
    ).toEqual([]);
    const rows = parseAllocationExport(
      csv(
        '2026-04-01,sa-1,env-1,lkc-1,kafka,KafkaNumCKUs,,0.7,2,0.35',
        '2026-04-01,sa-2,env-1,lkc-1,kafka,KafkaNumCKUs,,1.2,2,0.6',
        '2026-04-01,sa-1,env-1,lkc-1,kafka,KafkaNetworkRead,,1,2,0.5',
        '2026-04-01,sa-2,env-1,lkc-1,kafka,KafkaNetworkRead,,1,3,0.5',
        '2026-04-01,unallocated,,,unallocated,PromotionalCredit,USD,-1,-1,0',
      ),
      'x.csv',
    );
    expect(checkSplits(rows, 'x.csv')).toEqual([
      'x.csv: lines 2, 3: chargeback_cost sums to 1.9 but original_amount is 2 ' +
        '(bucket 2026-04-01T00:00:00Z, resource lkc-1, product kafka, metric KafkaNumCKUs)',
    ]);
  });
});

describe('importAllocationExport', () => {
  let store: Store;
  const tmp = mkdtempSync(path.join(tmpdir(), 'ccost-export-'));
  beforeEach(async () => {
    store = await createTestStore();
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const counts = async () => {
    const [row] = await store.query<{ allocations: number; imports: number }>(
      sql`select (select count(*)::int from export_allocations) as allocations,
                 (select count(*)::int from imports) as imports`,
    );
    return row!;
  };

  const stored = () =>
    store.query<{ bucket: string; owner: string; team: string; cost: string; env: string; res: string }>(
      sql`select to_char(bucket_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket,
                 owner_id as owner, team, chargeback_cost::text as cost,
                 environment_id as env, resource_id as res
          from export_allocations order by bucket_start, owner_id, product, metric`,
    );

  it('imports the seed $33 example exactly, with the promo credit on the unallocated row', async () => {
    const filePath = fixture('seed-example-monthly.csv');
    const summary = await importAllocationExport(store, { orgId: 'org-1', filePath, resolver });
    expect(summary).toEqual({
      file: filePath,
      rows: 19,
      granularity: 'monthly',
      buckets: 1,
      total: '27.75',
      alreadyImported: false,
      byTeam: { payments: '5.465625', platform: '6.1875', unowned: '21.346875', unallocated: '-5.25' },
      warnings: [],
    });
    const [sums] = await store.query<{ total: string; usage: string; granularity: string }>(
      sql`select sum(chargeback_cost)::text as total,
                 sum(chargeback_cost) filter (where owner_id <> 'unallocated')::text as usage,
                 min(granularity) as granularity
          from export_allocations where org_id = 'org-1'`,
    );
    expect(new Decimal(sums!.total).equals('27.75')).toBe(true);
    expect(new Decimal(sums!.usage).equals('33')).toBe(true);
    expect(sums!.granularity).toBe('monthly');
    const rows = await stored();
    expect(rows).toHaveLength(19);
    expect(new Set(rows.map((r) => r.bucket))).toEqual(new Set(['2026-04-01T00:00:00Z']));
    expect(rows.find((r) => r.owner === 'unallocated')).toMatchObject({ team: 'unallocated', cost: '-5.25' });
    expect(rows.filter((r) => r.owner === 'lkc-123').every((r) => r.team === 'platform')).toBe(true);
    expect(rows.filter((r) => r.owner === 'sa-abc').every((r) => r.team === 'payments')).toBe(true);
    expect(rows.filter((r) => r.env === '' && r.res === '')).toHaveLength(7);
    const [record] = await store.query<{
      kind: string;
      file_name: string;
      row_count: number;
      sha256: string;
    }>(sql`select kind, file_name, row_count, sha256 from imports`);
    expect(record).toMatchObject({
      kind: 'allocation-export',
      file_name: 'seed-example-monthly.csv',
      row_count: 19,
    });
    expect(record!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [org] = await store.query<{ id: string }>(sql`select id from organizations`);
    expect(org!.id).toBe('org-1');
  });

  it('recognises a re-import of identical content and writes nothing', async () => {
    const filePath = fixture('seed-example-monthly.csv');
    await importAllocationExport(store, { orgId: 'org-1', filePath, resolver });
    const copy = path.join(tmp, 'renamed.csv');
    writeFileSync(copy, readFileSync(filePath));
    const again = await importAllocationExport(store, { orgId: 'org-1', filePath: copy, resolver });
    expect(again).toMatchObject({ alreadyImported: true, rows: 19, total: '27.75', granularity: 'monthly' });
    expect(await counts()).toEqual({ allocations: 19, imports: 1 });
    const otherOrg = await importAllocationExport(store, { orgId: 'org-2', filePath, resolver });
    expect(otherOrg.alreadyImported).toBe(false);
    expect(await counts()).toEqual({ allocations: 38, imports: 2 });
  });

  it('upserts the keys of a different, overlapping file (latest wins)', async () => {
    const filePath = fixture('seed-example-monthly.csv');
    await importAllocationExport(store, { orgId: 'org-1', filePath, resolver });
    const revised = path.join(tmp, 'revised.csv');
    writeFileSync(
      revised,
      csv(
        '2026-04-01T00:00:00Z,unallocated,,,unallocated,PromotionalCredit,USD,-6.00,-6.00,0',
        '2026-05-01T00:00:00Z,unallocated,,,unallocated,PromotionalCredit,USD,-1,-1,0',
      ),
    );
    const summary = await importAllocationExport(store, { orgId: 'org-1', filePath: revised, resolver });
    expect(summary).toMatchObject({ alreadyImported: false, rows: 2, buckets: 2, total: '-7' });
    expect(await counts()).toEqual({ allocations: 20, imports: 2 });
    const credits = (await stored()).filter((r) => r.owner === 'unallocated');
    expect(credits.map((r) => [r.bucket, r.cost])).toEqual([
      ['2026-04-01T00:00:00Z', '-6.00'],
      ['2026-05-01T00:00:00Z', '-1'],
    ]);
  });

  it('imports alias headers as daily buckets', async () => {
    const summary = await importAllocationExport(store, {
      orgId: 'org-1',
      filePath: fixture('aliases-daily.csv'),
      resolver,
    });
    expect(summary).toMatchObject({
      rows: 5,
      granularity: 'daily',
      buckets: 2,
      total: '6.75',
      byTeam: { payments: '5.5', unowned: '1.5', unallocated: '-0.25' },
      warnings: [],
    });
    expect((await stored()).map((r) => r.bucket)).toContain('2026-04-02T00:00:00Z');
  });

  it('infers weekly buckets, including a partial first week', async () => {
    const summary = await importAllocationExport(store, {
      orgId: 'org-1',
      filePath: fixture('weekly.csv'),
      resolver,
    });
    expect(summary).toMatchObject({
      rows: 7,
      granularity: 'weekly',
      buckets: 3,
      total: '5.85',
      warnings: [],
    });
    expect(new Set((await stored()).map((r) => r.bucket))).toEqual(
      new Set(['2026-03-30T00:00:00Z', '2026-04-06T00:00:00Z', '2026-04-13T00:00:00Z']),
    );
  });

  it('returns splits that do not add up as warnings, and still imports them', async () => {
    const filePath = path.join(tmp, 'off.csv');
    writeFileSync(
      filePath,
      csv(
        '2026-04-01,sa-abc,env-1,lkc-1,kafka,M,,1,2,0.5',
        '2026-04-01,sa-def,env-1,lkc-1,kafka,M,,0.9,2,0.5',
      ),
    );
    const summary = await importAllocationExport(store, { orgId: 'org-1', filePath, resolver });
    expect(summary.warnings).toEqual([
      expect.stringMatching(/off\.csv: lines 2, 3: chargeback_cost sums to 1\.9/),
    ]);
    expect(await counts()).toEqual({ allocations: 2, imports: 1 });
  });

  it.each([
    ['bad-header.csv', undefined, /bad-header\.csv:1: cannot map the header: .*Found columns: .*Needed: /],
    [
      'bad-number.csv',
      undefined,
      /bad-number\.csv:7: column chargeback_cost: "12,5" is not a decimal number/,
    ],
    ['bad-date.csv', undefined, /bad-date\.csv:3: column timestamp: "2026-04-31T00:00:00Z"/],
    ['bad-column-count.csv', undefined, /bad-column-count\.csv:3: expected 10 columns/],
    [
      'weekly-not-monday.csv',
      'weekly' as const,
      /weekly-not-monday\.csv:3: .* weekly buckets start on Monday/,
    ],
  ])('rejects %s and writes nothing', async (name, granularity, message) => {
    const options = { orgId: 'org-1', filePath: fixture(name), resolver, granularity };
    await expect(importAllocationExport(store, options)).rejects.toThrow(message);
    await expect(importAllocationExport(store, options)).rejects.toBeInstanceOf(InputError);
    expect(await counts()).toEqual({ allocations: 0, imports: 0 });
  });

  it('reports a missing file', async () => {
    const filePath = path.join(tmp, 'missing.csv');
    await expect(importAllocationExport(store, { orgId: 'org-1', filePath, resolver })).rejects.toThrow(
      /allocation export not found/,
    );
  });
});
