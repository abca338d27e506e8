import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth } from '../../../src/core/close/close.ts';
import {
  ALLOCATE_JOB,
  allocateOpenMonths,
  collectJobName,
  createPipelineJobs,
} from '../../../src/core/pipeline/jobs.ts';
import { listJobRuns } from '../../../src/core/schedule/job-runs.ts';
import { createScheduler } from '../../../src/core/schedule/scheduler.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { openSecondStore } from '../../helpers/second-store.ts';
import { simulatorClients, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-11-05T06:00:10Z');

describe('pipeline jobs', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('collects and allocates once per slot across two replicas, to exactly the billed amounts', async () => {
    const second = await openSecondStore(store);
    const jobs = createPipelineJobs({
      config: org.config,
      env: {},
      clientsFor: () => simulatorClients(org.sim),
    });
    expect(jobs.map((j) => j.name)).toEqual([collectJobName(org.orgId), ALLOCATE_JOB]);
    const a = createScheduler({ store, jobs, now: () => NOW, holder: 'replica-a' });
    const b = createScheduler({ store: second, jobs, now: () => NOW, holder: 'replica-b' });
    try {
      // Collection first (allocation needs its data), both replicas at once.
      const [ra, rb] = await Promise.all([
        a.runNow(collectJobName(org.orgId)),
        b.runNow(collectJobName(org.orgId)),
      ]);
      expect([ra.outcome, rb.outcome].sort()).toEqual(['skipped', 'succeeded']);
      const [ta, tb] = await Promise.all([a.tick(), b.tick()]);
      const allocated = [...ta, ...tb].filter((r) => r.job === ALLOCATE_JOB && r.outcome === 'succeeded');
      expect(allocated).toHaveLength(1);
      expect(allocated[0]!.counts?.months).toBeGreaterThanOrEqual(1);
    } finally {
      await second.close();
    }
    const runs = await listJobRuns(store, { job: ALLOCATE_JOB });
    expect(runs.filter((r) => r.outcome === 'succeeded')).toHaveLength(1);
    const [billed] = await store.query<{ s: string }>(
      sql`select sum(amount)::text as s from billing_lines where start_date >= '2026-10-01' and start_date < '2026-11-01'`,
    );
    const [allocatedSum] = await store.query<{ s: string }>(sql`
      select sum(a.amount)::text as s from allocations a join allocation_runs r on r.id = a.run_id and r.is_current where r.period = '2026-10'`);
    expect(new Decimal(allocatedSum!.s).toFixed()).toBe(new Decimal(billed!.s).toFixed());
  });

  it('leaves closed months alone and reports unchanged runs', async () => {
    const again = await allocateOpenMonths(store, { config: org.config, now: NOW });
    expect(again.runs_created).toBe(0);
    expect(again.runs_unchanged).toBe(again.months);
    await closeMonth(store, {
      orgId: org.orgId,
      month: '2026-10',
      config: org.config,
      now: new Date('2026-11-04T00:00:00Z'),
      force: true,
      reason: 'test',
    });
    const afterClose = await allocateOpenMonths(store, { config: org.config, now: NOW });
    expect(afterClose.months).toBe(again.months - 1);
  });
});
