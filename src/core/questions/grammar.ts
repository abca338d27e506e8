import { PERIOD_WORDS, type PeriodSpec, parsePeriodResult } from './time.ts';

/** What `by …` may split an answer by. */
export const BREAKDOWNS = [
  'product',
  'principal',
  'resource',
  'cluster',
  'environment',
  'team',
  'day',
] as const;
/** One of {@link BREAKDOWNS}. */
export type Breakdown = (typeof BREAKDOWNS)[number];

/** What `top …` may rank. */
export const TOP_DIMENSIONS = ['team', 'principal', 'resource', 'cluster', 'environment', 'product'] as const;
/** One of {@link TOP_DIMENSIONS}. */
export type TopDimension = (typeof TOP_DIMENSIONS)[number];

/** What a scope question (`cluster lkc-abc12 yesterday`) narrows to. */
export type ScopeKind = 'cluster' | 'principal' | 'environment' | 'product' | 'team';

/** A named thing a question is about; `name` is as typed (match it with {@link matchName}). */
export interface Scope {
  kind: ScopeKind;
  name: string;
}

/** What every question about costs carries. */
export interface Asked {
  period: PeriodSpec;
  /** True when no period was written and `this month` was assumed. */
  periodDefaulted: boolean;
  /** True when the question ended with `share` (post the answer for everyone). */
  share: boolean;
}

/** `team payments last month [by product]`. */
export interface TeamQuestion extends Asked {
  kind: 'team';
  team: string;
  by?: Breakdown;
}

/** `compare team payments last month`: the period against the one before. */
export interface CompareQuestion extends Asked {
  kind: 'compare';
  team: string;
  by?: Breakdown;
}

/** `budget team payments`: spend against budget; the period defaults to this month. */
export interface BudgetQuestion extends Asked {
  kind: 'budget';
  team: string;
}

/** `explain team payments last month`: how the team's costs were allocated. */
export interface ExplainQuestion extends Asked {
  kind: 'explain';
  team: string;
}

/** `top 5 principals in team payments last 7 days`. */
export interface TopQuestion extends Asked {
  kind: 'top';
  dimension: TopDimension;
  limit: number;
  scope?: { kind: 'team'; name: string };
}

/** `cluster lkc-abc12 yesterday`, `env production q3`, `product flink last month`. */
export interface ScopeQuestion extends Asked {
  kind: 'scope';
  scope: Scope;
  by?: Breakdown;
}

/** `unallocated last month`: costs no rule gave to a team. */
export interface UnallocatedQuestion extends Asked {
  kind: 'unallocated';
}

/** `reconcile 2026-10`: allocated totals against the bill. */
export interface ReconcileQuestion extends Asked {
  kind: 'reconcile';
}

/** `insights [team] [period]`. */
export interface InsightsQuestion extends Asked {
  kind: 'insights';
  team?: string;
}

/** `help`. */
export interface HelpQuestion {
  kind: 'help';
  share: boolean;
}

/** Every question the grammar understands, discriminated by `kind`. */
export type Question =
  | TeamQuestion
  | CompareQuestion
  | BudgetQuestion
  | ExplainQuestion
  | TopQuestion
  | ScopeQuestion
  | UnallocatedQuestion
  | ReconcileQuestion
  | InsightsQuestion
  | HelpQuestion;

/** Why a question could not be read; `bad_argument` covers `by`, `top` dimensions and counts. */
export type QuestionErrorCode =
  | 'unknown_command'
  | 'missing_name'
  | 'bad_period'
  | 'bad_argument'
  | 'too_long'
  | 'empty';

/** A question that could not be read: a message for people and whole questions to try instead. */
export interface QuestionError {
  kind: 'error';
  code: QuestionErrorCode;
  message: string;
  suggestions: string[];
}

