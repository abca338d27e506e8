/**
 * Allocation benchmark: a large synthetic org (2,000 service accounts on 100 Kafka clusters, a
 * month of daily lines, about 1.1 million allocation rows), allocated
 *
 *  1. by the pure engine on in-memory inputs,
 *  2. as a bare largest-remainder split, ours (`splitLargestRemainder`) against the same split
 *     written as one SQL statement in DuckDB (threads=1) on identical recipients and weights,
 *  3. end to end with storage (`allocateMonth`: load, allocate, store) on PostgreSQL and PGlite.
 *
 * Usage: npm run bench [-- --scale 0.1] [--pglite-only | --postgres-only | --engine-only]
 *   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the PostgreSQL server.
 * Results are printed and written to bench/out/allocate.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBInstance } from '@duckdb/node-api';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import {
  type AllocationRow,
  allocate,
  type EngineContext,
  type LineTarget,
  resolveTargets,
} from '../src/core/allocation/engine.ts';
import { allocateMonth } from '../src/core/allocation/run.ts';
import { microsToString } from '../src/core/money/amount.ts';
import { type Recipient, splitLargestRemainder } from '../src/core/money/split.ts';
import { openStore } from '../src/core/storage/database.ts';
import { DAYS, type Dataset, engineContext, generate, LINE_TYPES, loadStore, MONTH, ORG } from './dataset.ts';

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const scaleArg = argv.indexOf('--scale');
const SCALE = scaleArg >= 0 ? Number(argv[scaleArg + 1]) : 1;
if (!(SCALE > 0 && SCALE <= 10)) throw new Error('--scale takes a number in (0, 10]');
/** --engine-only: the in-memory parts alone (engine, splits, DuckDB), e.g. for profiling. */
const ENGINE_ONLY = flag('--engine-only');
const RUN_PG = !flag('--pglite-only') && !ENGINE_ONLY;
const RUN_PGLITE = !flag('--postgres-only') && !ENGINE_ONLY;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// ---------------------------------------------------------------------------------------------
// Measuring

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Peak RSS and heap of a phase: sampled every 20 ms while the event loop runs, and at its ends. */
class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 20);
  }
  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heapUsed) this.heapUsed = m.heapUsed;
  }
  stop(): { rssMB: number; heapUsedMB: number } {
    this.sample();
    clearInterval(this.timer);
    return { rssMB: mb(this.rss), heapUsedMB: mb(this.heapUsed) };
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const now = () => performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** Best of `runs` timed calls after one warm-up; returns the best time in ms and the last result. */
function bestOf<T>(runs: number, fn: () => T): { ms: number; all: number[]; result: T } {
  let result = fn();
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    result = undefined as T;
    gc();
    const start = now();
    result = fn();
    all.push(now() - start);
  }
  return { ms: Math.min(...all), all: all.map(seconds), result };
}

function log(message: string): void {
  process.stderr.write(`[bench ${seconds(now() - t0).toFixed(1)}s] ${message}\n`);
}

/** Integer micro-units of a decimal text with at most 6 places. */
function micros(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`bench amounts have at most 6 places: ${text}`);
  const v = BigInt(m[2]!) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

// ---------------------------------------------------------------------------------------------
// 1. Pure engine

