/**
 * `ccost export focus`: a month's current allocation run as a FOCUS 1.3 Cost and Usage CSV with
 * split cost allocation (one row per billing line and owner, plus the line's unallocated part),
 * streamed page by page, and its metadata sidecar.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { UNALLOCATED_OWNER } from '../allocation/engine.ts';
import { CODE_VERSION } from '../allocation/run.ts';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { UNALLOCATED_TEAM } from '../teams/resolver.ts';
import { type FocusMetadata, FocusTally, focusMetadata, reconcile } from './focus-metadata.ts';
import { CellCache, type FocusContext, focusRecords } from './focus-rows.ts';
import { FOCUS_HEADER } from './focus-schema.ts';
import { loadEntities, organizationName } from './names.ts';
import { type AllocationPart, type Origin, type OriginLine, originsOf } from './origins.ts';
import { ChunkWriter, csvRecord, writeFileAtomically } from './output.ts';
import { type ExportScope, PAGE_ROWS, resolveScope } from './scope.ts';

/** Options of {@link exportFocus}. */
export interface FocusExportOptions {
  orgId: string;
  /** YYYY-MM */
  month: string;
  /** `currency` (BillingCurrency, default USD) and `organizations[].name` (BillingAccountName). */
  config?: Pick<Config, 'currency' | 'organizations'>;
  /** Allocation rows per keyset page (default 20,000). */
  pageRows?: number;
  /** Clock for the metadata's CreationDate. */
  now?: () => Date;
}

/** What an export wrote. */
export interface FocusExportResult {
  scope: ExportScope;
  rows: number;
  origins: number;
  bytes: number;
  metadata: FocusMetadata;
}

/**
 * Streams the FOCUS CSV of `orgId`'s `month` (its current allocation run) to `out`, reading the
 * run in keyset pages and waiting on the stream's backpressure. Returns the metadata sidecar,
 * with `x_Source.File` set from `file` when given. Throws before writing anything when the month
 * has no run.
 */
export async function exportFocus(
  store: Store,
  options: FocusExportOptions,
  out: Writable,
  file: string | null = null,
): Promise<FocusExportResult> {
  const scope = await resolveScope(store, options.orgId, options.month);
  const currency = options.config?.currency ?? 'USD';
  const configured = options.config?.organizations.find((o) => o.id === scope.orgId)?.name;
  const ctx: FocusContext = {
    scope,
    currency,
    orgName: await organizationName(store, scope.orgId, configured),
    entities: await loadEntities(store, scope),
    cells: new CellCache(),
  };
  const pageRows = options.pageRows ?? PAGE_ROWS;
  const writer = new ChunkWriter(out);
  const tally = new FocusTally();
  await writer.write(csvRecord(FOCUS_HEADER));
  for await (const event of originsOf(store, scope, pageRows)) {
    const origin = event.kind === 'origin' ? event.origin : zeroLineOrigin(event.line, scope);
    if (origin) await writeOrigin(writer, origin, ctx, tally);
    else if (event.kind === 'line-without-parts') tally.addLineNotInRun(event.line.amount);
  }
  await writer.flush();
  const metadata = focusMetadata({
    scope,
    currency,
    file: file === null ? null : path.basename(file),
    createdAt: (options.now ?? (() => new Date()))(),
    generatorVersion: CODE_VERSION,
    reconciliation: await reconcile(store, scope, tally),
    tally,
  });
  return { scope, rows: tally.rows, origins: tally.origins, bytes: writer.bytes, metadata };
}

/** Writes one origin's rows and counts them. */
async function writeOrigin(writer: ChunkWriter, origin: Origin, ctx: FocusContext, tally: FocusTally) {
  const { split, category, csv } = focusRecords(origin, ctx);
  tally.addOrigin(origin, split, category);
  await writer.write(csv);
}

const ZERO = /^-?0*\.?0*$/;

/**
 * A zero-amount line without rows (the engine drops all-zero parts) as an origin with one
 * unallocated row, so its quantity is exported; undefined for a non-zero line the run lacks.
 */
function zeroLineOrigin(line: OriginLine, scope: ExportScope): Origin | undefined {
  if (!ZERO.test(line.amount) || !ZERO.test(line.originalAmount)) return undefined;
  const part: AllocationPart = {
    lineId: line.id,
    ownerId: UNALLOCATED_OWNER,
    method: 'unallocated',
    team: UNALLOCATED_TEAM,
    amount: line.amount,
    grossAmount: line.originalAmount,
    usageShare: '0',
    confidence: 'high',
    fallbackReason: `zero-amount line without rows in run ${scope.runId}`,
  };
  return { line, parts: [part], stored: true };
}

/** The sidecar's path for an export file: FILE.metadata.json. */
export function focusMetadataPath(file: string): string {
  return `${file}.metadata.json`;
}

/**
 * {@link exportFocus} into `file`, all or nothing, then its metadata sidecar next to it
 * (`FILE.metadata.json`).
 */
export async function writeFocusExport(
  store: Store,
  options: FocusExportOptions & { file: string },
): Promise<FocusExportResult & { metadataFile: string }> {
  // Resolved first so a month without a run leaves no file behind.
  await resolveScope(store, options.orgId, options.month);
  const result = await writeFileAtomically(options.file, (stream) =>
    exportFocus(store, options, stream, options.file),
  );
  const metadataFile = focusMetadataPath(options.file);
  await writeFileAtomically(metadataFile, async (stream) => {
    stream.write(`${JSON.stringify(result.metadata, null, 2)}\n`);
  });
  return { ...result, metadataFile };
}
