import type { Command } from 'commander';
import { parseMonth } from '../../core/allocation/period.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { formatReport, type ReportFormat, reportFormats } from '../../core/reports/format.ts';
import {
  buildReport,
  type ReportDimension,
  type ReportSource,
  reportDimensions,
  reportSources,
} from '../../core/reports/report.ts';
import { type CliIo, withStore } from '../context.ts';

/** `ccost report --by team --month YYYY-MM [--org ORG] [--format table|csv|json]`. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description("show a month's allocated costs grouped by team, principal, product or resource")
    .requiredOption('--month <month>', 'calendar month, YYYY-MM (UTC)')
    .option('--by <dimension>', reportDimensions.join('|'), 'team')
    .option('--org <org>', 'one organization (default: all)')
    .option('--format <format>', reportFormats.join('|'), 'table')
    .option('--source <source>', `${reportSources.join('|')} (imported native export)`, 'allocations')
    .option('--as-closed', "a closed month's figures as closed, before any restatement")
    .action(
      async (opts: {
        month: string;
        by: string;
        org?: string;
        format: string;
        source: string;
        asClosed?: boolean;
      }) => {
        parseMonth(opts.month);
        oneOf('--by', opts.by, reportDimensions);
        oneOf('--format', opts.format, reportFormats);
        oneOf('--source', opts.source, reportSources);
        const report = await withStore(io, (store) =>
          buildReport(store, {
            month: opts.month,
            by: opts.by as ReportDimension,
            orgId: opts.org,
            source: opts.source as ReportSource,
            asClosed: opts.asClosed,
          }),
        );
        io.stdout(formatReport(report, opts.format as ReportFormat));
      },
    );
}

function oneOf(flag: string, value: string, allowed: readonly string[]): void {
  if (!allowed.includes(value)) {
    throw new CcostError(
      ErrorCode.UsageError,
      `${flag} must be one of ${allowed.join(', ')} (got "${value}")`,
    );
  }
}
