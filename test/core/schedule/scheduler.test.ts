import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/core/schedule/backoff.ts';
import type { Job } from '../../../src/core/schedule/job.ts';
import { listJobRuns } from '../../../src/core/schedule/job-runs.ts';
import { redactSecrets } from '../../../src/core/schedule/redact.ts';
import { createScheduler } from '../../../src/core/schedule/scheduler.ts';
import { createManualTimer } from '../../../src/core/schedule/timer.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { jobRuns } from '../../../src/core/storage/schema.ts';
import { openSecondStore } from '../../helpers/second-store.ts';
import { createTestStore } from '../../helpers/store.ts';

/** A clock tests move by hand. */
function fakeClock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A promise and its resolver, to hold a job open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const MINUTE = 60_000;

describe('scheduler', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.db.delete(jobRuns);
  });

  it('runs an every-N-minutes job once per slot and records it with its counts', async () => {
    const clock = fakeClock('2026-11-02T09:00:10Z');
    let runs = 0;
    const job: Job = {
      name: 'count',
      due: { everyMinutes: 15 },
      run: async () => ({ sent: ++runs }),
    };
    const scheduler = createScheduler({ store, jobs: [job], now: clock.now, holder: 'a' });
    expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'succeeded', counts: { sent: 1 } });
    clock.advance(5 * MINUTE);
    expect((await scheduler.tick())[0]!.outcome).toBe('not_due');
    // A fresh scheduler (a restarted replica) sees the slot done in job_runs.
    const restarted = createScheduler({ store, jobs: [job], now: clock.now, holder: 'b' });
    expect((await restarted.tick())[0]!.outcome).toBe('not_due');
    clock.advance(10 * MINUTE);
    expect((await scheduler.tick())[0]!.outcome).toBe('succeeded');
    expect(runs).toBe(2);
    const recorded = await listJobRuns(store, { job: 'count' });
    expect(recorded.map((r) => [r.outcome, r.holder, r.counts])).toEqual([
      ['succeeded', 'a', { sent: 2 }],
      ['succeeded', 'a', { sent: 1 }],
    ]);
    expect(recorded[0]!.startedAt.toISOString()).toBe('2026-11-02T09:15:10.000Z');
    expect(recorded[0]!.finishedAt).not.toBeNull();
  });

  it('retries a failing job with capped exponential backoff, records each failure without secrets, and survives', async () => {
    const clock = fakeClock('2026-11-02T09:00:00Z');
    let calls = 0;
    const flaky: Job = {
      name: 'flaky',
      due: () => calls === 0,
      run: async () => {
        calls += 1;
        if (calls <= 2) throw new Error('chat.postMessage failed with token xoxb-123-456-abcdef');
        return { ok: 1 };
      },
    };
    const steady: Job = { name: 'steady', due: () => true, run: async () => ({ ok: 1 }) };
    const scheduler = createScheduler({
      store,
      jobs: [flaky, steady],
      now: clock.now,
      retry: { baseMs: MINUTE, maxMs: 10 * MINUTE, maxAttempts: 5 },
    });
    const first = await scheduler.tick();
    expect(first.map((r) => r.outcome)).toEqual(['failed', 'succeeded']);
    expect(first[0]!.error).not.toContain('abcdef');
    expect(first[0]!.retryAt!.toISOString()).toBe('2026-11-02T09:01:00.000Z');
    clock.advance(30_000);
    expect((await scheduler.tick())[0]!.outcome).toBe('waiting');
    clock.advance(30_000);
    const second = await scheduler.tick();
    expect(second[0]).toMatchObject({ outcome: 'failed', attempt: 2 });
    expect(second[0]!.retryAt!.toISOString()).toBe('2026-11-02T09:03:00.000Z');
    clock.advance(2 * MINUTE);
    expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'succeeded', attempt: 3 });
    clock.advance(MINUTE);
    expect((await scheduler.tick())[0]!.outcome).toBe('not_due');
    const recorded = (await listJobRuns(store, { job: 'flaky' })).reverse();
    expect(recorded.map((r) => [r.outcome, r.attempt, r.trigger])).toEqual([
      ['failed', 1, 'schedule'],
      ['failed', 2, 'retry'],
      ['succeeded', 3, 'retry'],
    ]);
    expect(recorded[0]!.error).toBe('chat.postMessage failed with token xox*-[redacted]');
  });

  it('stops retrying after maxAttempts in a row until the job is due again', async () => {
    const clock = fakeClock('2026-11-02T09:00:00Z');
    let calls = 0;
    let due = true;
    const broken: Job = {
      name: 'broken',
      due: () => due,
      run: async () => {
        calls += 1;
        throw new Error('down');
      },
    };
    const scheduler = createScheduler({
      store,
      jobs: [broken],
      now: clock.now,
      retry: { baseMs: MINUTE, maxMs: 4 * MINUTE, maxAttempts: 3 },
    });
    due = true;
    await scheduler.tick();
    due = false;
    for (let i = 0; i < 10; i++) {
      clock.advance(5 * MINUTE);
      await scheduler.tick();
    }
    expect(calls).toBe(3);
    due = true;
    clock.advance(5 * MINUTE);
    expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'failed', attempt: 4 });
    expect(retryDelayMs(10, { baseMs: MINUTE, maxMs: 4 * MINUTE, maxAttempts: 3 })).toBe(4 * MINUTE);
  });

  it('two schedulers on two connections: one runs the job, the other records skipped', async () => {
    const other = await openSecondStore(store);
    try {
      const clock = fakeClock('2026-11-02T09:00:00Z');
      const held = gate();
      const started = gate();
      let runs = 0;
      const job = (): Job => ({
        name: 'exclusive',
        due: { everyMinutes: 60 },
        run: async () => {
          runs += 1;
          started.open();
          await held.opened;
          return { runs };
        },
      });
      const a = createScheduler({ store, jobs: [job()], now: clock.now, holder: 'replica-a' });
      const b = createScheduler({ store: other, jobs: [job()], now: clock.now, holder: 'replica-b' });
      const ticking = a.tick();
      await started.opened;
      expect((await b.tick())[0]!.outcome).toBe('skipped');
      held.open();
      expect((await ticking)[0]!.outcome).toBe('succeeded');
      // Once the slot is done, b neither runs it nor skips it.
      const c = createScheduler({ store: other, jobs: [job()], now: clock.now, holder: 'replica-c' });
      expect((await c.tick())[0]!.outcome).toBe('not_due');
      expect(runs).toBe(1);
      const recorded = await listJobRuns(store, { job: 'exclusive' });
      expect(recorded.map((r) => [r.holder, r.outcome]).sort()).toEqual([
        ['replica-a', 'succeeded'],
        ['replica-b', 'skipped'],
      ]);
    } finally {
      await other.close();
    }
  });

  it('start() ticks on the timer; stop() waits for the job in flight and stops ticking', async () => {
    const timer = createManualTimer();
    const held = gate();
    const started = gate();
    let finished = false;
    let runs = 0;
    const job: Job = {
      name: 'slow',
      due: () => true,
      run: async () => {
        runs += 1;
        started.open();
        await held.opened;
        finished = true;
      },
    };
    const scheduler = createScheduler({ store, jobs: [job], timer });
    scheduler.start();
    expect(timer.active).toBe(true);
    const firing = timer.fire();
    await started.opened;
    expect((await scheduler.tick())[0]!.outcome).toBe('busy');
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    await firing;
    expect(finished).toBe(true);
    expect(timer.active).toBe(false);
    await timer.fire();
    expect(await scheduler.tick()).toEqual([]);
    expect(runs).toBe(1);
  });

  it('redacts tokens, URL passwords and authorization values', () => {
    expect(redactSecrets('postgres://ccost:hunter2@db:5432/x failed')).toBe(
      'postgres://ccost:[redacted]@db:5432/x failed',
    );
    expect(redactSecrets('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('api_secret=s3cr3t&x=1')).toBe('api_secret=[redacted]&x=1');
  });
});
