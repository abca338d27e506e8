import type { Config } from '../core/config/schema.ts';
import { TeamResolver, UNOWNED_TEAM } from '../core/teams/resolver.ts';

/** Resolves Terraform addresses to teams. */
export type OwnerResolver = (address: string) => string;

/**
 * The names an address is made of, most specific first: the resource name and its `for_each`
 * key, then each module name (innermost first) and its key.
 * `module.payments.confluent_kafka_cluster.this["a"]` → `this`, `a`, `payments`.
 *
 * @param address - a Terraform resource address
 * @returns the names, without duplicates
 */
export function addressNames(address: string): string[] {
  const segments: { name: string; key?: string }[] = [];
  const key = '(?:\\[("(?:[^"\\\\]|\\\\.)*"|\\d+)\\])?';
  const re = new RegExp(`\\.?(?:module\\.([\\w-]+)${key}|(?:data\\.)?[\\w-]+\\.([\\w-]+)${key})`, 'y');
  let m = re.exec(address);
  while (m !== null && m[0] !== '') {
    const raw = m[2] ?? m[4];
    // A for_each key names something; a count index does not.
    const k = raw?.startsWith('"') ? raw.slice(1, -1) : undefined;
    segments.push({ name: (m[1] ?? m[3])!, ...(k !== undefined ? { key: k } : {}) });
    m = re.exec(address);
  }
  const ordered = segments.reverse().flatMap((s) => (s.key === undefined ? [s.name] : [s.name, s.key]));
  return [...new Set(ordered)];
}

/**
 * Maps a Terraform address to its owning team from ccost.yaml's `teams.*.owners`. Resources in a
 * pull request usually have no Confluent id yet, so the owner entries are matched against the
 * address itself:
 *
 * 1. an owner `id` equal to the full address, or an owner `pattern` (glob) matching the full
 *    address or one of its names (resource name, `for_each` key, module names; see
 *    {@link addressNames}), most specific name first;
 * 2. else a team whose name equals one of those names (`module.payments…` → team `payments`);
 * 3. else `unowned`.
 *
 * Owner entries restricted to an organization or to dates outside today are ignored.
 *
 * @param config - ccost.yaml (its `teams`)
 * @param today - YYYY-MM-DD, for owner entries with from/until
 * @returns the resolver
 */
export function createOwnerResolver(config: Pick<Config, 'teams'>, today: string): OwnerResolver {
  const resolver = new TeamResolver(config);
  const teams = new Set(Object.keys(config.teams));
  return (address) => {
    const names = addressNames(address);
    for (const candidate of [address, ...names]) {
      const team = resolver.resolve({ orgId: '', ownerId: candidate, day: today });
      if (team !== UNOWNED_TEAM) return team;
    }
    return names.find((n) => teams.has(n)) ?? UNOWNED_TEAM;
  };
}
