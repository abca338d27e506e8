/**
 * The data pipeline as scheduler jobs: collection of each organization (hourly by default, the
 * trailing window re-fetched) and allocation of every month that is not closed yet (daily by
 * default). Both are idempotent, so a retry or a second replica's late run changes nothing.
 */

import { sql } from 'drizzle-orm';
import { allocateMonth } from '../allocation/run.ts';
import { stateOf } from '../close/periods.ts';
import { clientsFor } from '../collect/clients.ts';
import { collectOrg } from '../collect/collection.ts';
import type { Config } from '../config/schema.ts';
import type { Job, JobContext } from '../schedule/job.ts';
import type { Store } from '../storage/database.ts';

/** Name of the collection job of one organization. */
export const collectJobName = (orgId: string) => `collect:${orgId}`;
/** Name of the allocation job. */
export const ALLOCATE_JOB = 'allocate';

/** Options of {@link createPipelineJobs}. */
export interface PipelineOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Clients per org (tests and the simulator pass their own); default from config and env. */
  clientsFor?: (org: Config['organizations'][number]) => ReturnType<typeof clientsFor>;
}

/** One collection job per organization in ccost.yaml and one allocation job. */
export function createPipelineJobs(options: PipelineOptions): Job[] {
  const { config } = options;
  const makeClients = options.clientsFor ?? ((org) => clientsFor(org, options.env));
  const collectJobs: Job[] = config.organizations.map((org) => ({
    name: collectJobName(org.id),
    due: { everyMinutes: config.schedule.collect_every_minutes },
    run: (ctx) => collectJob(ctx, org, makeClients, config),
  }));
  const allocate: Job = {
    name: ALLOCATE_JOB,
    due: { everyMinutes: config.schedule.allocate_every_minutes },
    run: (ctx) => allocateOpenMonths(ctx.store, { config, now: ctx.now }),
  };
  return [...collectJobs, allocate];
}

async function collectJob(
  ctx: JobContext,
  org: Config['organizations'][number],
  makeClients: NonNullable<PipelineOptions['clientsFor']>,
  config: Config,
) {
  const summary = await collectOrg(ctx.store, {
    orgId: org.id,
    ...makeClients(org),
    now: ctx.now,
    usage: { hourly: config.collection.hourly_usage, topics: config.collection.topic_usage },
  });
  return {
    days: summary.days,
    lines_new: summary.lines.new,
    lines_changed: summary.lines.changed,
    usage_rows: summary.usageRows,
  };
}

/**
 * Allocates, for every organization with billing data, each month from the oldest not-closed one
 * with data (at most the last 3) to the current one. Closed months are left alone: changing them
 * is a restatement, decided by a person.
 */
export async function allocateOpenMonths(
  store: Store,
  options: { config: Config; now: Date; orgIds?: string[] },
): Promise<{ runs_created: number; runs_unchanged: number; months: number }> {
  const rows = await store.query<{ org_id: string; month: string; closed: boolean }>(sql`
    select m.org_id, m.month,
      exists (select 1 from period_closes c where c.org_id = m.org_id and c.period = m.month) as closed
    from (
      select distinct b.org_id, to_char(b.start_date, 'YYYY-MM') as month from billing_lines b
      where b.start_date >= (date_trunc('month', ${options.now.toISOString()}::timestamptz) - interval '2 months')::date
    ) m
    order by 1, 2`);
  const counts = { runs_created: 0, runs_unchanged: 0, months: 0 };
  for (const row of rows) {
    if (options.orgIds && !options.orgIds.includes(row.org_id)) continue;
    if (stateOf(row.month, options.now, row.closed).state === 'closed') continue;
    const run = await allocateMonth(store, {
      orgId: row.org_id,
      month: row.month,
      config: options.config,
      now: options.now,
    });
    counts.months += 1;
    if (run.outcome === 'created') counts.runs_created += 1;
    else counts.runs_unchanged += 1;
  }
  return counts;
}
