import { createHash } from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { canonicalJson } from '../billing/cost.ts';
import type { Store } from '../storage/database.ts';
import { environments, principals, resources } from '../storage/schema.ts';

export type ResourceRow = typeof resources.$inferSelect;
export type PrincipalRow = typeof principals.$inferSelect;
export type EnvironmentRow = typeof environments.$inferSelect;

/** Inventory as it was over a period: look-ups answer for a given day. */
export class InventoryView {
  private readonly resourcesById = new Map<string, ResourceRow[]>();
  private readonly principalsById = new Map<string, PrincipalRow[]>();
  private readonly environmentsById = new Map<string, EnvironmentRow[]>();
  private readonly clustersByEnv = new Map<string, ResourceRow[]>();
  private readonly clusterCache = new Map<string, string[]>();

  private readonly rows: {
    resources: ResourceRow[];
    principals: PrincipalRow[];
    environments: EnvironmentRow[];
  };

  constructor(rows: {
    resources: ResourceRow[];
    principals: PrincipalRow[];
    environments: EnvironmentRow[];
  }) {
    this.rows = rows;
    for (const r of rows.resources) {
      group(this.resourcesById, r.id, r);
      if (r.kind === 'kafka_cluster' && r.environmentId) group(this.clustersByEnv, r.environmentId, r);
    }
    for (const p of rows.principals) group(this.principalsById, p.id, p);
    for (const e of rows.environments) group(this.environmentsById, e.id, e);
    // On a day with a change, the newest version wins: look-ups scan newest first.
    for (const map of [this.resourcesById, this.principalsById, this.environmentsById, this.clustersByEnv]) {
      for (const list of map.values() as Iterable<{ validFrom: string }[]>) list.sort(newestFirst);
    }
  }

  /** Hash of every row, so a run can tell whether the inventory it used has changed. */
  fingerprint(): string {
    const hash = createHash('sha256');
    for (const list of [this.rows.resources, this.rows.principals, this.rows.environments]) {
      const lines = list.map((row) => canonicalJson(row)).sort();
      for (const line of lines) hash.update(line).update('\n');
      hash.update('\u0000');
    }
    return hash.digest('hex');
  }

  /** The resource as it was on `day` (YYYY-MM-DD), or undefined. */
  resourceOn(id: string, day: string): ResourceRow | undefined {
    return this.resourcesById.get(id)?.find((r) => validOn(r, day));
  }

  /** The principal as it was on `day`, or undefined. */
  principalOn(id: string, day: string): PrincipalRow | undefined {
    return this.principalsById.get(id)?.find((p) => validOn(p, day));
  }

  /** Display name of any owner id (principal, resource or environment) on `day`. */
  nameOn(id: string, day: string): string | null {
    return (
      this.principalOn(id, day)?.displayName ??
      this.resourceOn(id, day)?.displayName ??
      this.environmentsById.get(id)?.find((e) => validOn(e, day))?.displayName ??
      null
    );
  }

  /** Ids of every Kafka cluster in the view, sorted. */
  kafkaClusterIds(): string[] {
    return [
      ...new Set(this.rows.resources.filter((r) => r.kind === 'kafka_cluster').map((r) => r.id)),
    ].sort();
  }

  /** Ids of the Kafka clusters in an environment on `day`, sorted. */
  kafkaClustersOn(environmentId: string, day: string): string[] {
    const key = `${environmentId}|${day}`;
    let ids = this.clusterCache.get(key);
    if (!ids) {
      ids = [
        ...new Set(
          (this.clustersByEnv.get(environmentId) ?? []).filter((r) => validOn(r, day)).map((r) => r.id),
        ),
      ].sort();
      this.clusterCache.set(key, ids);
    }
    return ids;
  }
}

function newestFirst(a: { validFrom: string }, b: { validFrom: string }): number {
  return Date.parse(b.validFrom) - Date.parse(a.validFrom);
}

function group<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** True when [valid_from, valid_to) covers any part of `day`. */
function validOn(row: { validFrom: string; validTo: string | null }, day: string): boolean {
  const from = row.validFrom.slice(0, 10);
  const to = row.validTo ? isoDayOfEnd(row.validTo) : null;
  return from <= day && (to === null || day < to);
}

/** A valid_to timestamp ends on the day it falls in, unless it is exactly midnight. */
function isoDayOfEnd(ts: string): string {
  const d = new Date(ts);
  const day = d.toISOString().slice(0, 10);
  const midnight =
    d.getUTCHours() === 0 &&
    d.getUTCMinutes() === 0 &&
    d.getUTCSeconds() === 0 &&
    d.getUTCMilliseconds() === 0;
  if (midnight) return day;
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Loads every inventory row of an org valid at some time in [from, to). */
export async function loadInventory(
  store: Store,
  orgId: string,
  from: string,
  to: string,
): Promise<InventoryView> {
  const overlaps = <T extends { orgId: unknown; validFrom: unknown; validTo: unknown }>(t: T) =>
    and(
      eq(t.orgId as typeof resources.orgId, orgId),
      lt(t.validFrom as typeof resources.validFrom, `${to}T00:00:00Z`),
      or(
        isNull(t.validTo as typeof resources.validTo),
        gt(t.validTo as typeof resources.validTo, `${from}T00:00:00Z`),
      ),
    );
  const [resourceRows, principalRows, environmentRows] = await Promise.all([
    store.db.select().from(resources).where(overlaps(resources)),
    store.db.select().from(principals).where(overlaps(principals)),
    store.db.select().from(environments).where(overlaps(environments)),
  ]);
  return new InventoryView({
    resources: resourceRows,
    principals: principalRows,
    environments: environmentRows,
  });
}
