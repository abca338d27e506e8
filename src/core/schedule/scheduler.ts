/**
 * The in-process scheduler: on every tick it runs the jobs that are due, one after another, each under its advisory
 * lock (replicas that do not get it skip), records every run in `job_runs`, retries a failing job
 * with capped exponential backoff, and never lets a job's error escape into the process.
 * Collection and allocation jobs plug in the same way as the digest jobs.
 */
import { hostname } from 'node:os';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { Store } from '../storage/database.ts';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from './backoff.ts';
import type { Job, JobCounts, JobTrigger } from './job.ts';
import { slotStart } from './job.ts';
import { finishJobRun, ranSince, recordSkippedRun, startJobRun } from './job-runs.ts';
import { withJobLock } from './lock.ts';
import { redactSecrets } from './redact.ts';
import { intervalTimer, type Timer } from './timer.ts';

/**
 * What considering a job gave: it ran (`succeeded`, `failed`), another replica held its lock
 * (`skipped`), it was not due, it was still running here (`busy`), or it is waiting out its
 * backoff (`waiting`).
 */
export type JobResultOutcome = 'succeeded' | 'failed' | 'skipped' | 'not_due' | 'busy' | 'waiting';

/** The result of considering one job at one tick. */
export interface JobResult {
  job: string;
  outcome: JobResultOutcome;
  attempt?: number;
  counts?: JobCounts;
  /** The failure, without secrets. */
  error?: string;
  /** When a failed job may next be attempted. */
  retryAt?: Date;
}

/** Something worth logging; the scheduler itself never writes to stdout. */
export type SchedulerEvent =
  | { type: 'job_succeeded'; job: string; attempt: number; counts?: JobCounts }
  | { type: 'job_failed'; job: string; attempt: number; error: string; retryAt: Date | null }
  | { type: 'job_skipped'; job: string };

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  store: Store;
  jobs: Job[];
  /** The clock (tests pass a fake one). */
  now?: () => Date;
  /** Who this replica is in `job_runs`; default `host:pid`. */
  holder?: string;
  /** What drives ticks; default a real interval. */
  timer?: Timer;
  /** Tick interval; default one minute. */
  tickMs?: number;
  retry?: Partial<RetryPolicy>;
  onEvent?: (event: SchedulerEvent) => void;
}

/** A running or stopped scheduler. */
export interface Scheduler {
  /** Starts ticking (idempotent). */
  start(): void;
  /** Stops ticking and resolves once every job in flight has finished. */
  stop(): Promise<void>;
  /** Considers every job once now; resolves when the jobs it started have finished. */
  tick(): Promise<JobResult[]>;
  /** Runs one job now whatever its schedule or backoff (`ccost digest run`, cron), still under its lock. */
  runNow(name: string): Promise<JobResult>;
}

interface JobState {
  failures: number;
  nextAttemptAt: number | null;
  inFlight: Promise<JobResult> | null;
  /** Start (ms) of the last `everyMinutes` slot known done, so a done slot costs no query. */
  doneSlot: number | null;
}

type LockedOutcome =
  | { kind: 'not_due' }
  | { kind: 'succeeded'; counts?: JobCounts }
  | { kind: 'failed'; error: string };

