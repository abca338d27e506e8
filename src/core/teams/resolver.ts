import { ConfigError } from '../config/load.ts';
import type { Config, OwnerEntry } from '../config/schema.ts';

/** Team of owners no ccost.yaml entry maps; listed by `ccost report` so they can be mapped. */
export const UNOWNED_TEAM = 'unowned';
/** Team of the explicit unallocated rows (credits, products without per-principal usage). */
export const UNALLOCATED_TEAM = 'unallocated';

/** What the resolver knows of one owner on one day. */
export interface OwnerFacts {
  orgId: string;
  ownerId: string;
  /** The owner's display name on that day, when known (matched by patterns). */
  ownerName?: string | null;
  /** The environment of the cost row, when it has one. */
  environmentId?: string | null;
  /** YYYY-MM-DD */
  day: string;
}

interface Entry {
  team: string;
  from?: string;
  until?: string;
  org?: string;
}

/**
 * Maps (org, owner, day) to a team from `ccost.yaml`. Precedence: exact owner id, then name or id
 * pattern, then the row's environment; within one level the first team in the file wins.
 */
export class TeamResolver {
  private readonly byId = new Map<string, Entry[]>();
  private readonly patterns: (Entry & { regex: RegExp })[] = [];
  private readonly byEnvironment = new Map<string, Entry[]>();

  constructor(config: Pick<Config, 'teams'>, file = 'ccost.yaml') {
    for (const [team, spec] of Object.entries(config.teams)) {
      spec.owners.forEach((raw, i) => {
        const entry: OwnerEntry = typeof raw === 'string' ? { id: raw } : raw;
        const base: Entry = { team, from: entry.from, until: entry.until, org: entry.org };
        if (entry.id !== undefined) this.addId(entry.id, base, `teams.${team}.owners[${i}]`, file);
        else if (entry.pattern !== undefined)
          this.patterns.push({ ...base, regex: globToRegex(entry.pattern) });
        else if (entry.environment !== undefined) push(this.byEnvironment, entry.environment, base);
      });
    }
  }

  private addId(id: string, entry: Entry, path: string, file: string): void {
    const clash = (this.byId.get(id) ?? []).find(
      (e) => e.team !== entry.team && sameOrg(e, entry) && overlaps(e, entry),
    );
    if (clash) {
      throw new ConfigError(file, [
        {
          path,
          message: `${id} is also mapped to team ${clash.team} for overlapping dates; give one of them from/until`,
        },
      ]);
    }
    push(this.byId, id, entry);
  }

  /** The owner's team, or `unowned`. */
  resolve(facts: OwnerFacts): string {
    const applies = (e: Entry) => appliesOn(e, facts.day) && (e.org === undefined || e.org === facts.orgId);
    const exact = this.byId.get(facts.ownerId)?.find(applies);
    if (exact) return exact.team;
    const pattern = this.patterns.find(
      (p) =>
        applies(p) &&
        (p.regex.test(facts.ownerId) || (facts.ownerName != null && p.regex.test(facts.ownerName))),
    );
    if (pattern) return pattern.team;
    if (facts.environmentId) {
      const env = this.byEnvironment.get(facts.environmentId)?.find(applies);
      if (env) return env.team;
    }
    return UNOWNED_TEAM;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function appliesOn(e: Entry, day: string): boolean {
  return (e.from === undefined || day >= e.from) && (e.until === undefined || day < e.until);
}

function sameOrg(a: Entry, b: Entry): boolean {
  return a.org === undefined || b.org === undefined || a.org === b.org;
}

function overlaps(a: Entry, b: Entry): boolean {
  const aFrom = a.from ?? '0000-01-01';
  const bFrom = b.from ?? '0000-01-01';
  const aUntil = a.until ?? '9999-12-31';
  const bUntil = b.until ?? '9999-12-31';
  return aFrom < bUntil && bFrom < aUntil;
}

/** `payments-*` → /^payments-.*$/i; `?` is one character; everything else is literal. */
export function globToRegex(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}
