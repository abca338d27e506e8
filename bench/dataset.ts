/**
 * The benchmark's synthetic org, generated deterministically (seeded PRNG, integer arithmetic):
 * at scale 1, 2,000 service accounts each active on 3 of 100 Kafka clusters in 10 environments,
 * 31 days of October 2026, 6 Kafka line types per cluster-day (18,600 billing lines, about 1.1
 * million allocation rows), and a teams config mapping principals to 10 teams by name pattern.
 */
import type { EngineContext, EngineLine } from '../src/core/allocation/engine.ts';
import { RuleBook } from '../src/core/allocation/rules.ts';
import { MemoryUsageIndex, type UsageRecord } from '../src/core/allocation/usage-index.ts';
import { normalizeCost } from '../src/core/billing/cost.ts';
import { upsertBillingLines } from '../src/core/billing/store.ts';
import { parseConfig } from '../src/core/config/load.ts';
import type { Config } from '../src/core/config/schema.ts';
import { recordInventory } from '../src/core/inventory/record.ts';
import {
  type EnvironmentRow,
  InventoryView,
  type PrincipalRow,
  type ResourceRow,
} from '../src/core/inventory/view.ts';
import type { Store } from '../src/core/storage/database.ts';
import { TeamResolver } from '../src/core/teams/resolver.ts';
import { upsertUsage } from '../src/core/usage/store.ts';

export const ORG = 'org-bench';
export const MONTH = '2026-10';
export const DAYS = 31;
const CLUSTERS_PER_PRINCIPAL = 3;
const TEAMS = [
  'payments',
  'search',
  'checkout',
  'fraud',
  'ledger',
  'identity',
  'catalog',
  'shipping',
  'analytics',
  'platform',
];
export const VALID_FROM = '2026-09-01T00:00:00Z';

/** Line types of a cluster-day, with the range of their billed amount in micro-dollars. */
export const LINE_TYPES: [lineType: string, minMicros: number, maxMicros: number][] = [
  ['KAFKA_NUM_CKUS', 50_000_000, 900_000_000], // weighted (50% bytes, 50% even)
  ['KAFKA_NETWORK_WRITE', 1, 80_000_000], // usage: request bytes
  ['KAFKA_NETWORK_READ', 1, 120_000_000], // usage: response bytes
  ['KAFKA_STORAGE', 1, 40_000_000], // even across active principals
  ['KAFKA_PARTITION', 0, 5_000_000], // even
  ['KAFKA_BASE', 1_000_000, 30_000_000], // even
];

/** mulberry32: a small seeded PRNG of 32-bit integers. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  /** Integer in [lo, hi] (both safe integers, hi - lo < 2^52). */
  const int = (lo: number, hi: number) => {
    const span = hi - lo + 1;
    const r = span <= 0x1_0000_0000 ? next() : next() * 0x1_0000_0000 + next();
    return lo + (r % span);
  };
  return { next, int };
}

