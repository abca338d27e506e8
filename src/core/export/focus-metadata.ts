/**
 * The FOCUS metadata sidecar: schema (FocusVersion, SchemaId, CreationDate, ColumnDefinition),
 * data generator, and ccost's own blocks, prefixed `x_`: the source, a reconciliation of the
 * exported costs and quantities against the billing lines, known gaps and a conformance status.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { ExactSum, type Fixed, formatTrimmed, parseFixed, rescale } from './fixed.ts';
import {
  ADJUSTMENT_PATTERN,
  type ChargeCategory,
  CREDIT_PATTERN,
  FOCUS_COLUMNS,
  FOCUS_VERSION,
} from './focus-schema.ts';
import type { OriginSplit } from './focus-split.ts';
import type { Origin } from './origins.ts';
import type { ExportScope } from './scope.ts';

/** One entry of ColumnDefinition. */
export interface ColumnDefinition {
  ColumnName: string;
  DataType: string;
  FeatureLevel: string;
  Deprecated?: boolean;
  StringEncoding?: 'UTF-8';
}

/** Σ per side; amounts and quantities exact decimal text. */
export interface FocusReconciliation {
  Source: {
    Lines: number;
    BilledCost: string;
    ListCost: string;
    PricingQuantity: string;
    ConsumedQuantity: string;
  };
  Exported: {
    Rows: number;
    Origins: number;
    BilledCost: string;
    EffectiveCost: string;
    ListCost: string;
    ContractedCost: string;
    PricingQuantity: string;
    ConsumedQuantity: string;
  };
  /** Exported − source. */
  Difference: { BilledCost: string; ListCost: string; PricingQuantity: string; ConsumedQuantity: string };
  /** Origins whose rows do not sum to the billing line as stored now (first ids in `x_KnownGaps`). */
  OriginsNotConserved: number;
  /** Billing lines of the month with a non-zero amount that the run does not cover. */
  LinesNotInRun: number;
  Pass: boolean;
}

/** The sidecar JSON. */
export interface FocusMetadata {
  FocusVersion: string;
  SchemaId: string;
  CreationDate: string;
  DataGenerator: { DataGenerator: string; DataGeneratorVersion: string };
  FocusDatasetId: 'CostAndUsage';
  ColumnDefinition: ColumnDefinition[];
  x_Source: {
    OrgId: string;
    BillingPeriod: string;
    RunId: string;
    RuleSetHash: string;
    RunCodeVersion: string | null;
    Currency: string;
    File: string | null;
  };
  x_Reconciliation: FocusReconciliation;
  x_KnownGaps: string[];
  x_Conformance: {
    Status: 'conformant' | 'nonconformant';
    Checks: { Check: string; Pass: boolean }[];
    Validator: string;
  };
}

/** ColumnDefinition of the export's columns. */
export function columnDefinitions(): ColumnDefinition[] {
  return FOCUS_COLUMNS.map((c) => ({
    ColumnName: c.name,
    DataType: c.type,
    FeatureLevel: c.level,
    ...(c.deprecated ? { Deprecated: true } : {}),
    ...(c.type === 'STRING' || c.type === 'JSON' ? { StringEncoding: 'UTF-8' as const } : {}),
  }));
}

/** A stable id of the column set: it changes exactly when the columns or the version change. */
export function schemaId(): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([FOCUS_VERSION, columnDefinitions()]))
    .digest('hex');
  return `ccost-focus-${FOCUS_VERSION}-${hash.slice(0, 16)}`;
}

const MAX_IDS = 10;

/** True when a parsed value equals decimal text. */
function sameValue(x: Fixed, text: string): boolean {
  const y = parseFixed(text);
  const scale = Math.max(x.scale, y.scale);
  return rescale(x, scale) === rescale(y, scale);
}

/** Running exported totals and per-origin conservation, kept while the rows stream out. */
export class FocusTally {
  rows = 0;
  origins = 0;
  readonly billed = new ExactSum();
  readonly list = new ExactSum();
  readonly pricing = new ExactSum();
  readonly consumed = new ExactSum();
  notConserved = 0;
  readonly notConservedIds: number[] = [];
  linesNotInRun = 0;
  readonly notInRunAmount = new ExactSum();

  /** Adds an origin's rows and checks they sum to its billing line as stored now. */
  addOrigin(origin: Origin, split: OriginSplit, category: ChargeCategory): void {
    this.origins++;
    this.rows += split.parts.length;
    const { amount, gross, quantity } = split.totals;
    this.billed.addFixed(amount);
    this.list.addFixed(gross);
    if (quantity) {
      this.pricing.addFixed(quantity);
      if (category === 'Usage') this.consumed.addFixed(quantity);
    }
    const { line } = origin;
    const conserved =
      origin.stored &&
      sameValue(amount, line.amount) &&
      sameValue(gross, line.originalAmount) &&
      (quantity === null
        ? line.quantity === null
        : line.quantity !== null && sameValue(quantity, line.quantity));
    if (!conserved) {
      this.notConserved++;
      if (this.notConservedIds.length < MAX_IDS) this.notConservedIds.push(line.id);
    }
  }

  /** Counts a non-zero billing line the run does not cover. */
  addLineNotInRun(amount: string): void {
    this.linesNotInRun++;
    this.notInRunAmount.add(amount);
  }
}

