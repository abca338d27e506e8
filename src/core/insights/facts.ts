/**
 * What insights read, loaded once per question: the resources alive in the window, their billed
 * lines per day, the bytes their clients moved per day, which days usage was fetched, and who
 * the current allocation runs gave their cost to. Amounts and quantities stay decimal.js.
 */
import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { UNOWNED_TEAM } from '../teams/resolver.ts';

/** A resource as the inventory last knew it in the window. */
export interface ResourceFact {
  orgId: string;
  id: string;
  kind: string;
  type: string | null;
  cloud: string | null;
  region: string | null;
  displayName: string | null;
  parentId: string | null;
  attributes: Record<string, unknown>;
}

/** One line type of one resource on one day (lines of a day summed). */
export interface LineDay {
  day: string;
  lineType: string;
  unit: string | null;
  quantity: Decimal;
  amount: Decimal;
}

/** Bytes produced (request) and consumed (response) on a cluster in one day. */
export interface BytesDay {
  in: Decimal;
  out: Decimal;
}

/** An owner with spend in the unowned team. */
export interface UnownedOwner {
  orgId: string;
  ownerId: string;
  ownerKind: string;
  /** Display name of the principal, when the inventory knows it. */
  name: string | null;
  amount: Decimal;
}

/** Everything the rules read. Maps are keyed by {@link factKey}. */
export interface Facts {
  /** Days of the question, [from, to). */
  window: { from: string; to: string };
  /** Days loaded: the window, extended back so idle checks always see `idle_days` days. */
  loaded: { from: string; to: string };
  resources: Map<string, ResourceFact>;
  lines: Map<string, LineDay[]>;
  bytes: Map<string, Map<string, BytesDay>>;
  /** Distinct topics seen in a cluster's topic usage over the loaded days. */
  topics: Map<string, number>;
  /** Usage fetch status (ok, failed) per cluster and day. */
  fetches: Map<string, Map<string, string>>;
  /** Each resource's allocated cost in the window by team, largest first. */
  teams: Map<string, { team: string; amount: Decimal }[]>;
  unowned: UnownedOwner[];
  /** Ids of the current allocation runs read. */
  runIds: string[];
}

/** `org|id`. */
export function factKey(orgId: string, id: string): string {
  return `${orgId}|${id}`;
}

/** Loads the facts of days `window`, with billing and usage from `loadedFrom`. */
export async function loadFacts(
  store: Store,
  window: { from: string; to: string },
  loadedFrom: string,
  runIds: string[],
): Promise<Facts> {
  const loaded = { from: loadedFrom < window.from ? loadedFrom : window.from, to: window.to };
  const [resources, lines, bytes, topics, fetches, teams, unowned] = await Promise.all([
    loadResources(store, loaded),
    loadLines(store, loaded),
    loadBytes(store, loaded),
    loadTopics(store, loaded),
    loadFetches(store, loaded),
    loadTeams(store, window, runIds),
    loadUnowned(store, window, runIds),
  ]);
  return { window, loaded, resources, lines, bytes, topics, fetches, teams, unowned, runIds };
}

async function loadResources(store: Store, r: { from: string; to: string }) {
  const rows = await store.query<{
    org_id: string;
    id: string;
    kind: string;
    type: string | null;
    cloud: string | null;
    region: string | null;
    display_name: string | null;
    parent_id: string | null;
    attributes: Record<string, unknown> | null;
  }>(sql`
    select distinct on (org_id, id) org_id, id, kind, type, cloud, region, display_name, parent_id, attributes
    from resources
    where valid_from < ${r.to}::date and (valid_to is null or valid_to > ${r.from}::date)
    order by org_id, id, valid_from desc`);
  const out = new Map<string, ResourceFact>();
  for (const row of rows) {
    out.set(factKey(row.org_id, row.id), {
      orgId: row.org_id,
      id: row.id,
      kind: row.kind,
      type: row.type,
      cloud: row.cloud,
      region: row.region,
      displayName: row.display_name,
      parentId: row.parent_id,
      attributes: row.attributes ?? {},
    });
  }
  return out;
}

