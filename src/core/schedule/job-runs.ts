/**
 * The `job_runs` record: one row per attempt of a job on a replica, inserted as `running` when
 * it starts and finished as `succeeded` or `failed`; a run that did not get the lock is one
 * `skipped` row. Times come from the scheduler's clock so tests can drive it.
 */
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { jobRuns } from '../storage/schema.ts';
import type { JobCounts, JobTrigger } from './job.ts';

/** How a job run ended (or `running` while it has not). */
export type JobOutcome = 'running' | 'succeeded' | 'failed' | 'skipped';

/** A stored job run. */
export type JobRun = typeof jobRuns.$inferSelect;

/** Who ran it and why. */
export interface JobRunStart {
  job: string;
  holder: string;
  trigger: JobTrigger;
  attempt: number;
  startedAt: Date;
}

/** Records the start of a run; returns its id. */
export async function startJobRun(store: Store, run: JobRunStart): Promise<number> {
  const [row] = await store.db
    .insert(jobRuns)
    .values({ ...run, outcome: 'running' })
    .returning({ id: jobRuns.id });
  return row!.id;
}

/** Records how run `id` ended. `error` must already be free of secrets. */
export async function finishJobRun(
  store: Store,
  id: number,
  end: { outcome: 'succeeded' | 'failed'; finishedAt: Date; counts?: JobCounts; error?: string },
): Promise<void> {
  await store.db
    .update(jobRuns)
    .set({
      outcome: end.outcome,
      finishedAt: end.finishedAt,
      counts: end.counts ?? null,
      error: end.error ?? null,
    })
    .where(eq(jobRuns.id, id));
}

/** Records a run that did not happen because another holder had the job's lock. */
export async function recordSkippedRun(store: Store, run: JobRunStart): Promise<number> {
  const [row] = await store.db
    .insert(jobRuns)
    .values({ ...run, outcome: 'skipped', finishedAt: run.startedAt })
    .returning({ id: jobRuns.id });
  return row!.id;
}

/**
 * True when `job` succeeded, or is running, in a run started at or after `since` (on any
 * replica): the slot is taken and must not run again.
 */
export async function ranSince(store: Store, job: string, since: Date): Promise<boolean> {
  const rows = await store.db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.job, job),
        gte(jobRuns.startedAt, since),
        inArray(jobRuns.outcome, ['succeeded', 'running']),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The latest runs, newest first; of one job when `job` is given. */
export async function listJobRuns(
  store: Store,
  options: { job?: string; limit?: number } = {},
): Promise<JobRun[]> {
  return store.db
    .select()
    .from(jobRuns)
    .where(options.job ? eq(jobRuns.job, options.job) : undefined)
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(options.limit ?? 100);
}
