/**
 * The Metrics API v2 `QueryRequest` as the simulator accepts it: exactly one aggregation, PT1H or
 * P1D, one absolute interval, a filter that names `resource.kafka.id` (AND of EQ field filters),
 * an optional group_by on the metric's own label, limit 1–1000 and FLAT or GROUPED format.
 * Anything else is a 400 naming the field, as the real API answers a query it cannot run.
 */
import { PRINCIPAL_METRICS, type SimMetric, TOPIC_METRICS, type UsageQuery } from './model.ts';

/** A validated query: what to ask the model, and how to shape and page the answer. */
export interface MetricsPlan {
  query: UsageQuery;
  /** The group_by label, or null. */
  label: 'metric.principal_id' | 'metric.topic' | null;
  limit: number;
  format: 'FLAT' | 'GROUPED';
}

/** Why a query was refused. */
export interface PlanError {
  detail: string;
  field: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Refused extends Error {
  constructor(readonly error: PlanError) {
    super(error.detail);
  }
}

function refuse(field: string, detail: string): never {
  throw new Refused({ field, detail });
}

/** Validates a parsed QueryRequest body. */
export function planQuery(body: unknown, maxLimit: number, defaultLimit: number): MetricsPlan | PlanError {
  try {
    return plan(body, maxLimit, defaultLimit);
  } catch (err) {
    if (err instanceof Refused) return err.error;
    throw err;
  }
}

function plan(body: unknown, maxLimit: number, defaultLimit: number): MetricsPlan {
  if (!isObj(body)) refuse('body', 'request body must be a JSON object');
  const { metric, principalMetric } = parseAggregation(body.aggregations);
  if (body.granularity !== 'PT1H' && body.granularity !== 'P1D') {
    refuse('granularity', `granularity must be PT1H or P1D (got ${String(body.granularity)})`);
  }
  if (body.order_by !== undefined) refuse('order_by', 'order_by is only valid with granularity ALL');
  const interval = parseIntervals(body.intervals);
  const filters = parseFilter(body.filter);
  const label = parseGroupBy(body.group_by, principalMetric ? 'metric.principal_id' : 'metric.topic');
  const limit = body.limit ?? defaultLimit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    refuse('limit', `limit must be an integer from 1 to ${maxLimit}`);
  }
  const format = body.format ?? 'FLAT';
  if (format !== 'FLAT' && format !== 'GROUPED') refuse('format', 'format must be FLAT or GROUPED');
  const only = principalMetric ? filters['metric.principal_id'] : filters['metric.topic'];
  const query: UsageQuery = {
    metric,
    clusterId: filters['resource.kafka.id']!,
    start: interval.start,
    end: interval.end,
    granularity: body.granularity,
  };
  if (label) query.groupBy = label;
  if (only !== undefined) query.only = only;
  return { query, label, limit, format };
}

function parseAggregation(aggs: unknown): { metric: SimMetric; principalMetric: boolean } {
  if (!Array.isArray(aggs) || aggs.length !== 1 || !isObj(aggs[0])) {
    refuse('aggregations', 'exactly one aggregation is required');
  }
  const { metric, agg } = aggs[0] as Obj;
  const principalMetric = (PRINCIPAL_METRICS as readonly unknown[]).includes(metric);
  if (!principalMetric && !(TOPIC_METRICS as readonly unknown[]).includes(metric)) {
    refuse('aggregations[0].metric', `unknown or unsupported metric: ${String(metric)}`);
  }
  if (agg !== undefined && agg !== 'SUM') refuse('aggregations[0].agg', 'agg must be SUM');
  return { metric: metric as SimMetric, principalMetric };
}

function parseGroupBy(
  groupBy: unknown,
  own: 'metric.principal_id' | 'metric.topic',
): 'metric.principal_id' | 'metric.topic' | null {
  if (groupBy === undefined || (Array.isArray(groupBy) && groupBy.length === 0)) return null;
  if (!Array.isArray(groupBy) || groupBy.length !== 1)
    refuse('group_by', 'group_by takes one label in the simulator');
  if (groupBy[0] !== own) refuse('group_by', `invalid group_by label for this metric: ${String(groupBy[0])}`);
  return own;
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?)?$/;

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return (Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 3_600_000;
}

function instantMs(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** One ISO-8601 interval: start/end, start/duration or duration/end, with absolute instants. */
function parseIntervals(intervals: unknown): { start: string; end: string } {
  if (!Array.isArray(intervals) || intervals.length !== 1 || typeof intervals[0] !== 'string') {
    refuse('intervals', 'exactly one interval is required');
  }
  const text = intervals[0] as string;
  const [a = '', b = ''] = text.split('/');
  if (a.startsWith('now') || b.startsWith('now')) {
    refuse('intervals', 'now-relative intervals are not supported by the simulator (and break paging)');
  }
  let start = instantMs(a);
  let end = instantMs(b);
  if (start !== undefined && end === undefined) end = addMs(start, durationMs(b));
  if (start === undefined && end !== undefined) start = addMs(end, durationMs(a), -1);
  if (start === undefined || end === undefined || end <= start)
    refuse('intervals', `invalid interval: ${text}`);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function addMs(at: number, ms: number | undefined, sign = 1): number | undefined {
  return ms === undefined ? undefined : at + sign * ms;
}

const FILTER_FIELDS = ['resource.kafka.id', 'metric.principal_id', 'metric.topic'];

/** The EQ constraints of a field filter or an AND of them; `resource.kafka.id` is required. */
function parseFilter(filter: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  walk(filter, found);
  if (found['resource.kafka.id'] === undefined) {
    refuse('filter', 'a resource filter on resource.kafka.id is required for the cloud dataset');
  }
  return found;
}

function walk(filter: unknown, found: Record<string, string>): void {
  if (!isObj(filter)) refuse('filter', 'a filter on resource.kafka.id is required for the cloud dataset');
  if (filter.op === 'AND' && Array.isArray(filter.filters)) {
    for (const f of filter.filters) walk(f, found);
    return;
  }
  if (filter.op !== 'EQ' || typeof filter.field !== 'string' || typeof filter.value !== 'string') {
    refuse('filter', 'the simulator supports EQ field filters joined with AND');
  }
  const { field, value } = filter as { field: string; value: string };
  if (!FILTER_FIELDS.includes(field)) refuse('filter', `cannot filter on ${field}`);
  if (found[field] !== undefined && found[field] !== value)
    refuse('filter', `conflicting filters on ${field}`);
  found[field] = value;
}
