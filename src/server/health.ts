/**
 * `/healthz`: the database answers, and how each scheduled job last went. A failing job makes the
 * service `degraded` (200: restarting would not help); an unreachable database `unavailable` (503).
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../core/storage/database.ts';

/** One job's recent history. */
export interface JobHealth {
  job: string;
  lastOutcome: string;
  lastRunAt: string;
  lastSuccessAt: string | null;
  /** Failed runs since the last success. */
  failuresInARow: number;
  lastError: string | null;
}

/** The health document. */
export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  database: 'ok' | 'unreachable';
  jobs: JobHealth[];
}

/** Reads the health of the database and of every job that has run (skipped runs do not count). */
export async function jobHealth(store: Store): Promise<Health> {
  let rows: {
    job: string;
    outcome: string;
    started_at: string;
    last_success: string | null;
    failures: string | number;
    error: string | null;
  }[];
  try {
    rows = await store.query(sql`
      select distinct on (j.job) j.job, j.outcome, j.started_at::text as started_at, j.error,
        (select max(s.finished_at)::text from job_runs s where s.job = j.job and s.outcome = 'succeeded') as last_success,
        (select count(*) from job_runs f where f.job = j.job and f.outcome = 'failed'
           and f.started_at > coalesce((select max(s.started_at) from job_runs s where s.job = j.job and s.outcome = 'succeeded'), '-infinity')) as failures
      from job_runs j where j.outcome <> 'skipped'
      order by j.job, j.started_at desc, j.id desc`);
  } catch {
    return { status: 'unavailable', database: 'unreachable', jobs: [] };
  }
  const jobs = rows.map((r) => ({
    job: r.job,
    lastOutcome: r.outcome,
    lastRunAt: r.started_at,
    lastSuccessAt: r.last_success,
    failuresInARow: Number(r.failures),
    lastError: r.outcome === 'failed' ? r.error : null,
  }));
  const degraded = jobs.some((j) => j.lastOutcome === 'failed');
  return { status: degraded ? 'degraded' : 'ok', database: 'ok', jobs };
}
