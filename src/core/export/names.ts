/**
 * Display names, kinds, clouds and regions of an org's principals, resources and environments as
 * they were in a month, for the FOCUS name columns. One map per export: its size is the org's
 * inventory, never the month's rows.
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import type { ExportScope } from './scope.ts';

/** What the inventory says of one id in the month (the latest version valid in it). */
export interface KnownEntity {
  name: string | null;
  kind: string;
  cloud: string | null;
  region: string | null;
}

/** The org's entities valid at some time in the month, by id; later versions win, names persist. */
export async function loadEntities(store: Store, scope: ExportScope): Promise<Map<string, KnownEntity>> {
  const from = `${scope.period.from}T00:00:00Z`;
  const to = `${scope.period.to}T00:00:00Z`;
  const valid = sql`org_id = ${scope.orgId} and valid_from < ${to}::timestamptz
    and (valid_to is null or valid_to > ${from}::timestamptz)`;
  const rows = await store.query<KnownEntity & { id: string }>(
    sql`select id, name, kind, cloud, region from (
          select id, display_name as name, kind, null::text as cloud, null::text as region, valid_from
            from principals where ${valid}
          union all
          select id, display_name, kind, cloud, region, valid_from from resources where ${valid}
          union all
          select id, display_name, 'environment', null, null, valid_from from environments where ${valid}
        ) e order by valid_from`,
  );
  const entities = new Map<string, KnownEntity>();
  for (const { id, ...entity } of rows) {
    const before = entities.get(id);
    entities.set(id, {
      name: entity.name ?? before?.name ?? null,
      kind: entity.kind,
      cloud: entity.cloud ?? before?.cloud ?? null,
      region: entity.region ?? before?.region ?? null,
    });
  }
  return entities;
}

/** The org's display name: ccost.yaml's `organizations[].name`, else the stored one, else null. */
export async function organizationName(
  store: Store,
  orgId: string,
  configured: string | undefined,
): Promise<string | null> {
  if (configured) return configured;
  const [row] = await store.query<{ name: string | null }>(
    sql`select display_name as name from organizations where id = ${orgId}`,
  );
  return row?.name ?? null;
}
