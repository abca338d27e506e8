/** `GET /api/v1/teams/{team}/budget?month=`: budget, actual and forecast of one team. */
import { z } from 'zod';
import { teamBudget } from '../../../core/costs/budget.ts';
import { type ApiApp, type ApiDeps, canSeeTeam } from '../context.ts';
import { ApiErrorCode, sendError, sendInvalid } from '../errors.ts';

const budgetQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
    .optional(),
});

/** Registers the team routes. */
export function addTeamRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/teams/:team/budget', async (c) => {
    const parsed = budgetQuery.safeParse(c.req.query());
    if (!parsed.success) return sendInvalid(c, parsed.error.issues);
    const team = c.req.param('team');
    if (!canSeeTeam(c.get('caller'), team))
      return sendError(c, 403, ApiErrorCode.Forbidden, `this token cannot read team ${team}`, 'team');
    const known = team in deps.config.teams;
    if (!known) return sendError(c, 404, ApiErrorCode.NotFound, `no team ${team} in ccost.yaml`, 'team');
    const now = deps.now();
    const month = parsed.data.month ?? now.toISOString().slice(0, 7);
    const budget = await teamBudget(deps.store, { config: deps.config, team, month, now });
    return c.json({ ...budget, currency: deps.config.currency });
  });
}
