/**
 * The simulator's endpoints as functions from a request context to a reply: the Billing API, the
 * Metrics API query, and the Org/IAM/CMK/Connect/FCPM/SRCM/ksqlDB listings as of the server's
 * `now`. Failures are thrown as `HttpFailure` with the real API's error body.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../billing/cost.ts';
import * as api from './api.ts';
import { COST_NUMBER_FIELDS, type SimCost } from './billing.ts';
import { tryDayNumber } from './calendar.ts';
import type { FaultState } from './faults.ts';
import { planQuery } from './metrics.ts';
import type { SimInventory, SimModel, UsagePoint } from './model.ts';

/** Which error body an endpoint family uses. */
export type ApiFamily = 'cloud' | 'connect' | 'metrics';

/** Page sizes the server allows (the real APIs' limits by default). */
export interface PageSizes {
  billingDefault: number;
  billingMax: number;
  listDefault: number;
  listMax: number;
  metricsDefaultLimit: number;
  metricsMaxLimit: number;
  /**
   * Serve at most this many items (or metric groups) per page even when more were asked for, as a
   * loaded server may: makes every listing span several pages in tests. Unset: no cap.
   */
  pageCap?: number;
}

export const DEFAULT_PAGE_SIZES: PageSizes = {
  billingDefault: 5000,
  billingMax: 10_000,
  listDefault: 10,
  listMax: 100,
  metricsDefaultLimit: 100,
  metricsMaxLimit: 1000,
};

/** What a handler answers: a status and a JSON value, or already-serialized JSON text. */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  /** A Billing API page: subject to the truncatePage fault. */
  billingPage?: boolean;
}

/** A request the endpoint refuses; carries the reply to send. */
export class HttpFailure extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

/** Everything a handler may use. */
export interface HandlerContext {
  url: URL;
  /** Path parameters captured by the route. */
  params: string[];
  rawBody: string;
  site: api.Site;
  model: SimModel;
  now: Date;
  faults: FaultState;
  sizes: PageSizes;
  family: ApiFamily;
}

/** Throws the 4xx/5xx of `ctx`'s API family. */
export function fail(
  ctx: Pick<HandlerContext, 'family'>,
  status: number,
  code: string,
  detail: string,
  parameter?: string,
): never {
  const title = TITLES[status] ?? 'Error';
  const body =
    ctx.family === 'connect'
      ? api.connectErrorBody(status, detail)
      : api.errorBody(status, code, title, detail, parameter);
  throw new HttpFailure({ status, body });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Authentication Required',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// ---- paging ----------------------------------------------------------------------------------

function encodeToken(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset })).toString('base64url');
}

/** The offset a page token points at (0 without one); checks it belongs to this listing and has not expired. */
function tokenOffset(ctx: HandlerContext, key: string, token: string | null): number {
  if (token === null) return 0;
  let decoded: { k?: unknown; o?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    fail(ctx, 400, 'invalid_page_token', 'page token is not valid', 'page_token');
  }
  if (decoded.k !== key || typeof decoded.o !== 'number') {
    fail(ctx, 400, 'invalid_page_token', 'page token does not belong to this query', 'page_token');
  }
  if (ctx.faults.onTokenUse()) {
    fail(
      ctx,
      400,
      'invalid_page_token',
      'page token expired: restart the query without page_token',
      'page_token',
    );
  }
  return decoded.o;
}

function pageSize(ctx: HandlerContext, fallback: number, max: number): number {
  const text = ctx.url.searchParams.get('page_size');
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    fail(ctx, 400, 'invalid_parameter', `page_size must be an integer from 1 to ${max}`, 'page_size');
  }
  return n;
}

/** The URL of the page at `token` (or the first page): the request's own query, page_token replaced. */
function pageUrl(ctx: HandlerContext, token?: string): string {
  const url = new URL(ctx.url.pathname, ctx.site.base);
  for (const [k, v] of ctx.url.searchParams) if (k !== 'page_token') url.searchParams.append(k, v);
  if (token) url.searchParams.set('page_token', token);
  return url.toString();
}

interface Page<T> {
  items: T[];
  metadata: { first: string; next?: string; total_size: number };
}

