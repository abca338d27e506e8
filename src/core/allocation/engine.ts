/**
 * The allocation engine: a pure function from billing lines, usage, inventory and rules to
 * allocation rows. Every line is split at the finest grain (line × owner) with the
 * largest-remainder method in integer micro-dollars, so each line's parts sum to its billed
 * amount exactly; reports only ever add these rows up.
 */
import type { Decimal } from 'decimal.js';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { InventoryView } from '../inventory/view.ts';
import { microsToString, parseAtScale, parseDecimal, ratioToString } from '../money/amount.ts';
import { splitByWeights, ZeroWeightError } from '../money/split.ts';
import { type TeamResolver, UNALLOCATED_TEAM, UNOWNED_TEAM } from '../teams/resolver.ts';
import type { Rule, RuleBook } from './rules.ts';
import { isTopicKey, TOPIC_OWNER_KIND, type TopicMode, topicOfKey } from './topic-mode.ts';

/** Owner id of the explicit unallocated row. */
export const UNALLOCATED_OWNER = 'unallocated';

/** One billing line as the engine needs it. */
export interface EngineLine {
  id: number;
  orgId: string;
  day: string;
  environmentId: string | null;
  resourceId: string | null;
  product: string;
  lineType: string;
  /** Billed amount after discounts, exact decimal text. */
  amount: string;
  /** List amount before discounts, exact decimal text. */
  originalAmount: string;
}

/** Bytes per principal on one resource and day; `principals` sorted, arrays aligned with it. */
export interface PrincipalUsage {
  principals: string[];
  write: bigint[];
  read: bigint[];
}

/** Usage look-ups: whether metrics were fetched, and what they said. */
export interface UsageIndex {
  /** `ok`, `failed`, or undefined when never collected. */
  status(resourceId: string, day: string): 'ok' | 'failed' | undefined;
  principalsOn(resourceId: string, day: string): PrincipalUsage | undefined;
}

export interface EngineContext {
  rules: RuleBook;
  teams: TeamResolver;
  inventory: InventoryView;
  usage: UsageIndex;
  /** The clusters split by topic, when `allocation.topic_mode` names any. */
  topics?: TopicMode | undefined;
}

export type Confidence = 'high' | 'medium' | 'low';

/** One allocation row; amounts are exact decimal strings. */
export interface AllocationRow {
  lineId: number;
  bucket: string;
  orgId: string;
  environmentId: string | null;
  resourceId: string | null;
  product: string;
  lineType: string;
  ownerId: string;
  ownerKind: string;
  team: string;
  amount: string;
  grossAmount: string;
  originalAmount: string;
  usageShare: string;
  method: string;
  confidence: Confidence;
  fallbackReason: string | null;
}

interface Target {
  owners: string[];
  weights: bigint[];
  method: string;
  confidence: Confidence;
  reason: string | null;
}

/** Owner kind from the id's prefix. */
export function ownerKindOf(ownerId: string): string {
  if (ownerId === UNALLOCATED_OWNER) return 'unallocated';
  if (ownerId.startsWith('sa-')) return 'service_account';
  if (ownerId.startsWith('u-')) return 'user';
  if (ownerId.startsWith('pool-')) return 'identity_pool';
  if (ownerId.startsWith('env-')) return 'environment';
  return 'resource';
}

/**
 * Allocates `lines` (any order). Lines are processed per day; proportional lines (Support) go
 * last in their day, weighted by what each owner was allocated from the day's other lines.
 */
export function allocate(lines: readonly EngineLine[], ctx: EngineContext): AllocationRow[] {
  const state = newState(ctx);
  for (const _ of allocation(lines, state));
  return state.rows;
}

/**
 * `allocate` as a stream: yields the rows in small batches (those of one line), in the order
 * `allocate` returns them, so a caller can store rows while the next are being allocated and
 * never holds them all.
 */
export function* allocateInBatches(
  lines: readonly EngineLine[],
  ctx: EngineContext,
): Generator<AllocationRow[]> {
  const state = newState(ctx);
  for (const _ of allocation(lines, state)) {
    if (state.rows.length === 0) continue;
    yield state.rows;
    state.rows = [];
  }
}

/** The owners and weights each line was split over, as `allocate` used them (for benchmarks and checks). */
export interface LineTarget {
  line: EngineLine;
  owners: readonly string[];
  weights: readonly bigint[];
  method: string;
}

