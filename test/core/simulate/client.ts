import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseJsonExact } from '../../../src/core/billing/cost.ts';
import type { Simulator } from '../../../src/core/simulate/server.ts';

/** One HTTP answer, read completely. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary JSON shapes
  json: any;
  /** The body with every number kept as its exact decimal text (what ccost's parsers see). */
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary JSON shapes
  exact: any;
}

/** A minimal client of a running simulator: real HTTP with Basic auth. */
export function clientOf(sim: Simulator, key = sim.apiKey, secret = sim.apiSecret) {
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  const read = async (res: Response): Promise<Answer> => {
    const text = await res.text();
    let json: unknown;
    let exact: unknown;
    try {
      json = JSON.parse(text);
      exact = parseJsonExact(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json, exact };
  };
  const url = (p: string) => (p.startsWith('http') ? p : `${sim.url}${p}`);
  return {
    get: async (p: string) => read(await fetch(url(p), { headers: { authorization } })),
    post: async (p: string, body: unknown) =>
      read(
        await fetch(url(p), {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
  };
}

export type Client = ReturnType<typeof clientOf>;

/** A Metrics API query body for one cluster. */
export function metricsBody(
  metric: string,
  clusterId: string,
  interval: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    aggregations: [{ metric }],
    granularity: 'P1D',
    intervals: [interval],
    filter: { field: 'resource.kafka.id', op: 'EQ', value: clusterId },
    ...extra,
  };
}

/** Follows `meta.pagination.next_page_token` with the identical body; returns every point. */
export async function queryAll(client: Client, body: Record<string, unknown>) {
  // biome-ignore lint/suspicious/noExplicitAny: FLAT points carry the group label as a dynamic key
  const points: any[] = [];
  let token: string | undefined;
  do {
    const res = await client.post(`/v2/metrics/cloud/query${token ? `?page_token=${token}` : ''}`, body);
    if (res.status !== 200) throw new Error(`metrics query failed: ${res.status} ${res.text}`);
    points.push(...res.json.data);
    token = res.json.meta.pagination.next_page_token;
  } while (token);
  return points;
}

/** Follows `metadata.next` from `first`; returns every item (numbers as exact text when `exact`). */
export async function listAll(client: Client, first: string, exact = false) {
  // biome-ignore lint/suspicious/noExplicitAny: listing items are checked field by field in tests
  const items: any[] = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const res = await client.get(next);
    if (res.status !== 200) throw new Error(`listing failed: ${res.status} ${res.text}`);
    items.push(...(exact ? res.exact : res.json).data);
    next = res.json.metadata.next ?? undefined;
    pages++;
  }
  return { items, pages };
}

/** The shared reference folder sits beside the repository (as in CI). */
const SPEC_DIR = path.resolve(import.meta.dirname, '../../../../shared/reference/openapi');

/** The published OpenAPI spec `file`, when the shared reference folder is present. */
export function loadSpec(file: string): Spec | undefined {
  const full = path.join(SPEC_DIR, file);
  return existsSync(full) ? (parse(readFileSync(full, 'utf8')) as Spec) : undefined;
}

type Schema = Record<string, unknown>;
interface Spec {
  components: { schemas: Record<string, Schema> };
}

/**
 * Paths in `value` the schema does not declare, and required properties it lacks. Follows $ref,
 * allOf, oneOf (by discriminator when there is one), items and additionalProperties.
 */
export function specViolations(spec: Spec, schemaName: string, value: unknown): string[] {
  const out: string[] = [];
  check(spec, { $ref: `#/components/schemas/${schemaName}` }, value, '', out);
  return out;
}

function resolve(spec: Spec, s: Schema | undefined): Schema {
  let cur = s ?? {};
  while (typeof cur.$ref === 'string') cur = spec.components.schemas[cur.$ref.split('/').pop()!] ?? {};
  return cur;
}

interface Merged {
  properties: Record<string, Schema>;
  required: string[];
  additional?: Schema | true;
  items?: Schema;
}

function merge(
  spec: Spec,
  raw: Schema,
  value: unknown,
  into: Merged = { properties: {}, required: [] },
): Merged {
  const s = resolve(spec, raw);
  for (const [key, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
    const prev = into.properties[key];
    into.properties[key] = prev ? { allOf: [prev, sub] } : sub;
  }
  into.required.push(...((s.required as string[]) ?? []));
  if (s.additionalProperties)
    into.additional = s.additionalProperties === true ? true : (s.additionalProperties as Schema);
  if (s.items) into.items = s.items as Schema;
  for (const part of (s.allOf as Schema[]) ?? []) merge(spec, part, value, into);
  const oneOf = s.oneOf as Schema[] | undefined;
  if (oneOf) {
    const disc = s.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    const tag =
      disc && typeof value === 'object' && value
        ? (value as Record<string, unknown>)[disc.propertyName]
        : undefined;
    const chosen = disc?.mapping && typeof tag === 'string' ? [{ $ref: disc.mapping[tag] }] : oneOf;
    for (const variant of chosen) merge(spec, variant as Schema, value, into);
  }
  return into;
}

function check(spec: Spec, schema: Schema, value: unknown, at: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const m = merge(spec, schema, value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      check(spec, m.items ?? {}, v, `${at}[${i}]`, out);
    });
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const req of m.required) if (!(req in obj)) out.push(`${at}.${req} (required, missing)`);
  for (const [key, v] of Object.entries(obj)) {
    const sub = m.properties[key] ?? (m.additional === true ? {} : m.additional);
    if (!sub) out.push(`${at}.${key}`);
    else check(spec, sub, v, `${at}.${key}`, out);
  }
}
