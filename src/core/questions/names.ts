/**
 * Names in questions and in answers: what `team Payments`, `cluster orders-prod` or `env
 * production` refer to (by id or display name, case-insensitively, from ccost.yaml and the
 * inventory), and the display names shown next to ids in breakdowns.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { UNALLOCATED_TEAM, UNOWNED_TEAM } from '../teams/resolver.ts';
import { productLabel } from './format.ts';
import {
  type Breakdown,
  editDistance,
  MAX_NAME_SUGGESTIONS,
  matchName,
  type NamedThing,
  type ScopeKind,
} from './grammar.ts';

/** What a name resolved to, or a reply offering the nearest names. */
export type Resolved =
  | { ok: true; thing: NamedThing }
  | { ok: false; message: string; suggestions: string[] };

/** The words a scope kind is written with in questions. */
const COMMAND: Record<ScopeKind, string> = {
  team: 'team',
  cluster: 'cluster',
  principal: 'principal',
  environment: 'env',
  product: 'product',
};

/**
 * Teams anyone can ask about: those in ccost.yaml and the two no-team teams. Allocations only
 * ever name these (the resolver maps to configured teams or `unowned`), so no query is needed.
 */
export function knownTeams(config: Config): NamedThing[] {
  const names = [...Object.keys(config.teams), UNOWNED_TEAM, UNALLOCATED_TEAM];
  return [...new Set(names)].sort().map((id) => ({ id, name: config.teams[id]?.display_name ?? null }));
}

/** Candidates of a scope kind, from ccost.yaml and the inventory (latest name of each id). */
export async function candidates(store: Store, config: Config, kind: ScopeKind): Promise<NamedThing[]> {
  switch (kind) {
    case 'team':
      return knownTeams(config);
    case 'cluster':
      return latestNames(store, 'resources', sql`kind = 'kafka_cluster'`);
    case 'principal':
      return latestNames(store, 'principals', sql`true`);
    case 'environment':
      return latestNames(store, 'environments', sql`true`);
    case 'product':
      return products(store);
  }
}

async function latestNames(
  store: Store,
  table: string,
  where: ReturnType<typeof sql>,
): Promise<NamedThing[]> {
  return store.query<NamedThing>(sql`
    select distinct on (id) id, display_name as name
    from ${sql.raw(`"${table}"`)} where ${where}
    order by id, valid_from desc`);
}

async function products(store: Store): Promise<NamedThing[]> {
  const rows = await store.query<{ id: string }>(sql`select distinct product as id from billing_lines`);
  return rows.map((r) => ({ id: r.id, name: productLabel(r.id) }));
}

/** Resolves a name of a kind; a miss is a reply with "did you mean" suggestions. */
export async function resolveName(
  store: Store,
  config: Config,
  kind: ScopeKind,
  name: string,
): Promise<Resolved> {
  const all = await candidates(store, config, kind);
  const found = matchName(name, all);
  if (found.match) return { ok: true, thing: found.match };
  const word = COMMAND[kind];
  const suggestions = found.suggestions
    .slice(0, MAX_NAME_SUGGESTIONS)
    .map((s) => `${word} ${quoted(spoken(kind, name, s, all))}`);
  const hint =
    suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
  const what = kind === 'environment' ? 'environment' : kind;
  return { ok: false, message: `No ${what} called "${name}".${hint}`, suggestions };
}

/**
 * How to write a candidate in a question: products in lower case; the id or a unique display
 * name, whichever is nearer to what was typed.
 */
function spoken(kind: ScopeKind, typed: string, thing: NamedThing, all: NamedThing[]): string {
  if (kind === 'product') return thing.id.toLowerCase();
  if (kind === 'team' || !thing.name) return thing.id;
  const t = typed.toLowerCase();
  if (editDistance(t, thing.id.toLowerCase()) <= editDistance(t, thing.name.toLowerCase())) return thing.id;
  const lower = thing.name.toLowerCase();
  const unique =
    all.filter((c) => c.name?.toLowerCase() === lower || c.id.toLowerCase() === lower).length === 1;
  return unique ? thing.name : thing.id;
}

function quoted(id: string): string {
  return /\s/.test(id) ? `"${id}"` : id;
}

/** Display names for the keys of a breakdown (null where there is none worth showing). */
export async function displayNames(
  store: Store,
  config: Config,
  dimension: Breakdown,
  keys: string[],
): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  if (keys.length === 0) return names;
  if (dimension === 'product') for (const k of keys) names.set(k, productLabel(k));
  if (dimension === 'team') for (const k of keys) names.set(k, config.teams[k]?.display_name ?? null);
  const tables = TABLES[dimension];
  for (const table of tables ?? []) {
    const rows = await store.query<NamedThing>(sql`
      select distinct on (id) id, display_name as name from ${sql.raw(`"${table}"`)}
      where id in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) order by id, valid_from desc`);
    for (const r of rows) if (r.name && r.name !== r.id && !names.get(r.id)) names.set(r.id, r.name);
  }
  return names;
}

/** Where a dimension's display names live; owners are principals or resources. */
const TABLES: Partial<Record<Breakdown, string[]>> = {
  principal: ['principals', 'resources'],
  resource: ['resources'],
  cluster: ['resources'],
  environment: ['environments'],
};
