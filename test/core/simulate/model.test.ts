import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseCostList } from '../../../src/core/billing/cost.ts';
import { CcostError } from '../../../src/core/errors/index.ts';
import { createModel, type SimModel, TEAMS } from '../../../src/core/simulate/model.ts';
import { KAFKA_PRICES } from '../../../src/core/simulate/prices.ts';

const D = Decimal.clone({ precision: 64 });
const GIB = new D(2).pow(30);
const REQUEST = 'io.confluent.kafka.server/request_bytes';
const RESPONSE = 'io.confluent.kafka.server/response_bytes';
const RECEIVED = 'io.confluent.kafka.server/received_bytes';

const model = createModel({ seed: 42, start: '2026-10-01' });
const october = model.billingLines('2026-10-01', '2026-11-01');

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function usageOn(
  m: SimModel,
  metric: typeof REQUEST | typeof RESPONSE | typeof RECEIVED,
  clusterId: string,
  day: string,
  granularity: 'PT1H' | 'P1D',
) {
  const end = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  const groupBy = metric === RECEIVED ? ('metric.topic' as const) : ('metric.principal_id' as const);
  return m.usage({ metric, clusterId, start: `${day}T00:00:00Z`, end, granularity, groupBy });
}

describe('simulated organization: determinism', () => {
  it('serves identical bytes for the same seed and different ones for another seed', () => {
    const again = createModel({ seed: '42', start: '2026-10-01' });
    expect(JSON.stringify(again.billingLines('2026-10-01', '2026-11-01'))).toBe(JSON.stringify(october));
    expect(JSON.stringify({ ...again.org, seed: 42 })).toBe(JSON.stringify(model.org));
    const cluster = model.org.clusters[0]!.id;
    expect(usageOn(again, REQUEST, cluster, '2026-10-07', 'PT1H')).toEqual(
      usageOn(model, REQUEST, cluster, '2026-10-07', 'PT1H'),
    );
    const other = createModel({ seed: 43, start: '2026-10-01' });
    expect(other.org.organization.id).not.toBe(model.org.organization.id);
    expect(other.billingTotal('2026-10-01', '2026-11-01')).not.toBe(
      model.billingTotal('2026-10-01', '2026-11-01'),
    );
  });

  it('gives the same values for shared days whatever range is asked, in any order', () => {
    const fresh = createModel({ seed: 42, start: '2026-10-01' });
    const narrow = fresh.billingLines('2026-10-12', '2026-10-14');
    expect(narrow).toEqual(
      october.filter((l) => l.start_date >= '2026-10-12' && l.start_date < '2026-10-14'),
    );
    const cluster = model.org.clusters[1]!.id;
    const wide = model.usage({
      metric: RESPONSE,
      clusterId: cluster,
      start: '2026-10-01T00:00:00Z',
      end: '2026-10-20T00:00:00Z',
      granularity: 'PT1H',
      groupBy: 'metric.principal_id',
    });
    const day = usageOn(fresh, RESPONSE, cluster, '2026-10-13', 'PT1H');
    expect(day.length).toBeGreaterThan(0);
    expect(day).toEqual(wide.filter((p) => p.timestamp.startsWith('2026-10-13')));
  });
});

