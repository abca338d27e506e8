import { fetch } from 'undici';
import type { TeamBudget } from '../core/costs/budget.ts';
import type { EffectivePrice } from '../core/costs/prices.ts';

/** How to reach a running `ccost serve` (its read-only REST API). */
export interface CcostApi {
  /** Base URL without a trailing slash. */
  url: string;
  /** Bearer token; never logged. */
  token?: string;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
}

/** A team's month as `GET /api/v1/teams/{team}/budget` answers it (the server's {@link TeamBudget}). */
export type ApiTeamBudget = TeamBudget & { currency?: string };

/** One row of `GET /api/v1/prices`; older servers may leave out the list price and discount. */
export type ApiPrice = Omit<EffectivePrice, 'listUnitPrice' | 'discountPercent'> &
  Partial<Pick<EffectivePrice, 'listUnitPrice' | 'discountPercent'>>;

/** An answer, or why there is none (server unreachable, token refused, unknown team). */
export type CcostAnswer<T> = { ok: true; value: T } | { ok: false; status: number | null; reason: string };

/**
 * `GET {url}/api/v1/teams/{team}/budget?month=`: the team's budget, month-to-date actual and
 * forecast.
 *
 * @param api - where the server is
 * @param team - team name from ccost.yaml
 * @param month - YYYY-MM
 * @returns the budget, or the reason there is none
 */
export async function fetchTeamBudget(
  api: CcostApi,
  team: string,
  month: string,
): Promise<CcostAnswer<ApiTeamBudget>> {
  const answer = await getJson(api, `/api/v1/teams/${encodeURIComponent(team)}/budget?month=${month}`);
  if (!answer.ok) return answer;
  const body = answer.value as Partial<ApiTeamBudget> | null;
  if (!body || typeof body.actual !== 'string' || typeof body.forecast !== 'string') {
    return { ok: false, status: 200, reason: 'the budget answer has no actual and forecast' };
  }
  return { ok: true, value: body as ApiTeamBudget };
}

/**
 * `GET {url}/api/v1/prices[?org=]`: the organization's effective unit prices from its billing
 * lines over the last full month.
 *
 * @param api - where the server is
 * @param org - restrict to one organization id
 * @returns the price rows, or the reason there are none
 */
export async function fetchEffectivePrices(api: CcostApi, org?: string): Promise<CcostAnswer<ApiPrice[]>> {
  const answer = await getJson(api, `/api/v1/prices${org ? `?org=${encodeURIComponent(org)}` : ''}`);
  if (!answer.ok) return answer;
  const prices = (answer.value as { prices?: unknown } | null)?.prices;
  if (!Array.isArray(prices))
    return { ok: false, status: 200, reason: 'the prices answer has no prices list' };
  return { ok: true, value: prices as ApiPrice[] };
}

async function getJson(api: CcostApi, path: string): Promise<CcostAnswer<unknown>> {
  const endpoint = `GET ${path.split('?')[0]}`;
  try {
    const res = await fetch(`${api.url}${path}`, {
      headers: {
        accept: 'application/json',
        'user-agent': 'ccost-action',
        ...(api.token ? { authorization: `Bearer ${api.token}` } : {}),
      },
      signal: AbortSignal.timeout(api.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = res.statusText;
      try {
        const err = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
        if (typeof err === 'string') message = err;
      } catch {}
      const hint = res.status === 401 ? ' (check ccost-token)' : '';
      return { ok: false, status: res.status, reason: `${endpoint}: ${res.status} ${message}${hint}` };
    }
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    const message = typeof cause === 'string' ? cause : err instanceof Error ? err.message : String(err);
    return { ok: false, status: null, reason: `${endpoint}: ccost is not reachable (${message})` };
  }
}

/** One row of `GET /api/v1/resources`, as the action reads it (older servers have no `usage`). */
export interface ApiResource {
  orgId: string;
  id: string;
  kind: string;
  name: string | null;
  usage?: { ingress_gb_month: string; egress_gb_month: string; storage_gb: string | null } | null;
}

/**
 * `GET {url}/api/v1/resources`: the resources ccost knows, with their observed usage.
 *
 * @param api - where the server is
 * @returns the resources, or the reason there are none
 */
export async function fetchResources(api: CcostApi): Promise<CcostAnswer<ApiResource[]>> {
  const answer = await getJson(api, '/api/v1/resources');
  if (!answer.ok) return answer;
  const resources = (answer.value as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources))
    return { ok: false, status: 200, reason: 'the resources answer has no resources list' };
  return { ok: true, value: resources as ApiResource[] };
}
