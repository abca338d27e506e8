/**
 * bench/collect: one month of a simulated organization with 100 clusters and 2,000 principals,
 * collected over real HTTP from the simulator into PostgreSQL (DATABASE_URL, default the local
 * test database) and into PGlite. Reports wall time, requests made, and rows stored per second.
 *
 *   npx tsx bench/collect.ts [--clusters 100] [--principals 2000] [--pglite-only|--postgres-only]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { collectOrg } from '../src/core/collect/collection.ts';
import { createApiClient } from '../src/core/collect/http.ts';
import { createModel } from '../src/core/simulate/model.ts';
import { startSimulator } from '../src/core/simulate/server.ts';
import { openStore, type Store } from '../src/core/storage/database.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const clusters = flag('--clusters', 100);
const principals = flag('--principals', 2000);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = new Date('2026-11-05T06:00:00Z');

async function run(driver: 'postgres' | 'pglite') {
  const model = createModel({ seed: 'bench', clusters, principals, start: '2026-10-01' });
  const sim = await startSimulator({ model, now: NOW, retryAfterSeconds: 0 });
  const schemaName = `bench_${randomBytes(5).toString('hex')}`;
  const store: Store =
    driver === 'postgres'
      ? await openStore({ databaseUrl, schemaName })
      : await openStore({ dataDir: 'memory://' });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    const client = (baseUrl: string, name: string) =>
      createApiClient({ baseUrl, apiKey: sim.apiKey, apiSecret: sim.apiSecret, name });
    const api = client(sim.url, 'Confluent Cloud API');
    const telemetry = client(sim.telemetryUrl, 'Confluent Metrics API');
    const started = performance.now();
    const summary = await collectOrg(store, {
      orgId: model.org.organization.id,
      api,
      telemetry,
      since: '2026-10-01',
      until: '2026-11-01',
      now: NOW,
    });
    const seconds = (performance.now() - started) / 1000;
    const rows = summary.lines.new + summary.usageRows;
    return {
      driver,
      seconds: round(seconds),
      requests: sim.stats().requests,
      billingLines: summary.lines.new,
      usageRows: summary.usageRows,
      rowsPerSecond: Math.round(rows / seconds),
      metricsFailures: summary.metricsFailures.length,
      peakRssMB: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await store.close();
    await sim.stop();
    if (driver === 'postgres') {
      const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop schema if exists "${schemaName}" cascade`);
      await admin.end();
    }
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const drivers: ('postgres' | 'pglite')[] = args.includes('--pglite-only')
  ? ['pglite']
  : args.includes('--postgres-only')
    ? ['postgres']
    : ['postgres', 'pglite'];
const results = [];
for (const driver of drivers) results.push(await run(driver));
console.log(
  `bench/collect: ${clusters} clusters, ${principals} principals, October 2026, over HTTP from the simulator`,
);
console.table(results);
mkdirSync('bench/out', { recursive: true });
writeFileSync(
  'bench/out/collect.json',
  `${JSON.stringify({ date: new Date().toISOString(), clusters, principals, results }, null, 2)}\n`,
);
