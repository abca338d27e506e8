import type { Command } from 'commander';
import { readSlackSettings } from '../../bot/settings.ts';
import { openStoreFromEnv } from '../../core/storage/database.ts';
import { type JobsContext, portFrom, type ServerJobs, startServer } from '../../server/server.ts';
import { type CliIo, readConfig } from '../context.ts';

/** Options of `ccost serve` as commander parses them. */
export interface ServeOptions {
  port?: string;
  host: string;
  slack: boolean;
}

/**
 * `ccost serve [--port N] [--host H] [--no-slack]`: the Slack app (HTTP at /slack/events, or Socket
 * Mode when SLACK_APP_TOKEN is set) and /healthz on one port until SIGTERM or SIGINT, then a
 * graceful stop: jobs, server (requests in flight finish), Slack app, database.
 * `jobs` plugs in the digest scheduler: called once the Slack app exists, with its client.
 */
export function registerServe(
  program: Command,
  io: CliIo,
  jobs?: (context: JobsContext) => ServerJobs,
): void {
  program
    .command('serve')
    .description('serve the Slack app (/ccost) and /healthz; Socket Mode when SLACK_APP_TOKEN is set')
    .option('--port <port>', 'port to listen on (default $PORT or 3000)')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--no-slack', 'serve without the Slack app')
    .action(async (opts: ServeOptions) => {
      const config = readConfig(io, program.opts().config);
      const port = portFrom({ PORT: opts.port ?? io.env.PORT });
      if (opts.slack) readSlackSettings(io.env); // a missing setting fails before the database opens
      const store = await openStoreFromEnv(io.env);
      try {
        const server = await startServer({
          config,
          store,
          env: io.env,
          port,
          host: opts.host,
          ...(opts.slack ? {} : { slack: false as const }),
          ...(jobs ? { scheduler: jobs } : {}),
        });
        const how = server.slack
          ? `, Slack over ${server.slack.mode === 'socket' ? 'Socket Mode' : 'HTTP at /slack/events'}`
          : '';
        io.stdout(`ccost serving on port ${server.port}${how}\n`);
        const signal = await untilSignal();
        io.stdout(`${signal}: stopping\n`);
        await server.stop();
      } finally {
        await store.close();
      }
      io.stdout('stopped\n');
    });
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
