/**
 * FOCUS records of one origin: the dimensions every allocated charge copies from its billing line,
 * and per row the allocated costs, quantity and allocation columns. The copied cells are escaped
 * once per origin into a template; a row fills the template's slots.
 */
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import { subtractText } from './fixed.ts';
import {
  type ChargeCategory,
  CONFLUENT,
  chargeCategory,
  chargeFrequency,
  FOCUS_HEADER,
  focusService,
  hostProvider,
  resourceType,
  titleCase,
} from './focus-schema.ts';
import { type OriginSplit, splitOrigin } from './focus-split.ts';
import type { KnownEntity } from './names.ts';
import type { AllocationPart, Origin, OriginLine } from './origins.ts';
import { type CsvCell, csvCell } from './output.ts';
import type { ExportScope } from './scope.ts';

/** What every record of an export shares, and caches of cells that repeat across rows. */
export interface FocusContext {
  scope: ExportScope;
  currency: string;
  orgName: string | null;
  entities: Map<string, KnownEntity>;
  /** Escaped cells that repeat: owner names, tags, method ids, teams, reasons. */
  cells: CellCache;
}

/** Columns that differ between the rows of one origin, in header order. */
const SLOT_COLUMNS = [
  'AllocatedMethodDetails',
  'AllocatedMethodId',
  'AllocatedResourceId',
  'AllocatedResourceName',
  'AllocatedTags',
  'BilledCost',
  'ConsumedQuantity',
  'ContractedCost',
  'EffectiveCost',
  'ListCost',
  'PricingQuantity',
  'x_Team',
  'x_Confidence',
  'x_FallbackReason',
  'x_ConfluentDiscountAmount',
] as const;
type Slot = (typeof SLOT_COLUMNS)[number];

const INDEX = new Map(FOCUS_HEADER.map((name, i) => [name, i]));

/** Position of a column in the header; a typo is a bug, found when the module loads. */
function indexOf(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`unknown FOCUS column ${name}`);
  return i;
}

/** Slot columns by header position, so a row's values are filled in file order. */
const SLOTS: Slot[] = [...SLOT_COLUMNS].sort((a, b) => indexOf(a) - indexOf(b));
const SLOT_AT = new Map(SLOTS.map((name) => [indexOf(name), name]));

/** Cloud and region of a line: its tier dimensions, else the inventory's resource. */
function placeOf(line: OriginLine, entity: KnownEntity | undefined) {
  let tiers: Record<string, unknown> = {};
  if (line.tierDimensions) {
    try {
      tiers = JSON.parse(line.tierDimensions) as Record<string, unknown>;
    } catch {
      tiers = {};
    }
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    cloud: text(tiers.provider) ?? text(tiers.cloud) ?? entity?.cloud ?? null,
    region: text(tiers.region) ?? entity?.region ?? null,
  };
}

const at = (day: string) => `${day}T00:00:00Z`;

/** The values of the columns every row of the origin copies. */
function originValues(
  line: OriginLine,
  category: ChargeCategory,
  ctx: FocusContext,
): Record<string, CsvCell> {
  const { scope } = ctx;
  const resource = line.resourceId ? ctx.entities.get(line.resourceId) : undefined;
  const service = focusService(line.product);
  const place = placeOf(line, resource);
  const meter = titleCase(line.lineType);
  const resourceName = line.resourceName ?? resource?.name ?? null;
  const on = line.resourceId
    ? ` on ${resourceName ? `${resourceName} (${line.resourceId})` : line.resourceId}`
    : '';
  const usage = category === 'Usage';
  return {
    BillingAccountId: scope.orgId,
    BillingAccountName: ctx.orgName,
    BillingAccountType: 'Organization',
    BillingCurrency: ctx.currency,
    BillingPeriodStart: at(scope.period.from),
    BillingPeriodEnd: at(scope.period.to),
    ChargeCategory: category,
    ChargeClass: null,
    ChargeDescription: line.description ?? `${meter}${on}`,
    ChargeFrequency: chargeFrequency(line.product, category),
    ChargePeriodStart: at(line.day),
    ChargePeriodEnd: at(line.endDate),
    ConsumedUnit: usage ? line.unit : null,
    ContractedUnitPrice: line.price,
    HostProviderName: hostProvider(place.cloud),
    InvoiceIssuerName: CONFLUENT,
    ListUnitPrice: line.price,
    PricingCategory: usage && line.price ? 'Standard' : null,
    PricingUnit: line.unit,
    ProviderName: CONFLUENT,
    PublisherName: CONFLUENT,
    RegionId: place.region,
    RegionName: place.region,
    ResourceId: line.resourceId,
    ResourceName: resourceName,
    ResourceType: resourceType(line.resourceId, resource?.kind),
    ServiceCategory: service.category,
    ServiceName: service.name,
    ServiceProviderName: CONFLUENT,
    ServiceSubcategory: service.subcategory,
    SkuId: line.lineType,
    SkuMeter: meter,
    SubAccountId: line.environmentId,
    SubAccountName: line.environmentId ? (ctx.entities.get(line.environmentId)?.name ?? null) : null,
    SubAccountType: line.environmentId ? 'Environment' : null,
    x_RunId: scope.runId,
    x_OrgId: scope.orgId,
    x_OriginId: String(line.id),
  };
}

