import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { lastMonth, parseMonth } from '../../core/allocation/period.ts';
import { allocateMonth } from '../../core/allocation/run.ts';
import { type CollectEvent, collectOrg } from '../../core/collect/collection.ts';
import { createApiClient } from '../../core/collect/http.ts';
import { parseConfigText } from '../../core/config/load.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { ask } from '../../core/questions/ask.ts';
import { simulatedConfig } from '../../core/simulate/config.ts';
import { createModel, defaultStart } from '../../core/simulate/model.ts';
import { startSimulator } from '../../core/simulate/server.ts';
import { openStore } from '../../core/storage/database.ts';
import type { CliIo } from '../context.ts';

/** `ccost demo`: the whole product on a simulated organization, over real HTTP, in seconds. */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'collect a simulated Confluent Cloud org over HTTP, allocate last month, and answer "team payments last month"',
    )
    .option('--seed <seed>', 'seed of the simulated organization', '42')
    .option('--team <team>', 'team to ask about', 'payments')
    .action(async (opts: { seed: string; team: string }) => {
      await runDemo(io, opts);
    });
}

/** Runs the demo; its database, config and chart go under `$CCOST_HOME/demo` (default `.ccost/demo`). */
export async function runDemo(
  io: CliIo,
  opts: { seed: string; team: string },
  now = new Date(),
): Promise<string> {
  const dir = path.join(io.env.CCOST_HOME ?? '.ccost', 'demo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const model = createModel({ seed: opts.seed, start: defaultStart(now) });
  const sim = await startSimulator({ model, now });
  const store = await openStore({ dataDir: path.join(dir, 'db') });
  try {
    const configText = simulatedConfig(model, { apiUrl: sim.url, telemetryUrl: sim.telemetryUrl });
    const configFile = path.join(dir, 'ccost.yaml');
    writeFileSync(configFile, configText);
    const config = parseConfigText(configText, configFile);
    const orgId = model.org.organization.id;
    const month = lastMonth(now);
    io.stdout(`Simulated Confluent Cloud organization ${orgId} at ${sim.url}\n`);
    const client = (baseUrl: string, name: string) =>
      createApiClient({ baseUrl, apiKey: sim.apiKey, apiSecret: sim.apiSecret, name });
    const summary = await collectOrg(store, {
      orgId,
      api: client(sim.url, 'Confluent Cloud API'),
      telemetry: client(sim.telemetryUrl, 'Confluent Metrics API'),
      since: month.from,
      now,
      onEvent: progressLine(io),
    });
    io.stdout(
      `Collected ${summary.days} days over HTTP: ${summary.lines.new} billing lines, ${summary.usageRows} usage rows.\n`,
    );
    const run = await allocateMonth(store, { orgId, month: month.month, config });
    io.stdout(
      `Allocated ${month.month}: ${run.lines} lines → ${run.rows} allocation rows, exactly ${run.total} USD.\n\n`,
    );
    const question = `team ${opts.team} last month`;
    const result = await ask(store, question, { config, now });
    io.stdout(`> ${question}\n\n${result.text}`);
    const chart = path.join(dir, `team-${opts.team}-${month.month}.png`);
    if (result.kind !== 'answer' || !result.chart) throw new CcostError(ErrorCode.NotFound, result.text);
    writeFileSync(chart, result.chart);
    io.stdout(`\nChart: ${chart}\n\n${nextSteps(dir, configFile, month.month)}`);
    return chart;
  } finally {
    await store.close();
    await sim.stop();
  }
}

function progressLine(io: CliIo) {
  return (event: CollectEvent) => {
    if (event.event === 'collect_step' && io.isTTY)
      io.stderr(`\r  collecting: ${event.done}/${event.steps} ${event.step}   `);
    if (event.event === 'collect_step' && io.isTTY && event.done === event.steps) io.stderr('\n');
  };
}

function nextSteps(dir: string, configFile: string, month: string): string {
  const { month: m } = parseMonth(month);
  return [
    'Next, on the same data:',
    `  export CCOST_HOME=${dir} CCOST_CONFIG=${configFile}`,
    `  npx ccost report --month ${m} --by team`,
    `  npx ccost report --month ${m} --by principal --format csv`,
    '  npx ccost simulate --write-config ccost.yaml   # a simulated org to collect from yourself',
    'With your own organization: set CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET, then',
    '  npx ccost collect --org <org-id> && npx ccost allocate --org <org-id> --month ' + m,
    '',
  ].join('\n');
}
