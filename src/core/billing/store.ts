import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { nextDay } from '../calendar/days.ts';
import { bulkInsert } from '../storage/bulk.ts';
import type { Store } from '../storage/database.ts';
import { billingLines, billingLineVersions, organizations } from '../storage/schema.ts';
import { type NormalizedCost, naturalKey } from './cost.ts';

/** Counts of one upsert: lines new, changed (previous version kept) and unchanged. */
export interface UpsertSummary {
  new: number;
  changed: number;
  unchanged: number;
}

const LINE_COLUMNS = [
  { name: 'org_id', type: 'text' },
  { name: 'start_date', type: 'date' },
  { name: 'end_date', type: 'date' },
  { name: 'product', type: 'text' },
  { name: 'line_type', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'resource_name', type: 'text' },
  { name: 'environment_id', type: 'text' },
  { name: 'network_access_type', type: 'text' },
  { name: 'tier_dimensions', type: 'text' },
  { name: 'source_id', type: 'text' },
  { name: 'granularity', type: 'text' },
  { name: 'unit', type: 'text' },
  { name: 'price', type: 'numeric' },
  { name: 'quantity', type: 'numeric' },
  { name: 'original_amount', type: 'numeric' },
  { name: 'discount_amount', type: 'numeric' },
  { name: 'amount', type: 'numeric' },
  { name: 'description', type: 'text' },
  { name: 'raw', type: 'jsonb' },
  { name: 'content_hash', type: 'text' },
] as const;

/** Makes sure the organization row exists. */
export async function ensureOrganization(store: Store, orgId: string, displayName?: string): Promise<void> {
  await store.db
    .insert(organizations)
    .values({ id: orgId, displayName: displayName ?? null })
    .onConflictDoNothing();
}

/**
 * Inserts or updates billing lines by natural key, in one transaction. A line whose content
 * changed keeps its previous version in billing_line_versions; identical lines are untouched.
 * Duplicate keys inside `costs` are an error of the source, reported by the caller's validation;
 * here the last one wins.
 */
export async function upsertBillingLines(
  store: Store,
  orgId: string,
  costs: readonly NormalizedCost[],
): Promise<UpsertSummary> {
  const summary: UpsertSummary = { new: 0, changed: 0, unchanged: 0 };
  if (costs.length === 0) return summary;
  const incoming = new Map<string, NormalizedCost>();
  for (const c of costs) incoming.set(naturalKey(c), c);
  const days = [...incoming.values()].map((c) => c.startDate).sort();
  const first = days[0]!;
  const last = days[days.length - 1]!;
  await ensureOrganization(store, orgId);
  await store.db.transaction(async (tx) => {
    const existing = await tx
      .select()
      .from(billingLines)
      .where(
        and(
          eq(billingLines.orgId, orgId),
          gte(billingLines.startDate, first),
          lt(billingLines.startDate, nextDay(last)),
        ),
      );
    const byKey = new Map(existing.map((row) => [naturalKey(row), row]));
    const fresh: NormalizedCost[] = [];
    for (const [key, cost] of incoming) {
      const old = byKey.get(key);
      if (!old) {
        fresh.push(cost);
        continue;
      }
      if (old.contentHash === cost.contentHash) {
        summary.unchanged++;
        continue;
      }
      summary.changed++;
      await tx.insert(billingLineVersions).values({
        lineId: old.id,
        version: old.version,
        originalAmount: old.originalAmount,
        discountAmount: old.discountAmount,
        amount: old.amount,
        quantity: old.quantity,
        raw: old.raw,
      });
      await tx
        .update(billingLines)
        .set({
          ...lineValues(orgId, cost),
          version: sql`${billingLines.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(billingLines.id, old.id));
    }
    summary.new = fresh.length;
    await bulkInsert(
      store,
      tx,
      'billing_lines',
      LINE_COLUMNS,
      fresh.map((c) => {
        const v = lineValues(orgId, c);
        return [
          v.orgId,
          v.startDate,
          v.endDate,
          v.product,
          v.lineType,
          v.resourceId,
          v.resourceName,
          v.environmentId,
          v.networkAccessType,
          v.tierDimensions,
          v.sourceId,
          v.granularity,
          v.unit,
          v.price,
          v.quantity,
          v.originalAmount,
          v.discountAmount,
          v.amount,
          v.description,
          JSON.stringify(v.raw),
          v.contentHash,
        ];
      }),
    );
  });
  return summary;
}

function lineValues(orgId: string, c: NormalizedCost) {
  return {
    orgId,
    startDate: c.startDate,
    endDate: c.endDate,
    product: c.product,
    lineType: c.lineType,
    resourceId: c.resourceId,
    resourceName: c.resourceName,
    environmentId: c.environmentId,
    networkAccessType: c.networkAccessType,
    tierDimensions: c.tierDimensions,
    sourceId: c.sourceId,
    granularity: c.granularity,
    unit: c.unit,
    price: c.price,
    quantity: c.quantity,
    originalAmount: c.originalAmount,
    discountAmount: c.discountAmount,
    amount: c.amount,
    description: c.description,
    raw: c.raw,
    contentHash: c.contentHash,
  };
}

export { nextDay };