/**
 * The origin's row template: the escaped text between slots (`SLOTS.length + 1` pieces, the last
 * ending the record with CRLF).
 */
function template(values: Record<string, CsvCell>): string[] {
  const pieces: string[] = [];
  let piece = '';
  FOCUS_HEADER.forEach((name, i) => {
    if (i > 0) piece += ',';
    if (SLOT_AT.has(i)) {
      pieces.push(piece);
      piece = '';
    } else {
      piece += csvCell(values[name]);
    }
  });
  pieces.push(`${piece}\r\n`);
  return pieces;
}

/** Escaped cells that repeat across rows, each computed once per value. */
export class CellCache {
  private readonly maps = {
    methodId: new Map<string, string>(),
    owner: new Map<string, string>(),
    ownerName: new Map<string, string>(),
    tags: new Map<string, string>(),
    team: new Map<string, string>(),
    reason: new Map<string, string>(),
  };

  /** The escaped cell of `make(value)` in the map of `kind`. */
  get(kind: keyof CellCache['maps'], value: string, make: (value: string) => CsvCell): string {
    const map = this.maps[kind];
    let cell = map.get(value);
    if (cell === undefined) {
      cell = csvCell(make(value));
      map.set(value, cell);
    }
    return cell;
  }
}

/** `0` at the scale of a decimal text (`0.500000` → `0.000000`). */
function zeroLike(text: string): string {
  const dot = text.indexOf('.');
  return dot < 0 ? '0' : `0.${'0'.repeat(text.length - dot - 1)}`;
}

/** Escaped AllocatedMethodDetails around a row's ratio and quantity: the part before, between, after. */
function detailsFrame(unit: string | null, runId: string): [string, string, string] {
  const q = (json: string) => json.replaceAll('"', '""');
  return [
    `"${q('{"Elements":[{"AllocatedRatio":')}`,
    q(`,"UsageUnit":${JSON.stringify(unit)},"UsageQuantity":`),
    `${q(`}],"x_RunId":${JSON.stringify(runId)}}`)}"`,
  ];
}

/** One row's slot values, by slot name. */
function slotValues(
  part: AllocationPart,
  ratio: string,
  quantity: string | null,
  usage: boolean,
  frame: [string, string, string],
  ctx: FocusContext,
): Record<Slot, string> {
  const allocated = part.ownerId !== UNALLOCATED_OWNER;
  const { cells, entities, scope } = ctx;
  return {
    AllocatedMethodDetails: `${frame[0]}${ratio}${frame[1]}${quantity ?? 'null'}${frame[2]}`,
    AllocatedMethodId: cells.get('methodId', part.method, (m) => `ccost/${m}@${scope.ruleSetHash}`),
    AllocatedResourceId: allocated ? cells.get('owner', part.ownerId, (o) => o) : '',
    AllocatedResourceName: allocated
      ? cells.get('ownerName', part.ownerId, (o) => entities.get(o)?.name ?? o)
      : '',
    AllocatedTags: allocated ? cells.get('tags', part.team, (t) => JSON.stringify({ x_Team: t })) : '',
    BilledCost: part.amount,
    ConsumedQuantity: usage ? (quantity ?? '') : '',
    ContractedCost: part.grossAmount,
    EffectiveCost: part.amount,
    ListCost: part.grossAmount,
    PricingQuantity: quantity ?? '',
    x_Team: cells.get('team', part.team, (t) => t),
    x_Confidence: part.confidence,
    x_FallbackReason: part.fallbackReason === null ? '' : cells.get('reason', part.fallbackReason, (r) => r),
    x_ConfluentDiscountAmount:
      part.grossAmount === part.amount ? zeroLike(part.amount) : subtractText(part.grossAmount, part.amount),
  };
}

/** An origin's FOCUS rows: its split, charge category and CSV text (CRLF line breaks). */
export function focusRecords(
  origin: Origin,
  ctx: FocusContext,
): { split: OriginSplit; category: ChargeCategory; csv: string } {
  const { line } = origin;
  const category = chargeCategory(line.product, line.lineType);
  const split = splitOrigin(origin.parts, line.quantity);
  const pieces = template(originValues(line, category, ctx));
  const frame = detailsFrame(line.unit, ctx.scope.runId);
  let csv = '';
  for (let i = 0; i < split.parts.length; i++) {
    const values = slotValues(
      split.parts[i]!,
      split.ratios[i]!,
      split.quantities[i]!,
      category === 'Usage',
      frame,
      ctx,
    );
    let record = pieces[0]!;
    for (let s = 0; s < SLOTS.length; s++) record += values[SLOTS[s]!] + pieces[s + 1]!;
    csv += record;
  }
  return { split, category, csv };
}
