import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../../core/config/schema.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import {
  listOrganizations,
  type RemovalReport,
  removeOrganization,
  type StoredOrganization,
} from '../../core/orgs/remove.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/** Asks the person at the terminal to confirm; `interactive` false when nobody can answer. */
export interface Confirmer {
  readonly interactive: boolean;
  /** Shows `question` and resolves with the line typed (without its newline). */
  ask(question: string): Promise<string>;
}

/** Reads the answer from stdin, asking on stderr; interactive only when stdin is a terminal. */
export function terminalConfirmer(): Confirmer {
  return {
    interactive: Boolean(process.stdin.isTTY),
    async ask(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** The confirmation was not given: nothing was removed. */
export class RemovalNotConfirmedError extends CcostError {
  constructor(message: string) {
    super(ErrorCode.InputInvalid, message);
    this.name = 'RemovalNotConfirmedError';
  }
}

/** `ccost org list` and `ccost org remove ORG [--yes] [--dry-run]`. */
export function registerOrg(program: Command, io: CliIo, confirmer: Confirmer = terminalConfirmer()): void {
  const org = program.command('org').description('the organizations stored in the database');
  org
    .command('list')
    .description('every organization with stored data: billing span, allocation runs, closed months')
    .option('--format <format>', 'table|json', 'table')
    .action(async (opts: { format: string }) => {
      const orgs = await withStore(io, (store) => listOrganizations(store));
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(orgs, null, 2)}\n`);
        return;
      }
      io.stdout(formatOrgList(orgs, configuredIds(io, program)));
    });
  org
    .command('remove')
    .description('delete every stored row of an organization, in one transaction, after confirmation')
    .argument('<org>', 'organization id, e.g. org-abc123')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'only count what would be removed')
    .option('--format <format>', 'table|json', 'table')
    .action(async (orgId: string, opts: { yes?: boolean; dryRun?: boolean; format: string }) => {
      const json = opts.format === 'json';
      const report = await withStore(io, async (store) => {
        const planned = await removeOrganization(store, orgId, { dryRun: true });
        if (opts.dryRun) return planned;
        if (!opts.yes) {
          io.stderr(formatReport(planned));
          await confirm(orgId, confirmer);
        }
        return removeOrganization(store, orgId);
      });
      io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      if (!report.dryRun && configuredIds(io, program).includes(orgId)) {
        io.stderr(
          `note: ${orgId} is still listed under organizations in ccost.yaml; remove it there, or the next collection brings its data back\n`,
        );
      }
    });
}

async function confirm(orgId: string, confirmer: Confirmer): Promise<void> {
  if (!confirmer.interactive) {
    throw new RemovalNotConfirmedError(
      `not removing ${orgId}: confirmation is needed and stdin is not a terminal; run \`ccost org remove ${orgId} --yes\` to remove it without asking`,
    );
  }
  const answer = (await confirmer.ask(`Type ${orgId} to remove it for good: `)).trim();
  if (answer !== orgId) {
    throw new RemovalNotConfirmedError(
      `not removing ${orgId}: the answer ${answer === '' ? 'was empty' : `"${answer}" is not the organization id`}; nothing was changed`,
    );
  }
}

/** Ids of the organizations in ccost.yaml; none when there is no readable ccost.yaml. */
function configuredIds(io: CliIo, program: Command): string[] {
  let config: Config;
  try {
    config = readConfig(io, program.opts().config);
  } catch {
    return [];
  }
  return config.organizations.map((o) => o.id);
}

/** The removal (or dry run) as text: the total, then each table with rows. */
export function formatReport(report: RemovalReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const tables = report.tables.filter((t) => t.rows > 0);
  const lines = [
    `${report.orgId}: ${verb} ${report.total} rows from ${tables.length} tables${report.dryRun ? ' (nothing changed yet)' : ''}`,
  ];
  const width = Math.max(...tables.map((t) => t.table.length));
  for (const t of tables) lines.push(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(9)}`);
  if (report.closedMonths.length > 0) {
    lines.push(
      `  closed months (their frozen figures ${report.dryRun ? 'go' : 'went'} too): ${report.closedMonths.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The organization list as a table; `configured` marks the ones listed in ccost.yaml. */
export function formatOrgList(orgs: StoredOrganization[], configured: string[]): string {
  if (orgs.length === 0) return 'No organization has stored data.\n';
  const rows = orgs.map((o) => [
    o.id,
    o.displayName ?? '',
    String(o.billingLines),
    o.firstDay ? `${o.firstDay}..${o.lastDay}` : '-',
    String(o.allocationRuns),
    o.closedMonths.length > 0 ? o.closedMonths.join(',') : '-',
    configured.includes(o.id) ? 'yes' : 'no',
  ]);
  const header = ['organization', 'name', 'billing lines', 'billed days', 'runs', 'closed', 'in ccost.yaml'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