describe('simulated organization: usage', () => {
  it('has daily values that are exact sums of hourly values, by principal and by topic', () => {
    for (const cluster of model.org.clusters.slice(0, 4)) {
      for (const metric of [REQUEST, RESPONSE, RECEIVED] as const) {
        const hourly = usageOn(model, metric, cluster.id, '2026-10-08', 'PT1H');
        const daily = usageOn(model, metric, cluster.id, '2026-10-08', 'P1D');
        expect(hourly.every((p) => Number.isInteger(p.value) && p.value > 0)).toBe(true);
        for (const d of daily) {
          expect(d.value).toBe(sum(hourly.filter((h) => h.group === d.group).map((h) => h.value)));
        }
      }
      // Topic bytes are the principals' bytes of the same hours, split by topic.
      const byPrincipal = sum(usageOn(model, REQUEST, cluster.id, '2026-10-08', 'P1D').map((p) => p.value));
      const byTopic = sum(usageOn(model, RECEIVED, cluster.id, '2026-10-08', 'P1D').map((p) => p.value));
      expect(byTopic).toBe(byPrincipal);
    }
  });

  it('follows a diurnal pattern: busier at the principal peak than in its trough', () => {
    const cluster = model.org.clusters[0]!.id;
    const hourly = model.usage({
      metric: REQUEST,
      clusterId: cluster,
      start: '2026-10-05T00:00:00Z',
      end: '2026-10-10T00:00:00Z',
      granularity: 'PT1H',
    });
    const atHour = (h: number) =>
      sum(hourly.filter((p) => p.timestamp.slice(11, 13) === String(h).padStart(2, '0')).map((p) => p.value));
    const max = Math.max(...Array.from({ length: 24 }, (_, h) => atHour(h)));
    const min = Math.min(...Array.from({ length: 24 }, (_, h) => atHour(h)));
    expect(max).toBeGreaterThan(min * 1.3);
  });

  it('keeps every principal on 1 to 3 clusters and every cluster in use', () => {
    for (const p of model.org.principals) {
      expect(p.clusters.length).toBeGreaterThanOrEqual(1);
      expect(p.clusters.length).toBeLessThanOrEqual(3);
    }
    for (const c of model.org.clusters) {
      expect(model.org.principals.some((p) => p.clusters.includes(c.index))).toBe(true);
    }
  });
});

