/** The values each dimension takes, with display names: what filters and pickers offer. */
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';

/** Dimensions listed by {@link listDimension}. */
export const DIMENSION_KINDS = ['orgs', 'envs', 'clusters', 'principals', 'teams'] as const;
/** One of {@link DIMENSION_KINDS}. */
export type DimensionKind = (typeof DIMENSION_KINDS)[number];

/** One value of a dimension. */
export interface DimensionValue {
  id: string;
  name: string | null;
  orgId?: string;
  kind?: string;
}

/** The current (latest) name of every org, environment, cluster, principal or team. */
export async function listDimension(
  store: Store,
  kind: DimensionKind,
  options: { config: Config; teams?: string[] },
): Promise<DimensionValue[]> {
  if (kind === 'teams') return listTeams(store, options);
  if (kind === 'orgs') {
    const rows = await store.query<{ id: string; display_name: string | null }>(
      sql`select id, display_name from organizations order by id`,
    );
    return rows.map((r) => ({ id: r.id, name: r.display_name }));
  }
  const query = {
    envs: sql`select distinct on (org_id, id) org_id, id, display_name, null as kind from environments order by org_id, id, valid_from desc`,
    clusters: sql`select distinct on (org_id, id) org_id, id, display_name, type as kind from resources where kind = 'kafka_cluster' order by org_id, id, valid_from desc`,
    principals: sql`select distinct on (org_id, id) org_id, id, display_name, kind from principals order by org_id, id, valid_from desc`,
  }[kind];
  const rows = await store.query<{
    org_id: string;
    id: string;
    display_name: string | null;
    kind: string | null;
  }>(query);
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    orgId: r.org_id,
    ...(r.kind ? { kind: r.kind } : {}),
  }));
}

async function listTeams(
  store: Store,
  options: { config: Config; teams?: string[] },
): Promise<DimensionValue[]> {
  const allocated = await store.query<{ team: string }>(
    sql`select distinct c.team from allocation_team_days c join allocation_runs r on r.id = c.run_id and r.is_current`,
  );
  const names = new Set([...Object.keys(options.config.teams), ...allocated.map((r) => r.team)]);
  return [...names]
    .filter((t) => !options.teams || options.teams.includes(t))
    .sort()
    .map((id) => ({ id, name: options.config.teams[id]?.display_name ?? null }));
}
