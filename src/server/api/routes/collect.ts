/** `POST /api/v1/collect`: starts a collection now (tokens with `trigger: true` only). */
import { z } from 'zod';
import type { ApiApp, ApiDeps } from '../context.ts';
import { ApiErrorCode, sendError, sendInvalid } from '../errors.ts';

const collectBody = z.strictObject({ org: z.string().min(1).optional() });

/** Registers the trigger routes. */
export function addTriggerRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/api/v1/collect', async (c) => {
    if (!c.get('caller').trigger)
      return sendError(
        c,
        403,
        ApiErrorCode.Forbidden,
        'this token may not trigger jobs; set trigger: true on it in api.tokens',
      );
    const text = await c.req.text();
    let body: unknown = {};
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendError(
        c,
        400,
        ApiErrorCode.InvalidParameter,
        'body: must be JSON such as {"org": "org-1"}',
        'body',
      );
    }
    const parsed = collectBody.safeParse(body);
    if (!parsed.success) return sendInvalid(c, parsed.error.issues);
    const trigger = deps.triggers?.collect;
    if (!trigger)
      return sendError(c, 503, ApiErrorCode.Unavailable, 'collection is not scheduled in this process');
    const started = await trigger({ orgId: parsed.data.org });
    return c.json(started, 202);
  });
}
