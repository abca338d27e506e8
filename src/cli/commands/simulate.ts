import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { SIM_KEY_ENV, SIM_SECRET_ENV, simulatedConfig } from '../../core/simulate/config.ts';
import { parseFaults } from '../../core/simulate/faults.ts';
import { createModel, defaultStart, type SimModel } from '../../core/simulate/model.ts';
import { type Simulator, startSimulator } from '../../core/simulate/server.ts';
import type { CliIo } from '../context.ts';

/** Options of `ccost simulate` as commander parses them. */
export interface SimulateOptions {
  port: string;
  host: string;
  seed: string;
  clusters: string;
  principals: string;
  start?: string;
  writeConfig?: string;
  faults?: string;
}

/**
 * `ccost simulate [--port N] [--seed S] [--clusters N] [--principals N] [--start DAY]
 * [--write-config FILE] [--faults JSON]`: serves a simulated Confluent Cloud until Ctrl-C.
 */
export function registerSimulate(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description('serve a simulated Confluent Cloud organization (Billing, Metrics, Org, IAM, ...) over HTTP')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <seed>', 'seed of the generated organization', '42')
    .option('--clusters <n>', 'number of Kafka clusters', '8')
    .option('--principals <n>', 'service accounts, users and identity pools together', '40')
    .option('--start <day>', 'first day of the story, YYYY-MM-DD (default: first day of last month)')
    .option('--write-config <file>', 'write a ccost.yaml for the simulated organization to FILE')
    .option('--faults <json>', 'faults to inject, e.g. \'{"rateLimit":5,"slowMs":200}\'')
    .action(async (opts: SimulateOptions) => {
      const sim = await startFromOptions(opts, io);
      await untilInterrupted();
      await sim.stop();
      io.stdout('simulator stopped\n');
    });
}

/** Starts the simulator of `opts`, writes the config if asked, and prints how to use it. */
export async function startFromOptions(
  opts: SimulateOptions,
  io: CliIo,
  now = new Date(),
): Promise<Simulator> {
  const faults = opts.faults === undefined ? {} : parseFaults(parseJson(opts.faults), '--faults');
  const model = createModel({
    seed: opts.seed,
    clusters: integer('--clusters', opts.clusters),
    principals: integer('--principals', opts.principals),
    start: opts.start ?? defaultStart(now),
  });
  const sim = await startSimulator({ model, port: integer('--port', opts.port), host: opts.host, faults });
  if (opts.writeConfig) {
    writeFileSync(
      opts.writeConfig,
      simulatedConfig(model, { apiUrl: sim.url, telemetryUrl: sim.telemetryUrl }),
    );
  }
  io.stdout(usageText(sim, model, opts));
  return sim;
}

function usageText(sim: Simulator, model: SimModel, opts: SimulateOptions): string {
  const { createdCluster, deletedServiceAccount } = model.org.events;
  const story = [
    createdCluster
      ? `cluster ${model.cluster(createdCluster.id)?.name} created ${createdCluster.at.slice(0, 10)}`
      : '',
    deletedServiceAccount
      ? `service account ${deletedServiceAccount.id} deleted ${deletedServiceAccount.at.slice(0, 10)}`
      : '',
  ].filter(Boolean);
  return [
    `Simulated Confluent Cloud (seed ${opts.seed}, organization ${model.org.organization.id})`,
    `  Story from ${model.org.start}${story.length > 0 ? `: ${story.join(', ')}` : ''}`,
    `  Cloud API:   ${sim.url}`,
    `  Metrics API: ${sim.telemetryUrl}`,
    'Credentials (fixed, not secret):',
    `  export ${SIM_KEY_ENV}=${sim.apiKey}`,
    `  export ${SIM_SECRET_ENV}=${sim.apiSecret}`,
    ...(opts.writeConfig ? [`Config written to ${opts.writeConfig}`] : []),
    `Faults: curl -X POST ${sim.url}/_sim/faults -d '{"rateLimit":5}'   (stats: GET ${sim.url}/_sim/stats)`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function integer(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new CcostError(ErrorCode.UsageError, `${flag} must be a whole number (got "${text}")`);
  }
  return n;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CcostError(ErrorCode.UsageError, `--faults must be JSON (${(err as Error).message})`);
  }
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