/** Runs `allocate` and returns, per line in allocation order, the target its amount was split over. */
export function resolveTargets(lines: readonly EngineLine[], ctx: EngineContext): LineTarget[] {
  const state = newState(ctx);
  state.targets = [];
  for (const _ of allocation(lines, state)) state.rows = [];
  return state.targets;
}

function newState(ctx: EngineContext): State {
  return {
    ctx,
    rows: [],
    teamCache: new Map(),
    ownerTotals: new Map(),
    ownerTeams: new Map(),
    trackTotals: false,
  };
}

/** Allocates bucket (org and day) after bucket into `state.rows`, pausing after each line. */
function* allocation(lines: readonly EngineLine[], state: State): Generator<void> {
  const byDay = new Map<string, { line: EngineLine; rule: Rule }[]>();
  for (const line of lines) {
    const rule = state.ctx.rules.ruleFor(line.orgId, line.product, line.lineType, line.day);
    const key = `${line.orgId}|${line.day}`;
    const list = byDay.get(key);
    if (list) list.push({ line, rule });
    else byDay.set(key, [{ line, rule }]);
  }
  for (const key of [...byDay.keys()].sort()) {
    const items = byDay.get(key)!;
    items.sort((a, b) => rank(a.rule) - rank(b.rule) || a.line.id - b.line.id);
    state.ownerTotals = new Map();
    state.ownerTeams = new Map();
    state.trackTotals = items.some((item) => rank(item.rule) === 1);
    for (const { line, rule } of items) {
      allocateLine(line, rule, state);
      yield;
    }
  }
}

/** What the engine carries from line to line. */
interface State {
  ctx: EngineContext;
  rows: AllocationRow[];
  /** Teams by `org|environment|day`, then by owner. */
  teamCache: Map<string, Map<string, string>>;
  /** Per owner, what the current bucket's non-proportional lines gave it (weights for Support). */
  ownerTotals: Map<string, bigint>;
  /**
   * Per owner, the team its other lines of the bucket went to: Support rows carry no environment,
   * so they follow the owner's team that day rather than resolving it without one.
   */
  ownerTeams: Map<string, string>;
  /** Whether the current bucket has proportional lines, i.e. whether `ownerTotals` is needed. */
  trackTotals: boolean;
  /** When set, collects each line's final target. */
  targets?: LineTarget[] | undefined;
}

/** A line's split: owners, their parts of the billed and list amounts, and sub-scale rests (null: none). */
interface Split {
  target: Target;
  parts: bigint[];
  grossParts: bigint[];
  rest: Decimal | null;
  grossRest: Decimal | null;
}

const rank = (rule: Rule) => (rule.method === 'proportional' ? 1 : 0);

function allocateLine(line: EngineLine, rule: Rule, state: State): void {
  const amount = parseAtScale(line.amount);
  const gross = parseAtScale(line.originalAmount);
  let target = resolveTarget(line, rule, state.ctx, state.ownerTotals);
  let parts: bigint[];
  let grossParts: bigint[];
  try {
    parts = splitByWeights(amount.micros, target.owners, target.weights);
    grossParts =
      gross.micros === amount.micros ? parts : splitByWeights(gross.micros, target.owners, target.weights);
  } catch (err) {
    if (!(err instanceof ZeroWeightError)) throw err;
    target = unallocated(`all weights zero for method ${target.method}`, 'low');
    parts = [amount.micros];
    grossParts = [gross.micros];
  }
  assertConserved(line, parts, amount.micros);
  assertConserved(line, grossParts, gross.micros);
  state.targets?.push({ line, owners: target.owners, weights: target.weights, method: target.method });
  pushRows(line, { target, parts, grossParts, rest: amount.rest, grossRest: gross.rest }, state);
}

/** Guards the invariant the product rests on: a line's parts sum to it exactly. */
function assertConserved(line: EngineLine, parts: readonly bigint[], micros: bigint): void {
  let sum = 0n;
  for (const p of parts) sum += p;
  if (sum !== micros) {
    throw new CcostError(
      ErrorCode.AllocationFailed,
      `billing line ${line.id} split into parts that do not sum to it`,
    );
  }
}