/** `host:pid`, to tell replicas apart in `job_runs`. */
export function defaultHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/** Creates a scheduler for `jobs`; nothing runs until `start()` or `tick()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, jobs } = options;
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? defaultHolder();
  const timer = options.timer ?? intervalTimer();
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const names = new Set<string>();
  for (const job of jobs) {
    if (names.has(job.name))
      throw new CcostError(ErrorCode.InputInvalid, `two scheduled jobs are named ${job.name}`);
    names.add(job.name);
  }
  const states = new Map<string, JobState>(
    jobs.map((j) => [j.name, { failures: 0, nextAttemptAt: null, inFlight: null, doneSlot: null }]),
  );
  let cancel: (() => void) | null = null;
  let stopped = false;
  let ticking = false;

  const emit = (event: SchedulerEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken logger must not break scheduling.
    }
  };

  /** Runs the job once under its lock and updates its retry state. */
  async function attempt(job: Job, at: Date, trigger: JobTrigger): Promise<JobResult> {
    const state = states.get(job.name)!;
    const attemptNo = trigger === 'manual' ? 1 : state.failures + 1;
    const start = { job: job.name, holder, trigger, attempt: attemptNo, startedAt: at };
    const slot = typeof job.due === 'object' ? slotStart(at, job.due.everyMinutes) : null;
    let outcome: LockedOutcome;
    try {
      const locked = await withJobLock(store, job.name, async (): Promise<LockedOutcome> => {
        // Checked under the lock: another replica may have finished this slot a moment ago.
        if (slot && trigger !== 'manual' && (await ranSince(store, job.name, slot)))
          return { kind: 'not_due' };
        const id = await startJobRun(store, start);
        try {
          const counts = (await job.run({ store, now: at, attempt: attemptNo, trigger })) ?? undefined;
          await finishJobRun(store, id, { outcome: 'succeeded', finishedAt: now(), counts });
          return { kind: 'succeeded', counts };
        } catch (err) {
          const error = redactSecrets(messageOf(err));
          await finishJobRun(store, id, { outcome: 'failed', finishedAt: now(), error });
          return { kind: 'failed', error };
        }
      });
      if (!locked.acquired) {
        await recordSkippedRun(store, start);
        if (slot) state.doneSlot = slot.getTime();
        emit({ type: 'job_skipped', job: job.name });
        return { job: job.name, outcome: 'skipped', attempt: attemptNo };
      }
      outcome = locked.value;
    } catch (err) {
      // The database itself failed (lock, job_runs): a failed attempt like any other.
      outcome = { kind: 'failed', error: redactSecrets(messageOf(err)) };
    }
    if (outcome.kind === 'failed') return failed(job, state, at, attemptNo, outcome.error);
    state.failures = 0;
    state.nextAttemptAt = null;
    if (slot) state.doneSlot = slot.getTime();
    if (outcome.kind === 'not_due') return { job: job.name, outcome: 'not_due' };
    emit({ type: 'job_succeeded', job: job.name, attempt: attemptNo, counts: outcome.counts });
    return { job: job.name, outcome: 'succeeded', attempt: attemptNo, counts: outcome.counts };
  }

  function failed(job: Job, state: JobState, at: Date, attemptNo: number, error: string): JobResult {
    state.failures += 1;
    const retryAt = new Date(at.getTime() + retryDelayMs(state.failures, policy));
    state.nextAttemptAt = retryAt.getTime();
    const retrying = state.failures < policy.maxAttempts;
    emit({
      type: 'job_failed',
      job: job.name,
      attempt: attemptNo,
      error,
      retryAt: retrying ? retryAt : null,
    });
    return { job: job.name, outcome: 'failed', attempt: attemptNo, error, retryAt };
  }

  async function isDue(job: Job, state: JobState, at: Date): Promise<boolean> {
    if (typeof job.due === 'function') return job.due(at);
    return slotStart(at, job.due.everyMinutes).getTime() !== state.doneSlot;
  }

  /** Tracks the run as in flight so `stop()` can wait for it and a tick never starts it twice. */
  function track(job: Job, run: Promise<JobResult>): Promise<JobResult> {
    const state = states.get(job.name)!;
    const tracked = run.finally(() => {
      state.inFlight = null;
    });
    state.inFlight = tracked;
    return tracked;
  }

  async function consider(job: Job, at: Date): Promise<JobResult> {
    const state = states.get(job.name)!;
    if (state.inFlight) return { job: job.name, outcome: 'busy' };
    if (state.nextAttemptAt !== null && at.getTime() < state.nextAttemptAt) {
      return { job: job.name, outcome: 'waiting', retryAt: new Date(state.nextAttemptAt) };
    }
    // A failed job is retried when its backoff is over, due or not, until maxAttempts in a row.
    const retrying = state.failures > 0 && state.failures < policy.maxAttempts;
    let due: boolean;
    try {
      due = retrying || (await isDue(job, state, at));
    } catch (err) {
      return failed(job, state, at, state.failures + 1, redactSecrets(messageOf(err)));
    }
    if (!due) return { job: job.name, outcome: 'not_due' };
    return track(job, attempt(job, at, retrying ? 'retry' : 'schedule'));
  }

  const scheduler: Scheduler = {
    start() {
      stopped = false;
      if (cancel) return;
      cancel = timer.every(options.tickMs ?? 60_000, async () => {
        await scheduler.tick();
      });
    },
    async stop() {
      stopped = true;
      cancel?.();
      cancel = null;
      await Promise.allSettled([...states.values()].map((s) => s.inFlight).filter((p) => p !== null));
    },
    async tick() {
      if (stopped) return [];
      // One tick at a time, and its jobs one after another: on PostgreSQL each running job holds
      // one pooled connection for its lock, and jobs running side by side could take the whole
      // pool and leave their own queries waiting forever.
      if (ticking) return jobs.map((job) => ({ job: job.name, outcome: 'busy' as const }));
      const at = now();
      const results: JobResult[] = [];
      ticking = true;
      try {
        for (const job of jobs) results.push(await consider(job, at));
      } finally {
        ticking = false;
      }
      return results;
    },
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new CcostError(ErrorCode.NotFound, `no scheduled job named ${name}`);
      if (states.get(name)!.inFlight) return { job: name, outcome: 'busy' };
      return track(job, attempt(job, now(), 'manual'));
    },
  };
  return scheduler;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