function benchEngine(data: Dataset, ctx: EngineContext) {
  const peak = new MemoryPeak();
  const timing = bestOf(3, () => allocate(data.lines, ctx));
  const rows = timing.result;
  return {
    rows,
    result: {
      lines: data.lines.length,
      rows: rows.length,
      bestSeconds: seconds(timing.ms),
      runsSeconds: timing.all,
      linesPerSecond: perSecond(data.lines.length, timing.ms),
      rowsPerSecond: perSecond(rows.length, timing.ms),
      memory: peak.stop(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Bare split: ours against one DuckDB statement

interface SplitInput {
  lineId: number;
  amount: bigint;
  recipients: Recipient[];
}

function splitInputs(targets: readonly LineTarget[]): SplitInput[] {
  return targets.map((t) => ({
    lineId: t.line.id,
    amount: micros(t.line.amount),
    recipients: t.owners.map((key, i) => ({ key, weight: t.weights[i]! })),
  }));
}

function benchOurSplit(inputs: readonly SplitInput[]) {
  const rowCount = inputs.reduce((n, s) => n + s.recipients.length, 0);
  const timing = bestOf(3, () => inputs.map((s) => splitLargestRemainder(s.amount, s.recipients)));
  return {
    parts: timing.result,
    result: {
      splits: inputs.length,
      rows: rowCount,
      bestSeconds: seconds(timing.ms),
      runsSeconds: timing.all,
      rowsPerSecond: perSecond(rowCount, timing.ms),
    },
  };
}

const DUCKDB_SPLIT = `
create or replace table parts as
with weighted as (
  select line_id, owner_id, amount_micros, weight,
         sum(weight) over (partition by line_id) as total
  from splits
), floored as (
  select line_id, owner_id, amount_micros,
         (amount_micros::hugeint * weight) // total as floor_part,
         (amount_micros::hugeint * weight) % total as remainder
  from weighted
), ranked as (
  select line_id, owner_id, floor_part,
         amount_micros - sum(floor_part) over (partition by line_id) as leftover,
         row_number() over (partition by line_id order by remainder desc, owner_id asc) as place
  from floored
)
select line_id, owner_id, floor_part + (case when place <= leftover then 1 else 0 end) as part
from ranked`;

async function benchDuckDb(inputs: readonly SplitInput[], ours: readonly bigint[][]) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const threads = (await connection.runAndReadAll(`select current_setting('threads')`)).getRows()[0]![0];
    await connection.run(
      'create table splits (line_id integer, amount_micros bigint, owner_id varchar, weight hugeint, ours bigint)',
    );
    const loadStart = now();
    const appender = await connection.createAppender('splits');
    inputs.forEach((s, k) => {
      const parts = ours[k]!;
      s.recipients.forEach((r, i) => {
        appender.appendInteger(s.lineId);
        appender.appendBigInt(s.amount);
        appender.appendVarchar(r.key);
        appender.appendHugeInt(r.weight);
        appender.appendBigInt(parts[i]!);
        appender.endRow();
      });
    });
    appender.closeSync();
    const loadMs = now() - loadStart;
    const rowCount = Number(
      (await connection.runAndReadAll('select count(*) from splits')).getRows()[0]![0] as bigint,
    );
    const all: number[] = [];
    await connection.run(DUCKDB_SPLIT); // warm-up
    for (let i = 0; i < 3; i++) {
      await connection.run('drop table parts');
      const start = now();
      await connection.run(DUCKDB_SPLIT);
      all.push(now() - start);
    }
    const check = (
      await connection.runAndReadAll(`
        select count(*) as compared,
               count(*) filter (where s.ours is distinct from p.part) as mismatched,
               count(*) filter (where s.line_id is null or p.line_id is null) as unmatched
        from splits s full join parts p on s.line_id = p.line_id and s.owner_id = p.owner_id`)
    ).getRowObjects()[0]!;
    const best = Math.min(...all);
    return {
      rows: rowCount,
      threads: String(threads),
      loadSeconds: seconds(loadMs),
      bestSeconds: seconds(best),
      runsSeconds: all.map(seconds),
      rowsPerSecond: perSecond(rowCount, best),
      compared: Number(check.compared),
      mismatched: Number(check.mismatched),
      unmatched: Number(check.unmatched),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Our engine's rows agree with the bare split: same owners and amounts for each line. */
function checkEngineAgainstSplit(
  rows: readonly AllocationRow[],
  inputs: readonly SplitInput[],
  parts: readonly bigint[][],
): number {
  const byLine = new Map<number, Map<string, string>>();
  for (const r of rows) {
    let m = byLine.get(r.lineId);
    if (!m) {
      m = new Map();
      byLine.set(r.lineId, m);
    }
    m.set(r.ownerId, r.amount);
  }
  let mismatched = 0;
  inputs.forEach((s, k) => {
    const m = byLine.get(s.lineId);
    s.recipients.forEach((r, i) => {
      const part = parts[k]![i]!;
      const amount = m?.get(r.key);
      // The engine drops zero parts of multi-owner splits.
      if (amount === undefined ? part !== 0n : amount !== microsToString(part)) mismatched++;
    });
  });
  return mismatched;
}

// ---------------------------------------------------------------------------------------------
// 3. End to end with storage

async function benchStore(driver: 'postgres' | 'pglite', data: Dataset, expectedRows: number) {
  const schemaName = `bench_${randomBytes(5).toString('hex')}`;
  const store =
    driver === 'postgres'
      ? await openStore({ databaseUrl: DATABASE_URL, schemaName })
      : await openStore({ dataDir: 'memory://' });
  try {
    const loadStart = now();
    await loadStore(store, data);
    const loadMs = now() - loadStart;
    log(`${driver}: loaded in ${seconds(loadMs)} s; allocating`);
    gc();
    const peak = new MemoryPeak();
    const start = now();
    const run = await allocateMonth(store, { orgId: ORG, month: MONTH, config: data.config });
    const ms = now() - start;
    const memory = peak.stop();
    const [stored] = await store.query<{ n: string | number; total: string }>(
      sql`select count(*) as n, sum(amount)::text as total from allocations where run_id = ${run.runId}`,
    );
    const storedRows = Number(stored!.n);
    return {
      driver,
      location: driver === 'postgres' ? `${store.location} (schema ${schemaName})` : 'memory://',
      loadSeconds: seconds(loadMs),
      lines: run.lines,
      rows: run.rows,
      storedRows,
      storedTotalMatches: stored!.total !== null && new Decimal(stored!.total).eq(run.total),
      rowsMatchEngine: run.rows === expectedRows && storedRows === expectedRows,
      seconds: seconds(ms),
      rowsPerSecond: perSecond(run.rows, ms),
      memory,
    };
  } finally {
    await store.close();
    if (driver === 'postgres') {
      const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop schema if exists "${schemaName}" cascade`);
      await admin.end();
    }
  }
}

type StoreResult = Awaited<ReturnType<typeof benchStore>>;

/** The store benchmark, or why it could not run (e.g. no PostgreSQL server). */
async function tryStore(
  driver: 'postgres' | 'pglite',
  data: Dataset,
  expectedRows: number,
): Promise<StoreResult | { driver: string; error: string }> {
  try {
    return await benchStore(driver, data, expectedRows);
  } catch (err) {
    log(`${driver}: failed: ${(err as Error).message}`);
    return { driver, error: (err as Error).message };
  }
}

// ---------------------------------------------------------------------------------------------
// Main

const t0 = now();
/** Other work on the machine skews every number: recorded with the results. */
const loadAtStart = os.loadavg();
const SPLIT_TARGET_RATIO = 2;
const POSTGRES_TARGET_SECONDS = 10;

async function main() {
  const data = generate(SCALE);
  log(
    `generated: ${data.principalCount} principals, ${data.clusterCount} clusters, ${DAYS} days, ${LINE_TYPES.length} line types`,
  );
  const ctx = engineContext(data);
  log(`${data.lines.length} lines, ${data.usage.length} usage rows; engine`);

  const engine = benchEngine(data, ctx);
  log(`engine: ${engine.result.rows} rows in ${engine.result.bestSeconds} s; resolving targets`);
  const targets = resolveTargets(data.lines, ctx);
  const inputs = splitInputs(targets);
  const ours = benchOurSplit(inputs);
  const engineMismatches = checkEngineAgainstSplit(engine.rows, inputs, ours.parts);
  const engineRows = engine.rows.length;
  engine.rows.length = 0;
  log(`our split: ${ours.result.rows} rows in ${ours.result.bestSeconds} s; DuckDB`);
  const duck = await benchDuckDb(inputs, ours.parts);
  log(`duckdb: ${duck.rows} rows in ${duck.bestSeconds} s`);
  inputs.length = 0;
  gc();

  const stores: (StoreResult | { driver: string; error: string })[] = [];
  if (RUN_PG) stores.push(await tryStore('postgres', data, engineRows));
  if (RUN_PGLITE) stores.push(await tryStore('pglite', data, engineRows));
  const measured = stores.filter((s): s is StoreResult => !('error' in s));

  const splitRatio = ours.result.rowsPerSecond / duck.rowsPerSecond;
  const engineRatio = engine.result.rowsPerSecond / duck.rowsPerSecond;
  const pg = measured.find((s) => s.driver === 'postgres');
  const checks = {
    splitsIdentical: duck.mismatched === 0 && duck.unmatched === 0 && duck.compared === ours.result.rows,
    engineMatchesSplit: engineMismatches === 0,
    storesMatchEngine: stores.every((s) => !('error' in s) && s.rowsMatchEngine && s.storedTotalMatches),
  };
  const targetsMet = {
    splitAtLeast2xDuckDb: splitRatio >= SPLIT_TARGET_RATIO,
    postgresUnder10s: RUN_PG ? (pg?.seconds ?? Number.POSITIVE_INFINITY) < POSTGRES_TARGET_SECONDS : null,
  };
  const report = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGB: Math.round(os.totalmem() / 1024 ** 3),
      loadAverage1mAtStart: round2(loadAtStart[0]!),
      loadAverage1mAtEnd: round2(os.loadavg()[0]!),
    },
    dataset: {
      scale: SCALE,
      principals: data.principalCount,
      clusters: data.clusterCount,
      days: DAYS,
      lineTypes: LINE_TYPES.map(([t]) => t),
      billingLines: data.lines.length,
      usageRows: data.usage.length,
      allocationRows: engineRows,
    },
    engine: engine.result,
    split: { ours: ours.result, duckdb: duck, ratio: round2(splitRatio), engineRatio: round2(engineRatio) },
    stores,
    checks,
    targets: targetsMet,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    totalSeconds: seconds(now() - t0),
  };
  const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'allocate.json'), `${JSON.stringify(report, null, 2)}\n`);
  printReport(report, splitRatio, engineRatio);
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const num = (n: number) => n.toLocaleString('en-US');
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? 'PASS' : 'MISS');

function printReport(
  r: {
    dataset: { billingLines: number; allocationRows: number; usageRows: number; scale: number };
    engine: { bestSeconds: number; linesPerSecond: number; rowsPerSecond: number; memory: MemoryUse };
    split: {
      ours: { rows: number; bestSeconds: number; rowsPerSecond: number };
      duckdb: { rows: number; bestSeconds: number; rowsPerSecond: number; threads: string };
    };
    stores: (
      | {
          driver: string;
          rows: number;
          seconds: number;
          rowsPerSecond: number;
          loadSeconds: number;
          memory: MemoryUse;
        }
      | { driver: string; error: string }
    )[];
    machine: { cpus: number; loadAverage1mAtStart: number; loadAverage1mAtEnd: number };
    checks: Record<string, boolean>;
    peakRssMB: number;
    totalSeconds: number;
  },
  splitRatio: number,
  engineRatio: number,
): void {
  const table: string[][] = [['measure', 'rows', 'seconds', 'rows/s', 'peak rss / heap MB', 'target']];
  const memo = (m: MemoryUse) => `${num(m.rssMB)} / ${num(m.heapUsedMB)}`;
  table.push([
    `engine (allocate, ${num(r.engine.linesPerSecond)} lines/s)`,
    num(r.dataset.allocationRows),
    r.engine.bestSeconds.toFixed(3),
    num(r.engine.rowsPerSecond),
    memo(r.engine.memory),
    `${engineRatio.toFixed(2)}× DuckDB`,
  ]);
  table.push([
    'split: splitLargestRemainder',
    num(r.split.ours.rows),
    r.split.ours.bestSeconds.toFixed(3),
    num(r.split.ours.rowsPerSecond),
    '',
    `${splitRatio.toFixed(2)}× DuckDB ≥ ${SPLIT_TARGET_RATIO}× ${mark(splitRatio >= SPLIT_TARGET_RATIO)}`,
  ]);
  table.push([
    `split: DuckDB SQL (threads=${r.split.duckdb.threads})`,
    num(r.split.duckdb.rows),
    r.split.duckdb.bestSeconds.toFixed(3),
    num(r.split.duckdb.rowsPerSecond),
    '',
    '',
  ]);
  for (const s of r.stores) {
    const target = (ok: boolean) =>
      s.driver === 'postgres' ? `< ${POSTGRES_TARGET_SECONDS} s ${mark(ok)}` : '';
    if ('error' in s) {
      table.push([`allocateMonth on ${s.driver}: ${s.error.slice(0, 60)}`, '', '', '', '', target(false)]);
      continue;
    }
    table.push([
      `allocateMonth on ${s.driver} (load ${s.loadSeconds.toFixed(1)} s)`,
      num(s.rows),
      s.seconds.toFixed(3),
      num(s.rowsPerSecond),
      memo(s.memory),
      target(s.seconds < POSTGRES_TARGET_SECONDS),
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const right = new Set([1, 2, 3, 4]);
  const lines = table.map((row) =>
    row.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(
    `\nccost allocation benchmark: ${num(r.dataset.billingLines)} billing lines, ` +
      `${num(r.dataset.usageRows)} usage rows, ${num(r.dataset.allocationRows)} allocation rows (scale ${r.dataset.scale})\n`,
  );
  console.log(lines.join('\n'));
  const checks = Object.entries(r.checks).map(([k, v]) => `${k} ${v ? 'ok' : 'FAILED'}`);
  console.log(
    `\nchecks: ${checks.join(', ')}; process peak rss ${num(r.peakRssMB)} MB; ${r.totalSeconds.toFixed(1)} s in all`,
  );
  console.log(
    `machine: ${r.machine.cpus} cpus, load average ${r.machine.loadAverage1mAtStart} at start, ` +
      `${r.machine.loadAverage1mAtEnd} at end (other work on the machine slows every measure)`,
  );
  console.log('results: bench/out/allocate.json');
}

type MemoryUse = { rssMB: number; heapUsedMB: number };

await main();
