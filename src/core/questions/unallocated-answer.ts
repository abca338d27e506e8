/**
 * Why costs have no team: the reasons behind the unallocated rows and the owners nobody mapped.
 * Read from `allocations` (the rollups carry no reasons), narrowed by the run and team index.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { formatUsd } from '../money/amount.ts';
import type { Store } from '../storage/database.ts';
import { UNOWNED_TEAM } from '../teams/resolver.ts';
import type { Answer } from './answer.ts';
import { type Days, NO_TEAM, type RowFilter, whereOf } from './figures.ts';

/** Reasons shown per breakdown row. */
const REASONS_PER_ROW = 3;
/** Unmapped owners named in the notes. */
const UNMAPPED_SHOWN = 5;

/** Adds each product row's reasons and a note naming the largest unmapped owners. */
export async function explainUnallocated(
  store: Store,
  answer: Answer,
  filter: RowFilter,
  days: Days,
): Promise<void> {
  const teams = (filter.teams ?? [...NO_TEAM]).filter((t) => (NO_TEAM as readonly string[]).includes(t));
  const scoped = { ...filter, teams };
  const reasons = await store.query<{ product: string; reason: string; amount: string }>(sql`
    select product,
           coalesce(fallback_reason, case when team = ${UNOWNED_TEAM} then 'owner mapped to no team in ccost.yaml'
                                          else 'no rule allocates it' end) as reason,
           sum(amount)::text as amount
    from allocations where ${whereOf(scoped, days)}
    group by 1, 2 order by 1, abs(sum(amount)) desc, 2`);
  for (const row of answer.breakdown?.rows ?? []) {
    const mine = reasons.filter((r) => r.product === row.key).slice(0, REASONS_PER_ROW);
    if (mine.length > 0) row.reasons = mine.map((r) => r.reason);
  }
  const unmapped = await store.query<{ owner: string; amount: string }>(sql`
    select owner_id as owner, sum(amount)::text as amount from allocation_rollups
    where ${whereOf({ ...filter, teams: teams.filter((t) => t === UNOWNED_TEAM) }, days)}
    group by 1 order by sum(amount) desc, 1 limit ${UNMAPPED_SHOWN}`);
  if (unmapped.length > 0) {
    const list = unmapped.map((u) => `${u.owner} (${formatUsd(new Decimal(u.amount).toFixed())})`).join(', ');
    answer.notes.push(`Owners no team maps; add them to a team in ccost.yaml: ${list}.`);
  }
}
