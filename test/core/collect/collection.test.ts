import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { collectionWindow } from '../../../src/core/collect/collection.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { collectFrom, dataSnapshot, simulatorClients, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = '2026-11-05T06:00:00Z';
const now = new Date(NOW);
/** Topic usage is checked once; the slower fault scenarios collect principal usage only. */
const principalsOnly = { topics: false };
/** The slower scenarios collect the first ten days; they compare with that part of the clean run. */
const SHORT = { since: '2026-10-01', until: '2026-10-11' };
type Row = Record<string, string>;
const firstTenDays = (s: Awaited<ReturnType<typeof dataSnapshot>>) => ({
  ...s,
  billing: s.billing.filter((b) => (b as Row).start_date! < SHORT.until),
  usage: s.usage.filter(
    (u) => (u as Row).subject_kind === 'principal' && (u as Row).bucket_start! < SHORT.until,
  ),
  fetches: s.fetches.filter((f) => (f as Row).day! < SHORT.until),
});

describe('collection from the simulated Confluent Cloud', () => {
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let clean: Store;
  let cleanSnapshot: Awaited<ReturnType<typeof dataSnapshot>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW });
    clean = await createTestStore();
    await collectFrom(clean, org.sim, org.model, { since: '2026-10-01', until: '2026-11-01', now });
    cleanSnapshot = await dataSnapshot(clean);
  });
  afterAll(async () => {
    await clean.close();
    await org.sim.stop();
  });

  it('collects a month that, allocated and summed, equals the billing total exactly', async () => {
    const run = await allocateMonth(clean, { orgId: org.orgId, month: '2026-10', config: org.config });
    expect(run.total).toBe(new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed());
    expect(cleanSnapshot.billing.length).toBe(org.model.billingLines('2026-10-01', '2026-11-01').length);
    expect(cleanSnapshot.usage.length).toBeGreaterThan(100);
    const kinds = new Set(cleanSnapshot.usage.map((u) => (u as { subject_kind: string }).subject_kind));
    expect([...kinds].sort()).toEqual(['principal', 'topic']);
    expect(cleanSnapshot.fetches.every((f) => (f as { status: string }).status === 'ok')).toBe(true);
  });

  it('keeps the deleted service account, and its usage, as a principal with its history', async () => {
    const deleted = org.model.org.events.deletedServiceAccount!;
    const rows = cleanSnapshot.principals.filter((p) => (p as { id: string }).id === deleted.id);
    expect(rows).toHaveLength(1);
    expect(cleanSnapshot.usage.some((u) => (u as { subject_id: string }).subject_id === deleted.id)).toBe(
      true,
    );
  });

  it('leaves the same data when run twice', async () => {
    await collectFrom(clean, org.sim, org.model, { since: '2026-10-01', until: '2026-11-01', now });
    expect(await dataSnapshot(clean)).toEqual(cleanSnapshot);
  });

  it('completes through 429s, 5xx, truncated pages and expired tokens with no duplicate or missing line', async () => {
    const faulty = await startSimulatedOrg({
      now: NOW,
      faults: { rateLimit: 5, serverError: 7, truncatePage: 2, expireToken: 3, slowMs: 2 },
      smallPages: true,
    });
    const store = await createTestStore();
    try {
      await collectFrom(store, faulty.sim, faulty.model, { ...SHORT, now, usage: principalsOnly });
      const stats = faulty.sim.stats();
      expect(stats.faults.rateLimited).toBeGreaterThan(0);
      expect(stats.faults.serverErrors).toBeGreaterThan(0);
      expect(stats.faults.truncatedPages).toBeGreaterThan(0);
      expect(stats.faults.expiredTokens).toBeGreaterThan(0);
      expect(await dataSnapshot(store)).toEqual(firstTenDays(cleanSnapshot));
    } finally {
      await store.close();
      await faulty.sim.stop();
    }
  });

  it('after a crash half way, running again leaves the same data as one clean run', async () => {
    const store = await createTestStore();
    try {
      const clients = simulatorClients(org.sim);
      let calls = 0;
      const crashing = {
        ...clients.telemetry,
        postJson: async (...args: Parameters<typeof clients.telemetry.postJson>) => {
          if (++calls === 12) throw new Error('killed');
          return clients.telemetry.postJson(...args);
        },
      };
      await expect(
        collectFrom(store, org.sim, org.model, { ...SHORT, now, telemetry: crashing, usage: principalsOnly }),
      ).resolves.toMatchObject({ metricsFailures: [expect.objectContaining({ error: 'killed' })] });
      await collectFrom(store, org.sim, org.model, { ...SHORT, now, usage: principalsOnly });
      expect(await dataSnapshot(store)).toEqual(firstTenDays(cleanSnapshot));
    } finally {
      await store.close();
    }
  });

  it('keeps hourly usage when configured, with daily rows that are its exact sums', async () => {
    const store = await createTestStore();
    try {
      await collectFrom(store, org.sim, org.model, { ...SHORT, now, usage: { hourly: true, topics: false } });
      const snapshot = await dataSnapshot(store);
      const hourly = snapshot.usage.filter((u) => (u as { granularity: string }).granularity === 'hour');
      expect(hourly.length).toBeGreaterThan(24 * 10);
      const daily = snapshot.usage.filter((u) => (u as { granularity: string }).granularity === 'day');
      expect(daily).toEqual(firstTenDays(cleanSnapshot).usage);
    } finally {
      await store.close();
    }
  });

  it('picks up a late-arriving day on the next incremental run', async () => {
    const late = await startSimulatedOrg({ now: NOW, faults: { lateDay: '2026-11-02' } });
    const store = await createTestStore();
    try {
      const first = await collectFrom(store, late.sim, late.model, {
        since: '2026-10-25',
        now,
        usage: principalsOnly,
      });
      const days = (s: Awaited<ReturnType<typeof dataSnapshot>>) =>
        new Set(s.billing.map((b) => (b as { start_date: string }).start_date));
      expect(days(await dataSnapshot(store)).has('2026-11-02')).toBe(false);
      expect(first.to).toBe('2026-11-05');
      late.sim.setFaults({});
      expect(await collectionWindow(store, { orgId: late.orgId }, now)).toEqual({
        from: '2026-11-01',
        to: '2026-11-05',
      });
      const second = await collectFrom(store, late.sim, late.model, { now, usage: principalsOnly });
      expect(second.lines.new).toBe(late.model.billingLines('2026-11-02', '2026-11-03').length);
      expect(days(await dataSnapshot(store)).has('2026-11-02')).toBe(true);
    } finally {
      await store.close();
      await late.sim.stop();
    }
  });
});