function pushRows(line: EngineLine, split: Split, state: State): void {
  const { target, parts, grossParts } = split;
  const { owners, weights, method, confidence, reason } = target;
  const n = owners.length;
  let totalWeight = 0n;
  let equal = true;
  for (let i = 0; i < n; i++) {
    totalWeight += weights[i]!;
    if (weights[i] !== weights[0]) equal = false;
  }
  // Equal weights share one usage share; otherwise it is computed per owner.
  const equalShare = equal && n > 0 ? ratioToString(weights[0]!, totalWeight) : null;
  const trackTotals = state.trackTotals && method !== 'proportional';
  const teams = teamsOf(line, state.teamCache);
  const rows = state.rows;
  const first = rows.length;
  for (let i = 0; i < n; i++) {
    const ownerId = owners[i]!;
    const part = parts[i]!;
    const grossPart = grossParts[i]!;
    if (part === 0n && grossPart === 0n && n > 1) continue;
    const isUnallocated = ownerId === UNALLOCATED_OWNER;
    if (trackTotals && !isUnallocated && part > 0n) {
      state.ownerTotals.set(ownerId, (state.ownerTotals.get(ownerId) ?? 0n) + part);
    }
    const amount = microsToString(part);
    const team = isUnallocated ? UNALLOCATED_TEAM : teamOfRow(ownerId, line, method, state, teams);
    rows.push({
      lineId: line.id,
      bucket: line.day,
      orgId: line.orgId,
      environmentId: line.environmentId,
      resourceId: line.resourceId,
      product: line.product,
      lineType: line.lineType,
      originalAmount: line.amount,
      ownerId,
      ownerKind: ownerKindOf(ownerId),
      team,
      amount,
      grossAmount: grossPart === part ? amount : microsToString(grossPart),
      usageShare: isUnallocated ? '0' : (equalShare ?? ratioToString(weights[i]!, totalWeight)),
      method,
      confidence,
      fallbackReason: reason,
    });
  }
  // Only topic mode can give a line topic owners: principal mode pays one check per line.
  if (state.ctx.topics !== undefined) nameTopicOwners(rows, first);
  if (split.rest !== null || split.grossRest !== null) rows.push(roundingRow(line, split));
}

/**
 * Topic rows get their kind and the bare topic name here, once the line's rows exist, so the
 * per-row code of principal mode is unchanged (the engine keys topics apart, see topic-mode.ts).
 */
function nameTopicOwners(rows: AllocationRow[], first: number): void {
  for (let i = first; i < rows.length; i++) {
    const row = rows[i]!;
    if (!isTopicKey(row.ownerId)) continue;
    row.ownerKind = TOPIC_OWNER_KIND;
    row.ownerId = topicOfKey(row.ownerId);
  }
}

/** The team of one row; rows of proportional lines follow the owner's team that day. */
function teamOfRow(
  ownerId: string,
  line: EngineLine,
  method: string,
  state: State,
  teams: Map<string, string>,
): string {
  if (method === 'proportional')
    return state.ownerTeams.get(ownerId) ?? teamOf(ownerId, line, state.ctx, teams);
  const team = teamOf(ownerId, line, state.ctx, teams);
  if (state.trackTotals) state.ownerTeams.set(ownerId, team);
  return team;
}

/** The explicit row for digits beyond the internal scale, so the origin still sums exactly. */
function roundingRow(line: EngineLine, split: Split): AllocationRow {
  return {
    lineId: line.id,
    bucket: line.day,
    orgId: line.orgId,
    environmentId: line.environmentId,
    resourceId: line.resourceId,
    product: line.product,
    lineType: line.lineType,
    originalAmount: line.amount,
    ownerId: UNALLOCATED_OWNER,
    ownerKind: 'unallocated',
    team: UNALLOCATED_TEAM,
    amount: split.rest?.toFixed() ?? '0',
    grossAmount: split.grossRest?.toFixed() ?? '0',
    usageShare: '0',
    method: 'rounding',
    confidence: 'high',
    fallbackReason: 'digits beyond the 1e-6 internal scale',
  };
}

/** The team cache of the line's org, environment and day: owner id → team. */
function teamsOf(line: EngineLine, cache: Map<string, Map<string, string>>): Map<string, string> {
  const key = `${line.orgId}|${line.environmentId ?? ''}|${line.day}`;
  let teams = cache.get(key);
  if (!teams) {
    teams = new Map();
    cache.set(key, teams);
  }
  return teams;
}

