/** `GET /api/v1/resources` and `GET /api/v1/dimensions/{kind}`. */
import { DIMENSION_KINDS, type DimensionKind, listDimension } from '../../../core/costs/dimensions.ts';
import { activeResources } from '../../../core/costs/resources.ts';
import type { ApiApp, ApiDeps } from '../context.ts';
import { ApiErrorCode, sendError } from '../errors.ts';

/** Registers the resource and dimension routes. */
export function addInventoryRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/resources', async (c) => {
    const teams = c.get('caller').teams;
    const resources = await activeResources(deps.store, { config: deps.config, now: deps.now(), teams });
    return c.json({ currency: deps.config.currency, resources });
  });
  app.get('/api/v1/dimensions/:kind', async (c) => {
    const kind = c.req.param('kind');
    if (!(DIMENSION_KINDS as readonly string[]).includes(kind))
      return sendError(
        c,
        404,
        ApiErrorCode.NotFound,
        `no dimension ${kind}; use one of ${DIMENSION_KINDS.join(', ')}`,
        'kind',
      );
    const values = await listDimension(deps.store, kind as DimensionKind, {
      config: deps.config,
      teams: c.get('caller').teams,
    });
    return c.json({ kind, values });
  });
}
