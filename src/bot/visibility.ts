/**
 * Who is asking, in ccost's terms. With `slack.visibility: all` everyone sees every team; with
 * `teams`, finance admins (`slack.admins.users`, or members of `slack.admins.groups`) see every
 * team and everyone else sees the teams that list them in `slack_users` or one of their user
 * groups in `slack_groups`. Group members come from usergroups.users.list, cached for a few minutes.
 */
import type { Logger } from '@slack/bolt';
import type { Config } from '../core/config/schema.ts';
import type { Viewer } from '../core/questions/access.ts';
import type { WebClient } from './slack-client.ts';

/** What a viewer may see: every team, or these team names (the questions' own type). */
export type { Viewer };

/** Decides viewers. */
export interface ViewerResolver {
  viewerFor(userId: string): Promise<Viewer>;
}

/** How long group members are cached. */
export const GROUP_CACHE_MS = 5 * 60_000;

/** What a resolver needs; `now` (ms) and `cacheMs` are for tests. */
export interface ViewerResolverOptions {
  config: Config;
  client: WebClient;
  logger?: Logger;
  cacheMs?: number;
  now?: () => number;
}

/** A resolver reading `config.slack` and the teams' `slack_users` / `slack_groups`. */
export function createViewerResolver(options: ViewerResolverOptions): ViewerResolver {
  const members = groupMembers(options);
  const { slack, teams } = options.config;
  return {
    async viewerFor(userId) {
      if (slack.visibility === 'all' || slack.admins.users.includes(userId)) return { teams: 'all' };
      for (const group of slack.admins.groups)
        if ((await members(group)).has(userId)) return { teams: 'all' };
      const mine: string[] = [];
      for (const [name, team] of Object.entries(teams)) {
        if (team.slack_users.includes(userId)) mine.push(name);
        else
          for (const group of team.slack_groups)
            if ((await members(group)).has(userId)) {
              mine.push(name);
              break;
            }
      }
      return { teams: mine.sort() };
    },
  };
}

/**
 * Members of a user group, cached for `cacheMs`. A failed lookup counts as no members (the
 * viewer sees less, never more) and is logged and not cached.
 */
function groupMembers(options: ViewerResolverOptions): (group: string) => Promise<Set<string>> {
  const cache = new Map<string, { at: number; users: Set<string> }>();
  const now = options.now ?? Date.now;
  const ttl = options.cacheMs ?? GROUP_CACHE_MS;
  return async (group) => {
    const hit = cache.get(group);
    if (hit && now() - hit.at < ttl) return hit.users;
    try {
      const result = await options.client.usergroups.users.list({ usergroup: group });
      const users = new Set(result.users ?? []);
      cache.set(group, { at: now(), users });
      return users;
    } catch (err) {
      options.logger?.warn(`usergroups.users.list ${group} failed: ${(err as Error).message}`);
      return new Set();
    }
  };
}
