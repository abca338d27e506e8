/**
 * A store holding what the dashboards read: the simulated org collected from October 1 to
 * November 5 2026, both months allocated, October reconciled, closed and restated after a
 * credit note, November reconciled (still open), and a few scheduler job runs.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { normalizeCost } from '../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../src/core/billing/store.ts';
import { closeMonth } from '../../src/core/close/close.ts';
import { restateMonth } from '../../src/core/close/restate.ts';
import { reconcileMonth } from '../../src/core/reconcile/reconcile.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { collectFrom, startSimulatedOrg } from '../helpers/simulated.ts';
import { createTestStore } from '../helpers/store.ts';

export const FIXTURE_NOW = '2026-11-05T06:00:00Z';
/** The dashboard time range the tests use: all of the collected data. */
export const FIXTURE_RANGE = { from: '2026-10-01T00:00:00Z', to: '2026-11-05T06:00:00Z' };

export async function dashboardStore(): Promise<{ store: Store; orgId: string; teams: string[] }> {
  const now = new Date(FIXTURE_NOW);
  const org = await startSimulatedOrg({ now: FIXTURE_NOW });
  const store = await createTestStore();
  try {
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-11-05', now });
    const { orgId, config } = org;
    await allocateMonth(store, { orgId, month: '2026-10', config, now });
    await allocateMonth(store, { orgId, month: '2026-11', config, now });
    const billed = new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed();
    await reconcileMonth(store, { orgId, month: '2026-10', config, invoiceSubtotal: billed, now });
    await closeMonth(store, { orgId, month: '2026-10', config, invoiceSubtotal: billed, now });
    const credit = {
      start_date: '2026-10-20',
      end_date: '2026-10-21',
      product: 'PROMO_CREDIT',
      line_type: 'PROMO_CREDIT',
      original_amount: '-100',
      amount: '-100',
      description: 'credit note CN-1',
    };
    await upsertBillingLines(store, orgId, [normalizeCost(credit)]);
    await restateMonth(store, { orgId, month: '2026-10', config, reason: 'credit note CN-1', now });
    await reconcileMonth(store, { orgId, month: '2026-11', config, now });
    await store.query(sql`insert into job_runs (job, holder, outcome, trigger, attempt, started_at, finished_at, counts, error)
      values ('collect', 'host-a:1', 'succeeded', 'schedule', 1, '2026-11-05T05:00:00Z', '2026-11-05T05:00:41Z', '{"lines": 120}', null),
             ('collect', 'host-b:2', 'skipped', 'schedule', 1, '2026-11-05T05:00:00Z', '2026-11-05T05:00:00Z', null, null),
             ('allocate', 'host-a:1', 'failed', 'schedule', 1, '2026-11-05T05:10:00Z', '2026-11-05T05:10:03Z', null, 'database unavailable'),
             ('allocate', 'host-a:1', 'succeeded', 'schedule', 2, '2026-11-05T05:11:00Z', '2026-11-05T05:11:09Z', '{"runs": 2}', null)`);
    const teams = Object.keys(config.teams);
    return { store, orgId, teams };
  } catch (e) {
    await store.close();
    throw e;
  } finally {
    await org.sim.stop();
  }
}