async function loadLines(store: Store, r: { from: string; to: string }) {
  const rows = await store.query<{
    org_id: string;
    resource_id: string;
    day: string;
    line_type: string;
    unit: string | null;
    quantity: string;
    amount: string;
  }>(sql`
    select org_id, resource_id, start_date::text as day, line_type, max(unit) as unit,
           coalesce(sum(quantity), 0)::text as quantity, sum(amount)::text as amount
    from billing_lines
    where start_date >= ${r.from} and start_date < ${r.to} and resource_id is not null
    group by org_id, resource_id, start_date, line_type
    order by org_id, resource_id, start_date, line_type`);
  const out = new Map<string, LineDay[]>();
  for (const row of rows) {
    push(out, factKey(row.org_id, row.resource_id), {
      day: row.day,
      lineType: row.line_type,
      unit: row.unit,
      quantity: new Decimal(row.quantity),
      amount: new Decimal(row.amount),
    });
  }
  return out;
}

async function loadBytes(store: Store, r: { from: string; to: string }) {
  const rows = await store.query<{
    org_id: string;
    resource_id: string;
    day: string;
    metric: string;
    v: string;
  }>(
    sql`
    select org_id, resource_id, (bucket_start at time zone 'UTC')::date::text as day, metric, sum(value)::text as v
    from usage
    where granularity = 'day' and subject_kind = 'principal'
      and bucket_start >= ${r.from}::date and bucket_start < ${r.to}::date
    group by org_id, resource_id, day, metric`,
  );
  const out = new Map<string, Map<string, BytesDay>>();
  for (const row of rows) {
    const days = mapOf(out, factKey(row.org_id, row.resource_id));
    const day = days.get(row.day) ?? { in: new Decimal(0), out: new Decimal(0) };
    if (row.metric === 'request_bytes') day.in = day.in.plus(row.v);
    else if (row.metric === 'response_bytes') day.out = day.out.plus(row.v);
    days.set(row.day, day);
  }
  return out;
}

async function loadTopics(store: Store, r: { from: string; to: string }) {
  const rows = await store.query<{ org_id: string; resource_id: string; n: string }>(sql`
    select org_id, resource_id, count(distinct subject_id)::text as n from usage
    where subject_kind = 'topic' and bucket_start >= ${r.from}::date and bucket_start < ${r.to}::date
    group by org_id, resource_id`);
  return new Map(rows.map((row) => [factKey(row.org_id, row.resource_id), Number(row.n)]));
}

async function loadFetches(store: Store, r: { from: string; to: string }) {
  const rows = await store.query<{ org_id: string; resource_id: string; day: string; status: string }>(sql`
    select org_id, resource_id, day::text as day, status from usage_fetches
    where day >= ${r.from} and day < ${r.to}`);
  const out = new Map<string, Map<string, string>>();
  for (const row of rows) mapOf(out, factKey(row.org_id, row.resource_id)).set(row.day, row.status);
  return out;
}

function runFilter(runIds: string[]): SQL {
  return runIds.length === 0
    ? sql`false`
    : sql`run_id in (${sql.join(
        runIds.map((id) => sql`${id}`),
        sql`, `,
      )})`;
}

async function loadTeams(store: Store, w: { from: string; to: string }, runIds: string[]) {
  const rows = await store.query<{ org_id: string; resource_id: string; team: string; amount: string }>(sql`
    select org_id, resource_id, team, sum(amount)::text as amount from allocation_rollups
    where ${runFilter(runIds)} and bucket >= ${w.from} and bucket < ${w.to} and resource_id is not null
    group by org_id, resource_id, team`);
  const out = new Map<string, { team: string; amount: Decimal }[]>();
  for (const row of rows)
    push(out, factKey(row.org_id, row.resource_id), { team: row.team, amount: new Decimal(row.amount) });
  for (const list of out.values())
    list.sort((a, b) => b.amount.comparedTo(a.amount) || a.team.localeCompare(b.team));
  return out;
}

async function loadUnowned(store: Store, w: { from: string; to: string }, runIds: string[]) {
  const rows = await store.query<{
    org_id: string;
    owner_id: string;
    owner_kind: string;
    amount: string;
    name: string | null;
  }>(sql`
    select r.org_id, r.owner_id, min(r.owner_kind) as owner_kind, sum(r.amount)::text as amount,
      (select p.display_name from principals p where p.org_id = r.org_id and p.id = r.owner_id
       order by p.valid_from desc limit 1) as name
    from allocation_rollups r
    where ${runFilter(runIds)} and r.bucket >= ${w.from} and r.bucket < ${w.to} and r.team = ${UNOWNED_TEAM}
    group by r.org_id, r.owner_id`);
  return rows.map((row) => ({
    orgId: row.org_id,
    ownerId: row.owner_id,
    ownerKind: row.owner_kind,
    name: row.name,
    amount: new Decimal(row.amount),
  }));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mapOf<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
