import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type NormalizedCost, parseCostListText } from '../../core/billing/cost.ts';
import { upsertBillingLines } from '../../core/billing/store.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { type Granularity, importAllocationExport } from '../../core/imports/allocation-export.ts';
import { formatUsd } from '../../core/money/amount.ts';
import { TeamResolver } from '../../core/teams/resolver.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

const GRANULARITIES = ['daily', 'weekly', 'monthly'];

/** `ccost import allocation-export FILE` and `ccost import billing FILE...`. */
export function registerImport(program: Command, io: CliIo): void {
  const group = program.command('import').description('import cost data from files');
  group
    .command('allocation-export')
    .description("import Confluent's native cost-allocation CSV export as an allocation source")
    .argument('<file>', 'the CSV downloaded from Billing and payment → Cost allocation data')
    .requiredOption('--org <org>', 'Confluent organization id the export belongs to')
    .option('--granularity <g>', 'daily, weekly or monthly (inferred from the file when absent)')
    .action(async (file: string, opts: { org: string; granularity?: string }) => {
      if (opts.granularity && !GRANULARITIES.includes(opts.granularity)) {
        throw new CcostError(
          ErrorCode.UsageError,
          `--granularity must be one of ${GRANULARITIES.join(', ')}`,
        );
      }
      const config = readConfig(io, program.opts().config);
      const resolver = new TeamResolver(config);
      const summary = await withStore(io, (store) =>
        importAllocationExport(store, {
          orgId: opts.org,
          filePath: file,
          resolver,
          granularity: opts.granularity as Granularity | undefined,
        }),
      );
      if (summary.alreadyImported) {
        io.stdout(`${file} was already imported for ${opts.org}; nothing changed.\n`);
        return;
      }
      io.stdout(
        `Imported ${summary.rows} rows (${summary.buckets} ${summary.granularity} bucket(s), ${formatUsd(summary.total)}) from ${file} for ${opts.org}.\n`,
      );
      for (const warning of summary.warnings) io.stderr(`warning: ${warning}\n`);
    });
  group
    .command('billing')
    .description(
      'import Billing API CostList pages saved as JSON (e.g. `confluent billing cost list -o json`)',
    )
    .argument('<files...>', 'one or more JSON files, each a CostList page or an array of Cost items')
    .requiredOption('--org <org>', 'Confluent organization id the costs belong to')
    .action(async (files: string[], opts: { org: string }) => {
      const lines: NormalizedCost[] = [];
      for (const file of files) lines.push(...parseCostListText(await readText(file), file));
      const summary = await withStore(io, (store) => upsertBillingLines(store, opts.org, lines));
      io.stdout(
        `Billing lines for ${opts.org}: ${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged (${files.length} file(s)).\n`,
      );
    });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CcostError(
      ErrorCode.NotFound,
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
