/**
 * Asks a question in the /ccost grammar: parse, answer from the database, render. What the CLI,
 * Slack and the API call. A question that cannot be answered (unreadable, an unknown name, a
 * team the viewer may not see, help, a kind answered later) is a reply with suggestions.
 */
import type { Config } from '../config/schema.ts';
import { formatExplanation } from '../explain/format.ts';
import type { Explanation } from '../explain/types.ts';
import { formatInsightsAnswer } from '../insights/answer.ts';
import type { Store } from '../storage/database.ts';
import type { Viewer } from './access.ts';
import type { Answer } from './answer.ts';
import { answer, explainQuestion, QuestionReply } from './answer-query.ts';
import { chartAnswer } from './chart.ts';
import { formatAnswer } from './format.ts';
import { parseQuestion } from './grammar.ts';
import { helpText } from './help.ts';

/**
 * What asking gives: an answer (its terminal text and maybe a chart), an explanation (`explain
 * team …`), or a reply in words.
 */
export type AskResult =
  | { kind: 'answer'; answer: Answer; text: string; chart?: Buffer }
  | { kind: 'explanation'; explanation: Explanation; text: string; share: boolean }
  | { kind: 'reply'; text: string; suggestions: string[]; code?: string };

/** Options of {@link ask}. */
export interface AskOptions {
  config: Config;
  /** Default: the current time. */
  now?: Date;
  /** Who asks; absent means someone who may see everything (the CLI). */
  viewer?: Viewer;
  /** Skip drawing the chart (e.g. a client that renders its own). */
  chart?: boolean;
}

/**
 * Parses and answers `text` at `now`. Never throws for a question it cannot read or answer;
 * database failures still throw.
 */
export async function ask(store: Store, text: string, options: AskOptions): Promise<AskResult> {
  const now = options.now ?? new Date();
  const question = parseQuestion(text, now);
  if (question.kind === 'error') {
    return { kind: 'reply', text: question.message, suggestions: question.suggestions, code: question.code };
  }
  if (question.kind === 'help') return { kind: 'reply', text: helpText(), suggestions: [], code: 'help' };
  try {
    if (question.kind === 'explain') {
      const explanation = await explainQuestion(store, question, {
        config: options.config,
        now,
        viewer: options.viewer,
      });
      return {
        kind: 'explanation',
        explanation,
        text: formatExplanation(explanation),
        share: question.share,
      };
    }
    const result = await answer(store, question, { config: options.config, now, viewer: options.viewer });
    const chart = options.chart === false ? undefined : chartAnswer(result);
    const body = result.insights ? formatInsightsAnswer(result) : formatAnswer(result);
    return { kind: 'answer', answer: result, text: body, ...(chart ? { chart } : {}) };
  } catch (err) {
    if (err instanceof QuestionReply) {
      return { kind: 'reply', text: err.message, suggestions: err.suggestions, code: err.reply };
    }
    throw err;
  }
}
