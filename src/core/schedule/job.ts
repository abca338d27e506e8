/**
 * What the scheduler runs. A job is named (the name is its lock and its key in `job_runs`), says
 * when it is due, and does its work; it must be safe to run again (digests claim their messages,
 * collection and allocation are idempotent), because a failed attempt is retried.
 */
import type { Store } from '../storage/database.ts';

/** Why a job run started: its schedule, a retry after a failure, or a person (CLI, cron). */
export type JobTrigger = 'schedule' | 'retry' | 'manual';

/** What a running job is given. */
export interface JobContext {
  store: Store;
  /** The scheduler's clock at the start of the run. */
  now: Date;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  trigger: JobTrigger;
}

/** Counts a job reports (messages sent, rows written); stored with its run in `job_runs`. */
export type JobCounts = Record<string, number>;

/**
 * When a job is due: a predicate of the clock, or every N minutes. `everyMinutes` slots are
 * aligned to the epoch (every 15 minutes: :00, :15, :30, :45 UTC) so that every replica agrees on
 * the slot, and a slot whose run already succeeded (on any replica) is not run again.
 */
export type DueRule = ((now: Date) => boolean) | { everyMinutes: number };

/** A named, schedulable unit of work. */
export interface Job {
  name: string;
  due: DueRule;
  // biome-ignore lint/suspicious/noConfusingVoidType: a job with nothing to count returns nothing
  run(ctx: JobContext): Promise<JobCounts | undefined | void>;
}

/** Start of the `everyMinutes` slot containing `now`. */
export function slotStart(now: Date, everyMinutes: number): Date {
  const width = everyMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / width) * width);
}
