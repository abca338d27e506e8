/**
 * The REST API of `ccost serve` as a Hono app: bearer tokens on every `/api` route, JSON errors,
 * the OpenAPI document at `/openapi.json`. `ccost serve` mounts its request listener.
 */
import { Hono } from 'hono';
import { ErrorCode, isCcostError } from '../../core/errors/index.ts';
import { authenticate, type TokenTable } from './auth.ts';
import type { ApiDeps, ApiEnv } from './context.ts';
import { renderDocs } from './docs.ts';
import { ApiErrorCode, sendError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { addTriggerRoutes } from './routes/collect.ts';
import { addCostRoutes } from './routes/costs.ts';
import { addExplainRoutes } from './routes/explain.ts';
import { addInventoryRoutes } from './routes/inventory.ts';
import { addOrgRoutes } from './routes/orgs.ts';
import { addPeriodRoutes } from './routes/periods.ts';
import { addTeamRoutes } from './routes/teams.ts';

/** Options of {@link createApi}. */
export interface ApiOptions extends ApiDeps {
  tokens: TokenTable;
  version?: string;
  /** Where unexpected errors go (never to the client); defaults to stderr. */
  logError?: (err: unknown) => void;
}

/** Builds the API app. Routes outside `/api` and `/openapi.json` answer a JSON 404. */
export function createApi(options: ApiOptions): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const document = openApiDocument(options.version ?? '0.0.0');
  app.get('/openapi.json', (c) => c.json(document));
  app.get('/docs', (c) => c.html(renderDocs(document)));
  app.get('/', (c) =>
    c.json({
      service: 'ccost',
      version: options.version ?? '0.0.0',
      links: { docs: '/docs', openapi: '/openapi.json', health: '/healthz', metrics: '/metrics' },
    }),
  );
  app.use('/api/*', async (c, next) => {
    const caller = authenticate(options.tokens, c.req.header('authorization'));
    if (!caller) {
      const hint =
        options.tokens.entries.length === 0
          ? 'no API tokens are configured; add api.tokens in ccost.yaml'
          : 'send a token from api.tokens as `Authorization: Bearer <token>`';
      c.header('www-authenticate', 'Bearer realm="ccost"');
      return sendError(c, 401, ApiErrorCode.Unauthorized, hint);
    }
    c.set('caller', caller);
    await next();
  });
  addCostRoutes(app, options);
  addTeamRoutes(app, options);
  addInventoryRoutes(app, options);
  addPeriodRoutes(app, options);
  addTriggerRoutes(app, options);
  addExplainRoutes(app, options);
  addOrgRoutes(app, options);
  app.notFound((c) =>
    sendError(c, 404, ApiErrorCode.NotFound, `no route ${c.req.method} ${c.req.path}; see /openapi.json`),
  );
  app.onError((err, c) => {
    if (isCcostError(err) && err.code === ErrorCode.NotFound)
      return sendError(c, 404, ApiErrorCode.NotFound, err.message);
    if (isCcostError(err)) return sendError(c, 400, ApiErrorCode.InvalidParameter, err.message);
    (options.logError ?? ((e) => console.error('ccost api:', e)))(err);
    return sendError(c, 500, ApiErrorCode.Internal, 'the server failed to answer; see its log');
  });
  return app;
}
