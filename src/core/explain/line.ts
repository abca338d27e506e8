/**
 * The bottom of the drill-down: one billing line with every team's part, the team's owners with
 * their usage shares and bytes, and the metrics status of the line's resource that day.
 */
import { Decimal } from 'decimal.js';
import { RuleBook } from '../allocation/rules.ts';
import type { Config } from '../config/schema.ts';
import { displayNames } from '../questions/names.ts';
import type { Store } from '../storage/database.ts';
import { billingLine, type LineRow, type OwnerRow, ownerRows, usageOn } from './rows.ts';
import { sumOf } from './summarize.ts';
import type { DrillState, ExplainChild, LineDetail, UsageFigure } from './types.ts';

/** Methods that read metrics; for others the metrics status does not matter. */
const METERED = new Set(['usage', 'weighted', 'even']);

/** The line level's detail, owner children and usage. */
export async function explainLine(
  store: Store,
  config: Config,
  state: DrillState,
  rows: LineRow[],
): Promise<{ line: LineDetail; children: ExplainChild[]; usage: UsageFigure[] }> {
  const first = rows[0]!;
  const owners = await ownerRows(store, [first.runId], first.lineId);
  const stored = await billingLine(store, first.lineId);
  const fetched =
    first.resourceId === null ? null : await usageOn(store, first.orgId, first.resourceId, first.day);
  const usage = fetched ? await figures(store, config, fetched.rows, owners) : [];
  const metered = rows.some((r) => METERED.has(r.method) || r.fallbackReason?.startsWith('metrics '));
  const line: LineDetail = {
    id: first.lineId,
    orgId: first.orgId,
    day: first.day,
    product: first.product,
    lineType: first.lineType,
    resourceId: first.resourceId,
    resourceName: stored?.resourceName ?? null,
    environmentId: stored?.environmentId ?? null,
    quantity: stored?.quantity ?? null,
    unit: stored?.unit ?? null,
    price: stored?.price ?? null,
    billed: first.billed,
    billedNow: first.billedNow !== null && first.billedNow !== first.billed ? first.billedNow : null,
    rule: ruleText(config, first),
    teams: teamsOf(owners),
    metrics: !metered
      ? 'not needed'
      : fetched?.status === 'ok'
        ? 'ok'
        : fetched?.status
          ? 'failed'
          : 'not collected',
  };
  const children = await ownerChildren(store, config, state, owners, usage);
  return { line, children, usage };
}

/** Every team's part of the line, largest first. */
function teamsOf(owners: OwnerRow[]): { team: string; amount: string }[] {
  const byTeam = new Map<string, string[]>();
  for (const o of owners) byTeam.set(o.team, [...(byTeam.get(o.team) ?? []), o.amount]);
  return [...byTeam.entries()]
    .map(([team, amounts]) => ({ team, amount: sumOf(amounts) }))
    .sort((a, b) => new Decimal(b.amount).comparedTo(a.amount) || a.team.localeCompare(b.team));
}

/** The team's owners of the line: amount, usage share and bytes; they sum to the team's part. */
async function ownerChildren(
  store: Store,
  config: Config,
  state: DrillState,
  owners: OwnerRow[],
  usage: UsageFigure[],
): Promise<ExplainChild[]> {
  const mine = owners.filter((o) => o.team === state.team);
  const names = await displayNames(
    store,
    config,
    'principal',
    mine.map((o) => o.ownerId),
  );
  return mine.map((o) => {
    const bytes = usage.find((u) => u.principal === o.ownerId);
    return {
      kind: 'owner' as const,
      key: o.ownerId,
      name: names.get(o.ownerId) ?? null,
      amount: o.amount,
      method: o.method,
      confidence: o.confidence,
      fallbackReason: o.fallbackReason,
      usageShare: o.usageShare,
      ...(bytes ? { usage: bytes } : {}),
      next: null,
    };
  });
}

/** Usage on a resource that day with names and (where the line says) teams. */
export async function usageFigures(
  store: Store,
  config: Config,
  orgId: string,
  resourceId: string,
  day: string,
): Promise<UsageFigure[]> {
  const fetched = await usageOn(store, orgId, resourceId, day);
  return figures(store, config, fetched.rows, []);
}

async function figures(
  store: Store,
  config: Config,
  rows: { principal: string; write: string; read: string }[],
  owners: OwnerRow[],
): Promise<UsageFigure[]> {
  const names = await displayNames(
    store,
    config,
    'principal',
    rows.map((r) => r.principal),
  );
  return rows.map((r) => ({
    principal: r.principal,
    name: names.get(r.principal) ?? null,
    team: owners.find((o) => o.ownerId === r.principal)?.team ?? null,
    writeBytes: r.write,
    readBytes: r.read,
  }));
}

/** The rule that decides a line under `config`, in words: `default: usage (write bytes)`. */
export function ruleText(
  config: Config,
  line: { orgId: string; product: string; lineType: string; day: string },
): string {
  const rule = new RuleBook(config.allocation).ruleFor(line.orgId, line.product, line.lineType, line.day);
  const detail = rule.metric ? ` (${rule.metric} bytes)` : rule.reason ? ` (${rule.reason})` : '';
  const weights = rule.method === 'weighted' ? `, usage ${rule.usageWeight} / even ${rule.evenWeight}` : '';
  return `${rule.source}: ${rule.method}${detail}${weights}`;
}