/** Σ of the month's billing lines: count, billed, list, quantity, and quantity of Usage lines. */
async function sourceTotals(store: Store, scope: ExportScope) {
  const [row] = await store.query<{
    lines: string | number;
    billed: string;
    list: string;
    pricing: string;
    consumed: string;
  }>(
    sql`select count(*) as lines, coalesce(sum(amount), 0)::text as billed,
          coalesce(sum(original_amount), 0)::text as list, coalesce(sum(quantity), 0)::text as pricing,
          coalesce(sum(quantity) filter (where (product || ' ' || line_type) !~ ${CREDIT_PATTERN}
            and (product || ' ' || line_type) !~ ${ADJUSTMENT_PATTERN}), 0)::text as consumed
        from billing_lines
        where org_id = ${scope.orgId} and start_date >= ${scope.period.from} and start_date < ${scope.period.to}`,
  );
  return {
    lines: Number(row?.lines ?? 0),
    billed: row?.billed ?? '0',
    list: row?.list ?? '0',
    pricing: row?.pricing ?? '0',
    consumed: row?.consumed ?? '0',
  };
}

/** Exported − source, exact. */
function difference(exported: ExactSum, source: string): string {
  const a = parseFixed(exported.text());
  const b = parseFixed(source);
  const scale = Math.max(a.scale, b.scale);
  return formatTrimmed(rescale(a, scale) - rescale(b, scale), scale);
}

/** The reconciliation block: exported totals against the month's billing lines. */
export async function reconcile(
  store: Store,
  scope: ExportScope,
  tally: FocusTally,
): Promise<FocusReconciliation> {
  const source = await sourceTotals(store, scope);
  const diff = {
    BilledCost: difference(tally.billed, source.billed),
    ListCost: difference(tally.list, source.list),
    PricingQuantity: difference(tally.pricing, source.pricing),
    ConsumedQuantity: difference(tally.consumed, source.consumed),
  };
  const balanced = Object.values(diff).every((v) => v === '0');
  return {
    Source: {
      Lines: source.lines,
      BilledCost: source.billed,
      ListCost: source.list,
      PricingQuantity: source.pricing,
      ConsumedQuantity: source.consumed,
    },
    Exported: {
      Rows: tally.rows,
      Origins: tally.origins,
      BilledCost: tally.billed.text(),
      EffectiveCost: tally.billed.text(),
      ListCost: tally.list.text(),
      ContractedCost: tally.list.text(),
      PricingQuantity: tally.pricing.text(),
      ConsumedQuantity: tally.consumed.text(),
    },
    Difference: diff,
    OriginsNotConserved: tally.notConserved,
    LinesNotInRun: tally.linesNotInRun,
    Pass: balanced && tally.notConserved === 0 && tally.linesNotInRun === 0,
  };
}

/** What the export cannot say, always; plus what went wrong in this one. */
function knownGaps(scope: ExportScope, tally: FocusTally): string[] {
  const allocate = `run \`ccost allocate --org ${scope.orgId} --month ${scope.period.month}\` again`;
  const gaps: string[] = [];
  if (tally.linesNotInRun > 0) {
    gaps.push(
      `${tally.linesNotInRun} billing lines (Σ ${tally.notInRunAmount.text()}) arrived after run ${scope.runId} and are not exported; ${allocate}`,
    );
  }
  if (tally.notConserved > 0) {
    gaps.push(
      `${tally.notConserved} billing lines changed after run ${scope.runId}, so their rows no longer sum to them (lines ${tally.notConservedIds.join(', ')}); ${allocate}`,
    );
  }
  return [
    ...gaps,
    'InvoiceId is absent: the Billing API does not link cost lines to invoices',
    'ContractedCost equals ListCost (pay-as-you-go); negotiated discounts show in BilledCost and x_ConfluentDiscountAmount',
    'CommitmentDiscount*, CapacityReservation*, SkuPriceId, SkuPriceDetails and Tags are absent: the Billing API exposes no commitments, reservations, price-list ids or tags',
    'ChargeClass is always null: corrections of previously invoiced periods are not told apart from other lines',
    'RegionName repeats RegionId: the Billing API gives region codes only',
    'HostProviderName is Confluent for lines without a cloud (Support, credits)',
  ];
}

/** The sidecar for a finished export. */
export function focusMetadata(input: {
  scope: ExportScope;
  currency: string;
  file: string | null;
  createdAt: Date;
  generatorVersion: string;
  reconciliation: FocusReconciliation;
  tally: FocusTally;
}): FocusMetadata {
  const { scope, reconciliation } = input;
  const checks = [
    { Check: 'all Mandatory FOCUS 1.3 columns present', Pass: true },
    {
      Check: 'allocated charges sum exactly to each origin (costs, quantities, AllocatedRatio = 1)',
      Pass: reconciliation.OriginsNotConserved === 0,
    },
    { Check: 'exported totals equal the month’s billing lines', Pass: reconciliation.Pass },
  ];
  return {
    FocusVersion: FOCUS_VERSION,
    SchemaId: schemaId(),
    CreationDate: input.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    DataGenerator: { DataGenerator: 'ccost', DataGeneratorVersion: input.generatorVersion },
    FocusDatasetId: 'CostAndUsage',
    ColumnDefinition: columnDefinitions(),
    x_Source: {
      OrgId: scope.orgId,
      BillingPeriod: scope.period.month,
      RunId: scope.runId,
      RuleSetHash: scope.ruleSetHash,
      RunCodeVersion: scope.codeVersion,
      Currency: input.currency,
      File: input.file,
    },
    x_Reconciliation: reconciliation,
    x_KnownGaps: knownGaps(scope, input.tally),
    x_Conformance: {
      Status: checks.every((c) => c.Pass) ? 'conformant' : 'nonconformant',
      Checks: checks,
      Validator: 'self-checked by ccost; focus-validator (--validate-version 1.3) not run',
    },
  };
}
