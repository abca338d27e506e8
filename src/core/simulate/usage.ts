/**
 * Hourly usage of the simulated organization, generated on demand per (cluster, day) and cached.
 * Every value is an integer computed from (seed, cluster, principal, day, hour) with integer-valued
 * double arithmetic below 2^53, so it is exact and the same on every machine. Topic bytes are the
 * cluster's principal bytes of the same hour split by topic weight (largest remainder), so topic
 * and principal views always add up to the same totals, and so do the billing lines built on them.
 */
import { hourNumber } from './calendar.ts';
import type { Lifetime, SimCluster, SimOrg, SimPrincipal } from './org.ts';
import { hashOf, mix, seedWord } from './random.ts';

/** Per-mille of the peak rate in each UTC hour, by activity shape. */
export const SHAPES: readonly (readonly number[])[] = [
  // 0 daytime Americas
  [
    250, 220, 200, 190, 200, 230, 300, 420, 600, 780, 900, 960, 1000, 1000, 980, 950, 900, 820, 700, 560, 450,
    380, 320, 280,
  ],
  // 1 evening peak
  [
    700, 560, 450, 380, 320, 280, 250, 220, 200, 190, 200, 230, 300, 420, 600, 780, 900, 960, 1000, 1000, 980,
    950, 900, 820,
  ],
  // 2 flat with a small daytime bump
  [
    800, 800, 790, 790, 780, 790, 800, 830, 860, 900, 930, 960, 980, 1000, 1000, 990, 970, 940, 910, 880, 850,
    830, 810, 800,
  ],
  // 3 nightly batch
  [80, 700, 1000, 1000, 1000, 900, 300, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30],
  // 4 Asia-Pacific daytime
  [
    1000, 980, 950, 900, 820, 700, 560, 450, 380, 320, 280, 250, 220, 200, 190, 200, 230, 300, 420, 600, 780,
    900, 960, 1000,
  ],
  // 5 people at work (users): office hours only
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 300, 800, 1000, 1000, 900, 1000, 900, 600, 200, 0, 0],
];

/** Per-mille of the weekday rate on Saturdays and Sundays, by shape. */
const WEEKEND = [600, 600, 1000, 1000, 600, 0];

/** Per-mille of a principal's rate on its primary, second and third cluster. */
const SHARE_BY_RANK = [1000, 400, 150, 100, 100];

/** Share of hours (percent) in which a principal is idle. */
const IDLE_PERCENT = 3;

/** One cluster's usage on one day. Arrays are indexed [subject * 24 + hour]. */
export interface ClusterDay {
  clusterIndex: number;
  dayNum: number;
  /** First hour (0–23) the cluster existed that day; 24 when it did not exist. */
  firstHour: number;
  /** Ids of the principals that could be active that day, sorted. */
  principals: string[];
  write: Float64Array;
  read: Float64Array;
  topics: string[];
  received: Float64Array;
  sent: Float64Array;
  /** Retained bytes per topic that day (a gauge, the same in every hour). */
  retained: number[];
  /** Cluster totals per hour. */
  hourWrite: Float64Array;
  hourRead: Float64Array;
  totalWrite: number;
  totalRead: number;
}

interface Member {
  principal: SimPrincipal;
  rank: number;
}

const CACHE_LIMIT = 4096;

/** Generates and caches cluster-days. */
export class UsageGenerator {
  private readonly seed: number;
  private readonly members: Member[][];
  private readonly cache = new Map<number, ClusterDay>();

  constructor(private readonly org: SimOrg) {
    this.seed = seedWord(org.seed);
    this.members = org.clusters.map(() => []);
    for (const p of org.principals) {
      p.clusters.forEach((c, rank) => {
        this.members[c]!.push({ principal: p, rank });
      });
    }
    for (const list of this.members) list.sort((a, b) => (a.principal.id < b.principal.id ? -1 : 1));
  }

