/** What every API route handler can reach: the store, the config, the clock and the caller. */
import type { Hono } from 'hono';
import type { Config } from '../../core/config/schema.ts';
import type { Store } from '../../core/storage/database.ts';
import type { ApiCaller } from './auth.ts';

/** Hands a trigger to the service's job runner; answers what was started. */
export type CollectTrigger = (options: {
  orgId?: string;
}) => Promise<{ job: string; status: 'started' | 'running' }>;

/** Dependencies of the API, injected by `ccost serve` (and by tests). */
export interface ApiDeps {
  store: Store;
  config: Config;
  now: () => Date;
  triggers?: { collect?: CollectTrigger };
}

/** Hono environment of the API: the authenticated caller is set on every /api route. */
export interface ApiEnv {
  Variables: { caller: ApiCaller };
}

/** A Hono app of the API's environment. */
export type ApiApp = Hono<ApiEnv>;

/** True when the caller may see `team`. */
export function canSeeTeam(caller: ApiCaller, team: string): boolean {
  return !caller.teams || caller.teams.includes(team);
}
