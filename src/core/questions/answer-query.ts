/**
 * `answer()`: any parsed question, answered from the database as an {@link Answer}. Names are
 * resolved (did-you-mean on a miss), access is decided for the viewer, then one plan per kind is
 * built and run. What cannot be answered is a {@link QuestionReply} error for the caller to show.
 */
import type { Config } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { type ExplainOptions, explain } from '../explain/explain.ts';
import type { Explanation } from '../explain/types.ts';
import { insightsAnswer } from '../insights/answer.ts';
import type { Store } from '../storage/database.ts';
import { type Access, decideAccess, restrictedNote, type Viewer } from './access.ts';
import type { Answer } from './answer.ts';
import { breakdownAnswer, type Plan } from './breakdown-answer.ts';
import { NO_TEAM } from './figures.ts';
import { productLabel } from './format.ts';
import type {
  Breakdown,
  ExplainQuestion,
  Question,
  ScopeKind,
  ScopeQuestion,
  TopQuestion,
} from './grammar.ts';
import { helpText } from './help.ts';
import { resolveName } from './names.ts';
import { reconcileAnswer } from './reconcile-answer.ts';
import { currentRunsBetween } from './runs.ts';
import { explainUnallocated } from './unallocated-answer.ts';

/** Options of {@link answer}. */
export interface AnswerOptions {
  config: Config;
  /** The moment the question is asked (periods are relative to it; budgets forecast from it). */
  now: Date;
  /** Who asks; absent means someone who may see everything (the CLI). */
  viewer?: Viewer;
}

/** Why a question gets a reply instead of an answer. */
export type ReplyCode = 'unknown_name' | 'forbidden' | 'not_supported' | 'help';

/** A question that is answered with words only: a name nobody knows, a refusal, a later feature. */
export class QuestionReply extends CcostError {
  readonly reply: ReplyCode;
  readonly suggestions: string[];
  constructor(reply: ReplyCode, message: string, suggestions: string[] = []) {
    super(reply === 'unknown_name' ? ErrorCode.NotFound : ErrorCode.UsageError, message);
    this.reply = reply;
    this.suggestions = suggestions;
    this.name = 'QuestionReply';
  }
}

/** Rows a team or scope breakdown shows before the rest becomes `other`. */
export const BREAKDOWN_ROWS = 8;
const MOVERS = 5;
const COMPARE_MOVERS = 10;

/**
 * Answers a parsed question. Throws {@link QuestionReply} for unknown names (with suggestions),
 * refusals for the viewer and help; `explain` has its own result (see {@link explainQuestion}).
 */
export async function answer(store: Store, question: Question, options: AnswerOptions): Promise<Answer> {
  switch (question.kind) {
    case 'team':
    case 'compare':
    case 'budget':
      return breakdownAnswer(store, await teamPlan(store, question, options), options);
    case 'top':
      return breakdownAnswer(store, await topPlan(store, question, options), options);
    case 'scope':
      return breakdownAnswer(store, await scopePlan(store, question, options), options);
    case 'unallocated':
      return unallocated(store, question, options);
    case 'reconcile': {
      const access = decideAccess(options.viewer, question);
      const teams = access.kind === 'restricted' ? access.teams : undefined;
      return reconcileAnswer(store, question, { ...options, teams, notes: notesOf(access) });
    }
    case 'help':
      throw new QuestionReply('help', helpText());
    case 'insights':
      return insightsAnswer(store, question, {
        ...options,
        ...(await insightsScope(store, question, options)),
      });
    case 'explain':
      throw explainElsewhere(question.team);
  }
}

/**
 * Explains `explain team X <period>`: the team's name resolved (did-you-mean on a miss), refused
 * for a viewer who may not see it, then {@link explain} at the team level or the drill-down step given.
 */
export async function explainQuestion(
  store: Store,
  question: ExplainQuestion,
  options: AnswerOptions & { drill?: ExplainOptions['drill'] },
): Promise<Explanation> {
  const team = await resolved(store, options, 'team', question.team);
  allowed(decideAccess(options.viewer, question, team.id));
  const { from, to, label } = question.period;
  const { config, now, drill } = options;
  return explain(store, { scope: { team: team.id }, period: { from, to, label }, config, now, drill });
}

type TeamKinds = Extract<Question, { kind: 'team' | 'compare' | 'budget' }>;

async function teamPlan(store: Store, question: TeamKinds, options: AnswerOptions): Promise<Plan> {
  const team = await resolved(store, options, 'team', question.team);
  allowed(decideAccess(options.viewer, question, team.id));
  const by: Breakdown = ('by' in question ? question.by : undefined) ?? 'product';
  const compare = question.kind === 'compare';
  const title = `${question.kind === 'budget' ? 'Budget of team' : compare ? 'Compare team' : 'Team'} ${team.id}`;
  return {
    question,
    title,
    filter: { teams: [team.id] },
    dimension: by,
    limit: BREAKDOWN_ROWS,
    movers: compare ? COMPARE_MOVERS : MOVERS,
    budgetTeam: team.id,
    notes: [],
  };
}

async function topPlan(store: Store, question: TopQuestion, options: AnswerOptions): Promise<Plan> {
  const plural = `${question.dimension}s`;
  if (question.scope) {
    const team = await resolved(store, options, 'team', question.scope.name);
    allowed(decideAccess(options.viewer, question, team.id));
    return topOf(question, `Top ${plural} in team ${team.id}`, { teams: [team.id] }, []);
  }
  const access = decideAccess(options.viewer, question);
  return topOf(question, `Top ${plural}`, restriction(access), notesOf(access));
}

