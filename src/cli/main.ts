import { Command, CommanderError } from 'commander';
import { isCcostError } from '../core/errors/index.ts';
import { registerAllocate } from './commands/allocate.ts';
import { registerAsk } from './commands/ask.ts';
import { registerClose } from './commands/close.ts';
import { registerCollect } from './commands/collect.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDigest } from './commands/digest.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerEstimate } from './commands/estimate.ts';
import { registerExplain } from './commands/explain.ts';
import { registerExport } from './commands/export.ts';
import { registerImport } from './commands/import.ts';
import { registerInsights } from './commands/insights.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerOrg } from './commands/org.ts';
import { registerReport } from './commands/report.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { type CliIo, processIo } from './context.ts';

/** Exit codes: 0 ok, 1 a ccost error (bad input, missing data), 2 wrong usage, 70 a bug. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, Internal: 70 } as const;

/** Builds the `ccost` command tree writing to `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ccost')
    .description('Confluent Cloud cost chargeback: collect, allocate, reconcile and report')
    .option('-c, --config <file>', 'ccost.yaml to use (default: $CCOST_CONFIG or ./ccost.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerMigrate(program, io);
  registerImport(program, io);
  registerCollect(program, io);
  registerAllocate(program, io);
  registerReport(program, io);
  registerAsk(program, io);
  registerExplain(program, io);
  registerInsights(program, io);
  registerDigest(program, io);
  registerClose(program, io);
  registerExport(program, io);
  registerSimulate(program, io);
  registerServe(program, io);
  registerDemo(program, io);
  registerEstimate(program, io);
  registerOrg(program, io);
  registerDoctor(program, io);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and version exit cleanly.
    return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (isCcostError(err)) {
    io.stderr(`error: ${err.message}\n`);
    return err.code === 'usage_error' ? ExitCode.Usage : ExitCode.Failed;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`unexpected error: ${message}\n`);
  if (io.env.CCOST_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  else io.stderr('(set CCOST_DEBUG=1 to see the stack trace)\n');
  return ExitCode.Internal;
}
