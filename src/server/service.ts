/**
 * `ccost serve` as one service: the HTTP server (Slack app, REST API, /metrics, /healthz) and the
 * scheduler running the pipeline (collection, allocation) and, with Slack, the digests. Several
 * replicas may run against one PostgreSQL: every job runs under its advisory lock.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from '@slack/bolt';
import { createDigestJobs } from '../bot/digests.ts';
import { CODE_VERSION } from '../core/allocation/run.ts';
import type { Config } from '../core/config/schema.ts';
import {
  ALLOCATE_JOB,
  collectJobName,
  createPipelineJobs,
  type PipelineOptions,
} from '../core/pipeline/jobs.ts';
import type { Job } from '../core/schedule/job.ts';
import { createScheduler, type Scheduler, type SchedulerEvent } from '../core/schedule/scheduler.ts';
import type { Timer } from '../core/schedule/timer.ts';
import type { Store } from '../core/storage/database.ts';
import { createApi } from './api/app.ts';
import { loadTokens } from './api/auth.ts';
import { jobHealth } from './health.ts';
import { createMetrics, type ServiceMetrics } from './metrics/registry.ts';
import { recoverAbandonedRuns } from './recover.ts';
import { type RunningServer, startServer } from './server.ts';

/** Options of {@link startService}. */
export interface ServiceOptions {
  config: Config;
  store: Store;
  env: Record<string, string | undefined>;
  port?: number;
  host?: string;
  /** false: no Slack app and no digests. */
  slack?: boolean;
  now?: () => Date;
  /** Scheduler ticks (tests drive a manual timer); default every minute. */
  timer?: Timer;
  tickMs?: number;
  /** Who this replica is in job_runs. */
  holder?: string;
  /** Confluent clients per org (tests point them at the simulator). */
  clientsFor?: PipelineOptions['clientsFor'];
  /** Where service events go (job outcomes, errors); default stderr as JSON lines. */
  log?: (event: Record<string, unknown>) => void;
  logger?: Logger;
}

/** A running service. */
export interface RunningService {
  server: RunningServer;
  scheduler: Scheduler;
  metrics: ServiceMetrics;
  url: string;
  /** Graceful stop: jobs in flight finish, requests in flight finish, then the Slack app stops. */
  stop(): Promise<void>;
}

/** Starts the service; abandoned runs of a previous process are recorded as failed first. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const now = options.now ?? (() => new Date());
  const log =
    options.log ??
    ((event) => process.stderr.write(`${JSON.stringify({ time: now().toISOString(), ...event })}\n`));
  const metrics = createMetrics({ store: options.store, now });
  const tokens = loadTokens(options.config, options.env as NodeJS.ProcessEnv);
  const recovered = await recoverAbandonedRuns(options.store, now());
  if (recovered.length > 0) log({ event: 'abandoned_runs_recovered', runs: recovered });
  let scheduler: Scheduler | undefined;
  const api = createApi({
    store: options.store,
    config: options.config,
    now,
    tokens,
    version: CODE_VERSION,
    triggers: { collect: ({ orgId }) => triggerCollection(scheduler!, options.config, orgId, log) },
    logError: (err) => log({ event: 'api_error', error: err instanceof Error ? err.message : String(err) }),
  });
  const server = await startServer({
    config: options.config,
    store: options.store,
    env: options.env,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.slack === false ? { slack: false as const } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    observeSlackCommand: metrics.observeSlackCommand,
    routes: {
      'GET /metrics': metricsRoute(metrics),
      'GET /healthz': healthRoute(options.store),
    },
    fallback: getRequestListener(api.fetch),
    scheduler: ({ slack }) => {
      const pipeline = createPipelineJobs({
        config: options.config,
        env: options.env as NodeJS.ProcessEnv,
        ...(options.clientsFor ? { clientsFor: options.clientsFor } : {}),
      });
      const digests = slack
        ? createDigestJobs({ store: options.store, config: options.config, slack: slack.client })
        : [];
      scheduler = createScheduler({
        store: options.store,
        jobs: [...pipeline, ...digests].map((job) => instrument(job, metrics)),
        now,
        ...(options.timer ? { timer: options.timer } : {}),
        ...(options.tickMs ? { tickMs: options.tickMs } : {}),
        ...(options.holder ? { holder: options.holder } : {}),
        onEvent: (event: SchedulerEvent) => log({ event: event.type, ...event, type: undefined }),
      });
      return scheduler;
    },
  });
  // A fresh process looks for due work at once rather than a tick later.
  if (!options.timer) setTimeout(() => void scheduler?.tick(), 0).unref();
  return { server, scheduler: scheduler!, metrics, url: server.url, stop: server.stop };
}

/** Times every run of a job into the metrics. */
function instrument(job: Job, metrics: ServiceMetrics): Job {
  return {
    ...job,
    async run(ctx) {
      const start = performance.now();
      try {
        const counts = await job.run(ctx);
        metrics.observeJob(job.name, 'succeeded', (performance.now() - start) / 1000);
        return counts;
      } catch (err) {
        metrics.observeJob(job.name, 'failed', (performance.now() - start) / 1000);
        throw err;
      }
    },
  };
}

/** Collection of one org (or all) and then allocation, in the background; answers at once. */
async function triggerCollection(
  scheduler: Scheduler,
  config: Config,
  orgId: string | undefined,
  log: (event: Record<string, unknown>) => void,
): Promise<{ job: string; status: 'started' }> {
  const orgs = orgId ? [orgId] : config.organizations.map((o) => o.id);
  const run = async () => {
    for (const org of orgs) await scheduler.runNow(collectJobName(org));
    await scheduler.runNow(ALLOCATE_JOB);
  };
  run().catch((err: unknown) =>
    log({ event: 'trigger_failed', error: err instanceof Error ? err.message : String(err) }),
  );
  return { job: orgs.map(collectJobName).join(','), status: 'started' };
}

function metricsRoute(metrics: ServiceMetrics) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    const body = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(body);
  };
}

function healthRoute(store: Store) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    const health = await jobHealth(store);
    res.writeHead(health.status === 'unavailable' ? 503 : 200, {
      'content-type': 'application/json; charset=utf-8',
    });
    res.end(JSON.stringify(health));
  };
}
