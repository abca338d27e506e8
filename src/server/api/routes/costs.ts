/** `GET /api/v1/costs`: costs over any range, grouped, filtered, as JSON or CSV. */
import { costsToCsv, parseCostQuery, queryCosts } from '../../../core/costs/query.ts';
import { type ApiApp, type ApiDeps, canSeeTeam } from '../context.ts';
import { ApiErrorCode, sendError, sendInvalid } from '../errors.ts';

/** Registers the costs route. */
export function addCostRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/costs', async (c) => {
    const { format, ...params } = c.req.query();
    if (format !== undefined && format !== 'json' && format !== 'csv')
      return sendError(c, 400, ApiErrorCode.InvalidParameter, 'format: must be json or csv', 'format');
    const parsed = parseCostQuery(params);
    if (!parsed.ok) return sendInvalid(c, parsed.issues);
    const caller = c.get('caller');
    const hidden = (parsed.query.filters.team ?? []).filter((t) => !canSeeTeam(caller, t));
    if (hidden.length > 0)
      return sendError(
        c,
        403,
        ApiErrorCode.Forbidden,
        `this token cannot read team ${hidden.join(', ')}`,
        'team',
      );
    const result = await queryCosts(deps.store, { ...parsed.query, teams: caller.teams });
    const csv =
      format === 'csv' || (format === undefined && (c.req.header('accept') ?? '').includes('text/csv'));
    if (csv) return c.body(costsToCsv(result), 200, { 'content-type': 'text/csv; charset=utf-8' });
    const { query, rows, total } = result;
    return c.json({
      from: query.from,
      to: query.to,
      group_by: query.groupBy,
      granularity: query.granularity,
      discounts: query.discounts,
      credits: query.credits,
      currency: deps.config.currency,
      total,
      rows: rows.map((r) => ({ ...(r.period ? { period: r.period } : {}), ...r.values, amount: r.amount })),
    });
  });
}
