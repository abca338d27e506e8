/**
 * A FOCUS 1.3 conformance check of an exported CSV, written against the specification's rules
 * rather than ccost's code: mandatory columns, value formats, and the split cost allocation sum
 * rules per origin charge, compared with the billing lines in the database.
 */
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { parseJsonExact } from '../../../src/core/billing/cost.ts';
import type { Store } from '../../../src/core/storage/database.ts';

/** The 21 Mandatory Cost and Usage columns (FOCUS 1.2, still Mandatory in 1.3). */
export const MANDATORY = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
];
/** Mandatory since 1.3. */
const MANDATORY_1_3 = ['HostProviderName', 'ServiceProviderName'];
/** Mandatory columns that must not be null. */
const NOT_NULL = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  ...MANDATORY_1_3,
];
const DATETIME = ['BillingPeriodEnd', 'BillingPeriodStart', 'ChargePeriodEnd', 'ChargePeriodStart'];
const DECIMAL = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'ConsumedQuantity',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'x_ConfluentDiscountAmount',
];
const SERVICE_CATEGORIES = [
  'AI and Machine Learning',
  'Analytics',
  'Business Applications',
  'Compute',
  'Databases',
  'Developer Tools',
  'Multicloud',
  'Identity',
  'Integration',
  'Internet of Things',
  'Management and Governance',
  'Media',
  'Migration',
  'Mobile',
  'Networking',
  'Security',
  'Storage',
  'Web',
  'Other',
];
/** Columns that differ between the allocated charges of one origin; every other one is copied. */
const PER_ROW = new Set([
  'AllocatedMethodDetails',
  'AllocatedMethodId',
  'AllocatedResourceId',
  'AllocatedResourceName',
  'AllocatedTags',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'ConsumedQuantity',
  'x_Team',
  'x_Confidence',
  'x_FallbackReason',
  'x_ConfluentDiscountAmount',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export type FocusRow = Record<string, string>;

/** The CSV's header and rows (RFC 4180, strict). */
export function parseFocusCsv(text: string): { header: string[]; rows: FocusRow[] } {
  const records = parse(text, { relax_quotes: false, skip_empty_lines: false }) as string[][];
  const [header, ...data] = records;
  expect(header).toBeDefined();
  return {
    header: header!,
    rows: data.map((values) => {
      expect(values).toHaveLength(header!.length);
      return Object.fromEntries(header!.map((name, i) => [name, values[i]!]));
    }),
  };
}

const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0));

/** The AllocatedRatio of a row, as exact text. */
function ratioOf(row: FocusRow): string {
  const details = parseJsonExact(row.AllocatedMethodDetails!) as { Elements: { AllocatedRatio: string }[] };
  expect(details.Elements).toHaveLength(1);
  return details.Elements[0]!.AllocatedRatio;
}

/** Checks the header: mandatory columns present, `x_` columns after all FOCUS columns. */
export function checkHeader(header: string[]): void {
  for (const name of [...MANDATORY, ...MANDATORY_1_3]) expect(header, name).toContain(name);
  const firstCustom = header.findIndex((h) => h.startsWith('x_'));
  expect(header.slice(firstCustom).every((h) => h.startsWith('x_'))).toBe(true);
  expect(new Set(header).size).toBe(header.length);
}

/** Checks the formats of one row. */
export function checkFormats(row: FocusRow): void {
  for (const name of NOT_NULL) expect(row[name], name).not.toBe('');
  for (const name of DATETIME) expect(row[name], name).toMatch(DATE_TIME);
  for (const name of DECIMAL) if (row[name] !== '') expect(row[name], name).toMatch(PLAIN_DECIMAL);
  expect(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).toContain(row.ChargeCategory);
  expect(['', 'Correction']).toContain(row.ChargeClass);
  expect(SERVICE_CATEGORIES).toContain(row.ServiceCategory);
  expect(row.BillingCurrency).toMatch(/^[A-Z]{3}$/);
  expect(() => parseJsonExact(row.AllocatedMethodDetails!)).not.toThrow();
  if (row.AllocatedTags !== '') expect(JSON.parse(row.AllocatedTags!)).toBeTypeOf('object');
  // AllocatedResourceName is null if and only if AllocatedResourceId is null.
  expect(row.AllocatedResourceId === '').toBe(row.AllocatedResourceName === '');
  expect(row.EffectiveCost).toBe(row.BilledCost);
  if (row.ChargeCategory !== 'Usage') expect(row.ConsumedQuantity).toBe('');
}

