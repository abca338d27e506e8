/**
 * The Metrics API v2 client (`POST /v2/metrics/cloud/query`): every page of a query with the same
 * body byte for byte, a restart when a page token expires, and the per-principal and per-topic
 * byte counts ccost allocates by, as exact decimal strings.
 */
import { z } from 'zod';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { isDecimalText } from '../money/amount.ts';
import type { UsageInput } from '../usage/store.ts';
import type { ApiClient } from './http.ts';
import { isTokenRejection, PageTokenRejected, withRestarts } from './page-token.ts';
import { parseResponse } from './validate.ts';

/** The dataset of Confluent Cloud resource metrics. */
export const METRICS_DATASET = 'cloud';

/** Prefix of the Kafka server metrics. */
export const KAFKA_METRICS = 'io.confluent.kafka.server';

/** Largest number of groups one query page returns. */
export const METRICS_GROUP_LIMIT = 1000;

/** Days per query: small enough that limit × buckets stays modest (1000 × 7 daily, 1000 × 24 hourly). */
const CHUNK_DAYS: Record<UsageGranularity, number> = { P1D: 7, PT1H: 1 };

const DEFAULT_MAX_RESTARTS = 3;
const MAX_PAGES = 10_000;

/** A `/query` request body (only the fields ccost sends are typed). */
export interface MetricsQuery {
  aggregations: { metric: string; agg?: 'SUM' | 'MIN' | 'MAX' }[];
  granularity: string;
  intervals: string[];
  filter?: unknown;
  group_by?: string[];
  limit?: number;
  format?: 'FLAT' | 'GROUPED';
}

/** One point: its bucket start, exact value and group labels (e.g. `metric.principal_id`). */
export interface MetricRow {
  timestamp: string;
  value: string;
  labels: Record<string, string>;
}

/** Granularities ccost stores usage at. */
export type UsageGranularity = 'P1D' | 'PT1H';

/** A cluster and `[startDate, endDate)` (days, UTC). */
export interface UsageQueryOptions {
  clusterId: string;
  startDate: string;
  endDate: string;
  granularity: UsageGranularity;
}

const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine(isDecimalText, 'must be a decimal number');
const point = z.looseObject({ timestamp: z.string(), value: decimal });
const meta = z
  .looseObject({
    pagination: z.looseObject({ next_page_token: z.string().nullish() }).nullish(),
  })
  .nullish();
const flatResponse = z.looseObject({ data: z.array(point), meta });
const groupedResponse = z.looseObject({
  data: z.array(z.looseObject({ points: z.array(point) })),
  meta,
});

/**
 * Every row of a query, following `meta.pagination.next_page_token` with the identical body. A
 * 400 on a page-token request (an expired token) restarts the query, at most `maxRestarts` times.
 */
export async function queryMetrics(
  client: ApiClient,
  body: MetricsQuery,
  options: { dataset?: string; maxRestarts?: number } = {},
): Promise<MetricRow[]> {
  const path = `/v2/metrics/${options.dataset ?? METRICS_DATASET}/query`;
  const text = JSON.stringify(body);
  const grouped = body.format === 'GROUPED';
  return withRestarts(
    () => queryPass(client, path, text, grouped),
    options.maxRestarts ?? DEFAULT_MAX_RESTARTS,
    'the query',
  );
}

async function queryPass(client: ApiClient, path: string, body: string, grouped: boolean) {
  const rows: MetricRow[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let json: unknown;
    try {
      json = await client.postJson(path, body, token === undefined ? {} : { page_token: token });
    } catch (err) {
      if (token !== undefined && isTokenRejection(err)) throw new PageTokenRejected(err);
      throw err;
    }
    const endpoint = `POST ${path}${page > 1 ? ` (page ${page})` : ''}`;
    if (grouped) {
      const response = parseResponse(groupedResponse, json, endpoint);
      for (const group of response.data) {
        const { points, ...labels } = group;
        for (const p of points) rows.push(toRow(p, labels));
      }
      token = response.meta?.pagination?.next_page_token ?? undefined;
    } else {
      const response = parseResponse(flatResponse, json, endpoint);
      for (const p of response.data) rows.push(toRow(p, {}));
      token = response.meta?.pagination?.next_page_token ?? undefined;
    }
    if (!token) return rows;
    if (seen.has(token)) break;
    seen.add(token);
  }
  throw new CcostError(
    ErrorCode.ApiResponseInvalid,
    `POST ${path}: paging does not end (page token repeats)`,
  );
}

