import type { Command } from 'commander';
import { formatDoctor, runDoctor } from '../../core/doctor/doctor.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { type CliIo, readConfig } from '../context.ts';

/**
 * `ccost doctor [--org ORG] [--format table|json]`: calls each Confluent Cloud API ccost uses
 * once with each organization's key and says which role is missing. Exit 1 when anything is.
 */
export function registerDoctor(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description(
      "check each organization's Cloud API key: calls every API ccost uses once and names any missing role",
    )
    .option('--org <org>', 'one organization id (default: every organization in ccost.yaml)')
    .option('--format <format>', 'table|json', 'table')
    .action(async (opts: { org?: string; format: string }) => {
      const config = readConfig(io, program.opts().config);
      if (!opts.org && config.organizations.length === 0) {
        throw new CcostError(
          ErrorCode.UsageError,
          'no organization to check: pass --org ORG or list organizations in ccost.yaml',
        );
      }
      const reports = await runDoctor(config, { orgId: opts.org, env: io.env });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : formatDoctor(reports));
      const failing = reports.filter((r) => !r.ok).map((r) => r.orgId);
      if (failing.length > 0) {
        throw new CcostError(
          ErrorCode.ChecksFailed,
          `the key of ${failing.join(', ')} cannot read everything ccost needs; see the lines above`,
        );
      }
    });
}