function paginate<T>(ctx: HandlerContext, items: T[], key: string, fallback: number, max: number): Page<T> {
  const size = Math.min(pageSize(ctx, fallback, max), ctx.sizes.pageCap ?? Number.POSITIVE_INFINITY);
  const offset = tokenOffset(ctx, key, ctx.url.searchParams.get('page_token'));
  const metadata: Page<T>['metadata'] = { first: pageUrl(ctx), total_size: items.length };
  if (offset + size < items.length) metadata.next = pageUrl(ctx, encodeToken(key, offset + size));
  return { items: items.slice(offset, offset + size), metadata };
}

// ---- Billing API ----------------------------------------------------------------------------

/** `GET /billing/v1/costs?start_date&end_date[&page_size][&page_token]`. */
export function billingCosts(ctx: HandlerContext): Reply {
  const start = requiredDay(ctx, 'start_date');
  const end = requiredDay(ctx, 'end_date');
  if (end.n <= start.n) fail(ctx, 400, 'invalid_parameter', 'end_date must be after start_date', 'end_date');
  if (end.n - start.n > 31) {
    fail(
      ctx,
      400,
      'invalid_parameter',
      'the maximum window between start_date and end_date is one month',
      'end_date',
    );
  }
  if (start.text < oneYearBefore(ctx.now)) {
    fail(ctx, 400, 'invalid_parameter', 'start_date must be at most one year in the past', 'start_date');
  }
  const key = `billing|${start.text}|${end.text}`;
  const page = paginate(
    ctx,
    billedLines(ctx, start.text, end.text),
    key,
    ctx.sizes.billingDefault,
    ctx.sizes.billingMax,
  );
  const metadata: Record<string, string> = { first: page.metadata.first };
  if (page.metadata.next) metadata.next = page.metadata.next;
  const json = JSON.stringify({ api_version: 'billing/v1', kind: 'CostList', metadata, data: page.items });
  return { status: 200, text: numbersAsJson(json), billingPage: true };
}

function requiredDay(ctx: HandlerContext, name: string): { text: string; n: number } {
  const text = ctx.url.searchParams.get(name);
  if (text === null) fail(ctx, 400, 'invalid_parameter', `${name} is required`, name);
  const n = tryDayNumber(text);
  if (n === undefined) fail(ctx, 400, 'invalid_parameter', `${name} must be a date YYYY-MM-DD`, name);
  return { text, n };
}