describe('simulated organization: billing', () => {
  it('prices network lines from the bytes the Metrics API serves, exactly (1 GB = 2^30 bytes)', () => {
    let checked = 0;
    for (const line of october.filter((l) => l.line_type.startsWith('KAFKA_NETWORK_'))) {
      const cluster = model.cluster(line.resource!.id)!;
      const metric = line.line_type === 'KAFKA_NETWORK_WRITE' ? REQUEST : RESPONSE;
      const bytes = sum(usageOn(model, metric, cluster.id, line.start_date, 'P1D').map((p) => p.value));
      const prices = KAFKA_PRICES[cluster.kind];
      const price = line.line_type === 'KAFKA_NETWORK_WRITE' ? prices.writeGb : prices.readGb;
      expect(new D(line.price!).eq(price)).toBe(true);
      const expected = new D(bytes).div(GIB).times(price).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
      expect(new D(line.amount).eq(expected)).toBe(true);
      expect(new D(line.quantity).eq(new D(bytes).div(GIB).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN))).toBe(
        true,
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('writes exact decimals with at most 6 places, amount = original − discount, one discounted line type', () => {
    const parsed = parseCostList({ data: october }, 'simulated');
    expect(parsed).toHaveLength(october.length);
    const discounted = new Set<string>();
    for (const line of october) {
      for (const field of [line.quantity, line.original_amount, line.amount, line.discount_amount ?? '0']) {
        expect(field).toMatch(/^-?\d+(\.\d{1,6})?$/);
      }
      const discount = new D(line.discount_amount ?? 0);
      expect(new D(line.original_amount).minus(discount).eq(line.amount)).toBe(true);
      if (!discount.isZero()) discounted.add(line.line_type);
      expect(line.id).toMatch(/^dlz-[0-9a-z]{10}$/);
      expect(line.granularity).toBe('DAILY');
    }
    expect([...discounted]).toEqual(['KAFKA_NUM_CKUS']);
    expect(new Set(october.map((l) => l.id)).size).toBe(october.length);
    const total = october.reduce((t, l) => t.plus(l.amount), new D(0));
    expect(model.billingTotal('2026-10-01', '2026-11-01')).toBe(total.toFixed(6));
  });

  it('bills every product the brief lists, Support without a resource and one negative credit a month', () => {
    const types = new Set(october.map((l) => l.line_type));
    for (const t of [
      'KAFKA_NETWORK_WRITE',
      'KAFKA_NETWORK_READ',
      'KAFKA_NUM_CKUS',
      'KAFKA_STORAGE',
      'KAFKA_BASE',
      'KAFKA_PARTITION',
      'CONNECT_CAPACITY',
      'CONNECT_NUM_TASKS',
      'CONNECT_THROUGHPUT',
      'FLINK_NUM_CFUS',
      'KSQL_NUM_CSUS',
      'SCHEMA_REGISTRY',
      'GOVERNANCE_BASE',
      'CLUSTER_LINKING_PER_LINK',
      'AUDIT_LOG_READ',
      'TABLEFLOW_NUM_TOPICS',
      'TABLEFLOW_DATA_PROCESSED',
      'TABLEFLOW_STORAGE',
      'SUPPORT',
      'PROMO_CREDIT',
    ]) {
      expect(types, t).toContain(t);
    }
    const support = october.filter((l) => l.line_type === 'SUPPORT');
    expect(support).toHaveLength(31);
    expect(support.every((l) => l.product === 'SUPPORT_CLOUD_BUSINESS' && l.resource === undefined)).toBe(
      true,
    );
    const credits = model
      .billingLines('2026-09-01', '2026-12-01')
      .filter((l) => l.line_type === 'PROMO_CREDIT');
    expect(credits.map((l) => l.start_date)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    expect(credits.every((l) => new D(l.amount).isNegative())).toBe(true);
    const legacy = model.org.events.legacyClusterId!;
    const legacyTypes = new Set(october.filter((l) => l.resource?.id === legacy).map((l) => l.line_type));
    expect(legacyTypes.has('KAFKA_BASE') && !legacyTypes.has('KAFKA_NUM_CKUS')).toBe(true);
  });
});

describe('simulated organization: contents', () => {
  it('has clusters of every type in several clouds, 3 environments and every kind of principal', () => {
    const org = model.org;
    expect(new Set(org.clusters.map((c) => c.kind))).toEqual(
      new Set(['Basic', 'Standard', 'Enterprise', 'Dedicated', 'Freight']),
    );
    expect(new Set(org.clusters.map((c) => c.cloud)).size).toBe(3);
    expect(org.clusters.find((c) => c.kind === 'Dedicated')!.cku).toBeGreaterThanOrEqual(1);
    expect(org.environments.map((e) => [e.name, e.package])).toEqual([
      ['production', 'ADVANCED'],
      ['staging', 'ESSENTIALS'],
      ['development', 'ESSENTIALS'],
    ]);
    expect(org.organization.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const sas = org.principals.filter((p) => p.kind === 'service_account');
    expect(sas.length).toBeGreaterThan(30);
    expect(sas.every((p) => /^sa-[0-9a-z]{6}$/.test(p.id))).toBe(true);
    expect(sas.map((p) => p.name)).toEqual(
      expect.arrayContaining(['payments-api', 'checkout-worker', 'search-indexer']),
    );
    expect(org.principals.filter((p) => p.kind === 'user').every((p) => /^u-/.test(p.id) && p.email)).toBe(
      true,
    );
    const pool = org.principals.find((p) => p.kind === 'identity_pool')!;
    expect(pool.id).toMatch(/^pool-/);
    expect(pool.providerId).toMatch(/^op-/);
    for (const p of org.principals) expect(TEAMS).toContain(model.teamOf(p.id));
    expect(model.teamOf('sa-nobody')).toBeUndefined();
  });

  it('has keys owned by principals, connectors, pools, ksqlDB with a service-account identity, Schema Registry per environment and a link', () => {
    const org = model.org;
    const principalIds = new Set(org.principals.map((p) => p.id));
    expect(org.apiKeys.every((k) => principalIds.has(k.ownerId))).toBe(true);
    expect(org.apiKeys.filter((k) => k.clusterId).every((k) => model.cluster(k.clusterId!))).toBe(true);
    expect(org.connectors.every((k) => /^lcc-/.test(k.id) && model.cluster(k.clusterId))).toBe(true);
    expect(org.computePools.every((p) => /^lfcp-/.test(p.id))).toBe(true);
    const ksql = org.ksqlClusters[0]!;
    expect(ksql.id).toMatch(/^lksqlc-/);
    expect(org.principals.find((p) => p.id === ksql.credentialIdentityId)?.kind).toBe('service_account');
    expect(org.schemaRegistries.map((s) => s.environmentId)).toEqual(org.environments.map((e) => e.id));
    expect(org.schemaRegistries.every((s) => /^lsrc-/.test(s.id))).toBe(true);
    expect(org.clusterLinks).toHaveLength(1);
  });

  it('creates one cluster mid-month: absent before its creation day, billed for part of that day', () => {
    const { id, at } = model.org.events.createdCluster!;
    expect(at).toBe('2026-10-15T09:00:00Z');
    expect(model.inventoryOn('2026-10-14').clusters.map((c) => c.id)).not.toContain(id);
    expect(model.inventoryOn('2026-10-15').clusters.map((c) => c.id)).toContain(id);
    const lines = october.filter((l) => l.resource?.id === id);
    expect(lines.every((l) => l.start_date >= '2026-10-15')).toBe(true);
    const storage = lines.find((l) => l.start_date === '2026-10-15' && l.line_type === 'KAFKA_STORAGE')!;
    const fullDay = lines.find((l) => l.start_date === '2026-10-16' && l.line_type === 'KAFKA_STORAGE')!;
    expect(new D(storage.quantity).lt(fullDay.quantity)).toBe(true);
    const hourly = usageOn(model, REQUEST, id, '2026-10-15', 'PT1H');
    expect(hourly.length).toBeGreaterThan(0);
    expect(hourly.every((p) => p.timestamp >= at)).toBe(true);
  });

  it('deletes one service account mid-month: usage before, none after, gone from later inventories', () => {
    const { id, at } = model.org.events.deletedServiceAccount!;
    const sa = model.org.principals.find((p) => p.id === id)!;
    const cluster = model.org.clusters[sa.clusters[0]!]!.id;
    const on = (day: string) => usageOn(model, REQUEST, cluster, day, 'PT1H').filter((p) => p.group === id);
    expect(on('2026-10-18').length).toBeGreaterThan(10);
    expect(on('2026-10-20').every((p) => p.timestamp < at)).toBe(true);
    expect(on('2026-10-21')).toEqual([]);
    expect(model.inventoryOn('2026-10-20').serviceAccounts.map((p) => p.id)).toContain(id);
    const after = model.inventoryOn('2026-10-21');
    expect(after.serviceAccounts.map((p) => p.id)).not.toContain(id);
    expect(after.apiKeys.some((k) => k.ownerId === id)).toBe(false);
    expect(model.inventoryAt('2026-10-20T13:59:59Z').serviceAccounts.map((p) => p.id)).toContain(id);
  });

  it('rejects options it cannot honour, naming the option', () => {
    expect(() => createModel({ seed: 1, principals: 3 })).toThrow(CcostError);
    expect(() => createModel({ seed: 1, clusters: 0 })).toThrow(/clusters/);
    expect(() => createModel({ seed: 1, start: '2026-02-30' })).toThrow(/start/);
    expect(() => model.billingLines('2026-10', '2026-11-01')).toThrow(/from/);
  });

  it('scales to 100 clusters and 2,000 principals with unique ids', () => {
    const big = createModel({ seed: 'bench', clusters: 100, principals: 2000 });
    expect(big.org.clusters).toHaveLength(100);
    expect(big.org.principals).toHaveLength(2000);
    const ids = [...big.org.clusters, ...big.org.principals, ...big.org.connectors, ...big.org.apiKeys].map(
      (e) => e.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    const day = big.billingLines('2026-10-07', '2026-10-08');
    // Every cluster but the one created mid-month has traffic on a day before its creation.
    expect(day.filter((l) => l.line_type === 'KAFKA_NETWORK_WRITE')).toHaveLength(99);
  });
});
