/** `GET /api/v1/explain?team=&from=&to=[&resource=&line=&day=]`: how a team's figure was built. */
import { z } from 'zod';
import { ExplainStateInvalid } from '../../../core/explain/errors.ts';
import { explain } from '../../../core/explain/explain.ts';
import { resolveName } from '../../../core/questions/names.ts';
import { type ApiApp, type ApiDeps, canSeeTeam } from '../context.ts';
import { ApiErrorCode, sendError, sendInvalid } from '../errors.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD');

const explainQuery = z.strictObject({
  team: z.string().min(1, 'a team name is needed'),
  from: day,
  to: day,
  resource: z.string().min(1, 'must not be empty').optional(),
  line: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a billing line id')
    .transform(Number)
    .optional(),
  day: day.optional(),
});

/** Registers the explain route. */
export function addExplainRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/explain', async (c) => {
    const parsed = explainQuery.safeParse(c.req.query());
    if (!parsed.success) return sendInvalid(c, parsed.error.issues);
    const { team: asked, from, to, ...drill } = parsed.data;
    if (!canSeeTeam(c.get('caller'), asked))
      return sendError(c, 403, ApiErrorCode.Forbidden, `this token cannot read team ${asked}`, 'team');
    const found = await resolveName(deps.store, deps.config, 'team', asked);
    if (!found.ok) return sendError(c, 404, ApiErrorCode.NotFound, found.message, 'team');
    if (!canSeeTeam(c.get('caller'), found.thing.id))
      return sendError(
        c,
        403,
        ApiErrorCode.Forbidden,
        `this token cannot read team ${found.thing.id}`,
        'team',
      );
    try {
      const explanation = await explain(deps.store, {
        scope: { team: found.thing.id },
        period: { from, to },
        config: deps.config,
        now: deps.now(),
        drill,
      });
      return c.json({ ...explanation, currency: deps.config.currency });
    } catch (err) {
      if (!(err instanceof ExplainStateInvalid)) throw err;
      return sendError(c, 400, ApiErrorCode.InvalidParameter, err.message, err.parameter);
    }
  });
}
