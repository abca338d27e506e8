/**
 * "What would change it": owners no team maps, days without metrics, rules changed since the run,
 * billing lines changed since the run, and the other fallbacks the team's rows took.
 */
import { Decimal } from 'decimal.js';
import { formatUsd } from '../money/amount.ts';
import type { Store } from '../storage/database.ts';
import { UNOWNED_TEAM } from '../teams/resolver.ts';
import { type LineRow, metricsGaps, unmappedOwners } from './rows.ts';
import { sumOf } from './summarize.ts';
import type { ChangeHint, DrillState, ExplainRun } from './types.ts';

/** Most owners named in the unmapped hint. */
const NAMED_OWNERS = 5;

/** Every hint for a state, the largest amounts first within each kind. */
export async function changeHints(
  store: Store,
  input: { runIds: string[]; state: DrillState; rows: LineRow[]; runs: ExplainRun[] },
): Promise<ChangeHint[]> {
  const { runIds, state, rows } = input;
  return [
    ...(state.team === UNOWNED_TEAM ? [] : unmappedHint(await unmappedOwners(store, runIds, state))),
    ...(await metricsGaps(store, runIds, state)).map(metricsHint),
    ...input.runs.filter((r) => !r.rulesCurrent).map(rulesHint),
    ...billingHint(rows),
    ...fallbackHints(rows),
  ];
}

function unmappedHint(owners: { ownerId: string; ownerKind: string; amount: string }[]): ChangeHint[] {
  if (owners.length === 0) return [];
  const amount = sumOf(owners.map((o) => o.amount));
  const kinds = new Set(owners.map((o) => o.ownerKind));
  const what = kinds.size === 1 && kinds.has('service_account') ? 'service account' : 'owner';
  const named = owners.slice(0, NAMED_OWNERS).map((o) => `${o.ownerId} ${formatUsd(o.amount)}`);
  const more = owners.length > NAMED_OWNERS ? `, ${owners.length - NAMED_OWNERS} more` : '';
  return [
    {
      kind: 'unmapped_owners',
      amount,
      text: `${owners.length} ${what}${owners.length === 1 ? '' : 's'} unmapped on the same resources: ${formatUsd(amount)} (${named.join(', ')}${more}); mapping them to a team in ccost.yaml moves their cost`,
    },
  ];
}

function metricsHint(gap: {
  resourceId: string;
  reason: string;
  days: number;
  amount: string;
  teams: string;
}): ChangeHint {
  return {
    kind: 'metrics_missing',
    amount: new Decimal(gap.amount).toFixed(),
    text: `${gap.reason.split(';')[0]} for ${gap.resourceId} on ${gap.days} day${gap.days === 1 ? '' : 's'}: ${formatUsd(gap.amount)} allocated by fallback (to ${gap.teams}); with metrics it would be split by usage`,
  };
}

function rulesHint(run: ExplainRun): ChangeHint {
  return {
    kind: 'rules_changed',
    amount: null,
    text: `ccost.yaml's rules or teams changed since run ${run.id} (rule set ${run.ruleSetHash}); \`ccost allocate --org ${run.orgId} --month ${run.period}\` would apply them`,
  };
}

function billingHint(rows: LineRow[]): ChangeHint[] {
  const changed = new Map<number, Decimal>();
  for (const r of rows)
    if (r.billedNow !== null && !new Decimal(r.billedNow).eq(r.billed))
      changed.set(r.lineId, new Decimal(r.billedNow).minus(r.billed));
  if (changed.size === 0) return [];
  const delta = sumOf([...changed.values()].map((d) => d.toFixed()));
  return [
    {
      kind: 'billing_changed',
      amount: delta,
      text: `${changed.size} billing line${changed.size === 1 ? '' : 's'} changed since the run (${formatUsd(delta, { sign: true })} billed); allocating the month again would include it`,
    },
  ];
}

function fallbackHints(rows: LineRow[]): ChangeHint[] {
  const byReason = new Map<string, LineRow[]>();
  for (const r of rows) {
    if (r.fallbackReason === null || r.fallbackReason.startsWith('metrics ')) continue;
    byReason.set(r.fallbackReason, [...(byReason.get(r.fallbackReason) ?? []), r]);
  }
  return [...byReason.entries()].map(([reason, list]) => {
    const amount = sumOf(list.map((r) => r.amount));
    const lines = new Set(list.map((r) => r.lineId)).size;
    return {
      kind: 'fallback' as const,
      amount,
      text: `${reason}: ${formatUsd(amount)} on ${lines} line${lines === 1 ? '' : 's'} allocated by ${list[0]!.method} instead`,
    };
  });
}
