/**
 * Prometheus metrics of `ccost serve` (prom-client): allocated cost gauges in the style of the
 * billing portal's `ccloud_cost_usd`, and the service's own health. Cost gauges are read from the
 * rollups at scrape time, so they always show the current runs; their labels are bounded by the
 * org's environments, teams and products (no principal or resource labels).
 *
 * Metric                                          Labels
 * ccost_cost_usd                                  org, environment, team, product, period=month_to_date|last_month
 * ccost_unallocated_usd                           org, period
 * ccost_last_successful_collection_timestamp_seconds  org
 * ccost_data_lag_seconds                          org (now − end of the last billed day)
 * ccost_job_duration_seconds (histogram)          job, outcome
 * ccost_job_failures_total                        job
 * ccost_slack_command_duration_seconds (histogram)  outcome
 */
import { sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../core/storage/database.ts';
import { UNALLOCATED_TEAM } from '../../core/teams/resolver.ts';

/** The service's metrics and the hooks that feed them. */
export interface ServiceMetrics {
  registry: Registry;
  /** Records one finished job run. */
  observeJob(job: string, outcome: 'succeeded' | 'failed' | 'skipped', seconds: number): void;
  /** Records one answered slash command. */
  observeSlackCommand(outcome: 'answered' | 'replied' | 'failed', seconds: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
}

/** Creates the registry; `now` is the clock used for periods and lags. */
export function createMetrics(options: {
  store: Store;
  now?: () => Date;
  defaults?: boolean;
}): ServiceMetrics {
  const registry = new Registry();
  const now = options.now ?? (() => new Date());
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'ccost_' });
  addCostGauges(registry, options.store, now);
  addFreshnessGauges(registry, options.store, now);
  const jobs = new Histogram({
    name: 'ccost_job_duration_seconds',
    help: 'Duration of scheduled and triggered jobs',
    labelNames: ['job', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'ccost_job_failures_total',
    help: 'Failed job runs (each attempt)',
    labelNames: ['job'],
    registers: [registry],
  });
  const slack = new Histogram({
    name: 'ccost_slack_command_duration_seconds',
    help: 'Time from a /ccost command to its answer',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeJob(job, outcome, seconds) {
      jobs.observe({ job, outcome }, seconds);
      if (outcome === 'failed') failures.inc({ job });
    },
    observeSlackCommand(outcome, seconds) {
      slack.observe({ outcome }, seconds);
    },
    render: () => registry.metrics(),
  };
}

function monthRanges(today: Date) {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return [
    {
      period: 'month_to_date',
      from: day(new Date(Date.UTC(y, m, 1))),
      to: day(new Date(Date.UTC(y, m + 1, 1))),
    },
    {
      period: 'last_month',
      from: day(new Date(Date.UTC(y, m - 1, 1))),
      to: day(new Date(Date.UTC(y, m, 1))),
    },
  ];
}

function addCostGauges(registry: Registry, store: Store, now: () => Date): void {
  new Gauge({
    name: 'ccost_cost_usd',
    help: 'Allocated cost in USD (current allocation runs), by org, environment, team and product',
    labelNames: ['org', 'environment', 'team', 'product', 'period'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const range of monthRanges(now())) {
        const rows = await store.query<{
          org_id: string;
          env: string;
          team: string;
          product: string;
          amount: string;
        }>(sql`
          select c.org_id, coalesce(c.environment_id, 'none') as env, c.team, c.product, sum(c.amount)::text as amount
          from allocation_team_days c join allocation_runs r on r.id = c.run_id and r.is_current
          where c.bucket >= ${range.from}::date and c.bucket < ${range.to}::date
          group by 1, 2, 3, 4`);
        // Prometheus values are doubles: the exact figures stay in the API; this is for graphs and alerts.
        for (const r of rows)
          this.set(
            { org: r.org_id, environment: r.env, team: r.team, product: r.product, period: range.period },
            Number(r.amount),
          );
      }
    },
  });
  new Gauge({
    name: 'ccost_unallocated_usd',
    help: 'Cost no rule gave to a team (the explicit unallocated row), by org',
    labelNames: ['org', 'period'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const range of monthRanges(now())) {
        const rows = await store.query<{ org_id: string; amount: string }>(sql`
          select c.org_id, sum(c.amount)::text as amount
          from allocation_team_days c join allocation_runs r on r.id = c.run_id and r.is_current
          where c.team = ${UNALLOCATED_TEAM} and c.bucket >= ${range.from}::date and c.bucket < ${range.to}::date
          group by 1`);
        for (const r of rows) this.set({ org: r.org_id, period: range.period }, Number(r.amount));
      }
    },
  });
}

function addFreshnessGauges(registry: Registry, store: Store, now: () => Date): void {
  new Gauge({
    name: 'ccost_last_successful_collection_timestamp_seconds',
    help: 'When the last successful collection of each org finished (Unix seconds)',
    labelNames: ['org'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.query<{ org_id: string; at: string }>(sql`
        select org_id, extract(epoch from max(finished_at))::text as at from collection_runs
        where status = 'succeeded' group by org_id`);
      for (const r of rows) if (r.at !== null) this.set({ org: r.org_id }, Number(r.at));
    },
  });
  new Gauge({
    name: 'ccost_data_lag_seconds',
    help: 'Seconds between now and the end of the last day with billing data, by org',
    labelNames: ['org'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.query<{ org_id: string; last: string }>(sql`
        select org_id, max(start_date)::text as last from billing_lines group by org_id`);
      for (const r of rows) {
        const end = Date.parse(`${r.last}T00:00:00Z`) + 86_400_000;
        this.set({ org: r.org_id }, Math.max(0, (now().getTime() - end) / 1000));
      }
    },
  });
}