/** The command words a question may start with. */
export const COMMANDS = [
  'team',
  'compare',
  'budget',
  'explain',
  'top',
  'cluster',
  'principal',
  'env',
  'environment',
  'product',
  'unallocated',
  'reconcile',
  'insights',
  'help',
] as const;

/** Longest question read, in characters; longer ones get a `too_long` error. */
export const MAX_QUESTION_LENGTH = 1000;
/** `top` without a count ranks this many. */
export const DEFAULT_TOP = 10;
/** The largest `top N`. */
export const MAX_TOP = 100;

const EXAMPLES = ['team payments last month', 'top teams this month', 'help'];

/**
 * Reads a question in the shared grammar (Slack, CLI, API), relative to `now` (UTC). Case-insensitive,
 * extra spaces ignored, an optional leading `/ccost` and trailing `share`. Never throws: anything
 * unreadable comes back as a {@link QuestionError} with a message and suggestions.
 */
export function parseQuestion(text: string, now: Date): Question | QuestionError {
  try {
    return parse(typeof text === 'string' ? text : String(text ?? ''), now);
  } catch {
    return fault('unknown_command', 'I could not read that question; try `/ccost help`.', EXAMPLES);
  }
}

interface Token {
  text: string;
  /** Lower case, for keywords. */
  word: string;
  quoted: boolean;
}

interface Context {
  now: Date;
  share: boolean;
}

type Handler = (command: string, rest: Token[], ctx: Context) => Question | QuestionError;

function parse(text: string, now: Date): Question | QuestionError {
  if (text.length > MAX_QUESTION_LENGTH) {
    const message = `That question is ${text.length} characters long; ask in at most ${MAX_QUESTION_LENGTH}.`;
    return fault('too_long', message, EXAMPLES);
  }
  if (Number.isNaN(now.getTime())) return fault('bad_period', 'The current time is not a valid date.', []);
  let tokens = tokenize(text);
  if (tokens[0] && !tokens[0].quoted && /^\/?ccost$/.test(tokens[0].word)) tokens = tokens.slice(1);
  const last = tokens.at(-1);
  const share = last !== undefined && !last.quoted && last.word === 'share';
  if (share) tokens = tokens.slice(0, -1);
  const [first, ...rest] = tokens;
  if (!first) return fault('empty', 'Ask me about costs, e.g. `team payments last month`.', EXAMPLES);
  const handler = first.quoted ? undefined : HANDLERS[first.word];
  if (!handler) return unknownCommand(first, rest, now);
  return handler(first.word, rest, { now, share });
}

const HANDLERS: Record<string, Handler> = {
  team: (_, rest, ctx) => named('team', rest, ctx),
  compare: (_, rest, ctx) => named('compare', dropWord(rest, 'team'), ctx),
  budget: (_, rest, ctx) => named('budget', dropWord(rest, 'team'), ctx),
  explain: (_, rest, ctx) => named('explain', dropWord(rest, 'team'), ctx),
  top,
  cluster: scoped,
  principal: scoped,
  env: scoped,
  environment: scoped,
  product: scoped,
  unallocated: (_, rest, ctx) => periodOnly('unallocated', rest, ctx),
  reconcile: (_, rest, ctx) => periodOnly('reconcile', rest, ctx),
  insights,
  help: (_, __, ctx) => ({ kind: 'help', share: ctx.share }),
  '?': (_, __, ctx) => ({ kind: 'help', share: ctx.share }),
};

/** Splits on spaces; `"data platform"` (straight or curly quotes) is one token. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/["“”]([^"“”]*)["“”]?|(\S+)/g)) {
    const quoted = m[1] !== undefined;
    const value = (quoted ? m[1]! : m[2]!).trim().replace(/\s+/g, ' ');
    if (value === '') continue;
    out.push({ text: value, word: value.toLowerCase(), quoted });
  }
  return out;
}

function dropWord(tokens: Token[], word: string): Token[] {
  return tokens[0] && !tokens[0].quoted && tokens[0].word === word ? tokens.slice(1) : tokens;
}

function joined(tokens: Token[]): string {
  return tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
}

/** The parts after the name: an optional `by X` and an optional period. */
interface Tail {
  period: PeriodSpec;
  periodDefaulted: boolean;
  by?: Breakdown;
}

