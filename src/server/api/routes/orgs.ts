/**
 * `GET /api/v1/orgs`: the stored organizations; `DELETE /api/v1/orgs/{org}`: removes every row of
 * one organization (tokens with `admin: true` and no `teams` only), answering the counts per table.
 * `?dry_run=true` counts without removing. A busy organization (collection running) is a 409, a
 * failed removal (rolled back) a 500 saying so.
 */
import {
  listOrganizations,
  OrganizationBusyError,
  OrganizationNotFoundError,
  OrganizationRemovalError,
  removeOrganization,
} from '../../../core/orgs/remove.ts';
import type { ApiApp, ApiDeps } from '../context.ts';
import { ApiErrorCode, sendError } from '../errors.ts';

/** Registers the organization routes. */
export function addOrgRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/orgs', async (c) => {
    if (c.get('caller').teams)
      return sendError(c, 403, ApiErrorCode.Forbidden, 'this token sees only some teams, not organizations');
    return c.json({ organizations: await listOrganizations(deps.store) });
  });
  app.delete('/api/v1/orgs/:org', async (c) => {
    const caller = c.get('caller');
    if (!caller.admin || caller.teams)
      return sendError(
        c,
        403,
        ApiErrorCode.Forbidden,
        'this token may not remove organizations; use a token with admin: true (and no teams) in api.tokens',
      );
    const orgId = c.req.param('org');
    const dryRunParam = c.req.query('dry_run');
    if (dryRunParam !== undefined && dryRunParam !== 'true' && dryRunParam !== 'false')
      return sendError(c, 400, ApiErrorCode.InvalidParameter, 'dry_run: must be true or false', 'dry_run');
    try {
      const report = await removeOrganization(deps.store, orgId, { dryRun: dryRunParam === 'true' });
      return c.json(report);
    } catch (err) {
      if (err instanceof OrganizationNotFoundError)
        return sendError(c, 404, ApiErrorCode.NotFound, err.message);
      if (err instanceof OrganizationBusyError)
        return sendError(c, 409, ApiErrorCode.Unavailable, err.message);
      if (err instanceof OrganizationRemovalError)
        return sendError(c, 500, ApiErrorCode.Internal, err.message);
      throw err;
    }
  });
}
