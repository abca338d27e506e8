import type { Command } from 'commander';
import { clientsFor } from '../../core/collect/clients.ts';
import { type CollectEvent, type CollectSummary, collectOrg } from '../../core/collect/collection.ts';
import type { Config } from '../../core/config/schema.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { collectJobName } from '../../core/pipeline/jobs.ts';
import { withJobLock } from '../../core/schedule/lock.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `ccost collect [--org ORG] [--since DAY] [--until DAY]`. */
export function registerCollect(program: Command, io: CliIo): void {
  program
    .command('collect')
    .description(
      'fetch inventory, billing lines and usage from Confluent Cloud (all organizations in ccost.yaml by default)',
    )
    .option('--org <org>', 'one organization id')
    .option('--since <day>', 'first day to fetch, YYYY-MM-DD (default: resume, re-fetching the last 4 days)')
    .option('--until <day>', 'day after the last one to fetch, YYYY-MM-DD (default: today, UTC)')
    .action(async (opts: { org?: string; since?: string; until?: string }) => {
      for (const [flag, value] of [
        ['--since', opts.since],
        ['--until', opts.until],
      ] as const) {
        if (value && !DAY.test(value))
          throw new CcostError(ErrorCode.UsageError, `${flag} must be a day written YYYY-MM-DD`);
      }
      const config = readConfig(io, program.opts().config);
      const orgs = organizationsToCollect(config, opts.org);
      // Every organization's credentials are checked before anything is fetched.
      const clients = orgs.map((org) => clientsFor(org, io.env));
      await withStore(io, async (store) => {
        for (const [i, org] of orgs.entries()) {
          // The same lock as the service's collection job: never two collections of one org at once.
          const locked = await withJobLock(store, collectJobName(org.id), () =>
            collectOrg(store, {
              orgId: org.id,
              ...clients[i]!,
              since: opts.since,
              until: opts.until,
              usage: { hourly: config.collection.hourly_usage, topics: config.collection.topic_usage },
              onEvent: eventWriter(io),
            }),
          );
          if (!locked.acquired)
            throw new CcostError(
              ErrorCode.UsageError,
              `a collection of ${org.id} is running in another process (ccost serve?); try again when it has finished`,
            );
          io.stdout(formatSummary(locked.value));
        }
      });
    });
}

/** The organizations a run collects: the one named, or every one in ccost.yaml. */
export function organizationsToCollect(config: Config, orgId?: string): Config['organizations'] {
  if (orgId) return [config.organizations.find((o) => o.id === orgId) ?? { id: orgId, invoices: {} }];
  if (config.organizations.length === 0) {
    throw new CcostError(
      ErrorCode.UsageError,
      'no organization to collect: pass --org ORG or list organizations in ccost.yaml',
    );
  }
  return config.organizations;
}

/** A one-line progress bar on a terminal; structured JSON lines otherwise. */
function eventWriter(io: CliIo) {
  const tty = io.isTTY === true;
  return (event: CollectEvent) => {
    if (event.event === 'collect_done') return;
    if (tty && event.event === 'collect_step') {
      const width = 24;
      const filled = Math.round((event.done / event.steps) * width);
      io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.orgId} ${event.step}   `);
      if (event.done === event.steps) io.stderr('\n');
      return;
    }
    io.stderr(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  };
}

function formatSummary(s: CollectSummary): string {
  const lines = [
    `Collected ${s.orgId} ${s.from}..${s.to} (${s.days} days, run ${s.runId}):`,
    `  billing lines: ${s.lines.new} new, ${s.lines.changed} changed, ${s.lines.unchanged} unchanged`,
    `  usage rows: ${s.usageRows}`,
    `  inventory: ${s.inventory.opened} opened, ${s.inventory.closed} closed, ${s.inventory.unchanged} unchanged`,
  ];
  if (s.unknownPrincipals.length > 0) {
    lines.push(`  unknown principals kept (in usage, not in inventory): ${s.unknownPrincipals.join(', ')}`);
  }
  if (s.metricsFailures.length > 0) {
    lines.push(
      `  metrics failures: ${s.metricsFailures.map((f) => `${f.clusterId} ${f.from}..${f.to}: ${f.error}`).join('; ')}`,
    );
  }
  if (s.billingWithoutUsage.length > 0) {
    const shown = s.billingWithoutUsage.slice(0, 5).join(', ');
    const more = s.billingWithoutUsage.length > 5 ? ` and ${s.billingWithoutUsage.length - 5} more` : '';
    lines.push(`  days with billing but no usage: ${shown}${more}`);
  }
  return `${lines.join('\n')}\n`;
}
