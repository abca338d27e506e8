import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { normalizeCost } from '../../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../../src/core/billing/store.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { CcostError, ErrorCode, InputError } from '../../../src/core/errors/index.ts';
import { exportFocus, type FocusExportOptions, writeFocusExport } from '../../../src/core/export/focus.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';
import { checkFocusConformance } from './focus-conformance.ts';

/** Runs an export into memory: the CSV text and the result. */
async function exportText(store: Store, options: FocusExportOptions) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await exportFocus(store, options, out);
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), result };
}

const config = parseConfig({
  currency: 'EUR',
  organizations: [{ id: ORG, name: 'Seed Inc' }],
  teams: {
    payments: { owners: ['sa-abc', 'sa-def'] },
    search: { owners: ['sa-jkl', { pattern: 'SA-G*' }] },
    platform: { owners: [{ environment: 'env-xxx' }] },
  },
});

let store: Store;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store.close();
});

describe('FOCUS export of the $33 example', () => {
  let text: string;
  let result: Awaited<ReturnType<typeof exportFocus>>;
  let conformance: Awaited<ReturnType<typeof checkFocusConformance>>;

  beforeAll(async () => {
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
    // Small pages: lines straddle page boundaries and are carried over.
    ({ text, result } = await exportText(store, { orgId: ORG, month: '2026-10', config, pageRows: 3 }));
    conformance = await checkFocusConformance(store, text, { orgId: ORG, month: '2026-10' });
  });

  it('conforms: mandatory columns, formats, and exact sums per origin', () => {
    expect(conformance.origins.size).toBe(8);
    expect(conformance.rows).toHaveLength(result.rows);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('sums to exactly $33 of BilledCost, in the configured currency and account name', () => {
    const total = conformance.rows.reduce((s, r) => s.plus(r.BilledCost!), new Decimal(0));
    expect(total.toFixed()).toBe('33');
    expect(new Set(conformance.rows.map((r) => r.BillingCurrency))).toEqual(new Set(['EUR']));
    expect(new Set(conformance.rows.map((r) => r.BillingAccountName))).toEqual(new Set(['Seed Inc']));
    expect(conformance.rows[0]).toMatchObject({
      BillingAccountId: ORG,
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-11-01T00:00:00Z',
      ProviderName: 'Confluent',
      x_OrgId: ORG,
      x_RunId: result.scope.runId,
    });
  });

  it('splits the CKU line to the four accounts with their ratios, tags and method', () => {
    const cku = conformance.rows.filter((r) => r.SkuId === 'KAFKA_NUM_CKUS');
    expect(cku.map((r) => [r.AllocatedResourceId, r.BilledCost, r.x_Team])).toEqual([
      ['sa-abc', '0.500000', 'payments'],
      ['sa-def', '0.375000', 'payments'],
      ['sa-ghi', '0.625000', 'search'],
      ['sa-jkl', '0.500000', 'search'],
    ]);
    expect(JSON.parse(cku[0]!.AllocatedTags!)).toEqual({ x_Team: 'payments' });
    expect(JSON.parse(cku[0]!.AllocatedMethodDetails!)).toEqual({
      Elements: [{ AllocatedRatio: 0.25, UsageUnit: null, UsageQuantity: null }],
      x_RunId: result.scope.runId,
    });
    expect(cku[0]!.AllocatedMethodId).toBe(`ccost/weighted@${result.scope.ruleSetHash}`);
    expect(cku[0]).toMatchObject({
      ServiceName: 'Kafka',
      ServiceCategory: 'Integration',
      ServiceSubcategory: 'Messaging',
      ResourceId: 'lkc-123',
      ResourceName: 'orders',
      ResourceType: 'Kafka Cluster',
      SubAccountId: 'env-xxx',
      SubAccountName: 'production',
      ChargeCategory: 'Usage',
      ChargeClass: '',
    });
  });

  it('maps Flink to Analytics and Schema Registry to Management and Governance', () => {
    const bySku = (sku: string) => conformance.rows.find((r) => r.SkuId === sku)!;
    expect(bySku('FLINK_NUM_CFUS')).toMatchObject({
      ServiceCategory: 'Analytics',
      ServiceSubcategory: 'Streaming Analytics',
      AllocatedResourceId: 'env-xxx',
      AllocatedResourceName: 'production',
    });
    expect(bySku('SCHEMA_REGISTRY')).toMatchObject({
      ServiceCategory: 'Management and Governance',
      AllocatedResourceId: 'lkc-123',
    });
  });

  it('allocates Support in proportion to every owner total of the other $32', () => {
    const support = conformance.rows.filter((r) => r.SkuId === 'SUPPORT');
    const parts = Object.fromEntries(support.map((r) => [r.AllocatedResourceId, r.BilledCost]));
    expect(parts).toEqual({
      'sa-abc': '0.140625',
      'sa-def': '0.074219',
      'sa-ghi': '0.300781',
      'sa-jkl': '0.203125',
      'lkc-123': '0.187500',
      'env-xxx': '0.093750',
    });
    expect(support[0]).toMatchObject({ ServiceSubcategory: 'Support', ResourceId: '', SubAccountId: '' });
    // Ratios are each row's exact share of the line: 0.093750 / 1.
    const ratios = support.map((r) => JSON.parse(r.AllocatedMethodDetails!).Elements[0].AllocatedRatio);
    expect(ratios).toContain(0.09375);
  });

  it('reconciles in the metadata: source equals export, conformant', () => {
    const { metadata } = result;
    expect(metadata.FocusVersion).toBe('1.3');
    expect(metadata.SchemaId).toMatch(/^ccost-focus-1\.3-[0-9a-f]{16}$/);
    expect(metadata.CreationDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(metadata.DataGenerator.DataGenerator).toBe('ccost');
    expect(metadata.ColumnDefinition.map((c) => c.ColumnName)).toEqual(conformance.header);
    expect(metadata.ColumnDefinition.find((c) => c.ColumnName === 'BilledCost')).toMatchObject({
      DataType: 'DECIMAL',
      FeatureLevel: 'Mandatory',
    });
    expect(metadata.x_Reconciliation).toMatchObject({
      Source: { Lines: 8, BilledCost: '33', ListCost: '33' },
      Exported: { Rows: 18, Origins: 8, BilledCost: '33', ListCost: '33' },
      Difference: { BilledCost: '0', ListCost: '0', PricingQuantity: '0' },
      Pass: true,
    });
    expect(metadata.x_Conformance.Status).toBe('conformant');
  });

  it('writes FILE and FILE.metadata.json, leaving no partial file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccost-focus-'));
    try {
      const file = path.join(dir, 'focus.csv');
      const written = await writeFocusExport(store, { orgId: ORG, month: '2026-10', config, file });
      expect(readFileSync(file, 'utf8')).toBe(text);
      const metadata = JSON.parse(readFileSync(written.metadataFile, 'utf8'));
      expect(written.metadataFile).toBe(`${file}.metadata.json`);
      expect(metadata.x_Source).toMatchObject({ File: 'focus.csv', OrgId: ORG, BillingPeriod: '2026-10' });
      expect(existsSync(`${file}.partial`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('flags lines changed since the run as not conserved, naming what to run (last: it edits a line)', async () => {
    await store.query(
      sql`update billing_lines set amount = amount + 1 where org_id = ${ORG} and line_type = 'SUPPORT'`,
    );
    const { result: stale } = await exportText(store, { orgId: ORG, month: '2026-10', config });
    expect(stale.metadata.x_Reconciliation).toMatchObject({
      OriginsNotConserved: 1,
      Difference: { BilledCost: '-1' },
      Pass: false,
    });
    expect(stale.metadata.x_Conformance.Status).toBe('nonconformant');
    expect(stale.metadata.x_KnownGaps[0]).toContain('ccost allocate --org org-seed --month 2026-10');
  });
});

describe('FOCUS export refusals', () => {
  beforeAll(async () => {
    await upsertBillingLines(store, 'org-lines', [
      normalizeCost({
        start_date: '2026-10-01',
        end_date: '2026-10-02',
        product: 'KAFKA',
        line_type: 'KAFKA_BASE',
        original_amount: '1',
      }),
    ]);
  });

  const refusal = async (options: FocusExportOptions) => {
    try {
      await exportText(store, options);
    } catch (err) {
      expect(err).toBeInstanceOf(CcostError);
      return err as CcostError;
    }
    throw new Error('expected a CcostError');
  };

  it('names the flag of a malformed month', async () => {
    const err = await refusal({ orgId: 'org-lines', month: '2026-13' });
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe('--month: "2026-13" is not a month; write it as YYYY-MM, e.g. 2026-10');
  });

  it('asks to collect or import, then allocate, when the org has no lines that month', async () => {
    const err = await refusal({ orgId: 'org-nope', month: '2026-10' });
    expect(err.code).toBe(ErrorCode.NotFound);
    expect(err.message).toBe(
      'no billing lines for org-nope in 2026-10: run `ccost collect --org org-nope` or ' +
        '`ccost import billing FILE... --org org-nope` first, then `ccost allocate --org org-nope --month 2026-10`',
    );
  });

  it('asks to allocate when the month has lines but no run, and writes no file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccost-focus-'));
    try {
      const file = path.join(dir, 'focus.csv');
      await expect(writeFocusExport(store, { orgId: 'org-lines', month: '2026-10', file })).rejects.toThrow(
        'no allocation run for org-lines in 2026-10: run `ccost allocate --org org-lines --month 2026-10` first',
      );
      expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FOCUS export of a simulated month (four days collected)', () => {
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let conformance: Awaited<ReturnType<typeof checkFocusConformance>>;
  let result: Awaited<ReturnType<typeof exportFocus>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: '2026-11-05T06:00:00Z' });
    const now = new Date('2026-11-05T06:00:00Z');
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-10-05', now });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
    let text: string;
    ({ text, result } = await exportText(store, {
      orgId: org.orgId,
      month: '2026-10',
      config: org.config,
      pageRows: 50,
    }));
    conformance = await checkFocusConformance(store, text, { orgId: org.orgId, month: '2026-10' });
  });
  afterAll(async () => {
    await org.sim.stop();
  });

  it('conforms, with every billed amount and quantity exported exactly', () => {
    const billed = new Decimal(org.model.billingTotal('2026-10-01', '2026-10-05'));
    const exported = conformance.rows.reduce((s, r) => s.plus(r.BilledCost!), new Decimal(0));
    expect(exported.equals(billed)).toBe(true);
    expect(result.metadata.x_Reconciliation.Pass).toBe(true);
    expect(result.metadata.x_Reconciliation.Source.PricingQuantity).not.toBe('0');
  });

  it('splits quantities across principals with usage units and host clouds', () => {
    const read = conformance.rows.filter(
      (r) => r.SkuId === 'KAFKA_NETWORK_READ' && r.AllocatedResourceId !== '',
    );
    expect(read.length).toBeGreaterThan(1);
    const details = JSON.parse(read[0]!.AllocatedMethodDetails!);
    expect(details.Elements[0]).toMatchObject({ UsageUnit: 'GB' });
    expect(String(details.Elements[0].UsageQuantity)).toBe(String(Number(read[0]!.ConsumedQuantity)));
    expect(read[0]!.HostProviderName).not.toBe('Confluent');
    expect(read[0]!.RegionId).not.toBe('');
  });

  it('exports the promotional credit as an unallocated Credit and discounts in x_ConfluentDiscountAmount', () => {
    const credit = conformance.rows.filter((r) => r.SkuId === 'PROMO_CREDIT');
    expect(credit).toHaveLength(1);
    expect(credit[0]).toMatchObject({
      ChargeCategory: 'Credit',
      AllocatedResourceId: '',
      AllocatedResourceName: '',
      AllocatedTags: '',
      ConsumedQuantity: '',
      x_Team: 'unallocated',
    });
    expect(new Decimal(credit[0]!.BilledCost!).isNegative()).toBe(true);
    const discounted = conformance.rows.filter((r) => !new Decimal(r.x_ConfluentDiscountAmount!).isZero());
    expect(discounted.length).toBeGreaterThan(0);
    for (const r of discounted) {
      expect(new Decimal(r.ListCost!).minus(r.BilledCost!).toFixed()).toBe(
        new Decimal(r.x_ConfluentDiscountAmount!).toFixed(),
      );
    }
  });
});
