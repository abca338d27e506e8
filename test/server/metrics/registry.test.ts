import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { createMetrics } from '../../../src/server/metrics/registry.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-10-21T06:00:00Z');

/** Parses `name{labels} value` lines of one metric into label maps and values. */
function samples(text: string, name: string) {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const labels = Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { labels, value: l.slice(l.lastIndexOf(' ') + 1) };
    });
}

describe('Prometheus metrics', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-10-21', now: NOW });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
  });
  afterAll(async () => {
    await store.close();
    await org.sim.stop();
  });

  it('exposes allocated cost by org, environment, team and product, summing to the allocations', async () => {
    const metrics = createMetrics({ store, now: () => NOW, defaults: false });
    const text = await metrics.render();
    expect(text).toContain('# TYPE ccost_cost_usd gauge');
    const mtd = samples(text, 'ccost_cost_usd').filter((s) => s.labels.period === 'month_to_date');
    expect(mtd.length).toBeGreaterThan(3);
    expect(new Set(mtd.map((s) => s.labels.org))).toEqual(new Set([org.orgId]));
    const [exact] = await store.query<{ s: string; teams: string }>(
      sql`select sum(amount)::text as s, count(distinct team)::text as teams from allocations`,
    );
    const shown = mtd.reduce((s, m) => s.plus(m.value), new Decimal(0));
    // Gauges are doubles: equal to the exact total within a cent.
    expect(shown.minus(exact!.s).abs().lt('0.01')).toBe(true);
    expect(new Set(mtd.map((s) => s.labels.team)).size).toBe(Number(exact!.teams));
  });

  it('reports freshness and the service health hooks', async () => {
    const metrics = createMetrics({ store, now: () => NOW, defaults: false });
    metrics.observeJob('collect', 'failed', 2);
    metrics.observeJob('collect', 'succeeded', 1);
    metrics.observeSlackCommand('answered', 0.4);
    const text = await metrics.render();
    const [collected] = samples(text, 'ccost_last_successful_collection_timestamp_seconds');
    expect(collected!.labels.org).toBe(org.orgId);
    expect(Number(collected!.value)).toBeGreaterThan(Date.parse('2026-01-01') / 1000);
    const [lag] = samples(text, 'ccost_data_lag_seconds');
    // Billing runs through 2026-10-20 (collected up to the 21st): the lag is the 6 hours since its end.
    const [last] = await store.query<{ d: string }>(
      sql`select max(start_date)::text as d from billing_lines`,
    );
    expect(Number(lag!.value)).toBe((NOW.getTime() - Date.parse(`${last!.d}T00:00:00Z`) - 86_400_000) / 1000);
    expect(samples(text, 'ccost_job_failures_total')).toEqual([{ labels: { job: 'collect' }, value: '1' }]);
    expect(text).toMatch(/ccost_slack_command_duration_seconds_count\{outcome="answered"\} 1/);
  });
});
