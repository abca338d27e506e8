/**
 * REST API benchmark (issue 7): requests/s and latency of `GET /api/v1/costs?group_by=team` (and
 * two heavier shapes) on the large benchmark org with a year of history, served by the real API
 * over HTTP on loopback, under load from a separate process (bench/load.ts).
 *
 * Usage: npm run bench:api [-- --scale 0.1] [--months 12] [--seconds 15] [--connections 8] [--pglite]
 *   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the PostgreSQL server.
 * Results are printed and written to bench/out/api.json.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import postgres from 'postgres';
import { allocateMonth } from '../src/core/allocation/run.ts';
import { parseConfig } from '../src/core/config/load.ts';
import { openStore } from '../src/core/storage/database.ts';
import { createApi } from '../src/server/api/app.ts';
import { loadTokens } from '../src/server/api/auth.ts';
import { generate, loadStore, MONTH, ORG } from './dataset.ts';
import { copyHistory } from './history.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SCALE = option('--scale', 1);
const MONTHS = option('--months', 12);
const SECONDS = option('--seconds', 15);
const CONNECTIONS = option('--connections', 8);
const PGLITE = argv.includes('--pglite');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = randomBytes(16).toString('hex');
const NOW = new Date('2026-10-21T09:00:00Z');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (message: string) => process.stderr.write(`[bench:api] ${message}\n`);

/** The measured requests: the issue's, a month by team and product per day, and a year by team. */
const PATHS = [
  '/api/v1/costs?from=2026-10-01&to=2026-11-01&group_by=team',
  '/api/v1/costs?from=2026-10-01&to=2026-11-01&group_by=team,product&granularity=day',
  '/api/v1/costs?from=2025-11-01&to=2026-11-01&group_by=team&granularity=month',
  '/api/v1/costs?from=2026-10-01&to=2026-11-01&group_by=principal',
];

async function main() {
  const data = generate(SCALE);
  const schemaName = `bench_${randomBytes(5).toString('hex')}`;
  const dir = PGLITE ? mkdtempSync(path.join(os.tmpdir(), 'ccost-bench-api-')) : '';
  const store = PGLITE
    ? await openStore({ dataDir: dir })
    : await openStore({ databaseUrl: DATABASE_URL, schemaName });
  try {
    await loadStore(store, data);
    const run = await allocateMonth(store, { orgId: ORG, month: MONTH, config: data.config });
    await copyHistory(store, run.runId, MONTHS, log);
    log(`${store.driver}: ${MONTHS} months of history ready`);
    const config = parseConfig({
      ...data.config,
      api: { tokens: [{ name: 'bench', token_env: 'BENCH_TOKEN' }] },
    });
    const api = createApi({
      store,
      config,
      now: () => NOW,
      tokens: loadTokens(config, { BENCH_TOKEN: TOKEN }),
    });
    const server = createServer(getRequestListener(api.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const results = [];
    for (const p of PATHS) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(here, 'load.ts'),
          `${base}${p}`,
          TOKEN,
          String(CONNECTIONS),
          String(SECONDS),
        ],
        { cwd: path.join(here, '..') },
      );
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      results.push({ path: p, ...r });
      console.log(
        `${p}\n  ${r.rps!.toFixed(1)} req/s, p50 ${r.p50!.toFixed(1)} ms, p95 ${r.p95!.toFixed(1)} ms, p99 ${r.p99!.toFixed(1)} ms, ${r.errors} errors (${CONNECTIONS} connections, ${SECONDS} s)`,
      );
    }
    await new Promise((resolve) => server.close(resolve));
    const out = path.join(here, 'out');
    mkdirSync(out, { recursive: true });
    const machine = { cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version };
    writeFileSync(
      path.join(out, 'api.json'),
      `${JSON.stringify({ driver: store.driver, scale: SCALE, months: MONTHS, machine, results }, null, 2)}\n`,
    );
  } finally {
    await store.close();
    if (PGLITE) rmSync(dir, { recursive: true, force: true });
    else {
      const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop schema if exists "${schemaName}" cascade`);
      await admin.end();
    }
  }
}

await main();
