import type { Command } from 'commander';
import { parseMonth } from '../../core/allocation/period.ts';
import { allocateMonth } from '../../core/allocation/run.ts';
import { formatUsd } from '../../core/money/amount.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/** `ccost allocate --org ORG --month YYYY-MM`. */
export function registerAllocate(program: Command, io: CliIo): void {
  program
    .command('allocate')
    .description("allocate a month's billing lines to principals, resources and teams")
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .action(async (opts: { org: string; month: string }) => {
      parseMonth(opts.month);
      const config = readConfig(io, program.opts().config);
      const run = await withStore(io, (store) =>
        allocateMonth(store, { orgId: opts.org, month: opts.month, config }),
      );
      const verb = run.outcome === 'created' ? 'Allocated' : 'Unchanged since the current run:';
      io.stdout(
        `${verb} ${run.period} for ${run.orgId}: ${run.lines} billing lines → ${run.rows} allocation rows, total ${formatUsd(run.total)} (exact ${run.total}); run ${run.runId}, rules ${run.ruleSetHash}.\n`,
      );
    });
}
