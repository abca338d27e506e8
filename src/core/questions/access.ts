/**
 * Who may see what. The bot decides who is asking (Slack user, groups, `slack.visibility`) and
 * passes a {@link Viewer}; this file decides what that viewer's question may show. Org-wide
 * questions are answered restricted to the viewer's teams rather than refused, so a team member
 * can still ask `top principals this month` about what is theirs.
 */
import type { Question } from './grammar.ts';

/** Whoever is asking: every team (finance admins, the CLI), or a list of team names. */
export interface Viewer {
  teams: 'all' | string[];
}

/** Anyone who may see every team: the CLI and finance admins. */
export const EVERYONE: Viewer = { teams: 'all' };

/** The decision for one question. */
export type Access =
  /** Answer as asked. */
  | { kind: 'full' }
  /** Answer, but only over these teams (org-wide questions asked by a team member). */
  | { kind: 'restricted'; teams: string[] }
  /** Do not answer; `message` says why and what the viewer may ask instead. */
  | { kind: 'refused'; message: string; suggestions: string[] };

/** True when the viewer may see `team` (case-insensitive). */
export function canSeeTeam(viewer: Viewer | undefined, team: string): boolean {
  if (!viewer || viewer.teams === 'all') return true;
  const wanted = team.toLowerCase();
  return viewer.teams.some((t) => t.toLowerCase() === wanted);
}

/** The teams a viewer may see, or `all`. */
export function visibleTeams(viewer: Viewer | undefined): 'all' | string[] {
  return !viewer ? 'all' : viewer.teams;
}

/**
 * Decides a question for a viewer. `team` is the resolved team name for team, compare, budget
 * and team-scoped questions (`top … in team X`, `product x` has none).
 */
export function decideAccess(viewer: Viewer | undefined, question: Question, team?: string): Access {
  const teams = visibleTeams(viewer);
  if (teams === 'all') return { kind: 'full' };
  if (team !== undefined) {
    return canSeeTeam(viewer, team) ? { kind: 'full' } : refusal(teams, team, question);
  }
  return { kind: 'restricted', teams };
}

/** "you can see payments and search; ask a finance admin …". */
export function refusalText(teams: string[], team: string): string {
  const mine =
    teams.length === 0 ? 'you are not a member of any team in ccost' : `you can see ${listOf(teams)}`;
  return `You cannot see team ${team}: ${mine}. Ask a finance admin (or the team) if you need its costs.`;
}

function refusal(teams: string[], team: string, question: Question): Access {
  // The same question about a team the viewer may see.
  const suggestions = teams
    .slice(0, 3)
    .map((t) => `${question.kind === 'team' ? 'team' : `${question.kind} team`} ${t}`);
  return { kind: 'refused', message: refusalText(teams, team), suggestions };
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The note an answer restricted to a viewer's teams carries. */
export function restrictedNote(teams: string[]): string {
  return teams.length === 0
    ? 'You are not a member of any team in ccost, so there is nothing to show.'
    : `Only your teams are included (${listOf(teams)}).`;
}
