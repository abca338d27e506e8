/**
 * Runs left `running` by a process that died (killed, crashed, power lost). Their writes were
 * transactional (an allocation run is all or nothing; collection commits page by page and
 * resumes from its checkpoint), so what is left is the bookkeeping: such a run is recorded as
 * failed once nobody holds its job's lock, so health and history tell the truth and its slot
 * can run again.
 */
import { sql } from 'drizzle-orm';
import { collectJobName } from '../core/pipeline/jobs.ts';
import { withJobLock } from '../core/schedule/lock.ts';
import type { Store } from '../core/storage/database.ts';

const ABANDONED = 'abandoned: the process running it stopped before it finished';

/** Marks abandoned job and collection runs failed; returns what it marked (`job_runs:12`, `collection_runs:…`). */
export async function recoverAbandonedRuns(store: Store, now: Date): Promise<string[]> {
  const marked: string[] = [];
  const jobs = await store.query<{ id: string | number; job: string }>(
    sql`select id, job from job_runs where outcome = 'running' order by id`,
  );
  for (const run of jobs) {
    const done = await withJobLock(store, run.job, () =>
      store.query(sql`
        update job_runs set outcome = 'failed', finished_at = ${now.toISOString()}::timestamptz, error = ${ABANDONED}
        where id = ${run.id} and outcome = 'running' returning id`),
    );
    if (done.acquired && done.value.length > 0) marked.push(`job_runs:${run.id}`);
  }
  const collections = await store.query<{ id: string; org_id: string }>(
    sql`select id, org_id from collection_runs where status = 'running' order by created_at`,
  );
  for (const run of collections) {
    const done = await withJobLock(store, collectJobName(run.org_id), () =>
      store.query(sql`
        update collection_runs set status = 'failed', finished_at = ${now.toISOString()}::timestamptz, error = ${ABANDONED}
        where id = ${run.id} and status = 'running' returning id`),
    );
    if (done.acquired && done.value.length > 0) marked.push(`collection_runs:${run.id}`);
  }
  return marked;
}