function teamOf(ownerId: string, line: EngineLine, ctx: EngineContext, cache: Map<string, string>): string {
  let team = cache.get(ownerId);
  if (team === undefined && isTopicKey(ownerId)) {
    team = ctx.topics?.teamOf(topicOfKey(ownerId)) ?? UNOWNED_TEAM;
    cache.set(ownerId, team);
  }
  if (team === undefined) {
    const environmentId =
      line.environmentId ??
      (ownerId.startsWith('env-')
        ? ownerId
        : (ctx.inventory.resourceOn(ownerId, line.day)?.environmentId ?? null));
    const facts = { orgId: line.orgId, ownerId, environmentId, day: line.day };
    team = ctx.teams.resolve({ ...facts, ownerName: ctx.inventory.nameOn(ownerId, line.day) });
    if (team === UNOWNED_TEAM) {
      // A resource nobody mapped belongs to the team of the principal that owns it, if known.
      const owner = ctx.inventory.resourceOn(ownerId, line.day)?.ownerId;
      if (owner)
        team = ctx.teams.resolve({
          ...facts,
          ownerId: owner,
          ownerName: ctx.inventory.nameOn(owner, line.day),
        });
    }
    cache.set(ownerId, team);
  }
  return team;
}

function single(
  ownerId: string,
  method: string,
  confidence: Confidence,
  reason: string | null = null,
): Target {
  return { owners: [ownerId], weights: [1n], method, confidence, reason };
}

function unallocated(reason: string | null, confidence: Confidence = 'high'): Target {
  return single(UNALLOCATED_OWNER, 'unallocated', confidence, reason);
}

/** The line's own resource as owner, or unallocated when it has none. */
function toResource(line: EngineLine, reason: string | null, confidence: Confidence = 'low'): Target {
  if (line.resourceId) return single(line.resourceId, 'resource', confidence, reason);
  return unallocated(reason ? `${reason}; line has no resource` : 'line has no resource', 'low');
}

function resolveTarget(
  line: EngineLine,
  rule: Rule,
  ctx: EngineContext,
  ownerTotals: Map<string, bigint>,
): Target {
  if (ctx.topics?.applies(line.resourceId, rule)) return byTopic(line, rule, ctx.topics, ctx);
  switch (rule.method) {
    case 'usage':
      return byUsage(line, rule, ctx);
    case 'weighted':
      return byWeightedUsage(line, rule, ctx);
    case 'even':
      return evenlyAcrossActive(line, ctx, null, 'medium');
    case 'resource':
      return toResource(line, null, 'high');
    case 'kafka_cluster':
      return toKafkaCluster(line, ctx);
    case 'environment': {
      const env =
        line.environmentId ??
        (line.resourceId ? ctx.inventory.resourceOn(line.resourceId, line.day)?.environmentId : null);
      return env ? single(env, 'environment', 'high') : toResource(line, 'line has no environment');
    }
    case 'resource_owner': {
      const owner = line.resourceId ? ctx.inventory.resourceOn(line.resourceId, line.day)?.ownerId : null;
      return owner
        ? single(owner, 'resource_owner', 'high')
        : toResource(line, 'owner of the resource unknown');
    }
    case 'proportional':
      return proportionally(ownerTotals);
    case 'unallocated':
      return unallocated(rule.reason ?? `rule ${rule.source} leaves it unallocated`);
  }
}

/** Active principals on the line's resource that day, or the reason there are none to use. */
function activeUsage(line: EngineLine, ctx: EngineContext): { usage: PrincipalUsage } | { fallback: Target } {
  if (!line.resourceId) return { fallback: unallocated('line has no resource to measure usage on', 'low') };
  const status = ctx.usage.status(line.resourceId, line.day);
  if (status !== 'ok') {
    const reason = status === 'failed' ? 'metrics fetch failed' : 'metrics not collected';
    return { fallback: toResource(line, reason) };
  }
  const usage = ctx.usage.principalsOn(line.resourceId, line.day);
  if (!usage || usage.principals.length === 0) return { fallback: toResource(line, 'no active principals') };
  return { usage };
}

/**
 * A topic-mode cluster's line, split over its topics. Metrics that failed or were never fetched
 * send it to the cluster with the reason, exactly as principal mode does.
 */