  /** Usage of cluster `clusterIndex` on day number `dayNum`. */
  clusterDay(clusterIndex: number, dayNum: number): ClusterDay {
    const key = dayNum * 100_003 + clusterIndex;
    let day = this.cache.get(key);
    if (!day) {
      day = this.generate(clusterIndex, dayNum);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, day);
    }
    return day;
  }

  private generate(clusterIndex: number, dayNum: number): ClusterDay {
    const cluster = this.org.clusters[clusterIndex]!;
    const span = hoursOn(cluster, dayNum);
    const firstHour = span ? span[0] : 24;
    const members = span ? this.members[clusterIndex]!.filter((m) => hoursOn(m.principal, dayNum)) : [];
    const n = members.length;
    const day: ClusterDay = {
      clusterIndex,
      dayNum,
      firstHour,
      principals: members.map((m) => m.principal.id),
      write: new Float64Array(n * 24),
      read: new Float64Array(n * 24),
      topics: span ? cluster.topics.map((t) => t.name) : [],
      received: new Float64Array(0),
      sent: new Float64Array(0),
      retained: [],
      hourWrite: new Float64Array(24),
      hourRead: new Float64Array(24),
      totalWrite: 0,
      totalRead: 0,
    };
    members.forEach((m, i) => {
      this.fillPrincipal(day, m, i, cluster);
    });
    for (let i = 0; i < n * 24; i++) {
      day.hourWrite[i % 24] = day.hourWrite[i % 24]! + day.write[i]!;
      day.hourRead[i % 24] = day.hourRead[i % 24]! + day.read[i]!;
    }
    for (let h = 0; h < 24; h++) {
      day.totalWrite += day.hourWrite[h]!;
      day.totalRead += day.hourRead[h]!;
    }
    if (span) this.fillTopics(day, cluster);
    return day;
  }

  /** One principal's hourly bytes on the cluster; zero outside its and the cluster's lifetime. */
  private fillPrincipal(day: ClusterDay, m: Member, i: number, cluster: SimCluster): void {
    const p = m.principal;
    const [from, to] = hoursOn(p, day.dayNum)!;
    const first = Math.max(from, day.firstHour);
    const shape = SHAPES[p.profile.shape]!;
    const weekendDay = isWeekend(day.dayNum);
    const share = SHARE_BY_RANK[m.rank] ?? 100;
    const base = hashOf(this.seed, 0x5553, cluster.index, p.index, day.dayNum);
    for (let h = first; h < to; h++) {
      const word = mix(base, h);
      if (word % 100 < IDLE_PERCENT) continue;
      let scale = (shape[h]! * share) / 1000;
      if (weekendDay) scale = Math.floor((scale * WEEKEND[p.profile.shape]!) / 1000);
      const noiseW = 850 + ((word >>> 8) % 301);
      const noiseR = 850 + ((word >>> 17) % 301);
      day.write[i * 24 + h] = Math.floor(
        (Math.floor((p.profile.writePerHour * scale) / 1000) * noiseW) / 1000,
      );
      day.read[i * 24 + h] = Math.floor((Math.floor((p.profile.readPerHour * scale) / 1000) * noiseR) / 1000);
    }
  }

  /** Splits each hour's cluster bytes over the topics; retained bytes vary daily around the topic's size. */
  private fillTopics(day: ClusterDay, cluster: SimCluster): void {
    const weights = cluster.topics.map((t) => t.weight);
    const t = weights.length;
    day.received = new Float64Array(t * 24);
    day.sent = new Float64Array(t * 24);
    for (let h = 0; h < 24; h++) {
      splitInto(day.hourWrite[h]!, weights, day.received, h);
      splitInto(day.hourRead[h]!, weights, day.sent, h);
    }
    day.retained = cluster.topics.map((topic, i) => {
      const wobble = hashOf(this.seed, 0x5254, cluster.index, i, day.dayNum) % 201;
      return Math.floor((topic.retainedBytes * (1000 + wobble)) / 1000);
    });
  }
}

/** Largest-remainder split of an integer `total` by integer weights into out[i * 24 + hour]. */
function splitInto(total: number, weights: readonly number[], out: Float64Array, hour: number): void {
  let sum = 0;
  for (const w of weights) sum += w;
  let given = 0;
  const rest: [number, number][] = [];
  weights.forEach((w, i) => {
    const part = Math.floor((total * w) / sum);
    out[i * 24 + hour] = part;
    given += part;
    rest.push([(total * w) % sum, i]);
  });
  rest.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; given < total; k++, given++) out[rest[k]![1] * 24 + hour]! += 1;
}

/** Saturday or Sunday. */
function isWeekend(dayNum: number): boolean {
  const wd = (((dayNum + 4) % 7) + 7) % 7;
  return wd === 0 || wd === 6;
}

/**
 * The hours [from, to) of day `dayNum` in which an entity existed (a part hour counts as a whole
 * one, as billing does), or undefined when it did not exist that day.
 */
export function hoursOn(entity: Lifetime, dayNum: number): [number, number] | undefined {
  const dayStart = dayNum * 24;
  const created = hourNumber(entity.createdAt);
  const deleted = entity.deletedAt ? Math.ceil(Date.parse(entity.deletedAt) / 3_600_000) : Infinity;
  const from = Math.max(0, created - dayStart);
  const to = Math.min(24, deleted - dayStart);
  return from < to ? [from, to] : undefined;
}
