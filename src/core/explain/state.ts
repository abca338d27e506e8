/**
 * Drill-down states: which level a state is at, the level above, and the compact JSON a Slack
 * button carries (`{"t":"payments","f":"2026-10-01","u":"2026-11-01","r":"lkc-abc12","l":42}`).
 */
import { ExplainStateInvalid } from './errors.ts';
import type { DrillState, ExplainLevel } from './types.ts';

/** The resource key of lines without a resource. */
export const NO_RESOURCE = '(none)';
/** Longest encoded state accepted (Slack button values hold 2000 characters). */
export const MAX_STATE_LENGTH = 2000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The level a state is at: the deepest step it names. */
export function levelOf(state: DrillState): ExplainLevel {
  if (state.line !== undefined) return 'line';
  if (state.day !== undefined) return 'day';
  if (state.resource !== undefined) return 'resource';
  return 'team';
}

/** The state one level up: line → resource, day → resource, resource → team; null at the team. */
export function parentOf(state: DrillState): DrillState | null {
  const base = { team: state.team, from: state.from, to: state.to };
  const level = levelOf(state);
  if (level === 'team') return null;
  if (level === 'resource') return base;
  return state.resource === undefined ? base : { ...base, resource: state.resource };
}

/** Compact JSON of a state, for a button's value. */
export function encodeState(state: DrillState): string {
  return JSON.stringify({
    t: state.team,
    f: state.from,
    u: state.to,
    ...(state.resource !== undefined ? { r: state.resource } : {}),
    ...(state.line !== undefined ? { l: state.line } : {}),
    ...(state.day !== undefined ? { d: state.day } : {}),
  });
}

/** Reads {@link encodeState}'s JSON back; throws {@link ExplainStateInvalid} for anything else. */
export function decodeState(text: string): DrillState {
  if (text.length > MAX_STATE_LENGTH) throw new ExplainStateInvalid('state', 'too long');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ExplainStateInvalid('state', 'not JSON');
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return checkState({
    team: String(o.t ?? ''),
    from: String(o.f ?? ''),
    to: String(o.u ?? ''),
    ...(o.r !== undefined ? { resource: String(o.r) } : {}),
    ...(o.l !== undefined ? { line: Number(o.l) } : {}),
    ...(o.d !== undefined ? { day: String(o.d) } : {}),
  });
}

/** Checks a state's fields (days, line id, a day only with a resource); returns it. */
export function checkState(state: DrillState): DrillState {
  if (!state.team) throw new ExplainStateInvalid('team', 'a team name is needed');
  if (!DAY.test(state.from)) throw new ExplainStateInvalid('from', 'must be a day written YYYY-MM-DD');
  if (!DAY.test(state.to)) throw new ExplainStateInvalid('to', 'must be a day written YYYY-MM-DD');
  if (state.to <= state.from) throw new ExplainStateInvalid('to', 'must be after from');
  if (state.line !== undefined && !(Number.isSafeInteger(state.line) && state.line > 0))
    throw new ExplainStateInvalid('line', 'must be a billing line id (a positive whole number)');
  if (state.day !== undefined && !DAY.test(state.day))
    throw new ExplainStateInvalid('day', 'must be a day written YYYY-MM-DD');
  if (state.day !== undefined && state.resource === undefined)
    throw new ExplainStateInvalid('day', 'needs a resource');
  if (state.resource === '') throw new ExplainStateInvalid('resource', 'must not be empty');
  return state;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "October 2026" for a whole month, "2026-10-01 – 2026-10-14" otherwise (both days included). */
export function periodLabel(from: string, to: string): string {
  const [y, m] = from.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  if (from.endsWith('-01') && to === next) return `${MONTHS[m - 1]} ${y}`;
  const last = new Date(`${to}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  const end = last.toISOString().slice(0, 10);
  return end === from ? from : `${from} – ${end}`;
}