function named(
  kind: 'team' | 'compare' | 'budget' | 'explain',
  rest: Token[],
  ctx: Context,
): Question | QuestionError {
  const head = kind === 'team' ? 'team' : `${kind} team`;
  const name = takeName(rest, head, ctx);
  if ('kind' in name) return name;
  const tail = readTail(name.rest, `${head} ${joined([name.token])}`, ctx);
  if ('kind' in tail) return tail;
  const asked = { team: name.token.text, period: tail.period, periodDefaulted: tail.periodDefaulted };
  if (kind === 'team' || kind === 'compare') {
    const question: TeamQuestion | CompareQuestion = { kind, ...asked, share: ctx.share };
    return withBy(question, tail.by);
  }
  if (tail.by) return noBy(head);
  return { kind, ...asked, share: ctx.share };
}

function scoped(command: string, rest: Token[], ctx: Context): Question | QuestionError {
  const kind = (command === 'env' ? 'environment' : command) as ScopeKind;
  const name = takeName(rest, command, ctx);
  if ('kind' in name) return name;
  const tail = readTail(name.rest, `${command} ${joined([name.token])}`, ctx);
  if ('kind' in tail) return tail;
  const scope = { kind, name: name.token.text };
  const { period, periodDefaulted } = tail;
  const question: ScopeQuestion = { kind: 'scope', scope, period, periodDefaulted, share: ctx.share };
  return withBy(question, tail.by);
}

function periodOnly(
  kind: 'unallocated' | 'reconcile',
  rest: Token[],
  ctx: Context,
): Question | QuestionError {
  const tail = readTail(rest, kind, ctx);
  if ('kind' in tail) return tail;
  if (tail.by) return noBy(kind);
  return { kind, period: tail.period, periodDefaulted: tail.periodDefaulted, share: ctx.share };
}

function insights(_: string, rest: Token[], ctx: Context): Question | QuestionError {
  const first = rest[0];
  const team = first && (first.quoted || !readsAsTail(rest, ctx)) ? first : undefined;
  const tail = readTail(team ? rest.slice(1) : rest, team ? `insights ${joined([team])}` : 'insights', ctx);
  if ('kind' in tail) return tail;
  if (tail.by) return noBy('insights');
  const { period, periodDefaulted } = tail;
  const question: InsightsQuestion = { kind: 'insights', period, periodDefaulted, share: ctx.share };
  return team ? { ...question, team: team.text } : question;
}

function top(_: string, rest: Token[], ctx: Context): Question | QuestionError {
  let tokens = rest;
  const count = tokens[0] && /^\d+$/.test(tokens[0].word) ? Number(tokens[0].word) : undefined;
  if (count !== undefined) tokens = tokens.slice(1);
  if (count !== undefined && (count < 1 || count > MAX_TOP)) {
    return fault('bad_argument', `\`top ${count}\`: N runs from 1 to ${MAX_TOP}.`, [
      'top 5 teams this month',
    ]);
  }
  const limit = count ?? DEFAULT_TOP;
  const head = count === undefined ? 'top' : `top ${count}`;
  const dimension = tokens[0] ? topDimension(tokens[0].word) : undefined;
  if (dimension) tokens = tokens.slice(1);
  else if (tokens.length > 0 && !readsAsTail(tokens, ctx)) return badDimension(head, tokens);
  const dim = dimension ?? 'team';
  const base = `${head} ${dim}s`;
  const scope = readTopScope(tokens, base, ctx);
  if ('kind' in scope) return scope;
  const tail = readTail(scope.rest, scope.head, ctx);
  if ('kind' in tail) return tail;
  if (tail.by) return noBy('top');
  const { period, periodDefaulted } = tail;
  const question: TopQuestion = {
    kind: 'top',
    dimension: dim,
    limit,
    period,
    periodDefaulted,
    share: ctx.share,
  };
  return scope.team ? { ...question, scope: { kind: 'team', name: scope.team } } : question;
}