function byTopic(line: EngineLine, rule: Rule, topics: TopicMode, ctx: EngineContext): Target {
  const resourceId = line.resourceId!;
  const status = ctx.usage.status(resourceId, line.day);
  if (status !== 'ok')
    return toResource(line, status === 'failed' ? 'metrics fetch failed' : 'metrics not collected');
  const target = topics.target(resourceId, line.day, line.lineType, rule);
  return 'missing' in target ? toResource(line, target.missing) : target;
}

function metricValues(usage: PrincipalUsage, metric: Rule['metric']): bigint[] {
  if (metric === 'write') return usage.write;
  if (metric === 'read') return usage.read;
  return usage.write.map((w, i) => w + usage.read[i]!);
}

function byUsage(line: EngineLine, rule: Rule, ctx: EngineContext): Target {
  const active = activeUsage(line, ctx);
  if ('fallback' in active) return active.fallback;
  const values = metricValues(active.usage, rule.metric);
  const owners: string[] = [];
  const weights: bigint[] = [];
  values.forEach((v, i) => {
    if (v > 0n) {
      owners.push(active.usage.principals[i]!);
      weights.push(v);
    }
  });
  if (owners.length > 0) return { owners, weights, method: 'usage', confidence: 'high', reason: null };
  return evenlyAcrossActive(line, ctx, `no ${rule.metric} bytes in the bucket`, 'low');
}

function byWeightedUsage(line: EngineLine, rule: Rule, ctx: EngineContext): Target {
  const active = activeUsage(line, ctx);
  if ('fallback' in active) return active.fallback;
  const totals = metricValues(active.usage, rule.metric);
  const usageWeight = scaledWeight(rule.usageWeight ?? '0.5');
  const evenWeight = scaledWeight(rule.evenWeight ?? '0.5');
  const n = BigInt(totals.length);
  let sum = 0n;
  for (const t of totals) sum += t;
  if (sum === 0n) return evenlyAcrossActive(line, ctx, `no ${rule.metric} bytes in the bucket`, 'low');
  // share_i = u/(u+e)·t_i/Σt + e/(u+e)·1/n, scaled by (u+e)·Σt·n to stay in integers.
  const weights = totals.map((t) => usageWeight * t * n + evenWeight * sum);
  return { owners: active.usage.principals, weights, method: 'weighted', confidence: 'high', reason: null };
}

function scaledWeight(text: string): bigint {
  const d = parseDecimal(text);
  return BigInt(d.times(1_000_000).toFixed(0));
}

function evenlyAcrossActive(
  line: EngineLine,
  ctx: EngineContext,
  reason: string | null,
  confidence: Confidence,
): Target {
  const active = activeUsage(line, ctx);
  if ('fallback' in active) return active.fallback;
  const owners = active.usage.principals;
  return { owners, weights: owners.map(() => 1n), method: 'even', confidence, reason };
}

function toKafkaCluster(line: EngineLine, ctx: EngineContext): Target {
  const res = line.resourceId;
  if (res?.startsWith('lkc-')) return single(res, 'kafka_cluster', 'high');
  const inv = res ? ctx.inventory.resourceOn(res, line.day) : undefined;
  if (inv?.kind === 'kafka_cluster') return single(inv.id, 'kafka_cluster', 'high');
  if (inv?.parentId) return single(inv.parentId, 'kafka_cluster', 'high');
  const env = line.environmentId ?? inv?.environmentId;
  const clusters = env ? ctx.inventory.kafkaClustersOn(env, line.day) : [];
  if (clusters.length > 0) {
    const confidence = clusters.length === 1 ? 'high' : 'medium';
    const reason =
      clusters.length === 1 ? null : `split evenly across the ${clusters.length} Kafka clusters of ${env}`;
    return { owners: clusters, weights: clusters.map(() => 1n), method: 'kafka_cluster', confidence, reason };
  }
  return toResource(line, 'Kafka cluster of the resource unknown');
}

function proportionally(ownerTotals: Map<string, bigint>): Target {
  const owners = [...ownerTotals.keys()].filter((o) => ownerTotals.get(o)! > 0n).sort();
  if (owners.length === 0) return unallocated('nothing else allocated in the bucket to weigh by', 'low');
  return {
    owners,
    weights: owners.map((o) => ownerTotals.get(o)!),
    method: 'proportional',
    confidence: 'medium',
    reason: null,
  };
}