function topOf(question: TopQuestion, title: string, filter: Plan['filter'], notes: string[]): Plan {
  return {
    question,
    title,
    filter,
    dimension: question.dimension,
    limit: question.limit,
    movers: MOVERS,
    notes,
  };
}

/** What each scope kind splits by when no `by` is given. */
const SCOPE_BY: Record<ScopeKind, Breakdown> = {
  team: 'product',
  cluster: 'principal',
  principal: 'product',
  environment: 'team',
  product: 'team',
};

async function scopePlan(store: Store, question: ScopeQuestion, options: AnswerOptions): Promise<Plan> {
  const { kind } = question.scope;
  const thing = await resolved(store, options, kind, question.scope.name);
  const access = decideAccess(options.viewer, question, kind === 'team' ? thing.id : undefined);
  allowed(access);
  const filter: Plan['filter'] = { ...restriction(access), ...scopeFilter(kind, thing.id) };
  return {
    question,
    title: scopeTitle(kind, thing.id, thing.name ?? null),
    filter,
    dimension: question.by ?? SCOPE_BY[kind],
    limit: BREAKDOWN_ROWS,
    movers: MOVERS,
    budgetTeam: kind === 'team' ? thing.id : undefined,
    notes: notesOf(access),
  };
}

function scopeFilter(kind: ScopeKind, id: string): Plan['filter'] {
  switch (kind) {
    case 'team':
      return { teams: [id] };
    case 'cluster':
      return { resourceId: id };
    case 'principal':
      return { ownerId: id };
    case 'environment':
      return { environmentId: id };
    case 'product':
      return { product: id };
  }
}

const SCOPE_WORD: Record<ScopeKind, string> = {
  team: 'Team',
  cluster: 'Cluster',
  principal: 'Principal',
  environment: 'Environment',
  product: 'Product',
};

/** "Cluster lkc-abc12 (orders-prod)", "Environment production (env-xxx)", "Product Flink". */
function scopeTitle(kind: ScopeKind, id: string, name: string | null): string {
  if (kind === 'product') return `Product ${productLabel(id)}`;
  if (kind === 'environment' && name) return `Environment ${name} (${id})`;
  return name && name !== id ? `${SCOPE_WORD[kind]} ${id} (${name})` : `${SCOPE_WORD[kind]} ${id}`;
}

async function unallocated(
  store: Store,
  question: Extract<Question, { kind: 'unallocated' }>,
  options: AnswerOptions,
): Promise<Answer> {
  const access = decideAccess(options.viewer, question);
  const teams = access.kind === 'restricted' ? NO_TEAM.filter((t) => access.teams.includes(t)) : [...NO_TEAM];
  const plan: Plan = {
    question,
    title: 'Unallocated',
    filter: { teams },
    dimension: 'product',
    limit: BREAKDOWN_ROWS,
    movers: MOVERS,
    notes: notesOf(access),
  };
  const result = await breakdownAnswer(store, plan, options);
  const runIds = await runIdsOf(store, question.period);
  await explainUnallocated(store, result, { runIds, teams }, question.period);
  return result;
}

async function runIdsOf(store: Store, period: { from: string; to: string }): Promise<string[]> {
  return (await currentRunsBetween(store, period.from, period.to)).map((r) => r.id);
}

async function resolved(store: Store, options: AnswerOptions, kind: ScopeKind, name: string) {
  const found = await resolveName(store, options.config, kind, name);
  if (!found.ok) throw new QuestionReply('unknown_name', found.message, found.suggestions);
  return found.thing;
}

function allowed(access: Access): void {
  if (access.kind === 'refused') throw new QuestionReply('forbidden', access.message, access.suggestions);
}

function restriction(access: Access): Plan['filter'] {
  return access.kind === 'restricted' ? { teams: access.teams } : {};
}

/** The team an insights question names (resolved, access checked), or a restricted viewer's teams. */
async function insightsScope(
  store: Store,
  question: Extract<Question, { kind: 'insights' }>,
  options: AnswerOptions,
): Promise<{ team?: string; teams?: string[]; notes: string[] }> {
  if (question.team) {
    const found = await resolveName(store, options.config, 'team', question.team);
    if (!found.ok) {
      const asInsights = (t: string) => t.replace(/`team /g, '`insights ').replace(/^team /, 'insights ');
      throw new QuestionReply('unknown_name', asInsights(found.message), found.suggestions.map(asInsights));
    }
    allowed(decideAccess(options.viewer, question, found.thing.id));
    return { team: found.thing.id, notes: [] };
  }
  const access = decideAccess(options.viewer, question);
  return { ...(access.kind === 'restricted' ? { teams: access.teams } : {}), notes: notesOf(access) };
}

function notesOf(access: Access): string[] {
  return access.kind === 'restricted' ? [restrictedNote(access.teams)] : [];
}

/** `explain` has its own result (an explanation), built by {@link explainQuestion}, not an Answer. */
function explainElsewhere(team: string): QuestionReply {
  return new QuestionReply(
    'not_supported',
    '`explain` is answered with an explanation, not an answer: ask it through ask() or explainQuestion().',
    [`team ${team} last month`],
  );
}
