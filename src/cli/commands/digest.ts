import type { Command } from 'commander';
import { createDigestJobs } from '../../bot/digests.ts';
import { createSlackClient } from '../../bot/slack-client.ts';
import { describeDigest } from '../../core/digests/describe.ts';
import { dueDigests } from '../../core/digests/due.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { createScheduler } from '../../core/schedule/scheduler.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/**
 * `ccost digest run [--now ISO] [--dry-run]`: sends every digest and alert due now, once (for
 * cron, or to catch up). Each kind runs as its scheduler job would, under its lock and recorded in
 * job_runs; messages already sent (by `ccost serve` or an earlier run) are not sent again.
 */
export function registerDigest(program: Command, io: CliIo): void {
  const digest = program.command('digest').description('scheduled Slack digests and alerts');
  digest
    .command('run')
    .description('send the digests and alerts due now (monthly close, weekly team, budget, anomalies)')
    .option('--now <iso>', 'act as if it were this time (UTC), e.g. 2026-11-04T09:00:00Z')
    .option('--dry-run', 'print what would be sent; send and record nothing')
    .action(async (opts: { now?: string; dryRun?: boolean }) => {
      const config = readConfig(io, program.opts().config);
      const now = parseNow(opts.now);
      await withStore(io, async (store) => {
        if (opts.dryRun) {
          const due = await dueDigests(store, config, now);
          if (due.length === 0) io.stdout(`Nothing due at ${now.toISOString()}.\n`);
          for (const message of due) io.stdout(`would send ${describeDigest(message)}\n`);
          return;
        }
        const token = io.env.SLACK_BOT_TOKEN;
        if (!token) {
          throw new CcostError(
            ErrorCode.CredentialsMissing,
            'SLACK_BOT_TOKEN is not set; set it to the bot token (xoxb-…) or use --dry-run',
          );
        }
        const slack = createSlackClient({ token, apiUrl: io.env.SLACK_API_URL, retries: 2 });
        const jobs = createDigestJobs({ store, config, slack });
        const scheduler = createScheduler({ store, jobs, now: () => now });
        const failures: string[] = [];
        for (const job of jobs) {
          const result = await scheduler.runNow(job.name);
          const counts = result.counts
            ? ` (${Object.entries(result.counts)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')})`
            : '';
          io.stdout(`${job.name}: ${result.outcome}${counts}${result.error ? `: ${result.error}` : ''}\n`);
          if (result.outcome === 'failed') failures.push(job.name);
        }
        if (failures.length > 0) {
          throw new CcostError(
            ErrorCode.HttpError,
            `${failures.join(', ')} failed; failed messages are sent on the next run`,
          );
        }
      });
    });
}

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new CcostError(
      ErrorCode.UsageError,
      `--now must be an ISO time such as 2026-11-04T09:00:00Z (got "${text}")`,
    );
  }
  return new Date(ms);
}
