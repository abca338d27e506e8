/**
 * The Billing API `Cost` item and `CostList` page (billing/v1), validated with zod. Numbers are
 * read from the JSON text losslessly, so amounts arrive here as their exact decimal strings.
 */
import { createHash } from 'node:crypto';
import { parse as parseLossless } from 'lossless-json';
import { z } from 'zod';
import { ErrorCode, InputError } from '../errors/index.ts';
import { isDecimalText } from '../money/amount.ts';

const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine(isDecimalText, 'must be a decimal number');
const optionalDecimal = z.union([decimal, z.literal(''), z.null()]).optional();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD');

export const costSchema = z.looseObject({
  api_version: z.string().optional(),
  kind: z.string().optional(),
  id: z.string().optional(),
  start_date: day,
  end_date: day,
  granularity: z.string().optional(),
  product: z.string().min(1).optional(),
  line_type: z.string().min(1).optional(),
  network_access_type: z.string().nullish(),
  price: optionalDecimal,
  unit: z.string().nullish(),
  quantity: optionalDecimal,
  original_amount: decimal,
  discount_amount: optionalDecimal,
  amount: optionalDecimal,
  description: z.string().nullish(),
  tier_dimensions: z.record(z.string(), z.unknown()).nullish(),
  resource: z
    .looseObject({
      id: z.string().nullish(),
      display_name: z.string().nullish(),
      environment: z.looseObject({ id: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

export const costListSchema = z.looseObject({
  api_version: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.looseObject({ next: z.string().nullish() }).nullish(),
  data: z.array(costSchema),
});

export type Cost = z.infer<typeof costSchema>;
export type CostList = z.infer<typeof costListSchema>;

/** A cost line in the shape ccost stores, with its natural key fields resolved. */
export interface NormalizedCost {
  startDate: string;
  endDate: string;
  product: string;
  lineType: string;
  resourceId: string | null;
  resourceName: string | null;
  environmentId: string | null;
  networkAccessType: string | null;
  tierDimensions: string | null;
  sourceId: string | null;
  granularity: string | null;
  unit: string | null;
  price: string | null;
  quantity: string | null;
  originalAmount: string;
  discountAmount: string | null;
  amount: string;
  description: string | null;
  raw: Record<string, unknown>;
  contentHash: string;
}

/** Parses JSON text keeping every number as its exact decimal string. */
export function parseJsonExact(text: string): unknown {
  return parseLossless(text, null, (value: string) => value);
}

/** Stable JSON: object keys sorted, so equal content gives equal text and hashes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const blankToNull = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);

/** Turns a validated Cost into the stored shape. `amount` missing means no discount: it equals original_amount. */
export function normalizeCost(cost: Cost): NormalizedCost {
  const tiers =
    cost.tier_dimensions && Object.keys(cost.tier_dimensions).length > 0 ? cost.tier_dimensions : null;
  return {
    startDate: cost.start_date.slice(0, 10),
    endDate: cost.end_date.slice(0, 10),
    product: cost.product ?? 'UNKNOWN',
    lineType: cost.line_type ?? 'UNKNOWN',
    resourceId: blankToNull(cost.resource?.id),
    resourceName: blankToNull(cost.resource?.display_name),
    environmentId: blankToNull(cost.resource?.environment?.id),
    networkAccessType: blankToNull(cost.network_access_type),
    tierDimensions: tiers ? canonicalJson(tiers) : null,
    sourceId: blankToNull(cost.id),
    granularity: blankToNull(cost.granularity),
    unit: blankToNull(cost.unit),
    price: blankToNull(cost.price),
    quantity: blankToNull(cost.quantity),
    originalAmount: cost.original_amount,
    discountAmount: blankToNull(cost.discount_amount),
    amount: blankToNull(cost.amount) ?? cost.original_amount,
    description: blankToNull(cost.description),
    raw: cost as Record<string, unknown>,
    contentHash: createHash('sha256').update(canonicalJson(cost)).digest('hex'),
  };
}

/** The natural key of a line as one string (for in-memory maps). */
export function naturalKey(
  c: Pick<
    NormalizedCost,
    | 'startDate'
    | 'product'
    | 'lineType'
    | 'resourceId'
    | 'environmentId'
    | 'networkAccessType'
    | 'tierDimensions'
  >,
): string {
  return [
    c.startDate,
    c.product,
    c.lineType,
    c.resourceId,
    c.environmentId,
    c.networkAccessType,
    c.tierDimensions,
  ]
    .map((v) => v ?? '\u0000')
    .join('\u0001');
}

/**
 * Validates a CostList page (or a bare array of Cost items) from JSON text. Errors name the
 * file and the field path, e.g. `costs.json: data[3].original_amount: must be a decimal number`.
 */
export function parseCostListText(text: string, file: string): NormalizedCost[] {
  let json: unknown;
  try {
    json = parseJsonExact(text);
  } catch (err) {
    throw new InputError(ErrorCode.BillingInvalid, file, `not valid JSON (${(err as Error).message})`);
  }
  return parseCostList(json, file);
}

/** Validates an already-parsed CostList; see parseCostListText. */
export function parseCostList(json: unknown, where: string): NormalizedCost[] {
  const page = Array.isArray(json) ? { data: json } : json;
  const result = costListSchema.safeParse(page);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    throw new InputError(ErrorCode.BillingInvalid, where, `${path || 'body'}: ${issue.message}`);
  }
  return result.data.data.map(normalizeCost);
}