function oneYearBefore(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

/** Lines of complete days only (before today), without the late day. */
function billedLines(ctx: HandlerContext, start: string, end: string): SimCost[] {
  const today = ctx.now.toISOString().slice(0, 10);
  const until = end < today ? end : today;
  if (until <= start) return [];
  const late = ctx.faults.lateDay;
  const lines = ctx.model.billingLines(start, until);
  return late ? lines.filter((l) => l.start_date !== late) : lines;
}

const NUMBER_FIELD = new RegExp(`"(${COST_NUMBER_FIELDS.join('|')})":"(-?\\d+(?:\\.\\d+)?)"`, 'g');

/** The spec types amounts as numbers: write the exact decimal text unquoted. */
function numbersAsJson(json: string): string {
  return json.replace(NUMBER_FIELD, '"$1":$2');
}

// ---- Metrics API ----------------------------------------------------------------------------

/** `POST /v2/metrics/{dataset}/query[?page_token=]`: FLAT or GROUPED, paged by group. */
export function metricsQuery(ctx: HandlerContext): Reply {
  if (ctx.params[0] !== 'cloud') fail(ctx, 400, 'invalid_dataset', `unknown dataset: ${ctx.params[0]}`);
  let body: unknown;
  try {
    body = JSON.parse(ctx.rawBody);
  } catch {
    fail(ctx, 400, 'invalid_body', 'request body is not valid JSON');
  }
  const plan = planQuery(body, ctx.sizes.metricsMaxLimit, ctx.sizes.metricsDefaultLimit);
  if ('detail' in plan) fail(ctx, 400, 'invalid_query', `${plan.field}: ${plan.detail}`);
  const key = `metrics|${createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 24)}`;
  const token = ctx.url.searchParams.get('page_token');
  if (token !== null && !plan.label)
    fail(ctx, 400, 'invalid_page_token', 'paging needs group_by', 'page_token');
  const offset = tokenOffset(ctx, key, token);
  const points = ctx.model.usage({ ...plan.query, until: ctx.now.toISOString() });
  if (!plan.label)
    return { status: 200, body: shapePoints(points, null, plan.format, { page_size: plan.limit }) };
  const perPage = Math.min(plan.limit, ctx.sizes.pageCap ?? Number.POSITIVE_INFINITY);
  const groups = [...new Set(points.map((p) => p.group))].slice(offset, offset + perPage + 1);
  const pagination: Record<string, unknown> = { page_size: perPage };
  if (groups.length > perPage) pagination.next_page_token = encodeToken(key, offset + perPage);
  const shown = new Set(groups.slice(0, perPage));
  const data = points.filter((p) => shown.has(p.group));
  return { status: 200, body: shapePoints(data, plan.label, plan.format, pagination) };
}

function shapePoints(
  points: UsagePoint[],
  label: string | null,
  format: 'FLAT' | 'GROUPED',
  pagination: object,
) {
  if (format === 'FLAT') {
    const data = points.map((p) =>
      label
        ? { timestamp: p.timestamp, [label]: p.group, value: p.value }
        : { timestamp: p.timestamp, value: p.value },
    );
    return { data, meta: { pagination } };
  }
  const grouped = new Map<string | null, { timestamp: string; value: number }[]>();
  for (const p of points) {
    const list = grouped.get(p.group) ?? [];
    list.push({ timestamp: p.timestamp, value: p.value });
    grouped.set(p.group, list);
  }
  const data = [...grouped].map(([group, pts]) =>
    label ? { [label]: group, points: pts } : { points: pts },
  );
  return { data, meta: { pagination } };
}

// ---- Listings -------------------------------------------------------------------------------

type Item = Record<string, unknown>;

/** A paginated `{api_version, kind, metadata, data}` listing of what `build` returns as of now. */
export function listing(
  apiVersion: string,
  kind: string,
  build: (ctx: HandlerContext, inv: SimInventory) => Item[],
) {
  return (ctx: HandlerContext): Reply => {
    const items = build(ctx, ctx.model.inventoryAt(ctx.now));
    const filterKey = [...ctx.url.searchParams].filter(([k]) => k !== 'page_token' && k !== 'page_size');
    const key = `${ctx.url.pathname}|${JSON.stringify(filterKey)}`;
    const page = paginate(ctx, items, key, ctx.sizes.listDefault, ctx.sizes.listMax);
    return {
      status: 200,
      body: { api_version: apiVersion, kind, metadata: page.metadata, data: page.items },
    };
  };
}

/** A required query parameter, e.g. `environment` of the CMK listing. */
export function required(ctx: HandlerContext, name: string): string {
  const value = ctx.url.searchParams.get(name);
  if (!value) fail(ctx, 400, 'invalid_parameter', `${name} is required`, name);
  return value;
}

/** Values of a repeatable filter parameter, or undefined when absent. */
export function optionalAll(ctx: HandlerContext, name: string): string[] | undefined {
  const values = ctx.url.searchParams.getAll(name).flatMap((v) => v.split(','));
  return values.length > 0 ? values : undefined;
}

/** `GET /connect/v1/environments/{env}/clusters/{lkc}/connectors[?expand=id,info,status]`: not paginated. */
export function connectors(ctx: HandlerContext): Reply {
  const [envId, clusterId] = ctx.params as [string, string];
  const inv = ctx.model.inventoryAt(ctx.now);
  const cluster = inv.clusters.find((c) => c.id === clusterId && c.environmentId === envId);
  if (!cluster) fail(ctx, 404, 'not_found', `cluster ${clusterId} not found in environment ${envId}`);
  const list = inv.connectors
    .filter((k) => k.clusterId === clusterId)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const expand = optionalAll(ctx, 'expand') ?? [];
  if (expand.length === 0) return { status: 200, body: list.map((k) => k.name) };
  const parts = {
    id: expand.includes('id'),
    info: expand.includes('info'),
    status: expand.includes('status'),
  };
  const map: Record<string, unknown> = {};
  for (const k of list) {
    const topic =
      cluster.topics.find((t) => t.name.startsWith(`${k.team}.`))?.name ?? cluster.topics[0]!.name;
    map[k.name] = api.connectorEntry(k, cluster, topic, parts);
  }
  return { status: 200, body: map };
}

/** Current CFUs of a pool at `now`: stable within the hour. */
export function currentCfu(pool: { maxCfu: number }, index: number, now: Date): number {
  const hour = Math.floor(now.getTime() / 3_600_000);
  return 1 + ((index * 7919 + hour * 104_729) % Math.max(1, pool.maxCfu / 2));
}
