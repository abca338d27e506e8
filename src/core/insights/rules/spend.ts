/**
 * Spend findings with no price to change: resources whose daily cost swings far around its mean
 * (batch jobs, replays, runaway consumers), and spend whose owner no team claims.
 */
import { Decimal } from 'decimal.js';
import { dailyCosts, linesOf, monthlyRate, nameOf, short } from '../measure.ts';
import type { Insight } from '../types.ts';
import { subject } from './clusters.ts';
import { dayCount, type RuleContext } from './context.ts';

/** Resources whose daily cost has a coefficient of variation of at least `variance_cv`. */
export function highVariance(ctx: RuleContext): Insight[] {
  return [...ctx.facts.resources.values()]
    .sort((a, b) => a.orgId.localeCompare(b.orgId) || a.id.localeCompare(b.id))
    .flatMap((resource) => {
      const costs = [...dailyCosts(linesOf(ctx.facts, resource), ctx.window).values()];
      if (costs.length < ctx.settings.variance_min_days) return [];
      const { mean, sd } = spread(costs);
      if (mean.lte(0) || sd.div(mean).lt(ctx.settings.variance_cv)) return [];
      const cost = costs.reduce((s, c) => s.plus(c), new Decimal(0));
      const max = Decimal.max(...costs);
      return [
        {
          ...subject(ctx, resource, 'high_variance'),
          summary: `${nameOf(resource)} costs swing from day to day: ${short(sd.div(mean).times(100), 0)}% around a mean of $${short(mean)}.`,
          action: 'Find the days that spike (`/ccost cluster <id> by day`) and the jobs behind them.',
          cost: cost.toFixed(),
          monthlyCost: monthlyRate(cost, costs.length),
          saving: '0',
          savingBasis: 'no saving estimated: the spikes point to jobs worth a look, not to a price',
          evidence: [
            { label: 'days', value: String(costs.length) },
            { label: 'mean a day', value: `$${short(mean)}` },
            { label: 'standard deviation', value: `$${short(sd)}` },
            { label: 'busiest day', value: `$${short(max)}` },
          ],
        } satisfies Insight,
      ];
    });
}

/** Mean and population standard deviation. */
function spread(values: Decimal[]): { mean: Decimal; sd: Decimal } {
  const mean = values.reduce((s, v) => s.plus(v), new Decimal(0)).div(values.length);
  const variance = values.reduce((s, v) => s.plus(v.minus(mean).pow(2)), new Decimal(0)).div(values.length);
  return { mean, sd: variance.sqrt() };
}

/** Owners whose spend went to the `unowned` team: nobody is accountable for it. */
export function unownedSpend(ctx: RuleContext): Insight[] {
  const days = dayCount(ctx.window);
  return ctx.facts.unowned
    .filter((o) => o.amount.gt(0))
    .map((o) => ({
      kind: 'unowned_spend' as const,
      orgId: o.orgId,
      subjectId: o.ownerId,
      subjectName: o.name ?? ownerName(ctx, o.orgId, o.ownerId),
      team: 'unowned',
      teams: ['unowned'],
      summary: `${o.ownerKind.replace(/_/g, ' ')} ${o.ownerId} spent $${short(o.amount)} that no team owns.`,
      action: `Add ${o.ownerId} to a team's owners in ccost.yaml (teams.<team>.owners).`,
      cost: o.amount.toFixed(),
      monthlyCost: monthlyRate(o.amount, days),
      saving: '0',
      savingBasis: 'no saving estimated: the spend needs an owner before anyone can reduce it',
      evidence: [
        { label: 'owner kind', value: o.ownerKind },
        { label: 'spend in the period', value: `$${short(o.amount)}` },
      ],
    }));
}

function ownerName(ctx: RuleContext, orgId: string, id: string): string | null {
  return ctx.facts.resources.get(`${orgId}|${id}`)?.displayName ?? null;
}
