/** `GET /api/v1/periods`: each month's state and reconciliation; `GET /api/v1/prices`. */
import { z } from 'zod';
import { isoDay } from '../../../core/config/schema.ts';
import { listPeriods } from '../../../core/costs/periods.ts';
import { effectivePrices } from '../../../core/costs/prices.ts';
import type { ApiApp, ApiDeps } from '../context.ts';
import { sendInvalid } from '../errors.ts';

const priceQuery = z.strictObject({
  from: isoDay.optional(),
  to: isoDay.optional(),
  org: z.string().min(1).optional(),
});

/** Registers the period and price routes. */
export function addPeriodRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/api/v1/periods', async (c) => {
    const periods = await listPeriods(deps.store, deps.now());
    // Org-wide totals are not for a token that sees only some teams.
    const scoped = c.get('caller').teams !== undefined;
    return c.json({ periods: scoped ? periods.map((p) => ({ ...p, total: null })) : periods });
  });
  app.get('/api/v1/prices', async (c) => {
    const parsed = priceQuery.safeParse(c.req.query());
    if (!parsed.success) return sendInvalid(c, parsed.error.issues);
    const { from, to } = lastFullMonth(deps.now());
    const window = { from: parsed.data.from ?? from, to: parsed.data.to ?? to, orgId: parsed.data.org };
    const prices = await effectivePrices(deps.store, window);
    return c.json({ currency: deps.config.currency, from: window.from, to: window.to, prices });
  });
}

function lastFullMonth(now: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}