/** Integer micro-dollars as decimal text with at most 6 places and no trailing zeros. */
function microsText(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const frac = micros - whole * 1_000_000;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dayOf = (d: number) => `${MONTH}-${pad(d + 1, 2)}`;
const nextDayOf = (d: number) => (d + 1 < DAYS ? dayOf(d + 1) : '2026-11-01');

export interface Dataset {
  scale: number;
  principalCount: number;
  clusterCount: number;
  lines: (EngineLine & { endDate: string })[];
  usage: UsageRecord[];
  fetches: { resourceId: string; day: string; status: 'ok' | 'failed' }[];
  environments: EnvironmentRow[];
  resources: ResourceRow[];
  principals: PrincipalRow[];
  config: Config;
}

/** Generates the org at `scale` (1 = full size; principals, clusters and environments scale). */
export function generate(scale = 1): Dataset {
  const PRINCIPALS = Math.max(3, Math.round(2000 * scale));
  const CLUSTERS = Math.max(3, Math.round(100 * scale));
  const ENVIRONMENTS = Math.max(1, Math.round(10 * scale));
  const rnd = prng(20261001);
  const envId = (e: number) => `env-b${pad(e, 3)}`;
  const clusterId = (c: number) => `lkc-b${pad(c, 4)}`;
  const environments: EnvironmentRow[] = Array.from({ length: ENVIRONMENTS }, (_, e) => ({
    orgId: ORG,
    id: envId(e),
    displayName: `bench-${e}`,
    streamGovernancePackage: null,
    validFrom: VALID_FROM,
    validTo: null,
  }));
  const resources: ResourceRow[] = Array.from({ length: CLUSTERS }, (_, c) => ({
    orgId: ORG,
    id: clusterId(c),
    kind: 'kafka_cluster',
    type: 'Dedicated',
    cloud: 'AWS',
    region: 'us-east-1',
    displayName: `cluster-${c}`,
    environmentId: envId(c % ENVIRONMENTS),
    parentId: null,
    ownerId: null,
    attributes: null,
    validFrom: VALID_FROM,
    validTo: null,
  }));
  // Service accounts named after their team (5% carry a legacy name no pattern maps: unowned).
  const principals: PrincipalRow[] = [];
  const members: string[][] = Array.from({ length: CLUSTERS }, () => []);
  for (let p = 0; p < PRINCIPALS; p++) {
    const id = `sa-${pad(p, 5)}`;
    const team = TEAMS[rnd.int(0, TEAMS.length - 1)]!;
    const displayName = rnd.int(0, 99) < 5 ? `legacy-app-${p}` : `${team}-svc-${p}`;
    principals.push({
      orgId: ORG,
      id,
      kind: 'service_account',
      displayName,
      description: null,
      validFrom: VALID_FROM,
      validTo: null,
    });
    const chosen = new Set<number>();
    while (chosen.size < Math.min(CLUSTERS_PER_PRINCIPAL, CLUSTERS)) chosen.add(rnd.int(0, CLUSTERS - 1));
    for (const c of chosen) members[c]!.push(id);
  }
  // Daily bytes per (principal, cluster): integers; a few days without writes or reads.
  const usage: UsageRecord[] = [];
  const fetches: Dataset['fetches'] = [];
  for (let d = 0; d < DAYS; d++) {
    for (let c = 0; c < CLUSTERS; c++) {
      const failed = c === 0 && d === 14;
      fetches.push({ resourceId: clusterId(c), day: dayOf(d), status: failed ? 'failed' : 'ok' });
      for (const principalId of members[c]!) {
        const write = rnd.int(0, 99) < 5 ? 0 : rnd.int(1, 20_000_000_000);
        const read = rnd.int(0, 99) < 5 ? 0 : rnd.int(1, 60_000_000_000);
        const base = { resourceId: clusterId(c), day: dayOf(d), principalId };
        if (write > 0) usage.push({ ...base, metric: 'request_bytes', value: String(write) });
        if (read > 0) usage.push({ ...base, metric: 'response_bytes', value: String(read) });
      }
    }
  }
  const lines: Dataset['lines'] = [];
  for (let d = 0; d < DAYS; d++) {
    for (let c = 0; c < CLUSTERS; c++) {
      for (const [lineType, lo, hi] of LINE_TYPES) {
        const micros = rnd.int(lo, hi);
        // CKUs carry a 10% discount: the list amount is the billed one plus the discount.
        const original = lineType === 'KAFKA_NUM_CKUS' ? micros + (micros - (micros % 9)) / 9 : micros;
        lines.push({
          id: lines.length + 1,
          orgId: ORG,
          day: dayOf(d),
          endDate: nextDayOf(d),
          environmentId: envId(c % ENVIRONMENTS),
          resourceId: clusterId(c),
          product: 'KAFKA',
          lineType,
          amount: microsText(micros),
          originalAmount: microsText(original),
        });
      }
    }
  }
  const config = parseConfig({
    teams: Object.fromEntries(TEAMS.map((team) => [team, { owners: [{ pattern: `${team}-*` }] }])),
  });
  return {
    scale,
    principalCount: PRINCIPALS,
    clusterCount: CLUSTERS,
    lines,
    usage,
    fetches,
    environments,
    resources,
    principals,
    config,
  };
}

/** In-memory engine inputs for the dataset. */
export function engineContext(data: Dataset): EngineContext {
  return {
    rules: new RuleBook(data.config.allocation),
    teams: new TeamResolver(data.config),
    inventory: new InventoryView({
      resources: data.resources,
      principals: data.principals,
      environments: data.environments,
    }),
    usage: new MemoryUsageIndex(data.usage, data.fetches),
  };
}

/** Stores the dataset's billing lines, inventory and usage the way collection would. */
export async function loadStore(store: Store, data: Dataset): Promise<void> {
  await upsertBillingLines(
    store,
    ORG,
    data.lines.map((l) =>
      normalizeCost({
        start_date: l.day,
        end_date: l.endDate,
        product: l.product,
        line_type: l.lineType,
        original_amount: l.originalAmount,
        amount: l.amount,
        resource: { id: l.resourceId, environment: { id: l.environmentId } },
      }),
    ),
  );
  const strip = <T extends { orgId: string; validFrom: string; validTo: string | null }>(row: T) => {
    const { orgId: _o, validFrom: _f, validTo: _t, ...rest } = row;
    return rest;
  };
  await recordInventory(
    store,
    ORG,
    {
      environments: data.environments.map(strip),
      resources: data.resources.map(strip),
      principals: data.principals.map(strip),
    },
    VALID_FROM,
  );
  await upsertUsage(
    store,
    ORG,
    data.usage.map((u) => ({
      bucketStart: u.day,
      granularity: 'day',
      resourceId: u.resourceId,
      subjectKind: 'principal',
      subjectId: u.principalId,
      metric: u.metric,
      value: u.value,
    })),
    data.fetches,
  );
}
