import type { Command } from 'commander';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';
import { formatExplanation } from '../../core/explain/format.ts';
import { explainQuestion } from '../../core/questions/answer-query.ts';
import { parseQuestion } from '../../core/questions/grammar.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/** Options of `ccost explain`. */
interface ExplainFlags {
  resource?: string;
  line?: string;
  day?: string;
  format: string;
}

/**
 * `ccost explain "team payments last month" [--resource ID] [--line ID] [--day YYYY-MM-DD]
 * [--format text|json]`: how the figure was built, one more flag per drill-down step.
 */
export function registerExplain(program: Command, io: CliIo): void {
  program
    .command('explain')
    .description(
      'explain how a team\'s figure was built, e.g. "team payments last month"; drill down with --resource, --line, --day',
    )
    .argument('<question...>', 'the team and period, in words (`explain` in front is optional)')
    .option('--resource <id>', 'one resource of the team (`(none)` for lines without one)')
    .option('--line <id>', 'one billing line (ids are listed one level up)')
    .option('--day <day>', 'one day of the resource (YYYY-MM-DD)')
    .option('--format <format>', 'text|json', 'text')
    .action(async (words: string[], flags: ExplainFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json')
        throw new CcostError(ErrorCode.UsageError, `--format must be text or json (got "${flags.format}")`);
      const config = readConfig(io, program.opts().config);
      const now = new Date();
      const question = explainOf(words.join(' '), now);
      const drill = drillOf(flags);
      const explanation = await withStore(io, (store) =>
        explainQuestion(store, question, { config, now, drill }),
      );
      io.stdout(
        flags.format === 'json'
          ? `${JSON.stringify(explanation, null, 2)}\n`
          : formatExplanation(explanation),
      );
    });
}

/** Parses the words as an `explain team …` question; anything else is a usage error. */
function explainOf(text: string, now: Date) {
  const words = text.trim().replace(/^\/ccost\s+/i, '');
  const question = parseQuestion(/^explain\b/i.test(words) ? words : `explain ${words}`, now);
  if (question.kind === 'error') throw new CcostError(ErrorCode.UsageError, question.message);
  if (question.kind !== 'explain')
    throw new CcostError(
      ErrorCode.UsageError,
      'ccost explain takes a team and a period, e.g. "team payments last month"',
    );
  return question;
}

function drillOf(flags: ExplainFlags): { resource?: string; line?: number; day?: string } {
  const line = flags.line === undefined ? undefined : Number(flags.line);
  if (line !== undefined && !(Number.isSafeInteger(line) && line > 0))
    throw new CcostError(ErrorCode.UsageError, `--line must be a billing line id (got "${flags.line}")`);
  if (flags.day !== undefined && flags.resource === undefined)
    throw new CcostError(ErrorCode.UsageError, '--day needs --resource');
  return {
    ...(flags.resource !== undefined ? { resource: flags.resource } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(flags.day !== undefined ? { day: flags.day } : {}),
  };
}