/** A billing line as stored. */
interface Line {
  id: number;
  day: string;
  product: string;
  line_type: string;
  resource_id: string | null;
  environment_id: string | null;
  amount: string;
  original_amount: string;
  quantity: string | null;
  price: string | null;
  unit: string | null;
}

/** The month's billing lines by id. */
async function linesOf(store: Store, orgId: string, month: string): Promise<Map<string, Line>> {
  const rows = await store.query<Line>(
    sql`select id, to_char(start_date, 'YYYY-MM-DD') as day, product, line_type, resource_id, environment_id,
          amount::text, original_amount::text, quantity::text, price::text, unit
        from billing_lines where org_id = ${orgId} and to_char(start_date, 'YYYY-MM') = ${month}`,
  );
  return new Map(rows.map((l) => [String(l.id), l]));
}

/** Checks the split cost allocation rules of one origin against its billing line. */
function checkOrigin(rows: FocusRow[], line: Line): void {
  const where = `origin ${line.id} (${line.line_type})`;
  for (const name of ['BilledCost', 'EffectiveCost']) {
    expect(sum(rows.map((r) => r[name]!)).equals(line.amount), `${where} ${name}`).toBe(true);
  }
  for (const name of ['ListCost', 'ContractedCost']) {
    expect(sum(rows.map((r) => r[name]!)).equals(line.original_amount), `${where} ${name}`).toBe(true);
  }
  if (line.quantity === null) {
    expect(rows.every((r) => r.PricingQuantity === '' && r.ConsumedQuantity === '')).toBe(true);
  } else {
    expect(sum(rows.map((r) => r.PricingQuantity!)).equals(line.quantity), `${where} PricingQuantity`).toBe(
      true,
    );
    if (rows[0]!.ChargeCategory === 'Usage') {
      expect(
        sum(rows.map((r) => r.ConsumedQuantity!)).equals(line.quantity),
        `${where} ConsumedQuantity`,
      ).toBe(true);
    }
  }
  expect(sum(rows.map(ratioOf)).equals(1), `${where} AllocatedRatio`).toBe(true);
  // One unallocated portion at most; every other row names its owner.
  expect(rows.filter((r) => r.AllocatedResourceId === '').length).toBeLessThanOrEqual(1);
  expect(new Set(rows.map((r) => r.AllocatedResourceId)).size).toBe(rows.length);
  // Dimensions and unit prices equal the origin's.
  const first = rows[0]!;
  for (const row of rows) {
    for (const [name, value] of Object.entries(row))
      if (!PER_ROW.has(name)) expect(value, `${where} ${name}`).toBe(first[name]);
  }
  expect(first.ChargePeriodStart).toBe(`${line.day}T00:00:00Z`);
  expect(first.SkuId).toBe(line.line_type);
  expect(first.ResourceId).toBe(line.resource_id ?? '');
  expect(first.SubAccountId).toBe(line.environment_id ?? '');
  expect(first.PricingUnit).toBe(line.unit ?? '');
  expect(first.ListUnitPrice).toBe(line.price ?? '');
  expect(first.ContractedUnitPrice).toBe(line.price ?? '');
}

/**
 * Checks a whole export against the month's billing lines: header, formats, every line exported
 * exactly once as an origin whose allocated charges sum to it. Returns the rows by origin id.
 */
export async function checkFocusConformance(
  store: Store,
  text: string,
  scope: { orgId: string; month: string },
): Promise<{ header: string[]; rows: FocusRow[]; origins: Map<string, FocusRow[]> }> {
  const { header, rows } = parseFocusCsv(text);
  checkHeader(header);
  const origins = new Map<string, FocusRow[]>();
  for (const row of rows) {
    checkFormats(row);
    const list = origins.get(row.x_OriginId!);
    if (list) list.push(row);
    else origins.set(row.x_OriginId!, [row]);
  }
  const lines = await linesOf(store, scope.orgId, scope.month);
  expect([...origins.keys()].sort()).toEqual([...lines.keys()].sort());
  for (const [id, originRows] of origins) checkOrigin(originRows, lines.get(id)!);
  return { header, rows, origins };
}
