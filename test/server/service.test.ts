import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import type { Config } from '../../src/core/config/schema.ts';
import { ALLOCATE_JOB, collectJobName } from '../../src/core/pipeline/jobs.ts';
import { listJobRuns } from '../../src/core/schedule/job-runs.ts';
import { createManualTimer } from '../../src/core/schedule/timer.ts';
import { openStoreFromEnv, type Store } from '../../src/core/storage/database.ts';
import { recoverAbandonedRuns } from '../../src/server/recover.ts';
import { type RunningService, startService } from '../../src/server/service.ts';
import { allocatedSum } from '../helpers/allocated.ts';
import { createCliHarness } from '../helpers/cli.ts';
import { openSecondStore } from '../helpers/second-store.ts';
import { simulatorClients, startSimulatedOrg } from '../helpers/simulated.ts';
import { createTestStore } from '../helpers/store.ts';

const START = Date.parse('2026-11-05T06:00:10Z');
const TOKEN = 'service-test-token';
const BIN = fileURLToPath(new URL('../../bin/ccost.js', import.meta.url));

describe('ccost serve: the scheduled pipeline behind the API and metrics', () => {
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let store: Store;
  let second: Store;
  let config: Config;
  let t = START;
  const services: RunningService[] = [];

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: new Date(START).toISOString() });
    store = await createTestStore();
    second = await openSecondStore(store);
    config = parseConfig({ ...org.config, api: { tokens: [{ name: 'finance', token_env: 'CCOST_TOKEN' }] } });
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    await second.close();
    await store.close();
    await org.sim.stop();
  });

  it('two replicas collect and allocate once each; the API and /metrics give the allocated totals exactly', async () => {
    const timers = [createManualTimer(), createManualTimer()];
    for (const [i, s] of [store, second].entries()) {
      services.push(
        await startService({
          config,
          store: s,
          env: { CCOST_TOKEN: TOKEN },
          port: 0,
          host: '127.0.0.1',
          slack: false,
          now: () => new Date(t),
          timer: timers[i],
          holder: `replica-${i}`,
          clientsFor: () => simulatorClients(org.sim),
          log: () => {},
        }),
      );
    }
    // Both replicas tick at once; a replica whose allocation found the collection running retries later.
    await Promise.all(timers.map((timer) => timer.fire()));
    t += 5 * 60_000;
    await Promise.all(timers.map((timer) => timer.fire()));

    const runs = await listJobRuns(store);
    const succeeded = (job: string) => runs.filter((r) => r.job === job && r.outcome === 'succeeded');
    expect(succeeded(collectJobName(org.orgId))).toHaveLength(1);
    expect(succeeded(ALLOCATE_JOB)).toHaveLength(1);

    const billed = new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed();
    for (const service of services) {
      const res = await fetch(`${service.url}/api/v1/costs?from=2026-10-01&to=2026-11-01&group_by=team`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await res.json()) as { total: string; rows: { team: string; amount: string }[] };
      expect(body.total).toBe(billed);
      expect(body.total).toBe(await allocatedSum(store, sql`r.period = '2026-10'`));
      for (const row of body.rows)
        expect(row.amount).toBe(
          await allocatedSum(store, sql`a.team = ${row.team} and r.period = '2026-10'`),
        );
    }
    const metrics = await (await fetch(`${services[1]!.url}/metrics`)).text();
    const october = metrics
      .split('\n')
      .filter((l) => l.startsWith('ccost_cost_usd{') && l.includes('period="last_month"'))
      .reduce((s, l) => s.plus(l.slice(l.lastIndexOf(' ') + 1)), new Decimal(0));
    expect(october.minus(billed).abs().lt('0.01')).toBe(true);
    // Each replica times the jobs it ran: together, one allocation.
    const first = await (await fetch(`${services[0]!.url}/metrics`)).text();
    const timed = [first, metrics].filter((m) =>
      /ccost_job_duration_seconds_count\{job="allocate",outcome="succeeded"\} 1/.test(m),
    );
    expect(timed).toHaveLength(1);
    const health = (await (await fetch(`${services[0]!.url}/healthz`)).json()) as {
      status: string;
      jobs: { job: string; lastOutcome: string }[];
    };
    expect(health.status).toBe('ok');
    expect(health.jobs.map((j) => [j.job, j.lastOutcome])).toContainEqual([ALLOCATE_JOB, 'succeeded']);
  });
});

describe('ccost serve killed in the middle of a collection', () => {
  it('leaves no partial run: the abandoned runs are recorded failed and allocation runs are whole', async () => {
    const org = await startSimulatedOrg({ now: '2026-11-05T06:00:10Z' });
    const cli = createCliHarness();
    try {
      // Slow answers so the collection is surely in flight when the process dies.
      org.sim.setFaults({ slowMs: 150 });
      const configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
      writeFileSync(configFile, JSON.stringify({ ...org.config, collection: org.config.collection }));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...cli.env,
        CONFLUENT_CLOUD_API_KEY: org.sim.apiKey,
        CONFLUENT_CLOUD_API_SECRET: org.sim.apiSecret,
      };
      if (!cli.env.DATABASE_URL) delete env.DATABASE_URL;
      const child = spawn(
        process.execPath,
        [BIN, '--config', configFile, 'serve', '--no-slack', '--port', '0', '--host', '127.0.0.1'],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const deadline = Date.now() + 60_000;
      while (org.sim.stats().requests < 8) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`serve did not start collecting: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const store = await openStoreFromEnv(cli.env);
      try {
        const before = await store.query<{ n: string | number }>(
          sql`select count(*) as n from job_runs where outcome = 'running'`,
        );
        expect(Number(before[0]!.n)).toBe(1);
        const recovered = await recoverAbandonedRuns(store, new Date());
        expect(recovered.some((r) => r.startsWith('job_runs:'))).toBe(true);
        expect(recovered.some((r) => r.startsWith('collection_runs:'))).toBe(true);
        const running = await store.query<{ n: string | number }>(sql`
          select (select count(*) from job_runs where outcome = 'running') + (select count(*) from collection_runs where status = 'running') as n`);
        expect(Number(running[0]!.n)).toBe(0);
        // Allocation runs are all-or-nothing: none is half written.
        const partial = await store.query(sql`
          select r.id from allocation_runs r left join allocations a on a.run_id = r.id
          group by r.id, r.total having coalesce(sum(a.amount), 0) <> r.total`);
        expect(partial).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await org.sim.stop();
      await cli.cleanup();
    }
  });
});
