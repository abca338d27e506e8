import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { parseMonth } from '../../core/allocation/period.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { exportAllocation, granularities, writeAllocationExport } from '../../core/export/allocation.ts';
import { exportFocus, writeFocusExport } from '../../core/export/focus.ts';
import type { FocusMetadata } from '../../core/export/focus-metadata.ts';
import type { Granularity } from '../../core/imports/allocation-export.ts';
import { formatUsd } from '../../core/money/amount.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/**
 * `ccost export focus --org ORG --month YYYY-MM [--out FILE]` and
 * `ccost export allocation --org ORG --month YYYY-MM --granularity daily|weekly|monthly [--out FILE]`.
 */
export function registerExport(program: Command, io: CliIo): void {
  const group = program
    .command('export')
    .description("write a month's allocated costs as files for FinOps tools and finance pipelines");
  registerFocus(group, program, io);
  registerAllocation(group, io);
}

interface ExportFlags {
  org: string;
  month: string;
  out?: string;
}

function registerFocus(group: Command, program: Command, io: CliIo): void {
  group
    .command('focus')
    .description(
      'FOCUS 1.3 cost-and-usage CSV with split cost allocation, plus FILE.metadata.json with --out',
    )
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .option(
      '--out <file>',
      'write the CSV to FILE and its metadata to FILE.metadata.json (default: CSV to stdout)',
    )
    .action(async (opts: ExportFlags) => {
      parseMonth(opts.month);
      const config = readConfig(io, program.opts().config);
      const options = { orgId: opts.org, month: opts.month, config };
      await withStore(io, async (store) => {
        if (!opts.out) {
          const result = await toStdout(io, (out) => exportFocus(store, options, out));
          warnGaps(io, result.metadata);
          return;
        }
        const result = await writeFocusExport(store, { ...options, file: opts.out });
        const { x_Reconciliation: rec } = result.metadata;
        io.stdout(
          `Wrote ${result.rows} FOCUS ${result.metadata.FocusVersion} rows (${result.origins} billing lines) of ${result.scope.orgId} ${result.scope.period.month}, run ${result.scope.runId}, to ${opts.out}; metadata in ${result.metadataFile}. ` +
            `Reconciliation ${rec.Pass ? 'passed' : 'FAILED'}: BilledCost ${rec.Exported.BilledCost} vs billing lines ${rec.Source.BilledCost}.\n`,
        );
        warnGaps(io, result.metadata);
      });
    });
}

function registerAllocation(group: Command, io: CliIo): void {
  group
    .command('allocation')
    .description("the columns of Confluent's native cost-allocation export, plus org_id")
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .requiredOption('--granularity <g>', granularities.join('|'))
    .option('--out <file>', 'write the CSV to FILE (default: stdout)')
    .action(async (opts: ExportFlags & { granularity: string }) => {
      parseMonth(opts.month);
      if (!granularities.includes(opts.granularity as Granularity)) {
        throw new CcostError(
          ErrorCode.UsageError,
          `--granularity must be one of ${granularities.join(', ')} (got "${opts.granularity}")`,
        );
      }
      const options = { orgId: opts.org, month: opts.month, granularity: opts.granularity as Granularity };
      await withStore(io, async (store) => {
        if (!opts.out) {
          await toStdout(io, (out) => exportAllocation(store, options, out));
          return;
        }
        const result = await writeAllocationExport(store, { ...options, file: opts.out });
        io.stdout(
          `Wrote ${result.rows} rows (${result.buckets} ${result.granularity} bucket(s), ${formatUsd(result.total)}, exact ${result.total}) of ${result.scope.orgId} ${result.scope.period.month}, run ${result.scope.runId}, to ${opts.out}.\n`,
        );
      });
    });
}

/** Prints the metadata's warnings (reconciliation failures) to stderr, never into the CSV. */
function warnGaps(io: CliIo, metadata: FocusMetadata): void {
  if (metadata.x_Reconciliation.Pass) return;
  for (const gap of metadata.x_KnownGaps.filter((g) => g.includes('ccost allocate'))) {
    io.stderr(`warning: ${gap}\n`);
  }
}

/**
 * Runs `work` on a stream into the io's stdout. The process io returns `process.stdout.write`'s
 * answer: when it is false the stream waits for stdout's `drain`, so a slow reader holds the
 * export back instead of filling memory.
 */
async function toStdout<T>(io: CliIo, work: (out: Writable) => Promise<T>): Promise<T> {
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const accepted = (io.stdout as (text: string) => unknown)(chunk.toString());
      if (accepted === false) process.stdout.once('drain', () => done());
      else done();
    },
  });
  const result = await work(out);
  out.end();
  await finished(out);
  return result;
}
