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
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Job, JobContext } from '../schedule/job.ts';
import { withJobLock } from '../schedule/lock.ts';
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
    run: (ctx) => allocateWhenCollected(ctx.store, { config, now: ctx.now }),
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
 * Allocates each organization's open months while holding its collection lock, so allocation never
 * reads a collection half done (and no collection starts meanwhile). An organization whose
 * collection is running makes the job fail, to be retried with backoff once it has finished.
 */
export async function allocateWhenCollected(
  store: Store,
  options: { config: Config; now: Date },
): Promise<{ runs_created: number; runs_unchanged: number; months: number }> {
  // Organizations of ccost.yaml (their first collection may not have written anything yet) and any with data.
  const stored = await store.query<{ org_id: string }>(sql`select distinct org_id from billing_lines`);
  const orgs = [
    ...new Set([...options.config.organizations.map((o) => o.id), ...stored.map((r) => r.org_id)]),
  ].sort();
  const counts = { runs_created: 0, runs_unchanged: 0, months: 0 };
  const busy: string[] = [];
  for (const orgId of orgs) {
    const locked = await withJobLock(store, collectJobName(orgId), () =>
      allocateOpenMonths(store, { ...options, orgIds: [orgId] }),
    );
    if (!locked.acquired) {
      busy.push(orgId);
      continue;
    }
    counts.runs_created += locked.value.runs_created;
    counts.runs_unchanged += locked.value.runs_unchanged;
    counts.months += locked.value.months;
  }
  if (busy.length > 0)
    throw new CcostError(
      ErrorCode.AllocationFailed,
      `collection of ${busy.join(', ')} is running; allocation of ${busy.length === 1 ? 'it' : 'them'} waits for the next attempt`,
    );
  return counts;
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
