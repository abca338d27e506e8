import { and, eq, isNull } from 'drizzle-orm';
import { canonicalJson } from '../billing/cost.ts';
import type { Db, Store } from '../storage/database.ts';
import { apiKeys, environments, principals, resources } from '../storage/schema.ts';

type Table = typeof resources | typeof principals | typeof environments | typeof apiKeys;

/** An inventory item as listed: the row without org and validity, plus when the API says it was created. */
type Listed<T> = Omit<T, 'orgId' | 'validFrom' | 'validTo'> & { createdAt?: string | null };

/** What one inventory listing saw. */
export interface InventorySnapshot {
  environments?: Listed<typeof environments.$inferInsert>[];
  resources?: Listed<typeof resources.$inferInsert>[];
  principals?: Listed<typeof principals.$inferInsert>[];
  apiKeys?: Listed<typeof apiKeys.$inferInsert>[];
}

/** Options of {@link recordInventory}. */
export interface RecordOptions {
  /**
   * Validity start for items never seen before that carry no creation time: the start of a
   * backfill, so the months being backfilled see them. Default: the observation time.
   */
  firstSeenFrom?: string;
}

/** Counts of one snapshot: rows opened (new or changed) and closed (changed or gone). */
export interface InventorySummary {
  opened: number;
  closed: number;
  unchanged: number;
}

/**
 * Records a snapshot with validity intervals, in one transaction: an unchanged item keeps its
 * open row; a changed one closes the old row at `observedAt` and opens a new one; an item no
 * longer listed is closed. Only the kinds present in the snapshot are compared.
 */
export async function recordInventory(
  store: Store,
  orgId: string,
  snapshot: InventorySnapshot,
  observedAt: string,
  options: RecordOptions = {},
): Promise<InventorySummary> {
  const summary: InventorySummary = { opened: 0, closed: 0, unchanged: 0 };
  await store.db.transaction(async (tx) => {
    const kinds: [Table, Record<string, unknown>[] | undefined][] = [
      [environments, snapshot.environments],
      [resources, snapshot.resources],
      [principals, snapshot.principals],
      [apiKeys, snapshot.apiKeys],
    ];
    for (const [table, items] of kinds) {
      if (items) await recordKind(tx, table, orgId, items, { observedAt, ...options }, summary);
    }
  });
  return summary;
}

async function recordKind(
  tx: Db,
  table: Table,
  orgId: string,
  items: Record<string, unknown>[],
  times: { observedAt: string; firstSeenFrom?: string },
  summary: InventorySummary,
): Promise<void> {
  const { observedAt } = times;
  const known = new Set(
    (await tx.selectDistinct({ id: table.id }).from(table).where(eq(table.orgId, orgId))).map((r) => r.id),
  );
  const open = await tx
    .select()
    .from(table)
    .where(and(eq(table.orgId, orgId), isNull(table.validTo)));
  const openById = new Map(open.map((row) => [row.id, row as Record<string, unknown>]));
  for (const { createdAt, ...item } of items) {
    const id = item.id as string;
    const current = openById.get(id);
    openById.delete(id);
    if (current && contentOf(current) === contentOf(item)) {
      summary.unchanged++;
      continue;
    }
    if (current) await close(tx, table, orgId, id, observedAt, summary);
    const validFrom = known.has(id)
      ? observedAt
      : ((createdAt as string | null | undefined) ?? times.firstSeenFrom ?? observedAt);
    // biome-ignore lint/suspicious/noExplicitAny: one code path for the four inventory tables
    await tx.insert(table).values({ ...item, orgId, validFrom, validTo: null } as any);
    summary.opened++;
  }
  for (const [id, row] of openById) {
    // Unknown principals were never listed (seen only in usage or billing): absence proves nothing.
    if (row.kind !== 'unknown') await close(tx, table, orgId, id as string, observedAt, summary);
  }
}

async function close(tx: Db, table: Table, orgId: string, id: string, at: string, summary: InventorySummary) {
  await tx
    .update(table)
    .set({ validTo: at })
    .where(and(eq(table.orgId, orgId), eq(table.id, id), isNull(table.validTo)));
  summary.closed++;
}

/** The comparable content of a row: every field but org and validity, canonical. */
function contentOf(row: Record<string, unknown>): string {
  const { orgId: _o, validFrom: _f, validTo: _t, ...rest } = row;
  const cleaned = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
  return canonicalJson(cleaned);
}
