import type { Command } from 'commander';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { formatInsightsAnswer } from '../../core/insights/answer.ts';
import { answer } from '../../core/questions/answer-query.ts';
import type { InsightsQuestion } from '../../core/questions/grammar.ts';
import { parsePeriodResult } from '../../core/questions/time.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/** Options of `ccost insights`. */
interface InsightsOptions {
  team?: string;
  period?: string;
  format: string;
  now?: string;
}

/**
 * `ccost insights [--team T] [--period P] [--format text|json] [--now ISO]`: idle and underused
 * resources, connectors and Flink pools without work, excess partitions, spiky and unowned spend,
 * each with its monthly cost, evidence and estimated saving (as /ccost insights answers them).
 */
export function registerInsights(program: Command, io: CliIo): void {
  program
    .command('insights')
    .description('where the waste is: idle and underused resources, unowned spend, with estimated savings')
    .option('--team <team>', 'only findings with a part of this team’s cost')
    .option(
      '--period <period>',
      'days to read, as in /ccost (2026-10, last month, …); default the last 30 days',
    )
    .option('--format <format>', 'text or json (exact amounts)', 'text')
    .option('--now <iso>', 'act as if it were this time (UTC)')
    .action(async (opts: InsightsOptions) => {
      if (opts.format !== 'text' && opts.format !== 'json')
        throw new CcostError(ErrorCode.UsageError, `--format must be text or json (got "${opts.format}")`);
      const config = readConfig(io, program.opts().config);
      const now = parseNow(opts.now);
      const question = questionOf(opts, now);
      const result = await withStore(io, (store) => answer(store, question, { config, now }));
      io.stdout(
        opts.format === 'json'
          ? `${JSON.stringify(jsonOf(result), null, 2)}\n`
          : formatInsightsAnswer(result),
      );
    });
}

function questionOf(opts: InsightsOptions, now: Date): InsightsQuestion {
  const base = { kind: 'insights' as const, share: false, ...(opts.team ? { team: opts.team } : {}) };
  if (!opts.period) {
    const period = parsePeriodResult('this month', now);
    if (!period.ok) throw new CcostError(ErrorCode.UsageError, period.reason);
    return { ...base, period: period.period, periodDefaulted: true };
  }
  const period = parsePeriodResult(opts.period, now);
  if (!period.ok) throw new CcostError(ErrorCode.UsageError, `--period: ${period.reason}`);
  return { ...base, period: period.period, periodDefaulted: false };
}

function jsonOf(result: Awaited<ReturnType<typeof answer>>) {
  return {
    title: result.title,
    period: { from: result.period.from, to: result.period.to, label: result.period.label },
    ...result.insights!,
    answerNotes: result.notes,
  };
}

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms))
    throw new CcostError(
      ErrorCode.UsageError,
      `--now must be an ISO time such as 2026-11-04T09:00:00Z (got "${text}")`,
    );
  return new Date(ms);
}