/** `in team payments`, `in payments`, `for team payments` after `top <dimension>`. */
function readTopScope(
  tokens: Token[],
  base: string,
  ctx: Context,
): { team?: string; rest: Token[]; head: string } | QuestionError {
  const first = tokens[0];
  if (!first || first.quoted || !['in', 'for', 'of', 'within'].includes(first.word)) {
    return { rest: tokens, head: base };
  }
  const afterIn = dropWord(tokens.slice(1), 'team');
  const name = takeName(afterIn, `${base} in team`, ctx);
  if ('kind' in name) return name;
  return { team: name.token.text, rest: name.rest, head: `${base} in team ${joined([name.token])}` };
}

function topDimension(word: string): TopDimension | undefined {
  const w = singular(word);
  return (TOP_DIMENSIONS as readonly string[]).includes(w) ? (w as TopDimension) : undefined;
}

function singular(word: string): string {
  if (word === 'env' || word === 'envs') return 'environment';
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

function badDimension(head: string, tokens: Token[]): QuestionError {
  const word = tokens[0]!.word;
  const near = nearest(singular(word), TOP_DIMENSIONS);
  const restText = joined(tokens.slice(1));
  const suggestions = near.map((d) => [head, `${d}s`, restText].filter(Boolean).join(' '));
  const hint = suggestions[0] ? ` Did you mean \`${suggestions[0]}\`?` : '';
  const list = TOP_DIMENSIONS.map((d) => `${d}s`).join(', ');
  return fault('bad_argument', `\`${head}\` ranks ${list}; not \`${word}\`.${hint}`, suggestions);
}

/** The name after a command word; a missing name is an error that shows how to write one. */
function takeName(
  tokens: Token[],
  head: string,
  ctx: Context,
): { token: Token; rest: Token[] } | QuestionError {
  const first = tokens[0];
  if (first && (first.quoted || !readsAsTail(tokens, ctx))) return { token: first, rest: tokens.slice(1) };
  const what = head.split(' ').at(-1) ?? head;
  const example = `${head} ${EXAMPLE_NAMES[what] ?? 'name'}${tokens.length ? ` ${joined(tokens)}` : ''}`;
  return fault('missing_name', `Which ${what}? Write \`${head} <name> [period]\`, e.g. \`${example}\`.`, [
    example,
  ]);
}

const EXAMPLE_NAMES: Record<string, string> = {
  team: 'payments',
  cluster: 'lkc-abc12',
  principal: 'sa-123',
  env: 'production',
  environment: 'production',
  product: 'kafka',
};

/** True when the tokens hold only an optional `by X` and an optional period (no name). */
function readsAsTail(tokens: Token[], ctx: Context): boolean {
  if (tokens[0]?.quoted) return false;
  return !('kind' in readTail(tokens, '', ctx));
}

/** Reads `[by X] [period] [by X]`; no period means this month. */
function readTail(tokens: Token[], head: string, ctx: Context): Tail | QuestionError {
  const at = tokens.findIndex((t) => !t.quoted && t.word === 'by');
  let by: Breakdown | undefined;
  let rest = tokens;
  if (at >= 0) {
    const result = readBreakdown(tokens[at + 1], head, tokens, at);
    if (typeof result !== 'string') return result;
    by = result;
    rest = [...tokens.slice(0, at), ...tokens.slice(at + 2)];
  }
  rest = dropFiller(rest);
  if (rest.length === 0) return { ...readPeriod('this month', ctx.now), periodDefaulted: true, by };
  const text = rest.map((t) => t.word).join(' ');
  const result = parsePeriodResult(text, ctx.now);
  if (!result.ok) return badPeriod(text, result.reason, head, by, ctx);
  return { period: result.period, periodDefaulted: false, by };
}

function readPeriod(text: string, now: Date): { period: PeriodSpec } {
  const result = parsePeriodResult(text, now);
  if (!result.ok) throw new Error(result.reason);
  return { period: result.period };
}

function dropFiller(tokens: Token[]): Token[] {
  const first = tokens[0];
  return first && !first.quoted && ['in', 'for', 'during', 'over', 'of'].includes(first.word)
    ? tokens.slice(1)
    : tokens;
}

function readBreakdown(
  token: Token | undefined,
  head: string,
  all: Token[],
  at: number,
): Breakdown | QuestionError {
  const list = BREAKDOWNS.join(', ');
  if (!token) {
    const example = `${head} ${joined(all.slice(0, at))} by product`.replace(/\s+/g, ' ').trim();
    return fault('bad_argument', `By what? One of ${list}.`, [example]);
  }
  const word = singular(token.word);
  if ((BREAKDOWNS as readonly string[]).includes(word)) return word as Breakdown;
  const others = joined([...all.slice(0, at), ...all.slice(at + 2)]);
  const suggestions = nearest(word, BREAKDOWNS).map((b) =>
    [head, others, `by ${b}`].filter(Boolean).join(' ').trim(),
  );
  const hint = suggestions[0] ? ` Did you mean \`${suggestions[0]}\`?` : '';
  return fault('bad_argument', `I can't split by \`${token.text}\`; by ${list}.${hint}`, suggestions);
}

function badPeriod(text: string, reason: string, head: string, by: Breakdown | undefined, ctx: Context) {
  const suffix = by ? ` by ${by}` : '';
  const fixed = fixPeriod(text, ctx.now);
  const suggestions = (fixed ? [fixed] : ['last month', 'this month', 'last 7 days']).map((p) =>
    `${head} ${p}${suffix}`.trim(),
  );
  const hint = fixed ? ` Did you mean \`${suggestions[0]}\`?` : '';
  const message = `I don't understand the period: ${reason}.${hint}`;
  return fault('bad_period', message, suggestions);
}

/** The period with each misspelt word replaced by its nearest period word, when that parses. */
function fixPeriod(text: string, now: Date): string | undefined {
  const words = text.split(' ');
  if (words.length > 4) return undefined;
  const fixed = words.map((w) =>
    /\d/.test(w) || PERIOD_WORDS.includes(w) ? w : (nearest(w, PERIOD_WORDS)[0] ?? w),
  );
  const candidate = fixed.join(' ');
  return candidate !== text && parsePeriodResult(candidate, now).ok ? candidate : undefined;
}

function withBy<T extends TeamQuestion | CompareQuestion | ScopeQuestion>(
  question: T,
  by: Breakdown | undefined,
): T {
  return by ? { ...question, by } : question;
}

function noBy(head: string): QuestionError {
  return fault(
    'bad_argument',
    `\`${head}\` does not take \`by\`; try \`team payments last month by product\`.`,
    ['team payments last month by product'],
  );
}

function unknownCommand(first: Token, rest: Token[], now: Date): QuestionError {
  const restText = joined(rest);
  const near = first.quoted ? [] : nearest(first.word, COMMANDS);
  const suggestions = near.map((c) => `${c} ${restText}`.trim());
  if (suggestions.length > 0) {
    return fault(
      'unknown_command',
      `I don't know \`${clip(first.text)}\`. Did you mean \`${suggestions[0]}\`?`,
      suggestions,
    );
  }
  const whole = joined([first, ...rest]);
  const asPeriod = parsePeriodResult(whole.toLowerCase(), now).ok;
  const guesses = asPeriod
    ? [`top teams ${whole}`, `unallocated ${whole}`]
    : readsAsTail(rest, { now, share: false })
      ? [`team ${whole}`]
      : EXAMPLES;
  const hint = guesses === EXAMPLES ? '' : ` Did you mean \`${clip(guesses[0]!)}\`?`;
  const message = `I don't understand \`${clip(first.text)}\`; questions start with ${COMMANDS.join(', ')}.${hint} Try \`/ccost help\`.`;
  return fault('unknown_command', message, guesses);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fault(code: QuestionErrorCode, message: string, suggestions: string[]): QuestionError {
  return { kind: 'error', code, message, suggestions };
}

/** Candidates within edit distance 2 (1 for words of up to 3 letters) of `word`, nearest first. */
function nearest(word: string, candidates: readonly string[]): string[] {
  const limit = word.length <= 3 ? 1 : 2;
  return candidates
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter((x) => x.d <= limit && x.d > 0)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.c);
}

/** Longest strings {@link editDistance} compares; longer pairs count as far apart. */
export const MAX_DISTANCE_LENGTH = 64;

/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), by UTF-16 code unit. Strings longer than {@link MAX_DISTANCE_LENGTH} return the
 * longer length, so a huge input never costs quadratic time.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length > MAX_DISTANCE_LENGTH || b.length > MAX_DISTANCE_LENGTH) return Math.max(a.length, b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) rows[i]![j] = cell(rows, a, b, i, j);
  }
  return rows[a.length]![b.length]!;
}