function toRow(p: z.output<typeof point>, groupLabels: Record<string, unknown>): MetricRow {
  const { timestamp, value, ...rest } = p;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...groupLabels, ...rest })) {
    if (v !== null && v !== undefined && typeof v !== 'object') labels[k] = String(v);
  }
  return { timestamp, value, labels };
}

/**
 * Request and response bytes per principal on a Kafka cluster (`request_bytes`, `response_bytes`,
 * grouped by `metric.principal_id`), per day (bucketStart `YYYY-MM-DD`) or per hour.
 */
export function fetchPrincipalUsage(client: ApiClient, options: UsageQueryOptions): Promise<UsageInput[]> {
  return fetchUsage(client, options, ['request_bytes', 'response_bytes'], 'metric.principal_id', 'principal');
}

/**
 * Received, sent and retained bytes per topic on a Kafka cluster (grouped by `metric.topic`), per
 * day or per hour.
 */
export function fetchTopicUsage(client: ApiClient, options: UsageQueryOptions): Promise<UsageInput[]> {
  return fetchUsage(
    client,
    options,
    ['received_bytes', 'sent_bytes', 'retained_bytes'],
    'metric.topic',
    'topic',
  );
}

async function fetchUsage(
  client: ApiClient,
  options: UsageQueryOptions,
  metrics: string[],
  groupBy: string,
  subjectKind: UsageInput['subjectKind'],
): Promise<UsageInput[]> {
  const granularity = options.granularity === 'P1D' ? 'day' : 'hour';
  const out = new Map<string, UsageInput>();
  for (const metric of metrics) {
    for (const interval of usageIntervals(options.startDate, options.endDate, options.granularity)) {
      const rows = await queryMetrics(client, {
        aggregations: [{ metric: `${KAFKA_METRICS}/${metric}`, agg: 'SUM' }],
        filter: { field: 'resource.kafka.id', op: 'EQ', value: options.clusterId },
        granularity: options.granularity,
        intervals: [interval],
        group_by: [groupBy],
        limit: METRICS_GROUP_LIMIT,
        format: 'FLAT',
      });
      for (const row of rows) {
        const subjectId = row.labels[groupBy];
        if (!subjectId) continue;
        const bucketStart = bucketOf(row.timestamp, granularity);
        const usage: UsageInput = {
          bucketStart,
          granularity,
          resourceId: options.clusterId,
          subjectKind,
          subjectId,
          metric,
          value: row.value,
        };
        out.set(`${bucketStart}|${subjectId}|${metric}`, usage);
      }
    }
  }
  return [...out.values()];
}

/**
 * Absolute query intervals covering `[startDate, endDate)` in chunks (7 days at P1D, 1 day at
 * PT1H), e.g. `2026-10-01T00:00:00Z/2026-10-08T00:00:00Z`.
 */
export function usageIntervals(startDate: string, endDate: string, granularity: UsageGranularity): string[] {
  const start = dayMs(startDate);
  const end = dayMs(endDate);
  if (!(end > start)) {
    throw new CcostError(
      ErrorCode.InputInvalid,
      `usage range ${startDate}..${endDate} is empty (the end is exclusive)`,
    );
  }
  const step = CHUNK_DAYS[granularity] * 86_400_000;
  const intervals: string[] = [];
  for (let from = start; from < end; from += step) {
    intervals.push(`${instant(from)}/${instant(Math.min(from + step, end))}`);
  }
  return intervals;
}

function dayMs(day: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new CcostError(ErrorCode.InputInvalid, `not a date YYYY-MM-DD: ${day}`);
  return ms;
}

function instant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function bucketOf(timestamp: string, granularity: 'day' | 'hour'): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) {
    throw new CcostError(ErrorCode.ApiResponseInvalid, `Metrics API: timestamp is not a date: ${timestamp}`);
  }
  const iso = instant(ms);
  return granularity === 'day' ? iso.slice(0, 10) : iso;
}
