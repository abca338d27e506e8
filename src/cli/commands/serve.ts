import type { Command } from 'commander';
import { readSlackSettings } from '../../bot/settings.ts';
import { clientsFor } from '../../core/collect/clients.ts';
import type { Config } from '../../core/config/schema.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { openStoreFromEnv } from '../../core/storage/database.ts';
import { loadTokens } from '../../server/api/auth.ts';
import { portFrom } from '../../server/server.ts';
import { startService } from '../../server/service.ts';
import { type CliIo, readConfig } from '../context.ts';

/** Options of `ccost serve` as commander parses them. */
export interface ServeOptions {
  port?: string;
  host: string;
  slack: boolean;
}

/**
 * `ccost serve [--port N] [--host H] [--no-slack]`: the service on one port — the Slack app
 * (HTTP at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set), the REST API, /metrics and
 * /healthz — and the scheduler (collection, allocation, digests) until SIGTERM or SIGINT, then a
 * graceful stop: jobs in flight finish, requests in flight finish, the database closes.
 */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run the service: Slack app, REST API, /metrics, /healthz and the scheduled pipeline and digests',
    )
    .option('--port <port>', 'port to listen on (default $PORT or 3000)')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--no-slack', 'serve without the Slack app (and without digests)')
    .action(async (opts: ServeOptions) => {
      const config = readConfig(io, program.opts().config);
      // Every missing or invalid setting is named before anything starts.
      const port = checkSettings(config, io.env, opts);
      const store = await openStoreFromEnv(io.env);
      try {
        const service = await startService({
          config,
          store,
          env: io.env,
          port,
          host: opts.host,
          slack: opts.slack,
          log: (event) => io.stderr(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`),
        });
        const slack = service.server.slack;
        const how = slack
          ? `, Slack over ${slack.mode === 'socket' ? 'Socket Mode' : 'HTTP at /slack/events'}`
          : '';
        io.stdout(`ccost serving on port ${service.server.port}${how}\n`);
        const signal = await untilSignal();
        io.stdout(`${signal}: stopping\n`);
        await service.stop();
      } finally {
        await store.close();
      }
      io.stdout('stopped\n');
    });
}

/** Checks every setting serve needs and throws one error listing all problems; returns the port. */
export function checkSettings(config: Config, env: NodeJS.ProcessEnv, opts: ServeOptions): number {
  const problems: string[] = [];
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };
  const port = attempt(() => portFrom({ PORT: opts.port ?? env.PORT }));
  if (opts.slack) attempt(() => readSlackSettings(env));
  attempt(() => loadTokens(config, env));
  for (const org of config.organizations) attempt(() => clientsFor(org, env));
  if (problems.length > 0)
    throw new CcostError(
      ErrorCode.ConfigInvalid,
      `ccost serve cannot start:\n  - ${problems.join('\n  - ')}`,
    );
  return port!;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
