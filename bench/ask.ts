/**
 * Answer benchmark (issue 5): how long `/ccost …` questions take — query plus chart — on the large
 * benchmark org (2,000 service accounts, 100 clusters, about 1.1 million allocation rows a month)
 * with a year of history.
 *
 * October 2026 is allocated for real (`allocateMonth`, which also writes the run's rollups); the
 * eleven months before it are copies of that run (bench/history.ts).
 *
 * Usage: npm run bench:ask [-- --scale 0.1] [--months 12] [--rounds 10] [--pglite-only | --postgres-only]
 *   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the PostgreSQL server.
 * Results are printed and written to bench/out/ask.json. Target: p95 < 500 ms on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { allocateMonth } from '../src/core/allocation/run.ts';
import { parseConfig } from '../src/core/config/load.ts';
import type { Config } from '../src/core/config/schema.ts';
import { ask } from '../src/core/questions/ask.ts';
import { openStore, type Store } from '../src/core/storage/database.ts';
import { type Dataset, generate, loadStore, MONTH, ORG } from './dataset.ts';
import { copyHistory } from './history.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SCALE = option('--scale', 1);
const MONTHS = option('--months', 12);
const ROUNDS = option('--rounds', 10);
if (!(SCALE > 0 && SCALE <= 10)) throw new Error('--scale takes a number in (0, 10]');
if (!(Number.isInteger(MONTHS) && MONTHS >= 1 && MONTHS <= 36)) throw new Error('--months takes 1..36');
const RUN_PG = !argv.includes('--pglite-only');
const RUN_PGLITE = !argv.includes('--postgres-only');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The bench's "now": late in the allocated October, so `this month`, `mtd` and `yesterday` have data. */
const NOW = new Date('2026-10-21T09:00:00Z');

/** The questions of issue 5, with the bench org's names. */
const QUESTIONS = [
  'team payments last month',
  'team payments mtd by product',
  'top teams this month',
  'top principals in team payments last 7 days',
  'cluster lkc-b0001 yesterday',
  'principal sa-00042 2026-09',
  'env bench-3 q3',
  'product kafka last month',
  'compare team payments last month',
  'budget team payments',
  'unallocated last month',
  'reconcile 2026-09',
  'top teams ytd',
  'team search last 90 days by principal',
];

const log = (message: string) => process.stderr.write(`[bench:ask] ${message}\n`);
const now = () => performance.now();

/** Adds budgets, so budget questions and budget lines are part of what is timed. */
function benchConfig(data: Dataset): Config {
  const teams = Object.fromEntries(
    Object.entries(data.config.teams).map(([name, team]) => [
      name,
      { owners: team.owners, budget: { monthly: '250000' } },
    ]),
  );
  return parseConfig({ teams });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

interface Timing {
  question: string;
  ms: number[];
  kind: string;
  chartBytes: number;
}

async function timeQuestions(store: Store, config: Config): Promise<Timing[]> {
  const timings: Timing[] = QUESTIONS.map((question) => ({ question, ms: [], kind: '', chartBytes: 0 }));
  // One warm-up round (plans, caches, chart fonts), then ROUNDS timed rounds in turn.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const t of timings) {
      const start = now();
      const result = await ask(store, t.question, { config, now: NOW });
      const ms = now() - start;
      if (round === 0) {
        t.kind = result.kind;
        t.chartBytes = 'chart' in result && result.chart ? result.chart.length : 0;
        if (result.kind !== 'answer') log(`  note: "${t.question}" → ${result.text.split('\n')[0]}`);
        continue;
      }
      t.ms.push(ms);
    }
  }
  return timings;
}

async function benchDriver(driver: 'postgres' | 'pglite', data: Dataset, config: Config) {
  const schemaName = `bench_${randomBytes(5).toString('hex')}`;
  const dir = driver === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'ccost-bench-ask-')) : '';
  const store =
    driver === 'postgres'
      ? await openStore({ databaseUrl: DATABASE_URL, schemaName })
      : await openStore({ dataDir: dir });
  try {
    let start = now();
    await loadStore(store, data);
    const run = await allocateMonth(store, { orgId: ORG, month: MONTH, config });
    log(`${driver}: ${MONTH} allocated (${run.rows} rows) in ${((now() - start) / 1000).toFixed(1)} s`);
    start = now();
    await copyHistory(store, run.runId, MONTHS, log);
    const [size] = await store.query<{ allocations: string; rollups: string }>(
      sql`select (select count(*) from allocations)::text as allocations, (select count(*) from allocation_rollups)::text as rollups`,
    );
    log(
      `${driver}: ${MONTHS} months of history in ${((now() - start) / 1000).toFixed(1)} s: ${size!.allocations} allocation rows, ${size!.rollups} rollup rows`,
    );
    const timings = await timeQuestions(store, config);
    const all = timings.flatMap((t) => t.ms).sort((a, b) => a - b);
    return {
      driver,
      allocationRows: Number(size!.allocations),
      rollupRows: Number(size!.rollups),
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      max: all.at(-1) ?? Number.NaN,
      questions: timings.map((t) => {
        const sorted = [...t.ms].sort((a, b) => a - b);
        return {
          question: t.question,
          kind: t.kind,
          chartBytes: t.chartBytes,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
        };
      }),
    };
  } finally {
    await store.close();
    if (driver === 'postgres') {
      const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop schema if exists "${schemaName}" cascade`);
      await admin.end();
    } else rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  log(`scale ${SCALE}, ${MONTHS} months, ${ROUNDS} rounds of ${QUESTIONS.length} questions`);
  const data = generate(SCALE);
  const config = benchConfig(data);
  const results = [];
  if (RUN_PG) results.push(await benchDriver('postgres', data, config));
  if (RUN_PGLITE) results.push(await benchDriver('pglite', data, config));
  for (const r of results) {
    console.log(
      `\n${r.driver}: ${r.allocationRows.toLocaleString('en-US')} allocation rows; p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms${r.driver === 'postgres' ? ` (target p95 < 500 ms: ${r.p95 < 500 ? 'PASS' : 'FAIL'})` : ''}`,
    );
    for (const q of r.questions)
      console.log(
        `  ${q.question.padEnd(46)} ${q.kind.padEnd(7)} p50 ${q.p50.toFixed(0).padStart(5)} ms  p95 ${q.p95.toFixed(0).padStart(5)} ms  chart ${q.chartBytes > 0 ? `${Math.round(q.chartBytes / 1024)} KiB` : '-'}`,
      );
  }
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
  mkdirSync(out, { recursive: true });
  const machine = { cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version };
  writeFileSync(
    path.join(out, 'ask.json'),
    `${JSON.stringify({ scale: SCALE, months: MONTHS, rounds: ROUNDS, now: NOW, machine, results }, null, 2)}\n`,
  );
}

await main();
