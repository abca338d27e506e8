import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth, currentRun } from '../../../src/core/allocation/run.ts';
import { normalizeCost } from '../../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../../src/core/billing/store.ts';
import { CloseRefusedError, closeMonth } from '../../../src/core/close/close.ts';
import { periodStatus, stateOf } from '../../../src/core/close/periods.ts';
import { listRestatements, restateMonth } from '../../../src/core/close/restate.ts';
import { reconcileMonth } from '../../../src/core/reconcile/reconcile.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = '2026-11-05T06:00:00Z';
const now = new Date(NOW);

describe('reconciliation, close and restatement', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let billed: string;
  const month = '2026-10';
  const sumRun = async (runId: string) =>
    new Decimal(
      (
        await store.query<{ s: string }>(
          sql`select coalesce(sum(amount), 0) as s from allocations where run_id = ${runId}`,
        )
      )[0]!.s,
    ).toFixed();

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-11-01', now });
    billed = new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed();
    await allocateMonth(store, { orgId: org.orgId, month, config: org.config });
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('derives open, provisional and settled from the calendar', () => {
    expect(stateOf('2026-10', new Date('2026-10-31T23:00:00Z'), false)).toMatchObject({
      state: 'open',
      settled: false,
    });
    expect(stateOf('2026-10', new Date('2026-11-02T00:00:00Z'), false)).toMatchObject({
      state: 'provisional',
      settled: false,
    });
    expect(stateOf('2026-10', new Date('2026-11-04T00:00:00Z'), false)).toMatchObject({
      state: 'provisional',
      settled: true,
    });
    expect(stateOf('2026-10', new Date('2026-11-04T00:00:00Z'), true).state).toBe('closed');
  });

  it('reconciles a month whose billing matches the invoice', async () => {
    const rec = await reconcileMonth(store, {
      orgId: org.orgId,
      month,
      config: org.config,
      invoiceSubtotal: billed,
      now,
    });
    const byId = Object.fromEntries(rec.checks.map((c) => [c.id, c]));
    expect(byId.conservation).toMatchObject({ status: 'pass', difference: '0' });
    expect(byId.conservation!.left!.value).toBe(billed);
    expect(byId.invoice).toMatchObject({ status: 'pass', difference: '0' });
    expect(byId.export_totals!.status).toBe('skip');
    expect(['pass', 'warn']).toContain(byId.completeness!.status);
    expect(rec.passed).toBe(true);
  });

  it('finds and names a month off by one cent against the invoice', async () => {
    const invoice = new Decimal(billed).plus('0.01').toFixed();
    const rec = await reconcileMonth(store, {
      orgId: org.orgId,
      month,
      config: org.config,
      invoiceSubtotal: invoice,
      now,
    });
    const check = rec.checks.find((c) => c.id === 'invoice')!;
    expect(check).toMatchObject({ status: 'fail', difference: '-0.01' });
    expect(check.details).toEqual(['billing lines are below the invoice by 0.01']);
    expect(rec.passed).toBe(false);
  });

  it('refuses to close while a check fails, and while the month is settling', async () => {
    const invoice = new Decimal(billed).plus('0.01').toFixed();
    await expect(
      closeMonth(store, { orgId: org.orgId, month, config: org.config, invoiceSubtotal: invoice, now }),
    ).rejects.toThrow(/not closed: invoice \(billing lines are below the invoice by 0\.01\)/);
    const early = new Date('2026-11-02T12:00:00Z');
    const refused = await closeMonth(store, {
      orgId: org.orgId,
      month,
      config: org.config,
      invoiceSubtotal: billed,
      now: early,
    }).catch((e: CloseRefusedError) => e);
    expect(refused).toBeInstanceOf(CloseRefusedError);
    expect((refused as CloseRefusedError).message).toMatch(
      /still settling: billing can change until 2026-11-04T00:00:00.000Z/,
    );
    expect((await periodStatus(store, org.orgId, month, now)).state).toBe('provisional');
  });

  it('closes a month that reconciles and freezes its run', async () => {
    const closed = await closeMonth(store, {
      orgId: org.orgId,
      month,
      config: org.config,
      invoiceSubtotal: billed,
      now,
    });
    expect(closed.forced).toBe(false);
    expect((await periodStatus(store, org.orgId, month, now)).state).toBe('closed');
    await expect(allocateMonth(store, { orgId: org.orgId, month, config: org.config })).rejects.toThrow(
      /2026-10 of .* is closed .*use `ccost restate/,
    );
    const tamper = await store
      .query(sql`delete from allocations where run_id = ${closed.runId}`)
      .catch((e: Error) => e);
    expect(String((tamper as Error).cause ?? tamper)).toMatch(/belongs to a closed month/);
    expect(await sumRun(closed.runId)).toBe(billed);
    await expect(closeMonth(store, { orgId: org.orgId, month, config: org.config, now })).rejects.toThrow(
      /already closed/,
    );
  });

  it('turns a credit note and late data after close into a restatement with per-team deltas', async () => {
    const closedRun = (await periodStatus(store, org.orgId, month, now)).close!.runId;
    const lines = org.model.billingLines('2026-10-15', '2026-10-16');
    const network = lines.find((l) => l.line_type === 'KAFKA_NETWORK_WRITE' && l.resource?.id)!;
    const corrected = {
      ...network,
      amount: new Decimal(network.amount!).minus('1.25').toFixed(),
      original_amount: new Decimal(network.original_amount).minus('1.25').toFixed(),
    };
    const credit = {
      start_date: '2026-10-20',
      end_date: '2026-10-21',
      product: 'PROMO_CREDIT',
      line_type: 'PROMO_CREDIT',
      original_amount: '-100',
      amount: '-100',
      description: 'credit note CN-1',
    };
    await upsertBillingLines(store, org.orgId, [normalizeCost(corrected as never), normalizeCost(credit)]);

    const r = await restateMonth(store, {
      orgId: org.orgId,
      month,
      config: org.config,
      reason: 'credit note CN-1',
    });
    expect(r).not.toBeNull();
    expect(r!.delta).toBe('-101.25');
    expect(r!.byTeam.find((c) => c.key === 'unallocated')).toMatchObject({ delta: '-100' });
    const teamDeltas = r!.byTeam
      .filter((c) => c.key !== 'unallocated')
      .reduce((s, c) => s.plus(c.delta), new Decimal(0));
    expect(teamDeltas.toFixed()).toBe('-1.25');
    expect(r!.byProduct.find((c) => c.key === 'KAFKA')!.delta).toBe('-1.25');

    expect(await sumRun(closedRun)).toBe(billed);
    expect((await currentRun(store, org.orgId, month))!.id).toBe(r!.runId);
    expect(await sumRun(r!.runId)).toBe(new Decimal(billed).minus('101.25').toFixed());
    expect((await periodStatus(store, org.orgId, month, now)).close!.runId).toBe(closedRun);
    expect((await listRestatements(store, org.orgId, month)).map((x) => x.reason)).toEqual([
      'credit note CN-1',
    ]);
    const asClosed = await buildReport(store, { month, by: 'team', orgId: org.orgId, asClosed: true });
    const restated = await buildReport(store, { month, by: 'team', orgId: org.orgId });
    expect(asClosed.total).toBe(billed);
    expect(new Decimal(restated.total).minus(asClosed.total).toFixed()).toBe('-101.25');
    expect(await restateMonth(store, { orgId: org.orgId, month, config: org.config })).toBeNull();
  });

  it('force-closes a failing month only with a reason, and records both', async () => {
    await allocateMonth(store, { orgId: org.orgId, month: '2026-09', config: org.config });
    await expect(
      closeMonth(store, { orgId: org.orgId, month: '2026-09', config: org.config, now, force: true }),
    ).rejects.toThrow(/--force needs --reason/);
    const forced = await closeMonth(store, {
      orgId: org.orgId,
      month: '2026-09',
      config: org.config,
      now,
      force: true,
      reason: 'organization created in October',
    });
    expect(forced.forced).toBe(true);
    expect(forced.reconciliation.checks.find((c) => c.id === 'completeness')!.details[0]).toBe(
      'no billing lines on 2026-09-01',
    );
    const status = await periodStatus(store, org.orgId, '2026-09', now);
    expect(status.close).toMatchObject({ forced: true, reason: 'organization created in October' });
  });
});
