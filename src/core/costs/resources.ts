/**
 * Active resources (clusters, connectors, compute pools, …) with their month-to-date cost and the
 * team that owns them: the team `ccost.yaml` maps the resource (or its environment) to, else the
 * team carrying most of its cost this month.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { TeamResolver, UNOWNED_TEAM } from '../teams/resolver.ts';
import { type ObservedUsage, observedUsage } from './usage.ts';

/** One active resource as the API lists it. */
export interface ResourceSummary {
  orgId: string;
  id: string;
  kind: string;
  type: string | null;
  name: string | null;
  cloud: string | null;
  region: string | null;
  environmentId: string | null;
  team: string;
  /** `config` when ccost.yaml maps it, `cost` when it is the team with most of its cost, `none`. */
  teamSource: 'config' | 'cost' | 'none';
  monthToDate: string;
  /** Observed usage over the last 30 complete days as a 30-day month (GB), null when none was collected. */
  usage: ObservedUsage | null;
}

/** A resource row as read. */
type ResourceRow = {
  org_id: string;
  id: string;
  kind: string;
  type: string | null;
  display_name: string | null;
  cloud: string | null;
  region: string | null;
  environment_id: string | null;
};

/** Resources valid at `now`, largest month-to-date cost first. */
export async function activeResources(
  store: Store,
  options: { config: Config; now: Date; teams?: string[] },
): Promise<ResourceSummary[]> {
  const day = options.now.toISOString().slice(0, 10);
  const monthStart = `${day.slice(0, 7)}-01`;
  const rows = await store.query<ResourceRow>(sql`
    select org_id, id, kind, type, display_name, cloud, region, environment_id from resources
    where valid_from <= ${options.now.toISOString()}::timestamptz
      and (valid_to is null or valid_to > ${options.now.toISOString()}::timestamptz)`);
  const costs = await store.query<{ resource_id: string; team: string; amount: string }>(sql`
    select c.resource_id, c.team, sum(c.amount)::text as amount from allocation_rollups c
    join allocation_runs r on r.id = c.run_id and r.is_current
    where c.bucket >= ${monthStart}::date and c.bucket <= ${day}::date and c.resource_id is not null
    group by c.resource_id, c.team`);
  const byResource = new Map<string, { team: string; amount: Decimal }[]>();
  for (const c of costs) {
    const list = byResource.get(c.resource_id) ?? [];
    list.push({ team: c.team, amount: new Decimal(c.amount) });
    byResource.set(c.resource_id, list);
  }
  const observed = new Map(
    (await observedUsage(store, { now: options.now })).map((u) => [`${u.orgId}\u0000${u.id}`, u.usage]),
  );
  const resolver = new TeamResolver(options.config);
  const summaries = rows.map((r) => ({
    ...summarize(r, byResource.get(r.id) ?? [], resolver, day),
    usage: observed.get(`${r.org_id}\u0000${r.id}`) ?? null,
  }));
  const visible = options.teams ? summaries.filter((s) => options.teams!.includes(s.team)) : summaries;
  return visible.sort(
    (a, b) => new Decimal(b.monthToDate).comparedTo(a.monthToDate) || a.id.localeCompare(b.id),
  );
}

function summarize(
  r: ResourceRow,
  costs: { team: string; amount: Decimal }[],
  resolver: TeamResolver,
  day: string,
): Omit<ResourceSummary, 'usage'> {
  const mapped = resolver.resolve({ orgId: r.org_id, ownerId: r.id, environmentId: r.environment_id, day });
  const largest = [...costs].sort((a, b) => b.amount.comparedTo(a.amount))[0];
  const byConfig = mapped !== UNOWNED_TEAM;
  return {
    orgId: r.org_id,
    id: r.id,
    kind: r.kind,
    type: r.type,
    name: r.display_name,
    cloud: r.cloud,
    region: r.region,
    environmentId: r.environment_id,
    team: byConfig ? mapped : (largest?.team ?? UNOWNED_TEAM),
    teamSource: byConfig ? 'config' : largest ? 'cost' : 'none',
    monthToDate: costs.reduce((s, c) => s.plus(c.amount), new Decimal(0)).toFixed(),
  };
}
