/**
 * Answers a question in the /ccost grammar from the database: the part of issue 5 shared by
 * the CLI now and by Slack and the API later. Team questions (team, compare, budget) are
 * answered; the other kinds say which command answers them today.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { budgetStatus, formatBudget } from './budget.ts';
import { chartTeamAnswer } from './chart.ts';
import { formatTeamAnswer } from './format.ts';
import { matchName, parseQuestion, type Question } from './grammar.ts';
import { helpText } from './help.ts';
import { answerTeam } from './team.ts';

/** What asking gives: an answer (text and maybe a chart) or a reply saying what to ask instead. */
export type AskResult =
  | { kind: 'answer'; text: string; chart?: Buffer; question: Question }
  | { kind: 'reply'; text: string; suggestions: string[] };

/** Parses and answers `text` at `now`. Never throws for a question it cannot read. */
export async function ask(
  store: Store,
  text: string,
  options: { config: Config; now?: Date },
): Promise<AskResult> {
  const now = options.now ?? new Date();
  const question = parseQuestion(text, now);
  if (question.kind === 'error')
    return { kind: 'reply', text: question.message, suggestions: question.suggestions };
  if (question.kind === 'help') return { kind: 'answer', text: helpText(), question };
  if (question.kind === 'team' || question.kind === 'compare' || question.kind === 'budget') {
    const teams = await knownTeams(store, options.config);
    const found = matchName(
      question.team,
      teams.map((id) => ({ id })),
    );
    if (!found.match) {
      const hint = found.suggestions.map((s) => `team ${s.id}`);
      const message = `No team called "${question.team}".${hint.length > 0 ? ` Did you mean ${hint.map((h) => `\`${h}\``).join(' or ')}?` : ''}`;
      return { kind: 'reply', text: message, suggestions: hint };
    }
    const team = found.match.id;
    const answer = await answerTeam(store, { team, period: question.period });
    const budget = options.config.teams[team]?.budget?.monthly;
    const lines = [formatTeamAnswer(answer).trimEnd()];
    if (budget) {
      const status = budgetStatus({ monthly: budget, actual: answer.total, period: question.period, now });
      lines.push('', `  ${formatBudget(status)}`);
    }
    if (!question.period.complete)
      lines.push('', `(${question.period.label} is not over yet: figures are partial)`);
    return {
      kind: 'answer',
      text: `${lines.join('\n')}\n`,
      chart: chartTeamAnswer(answer, { monthlyBudget: budget }),
      question,
    };
  }
  return {
    kind: 'reply',
    text: `\`${question.kind}\` questions are not answered by ccost ask yet: use \`ccost report\` (by team, principal, product, resource) or \`ccost reconcile\`.`,
    suggestions: [],
  };
}

/** Teams in ccost.yaml and in any allocation, sorted. */
async function knownTeams(store: Store, config: Config): Promise<string[]> {
  const allocated = await store.query<{ team: string }>(
    sql`select distinct a.team from allocations a join allocation_runs r on r.id = a.run_id where r.is_current`,
  );
  return [...new Set([...Object.keys(config.teams), ...allocated.map((r) => r.team)])].sort();
}
