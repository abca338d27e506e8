import type { Command } from 'commander';
import { parseMonth } from '../../core/allocation/period.ts';
import { closeMonth } from '../../core/close/close.ts';
import { periodStatus } from '../../core/close/periods.ts';
import { restateMonth } from '../../core/close/restate.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { formatUsd } from '../../core/money/amount.ts';
import { formatReconciliation } from '../../core/reconcile/format.ts';
import { reconcileMonth } from '../../core/reconcile/reconcile.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/** `ccost reconcile`, `ccost close`, `ccost restate` and `ccost period`. */
export function registerClose(program: Command, io: CliIo): void {
  program
    .command('reconcile')
    .description('check a month: allocations vs billing lines vs invoice, native export, completeness')
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .option('--invoice-subtotal <amount>', "the invoice's usage subtotal for the month, e.g. 12345.67")
    .option('--format <format>', 'table|json', 'table')
    .action(async (opts: { org: string; month: string; invoiceSubtotal?: string; format: string }) => {
      parseMonth(opts.month);
      const config = readConfig(io, program.opts().config);
      const rec = await withStore(io, (store) =>
        reconcileMonth(store, {
          orgId: opts.org,
          month: opts.month,
          config,
          invoiceSubtotal: opts.invoiceSubtotal,
        }),
      );
      io.stdout(opts.format === 'json' ? `${JSON.stringify(rec, null, 2)}\n` : formatReconciliation(rec));
      if (!rec.passed) {
        const failed = rec.checks.filter((c) => c.status === 'fail').map((c) => c.id);
        throw new CcostError(
          ErrorCode.ChecksFailed,
          `reconciliation of ${rec.month} failed: ${failed.join(', ')}`,
        );
      }
    });
  program
    .command('close')
    .description('close a settled month whose reconciliation passes, freezing its figures')
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .option('--invoice-subtotal <amount>', "the invoice's usage subtotal for the month")
    .option('--force', 'close although checks fail (needs --reason)')
    .option('--reason <text>', 'why the month is force-closed; recorded with the close')
    .action(
      async (opts: {
        org: string;
        month: string;
        invoiceSubtotal?: string;
        force?: boolean;
        reason?: string;
      }) => {
        parseMonth(opts.month);
        const config = readConfig(io, program.opts().config);
        const result = await withStore(io, (store) =>
          closeMonth(store, {
            orgId: opts.org,
            month: opts.month,
            config,
            invoiceSubtotal: opts.invoiceSubtotal,
            force: opts.force,
            reason: opts.reason,
            actor: io.env.USER,
          }),
        );
        io.stdout(formatReconciliation(result.reconciliation));
        const how = result.forced ? ` despite failing checks (reason: ${opts.reason})` : '';
        io.stdout(`\nClosed ${result.month} for ${result.orgId} with run ${result.runId}${how}.\n`);
      },
    );
  program
    .command('restate')
    .description('correct a closed month from late data or credit notes; the closed figures stay readable')
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .option('--reason <text>', 'what the correction is for, e.g. "credit note CN-1234"')
    .action(async (opts: { org: string; month: string; reason?: string }) => {
      parseMonth(opts.month);
      const config = readConfig(io, program.opts().config);
      const r = await withStore(io, (store) =>
        restateMonth(store, { orgId: opts.org, month: opts.month, config, reason: opts.reason }),
      );
      if (!r) {
        io.stdout(`Nothing to restate: ${opts.month} of ${opts.org} is unchanged since it was closed.\n`);
        return;
      }
      io.stdout(
        `Restated ${r.month} for ${r.orgId}: ${formatUsd(r.delta, { sign: true })} (run ${r.previousRunId} → ${r.runId}).\n`,
      );
      for (const c of r.byTeam) {
        io.stdout(
          `  ${c.key.padEnd(20)} ${formatUsd(c.before).padStart(14)} → ${formatUsd(c.after).padStart(14)}  ${formatUsd(c.delta, { sign: true })}\n`,
        );
      }
    });
  program
    .command('period')
    .description('show whether a month is open, provisional or closed')
    .requiredOption('--org <org>', 'Confluent organization id')
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .action(async (opts: { org: string; month: string }) => {
      parseMonth(opts.month);
      const status = await withStore(io, (store) => periodStatus(store, opts.org, opts.month));
      const settled = status.settled ? 'settled' : `settling until ${status.settlesAt}`;
      const closed = status.close
        ? `, closed with run ${status.close.runId}${status.close.forced ? ' (forced)' : ''}`
        : '';
      io.stdout(`${status.month} of ${status.orgId}: ${status.state} (${settled}${closed})\n`);
    });
}
