/**
 * `explain()`: how a team's figure for a period was built, top-down, from the line grain of the
 * period's current allocation runs (the same runs and rows `answer()` and `ccost report` sum).
 * One level at a time: team → resource → line → day; each level's children sum exactly to it.
 */
import { ruleSetHash } from '../allocation/rules.ts';
import type { Config } from '../config/schema.ts';
import { displayNames } from '../questions/names.ts';
import { currentRunsBetween } from '../questions/runs.ts';
import type { Store } from '../storage/database.ts';
import { ExplainNotFound } from './errors.ts';
import { changeHints } from './hints.ts';
import { explainLine, usageFigures } from './line.ts';
import { type LineRow, lineRows, runsById } from './rows.ts';
import { checkState, levelOf, NO_RESOURCE, parentOf, periodLabel } from './state.ts';
import {
  billedOf,
  confidenceOf,
  lineChildren,
  methodsOf,
  percent,
  resourceChildren,
  sectionsOf,
  sumOf,
} from './summarize.ts';
import type { DrillState, ExplainChild, ExplainRun, Explanation } from './types.ts';

/** What to explain. */
export interface ExplainOptions {
  /** The team (already resolved and allowed for whoever asks). */
  scope: { team: string };
  /** Whole UTC days [from, to); `label` defaults to "October 2026" or the days. */
  period: { from: string; to: string; label?: string };
  config: Config;
  now: Date;
  /** The drill-down step: a resource, a line (with or without its resource), a resource's day. */
  drill?: { resource?: string; line?: number; day?: string };
}

/** Explains a team's figure at the level `drill` names. Throws ExplainNotFound for a step with no cost. */
export async function explain(store: Store, options: ExplainOptions): Promise<Explanation> {
  const state = checkState({ team: options.scope.team, ...period(options), ...defined(options.drill ?? {}) });
  const runIds = (await currentRunsBetween(store, state.from, state.to)).map((r) => r.id);
  const rows = await lineRows(store, runIds, state);
  const level = levelOf(state);
  if (level !== 'team' && rows.length === 0) throw notFound(state);
  const runs = await runInfo(store, runIds, rows, options.config);
  const total = sumOf(rows.map((r) => r.amount));
  const billed = billedOf(rows);
  const base: Explanation = {
    level,
    state,
    parent: parentOf(state),
    title: await titleOf(store, options.config, state, rows),
    period: {
      from: state.from,
      to: state.to,
      label: options.period.label ?? periodLabel(state.from, state.to),
    },
    total,
    billed,
    sharePercent: percent(total, billed.amount),
    sections: sectionsOf(rows),
    methods: methodsOf(rows),
    confidence: confidenceOf(rows),
    runs,
    changes: await changeHints(store, { runIds, state, rows, runs }),
    childKind: null,
    children: [],
    line: null,
    dayState: null,
    usage: [],
    notes:
      rows.length === 0
        ? [`Team ${state.team} has no allocated cost in ${periodLabel(state.from, state.to)}.`]
        : [],
  };
  return withChildren(store, options.config, base, rows);
}

/** The period part of a state (the label is not part of it). */
function period(options: ExplainOptions): { from: string; to: string } {
  return { from: options.period.from, to: options.period.to };
}

/** The drill fields that are set. */
function defined(drill: NonNullable<ExplainOptions['drill']>): Partial<DrillState> {
  return Object.fromEntries(Object.entries(drill).filter(([, v]) => v !== undefined));
}

/** Adds the level's children (and the line's detail or the day's usage). */
async function withChildren(
  store: Store,
  config: Config,
  e: Explanation,
  rows: LineRow[],
): Promise<Explanation> {
  switch (e.level) {
    case 'team':
      return {
        ...e,
        childKind: 'resource',
        children: await named(store, config, resourceChildren(rows, e.state)),
      };
    case 'resource':
      return { ...e, childKind: 'line', children: lineChildren(rows, e.state) };
    case 'day': {
      const first = rows[0]!;
      const usage =
        first.resourceId === null
          ? []
          : await usageFigures(store, config, first.orgId, first.resourceId, first.day);
      return { ...e, childKind: 'line', children: lineChildren(rows, e.state), usage };
    }
    case 'line':
      return {
        ...e,
        childKind: 'owner',
        dayState: dayOf(e.state, rows[0]!),
        ...(await explainLine(store, config, e.state, rows)),
      };
  }
}

/** The day level of a line's resource and day. */
function dayOf(state: DrillState, row: LineRow): DrillState {
  return {
    team: state.team,
    from: state.from,
    to: state.to,
    resource: row.resourceId ?? NO_RESOURCE,
    day: row.day,
  };
}

/** Display names of resource children. */
async function named(store: Store, config: Config, children: ExplainChild[]): Promise<ExplainChild[]> {
  const names = await displayNames(
    store,
    config,
    'resource',
    children.map((c) => c.key),
  );
  return children.map((c) => ({ ...c, name: names.get(c.key) ?? null }));
}

/** The runs behind the rows (every current run of the period when the team has none). */
async function runInfo(
  store: Store,
  runIds: string[],
  rows: LineRow[],
  config: Config,
): Promise<ExplainRun[]> {
  const used = new Set(rows.map((r) => r.runId));
  const hash = ruleSetHash(config);
  const runs = await runsById(store, used.size > 0 ? [...used] : runIds);
  return runs.map((r) => ({ ...r, rulesCurrent: r.ruleSetHash === hash }));
}

async function titleOf(store: Store, config: Config, state: DrillState, rows: LineRow[]): Promise<string> {
  const team = `Team ${state.team}`;
  const resource = state.resource ?? rows[0]?.resourceId ?? NO_RESOURCE;
  const names = await displayNames(store, config, 'resource', [resource]);
  const on = names.get(resource) ? `${resource} (${names.get(resource)})` : resource;
  if (state.line !== undefined) {
    const r = rows[0]!;
    return `${team}: billing line ${state.line} (${r.lineType} on ${on}, ${r.day})`;
  }
  if (state.day !== undefined) return `${team} on ${on}, ${state.day}`;
  return state.resource !== undefined ? `${team} on ${on}` : team;
}

function notFound(state: DrillState): ExplainNotFound {
  const where =
    state.line !== undefined
      ? `billing line ${state.line}${state.resource !== undefined ? ` on ${state.resource}` : ''}`
      : state.day !== undefined
        ? `${state.resource} on ${state.day}`
        : `${state.resource}`;
  return new ExplainNotFound(
    `team ${state.team} has no allocated cost on ${where} in ${periodLabel(state.from, state.to)}`,
  );
}
