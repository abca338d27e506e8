/**
 * Export speed and memory on a large month (not part of the suite): the bench dataset (2,000
 * service accounts on 100 clusters, October 2026, about 1.1 million allocation rows), allocated,
 * then exported in a fresh process so its memory is the export's.
 *
 *   npx tsx bench/export.ts load pg|pglite
 *   npx tsx bench/export.ts run pg|pglite focus
 *   npx tsx bench/export.ts run pg|pglite allocation daily|weekly|monthly
 *
 * pg uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), schema export_measure;
 * pglite uses $TMPDIR/ccost-export-measure. PAGE_ROWS overrides the page size. Output goes to
 * $TMPDIR/ccost-export-measure-*.csv.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { allocateMonth } from '../src/core/allocation/run.ts';
import { exportAllocation } from '../src/core/export/allocation.ts';
import { exportFocus } from '../src/core/export/focus.ts';
import type { Granularity } from '../src/core/imports/allocation-export.ts';
import { openStore } from '../src/core/storage/database.ts';
import { generate, loadStore, MONTH, ORG } from './dataset.ts';

const [command, target, kind, granularity] = process.argv.slice(2);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PGLITE_DIR = path.join(tmpdir(), 'ccost-export-measure');
const mb = (bytes: number) => Math.round(bytes / 1048576);

function open(migrate: boolean) {
  if (target === 'pg') return openStore({ databaseUrl: DATABASE_URL, schemaName: 'export_measure', migrate });
  if (target === 'pglite') return openStore({ dataDir: PGLITE_DIR, migrate });
  throw new Error('target must be pg or pglite');
}

/** Peak RSS and heap, sampled every 20 ms. */
function sampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    sample();
    clearInterval(timer);
    return peak;
  };
}

async function load(): Promise<void> {
  const store = await open(true);
  const started = performance.now();
  const data = generate(1);
  await loadStore(store, data);
  const run = await allocateMonth(store, { orgId: ORG, month: MONTH, config: data.config });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${target}: ${run.rows} allocation rows of ${run.lines} lines, loaded and allocated in ${seconds} s`,
  );
  await store.close();
}

async function run(): Promise<void> {
  const store = await open(false);
  const pageRows = Number(process.env.PAGE_ROWS ?? 20_000);
  const file = path.join(
    tmpdir(),
    `ccost-export-measure-${target}-${kind}${granularity ? `-${granularity}` : ''}.csv`,
  );
  const out = createWriteStream(file);
  await once(out, 'open');
  const before = process.memoryUsage().rss;
  const stop = sampler();
  const started = performance.now();
  const options = { orgId: ORG, month: MONTH, pageRows };
  const summary =
    kind === 'focus'
      ? await exportFocus(store, options, out).then(
          (r) =>
            `${r.rows} rows, ${r.origins} origins, ${mb(r.bytes)} MB, reconciled ${r.metadata.x_Reconciliation.Pass}`,
        )
      : await exportAllocation(store, { ...options, granularity: granularity as Granularity }, out).then(
          (r) => `${r.rows} rows, ${r.buckets} buckets, ${mb(r.bytes)} MB, total ${r.total}`,
        );
  out.end();
  await finished(out);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const peak = stop();
  console.log(
    `${target} ${kind}${granularity ? ` ${granularity}` : ''} (pages of ${pageRows}): ${seconds} s; ${summary}; ` +
      `RSS ${mb(before)} MB before, peak ${mb(peak.rss)} MB; heap peak ${mb(peak.heap)} MB`,
  );
  await store.close();
}

await (command === 'load' ? load() : run());