function cell(rows: number[][], a: string, b: string, i: number, j: number): number {
  const cost = a[i - 1] === b[j - 1] ? 0 : 1;
  let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
  if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
    best = Math.min(best, rows[i - 2]![j - 2]! + 1);
  return best;
}

/** Something with an id and maybe a display name: a team, principal, cluster, environment. */
export interface NamedThing {
  id: string;
  name?: string | null;
}

/** The candidate a name means, if exactly one; otherwise the ones to offer as "did you mean". */
export interface NameMatch<T extends NamedThing> {
  match?: T;
  suggestions: T[];
}

/** At most this many suggestions from {@link matchName}. */
export const MAX_NAME_SUGGESTIONS = 5;

/**
 * Finds what `input` names among `candidates`, case-insensitively by id or name: an exact match
 * (an id beats a name), then a unique prefix of at least two characters, else no match and the
 * nearest candidates (several prefixes, or edit distance ≤ 2) as suggestions.
 */
export function matchName<T extends NamedThing>(input: string, candidates: readonly T[]): NameMatch<T> {
  const q = String(input ?? '')
    .trim()
    .toLowerCase();
  if (q === '') return { suggestions: [] };
  const keys = (c: T) => [c.id.toLowerCase(), ...(c.name ? [c.name.toLowerCase()] : [])];
  const byId = candidates.filter((c) => c.id.toLowerCase() === q);
  const exact = byId.length > 0 ? byId : candidates.filter((c) => keys(c).includes(q));
  if (exact.length === 1) return { match: exact[0]!, suggestions: [] };
  if (exact.length > 1) return { suggestions: exact.slice(0, MAX_NAME_SUGGESTIONS) };
  const prefixed = q.length < 2 ? [] : candidates.filter((c) => keys(c).some((k) => k.startsWith(q)));
  if (prefixed.length === 1) return { match: prefixed[0]!, suggestions: [] };
  if (prefixed.length > 1) return { suggestions: prefixed.slice(0, MAX_NAME_SUGGESTIONS) };
  return { suggestions: nearNames(q, candidates, keys) };
}

function nearNames<T extends NamedThing>(q: string, candidates: readonly T[], keys: (c: T) => string[]): T[] {
  const limit = q.length <= 3 ? 1 : 2;
  return candidates
    .map((c) => ({ c, d: Math.min(...keys(c).map((k) => editDistance(q, k))) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.id.localeCompare(b.c.id))
    .slice(0, MAX_NAME_SUGGESTIONS)
    .map((x) => x.c);
}
