import { Decimal } from 'decimal.js';
import type { Config } from '../core/config/schema.ts';
import type { Estimate } from '../core/pricing/estimate.ts';
import { UNOWNED_TEAM } from '../core/teams/resolver.ts';
import { type CcostApi, fetchTeamBudget } from './fetch-ccost.ts';

/** One team's share of the change, against its budget for the month. */
export interface TeamImpact {
  team: string;
  /** This change's monthly delta over the team's estimated resources, exact decimal text. */
  delta: string;
  /** Resources of the change the team owns. */
  resources: number;
  /** Monthly budget (ccost.yaml, else the server's), null when the team has none. */
  budget: string | null;
  /** Month-to-date actual and run-rate forecast from ccost; null when unknown. */
  actual: string | null;
  forecast: string | null;
  /** forecast + delta; null when the forecast is unknown. */
  projected: string | null;
  /**
   * True when projected exceeds the budget (or, with actuals unknown, when the change alone
   * does); false when within; null when there is no budget or it cannot be told.
   */
  over: boolean | null;
  /** Why actuals are unknown for this team. */
  unknownReason?: string;
}

/** Options of {@link checkBudgets}. */
export interface CheckBudgetsOptions {
  estimate: Estimate;
  /** Team of each address. */
  owners: Record<string, string>;
  config: Pick<Config, 'teams'>;
  /** The running ccost; undefined: budgets from ccost.yaml alone, actuals unknown. */
  api?: CcostApi;
  /** YYYY-MM of the actuals and forecast. */
  month: string;
}

/**
 * Sums the change per owning team and puts it against each team's budget: the month-to-date
 * actual and forecast come from `GET /api/v1/teams/{team}/budget` when a ccost server is given
 * and answers, else they are unknown and only the change itself is compared with the budget.
 * Teams come in name order, `unowned` last.
 *
 * @param options - the estimate, owners, config, server and month
 * @returns one entry per team that owns a changed resource
 */
export async function checkBudgets(options: CheckBudgetsOptions): Promise<TeamImpact[]> {
  const deltas = new Map<string, { delta: Decimal; resources: number }>();
  for (const r of options.estimate.resources) {
    if (r.action === 'no-op' && r.status !== 'not_estimated') continue;
    const team = options.owners[r.address] ?? UNOWNED_TEAM;
    const entry = deltas.get(team) ?? { delta: new Decimal(0), resources: 0 };
    entry.delta = entry.delta.plus(r.delta ?? 0);
    entry.resources += 1;
    deltas.set(team, entry);
  }
  const teams = [...deltas.keys()].sort((a, b) =>
    a === UNOWNED_TEAM ? 1 : b === UNOWNED_TEAM ? -1 : a.localeCompare(b),
  );
  const out: TeamImpact[] = [];
  for (const team of teams) {
    const { delta, resources } = deltas.get(team)!;
    let budget = options.config.teams[team]?.budget?.monthly ?? null;
    let actual: string | null = null;
    let forecast: string | null = null;
    let unknownReason: string | undefined;
    if (team === UNOWNED_TEAM) unknownReason = 'no team owns these resources';
    else if (!options.api) unknownReason = 'no ccost-url';
    else {
      const answer = await fetchTeamBudget(options.api, team, options.month);
      if (answer.ok) {
        actual = answer.value.actual;
        forecast = answer.value.forecast;
        budget ??= answer.value.monthly;
      } else unknownReason = answer.reason;
    }
    const projected = forecast === null ? null : delta.plus(forecast).toString();
    let over: boolean | null = null;
    if (budget !== null) {
      if (projected !== null) over = new Decimal(projected).gt(budget);
      else if (delta.gt(budget)) over = true;
    }
    out.push({
      team,
      delta: delta.toString(),
      resources,
      budget,
      actual,
      forecast,
      projected,
      over,
      ...(unknownReason ? { unknownReason } : {}),
    });
  }
  return out;
}
