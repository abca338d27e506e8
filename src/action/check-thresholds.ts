import type { Estimate } from '../core/pricing/estimate.ts';
import { formatUsd } from '../core/pricing/render.ts';
import type { TeamImpact } from './check-budgets.ts';
import { crosses, type Threshold } from './parse-threshold.ts';

/** What the thresholds say about an estimate: messages for `core.warning` and `core.setFailed`. */
export interface Verdict {
  warnings: string[];
  failures: string[];
}

/** The threshold inputs. */
export interface ThresholdInputs {
  warnAbove?: Threshold;
  failAbove?: Threshold;
  failOnBudgetExceeded: boolean;
}

/**
 * Compares the monthly delta with `warn-above` and `fail-above`, and each team's forecast plus
 * the change with its budget when `fail-on-budget-exceeded` is set. Each message names the input
 * and the figures.
 *
 * @param estimate - the priced change
 * @param teams - per-team impact from {@link checkBudgets}
 * @param inputs - the thresholds
 * @returns warnings and failures, empty when nothing is crossed
 */
export function checkThresholds(estimate: Estimate, teams: TeamImpact[], inputs: ThresholdInputs): Verdict {
  const verdict: Verdict = { warnings: [], failures: [] };
  const figures = `the monthly delta is ${formatUsd(estimate.delta, true)} (${percentText(estimate)}), ${formatUsd(estimate.before)} → ${formatUsd(estimate.after)}`;
  if (inputs.failAbove && crosses(inputs.failAbove, estimate)) {
    verdict.failures.push(`fail-above "${inputs.failAbove.text}" crossed: ${figures}`);
  }
  if (inputs.warnAbove && crosses(inputs.warnAbove, estimate)) {
    verdict.warnings.push(`warn-above "${inputs.warnAbove.text}" crossed: ${figures}`);
  }
  for (const t of teams.filter((x) => x.over)) {
    const how =
      t.projected !== null
        ? `forecast ${formatUsd(t.forecast!)} + this change ${formatUsd(t.delta, true)} = ${formatUsd(t.projected)}`
        : `this change alone is ${formatUsd(t.delta, true)} a month`;
    const message = `team ${t.team} would exceed its monthly budget of ${formatUsd(t.budget!)}: ${how}`;
    if (inputs.failOnBudgetExceeded) verdict.failures.push(`fail-on-budget-exceeded: ${message}`);
    else verdict.warnings.push(message);
  }
  return verdict;
}

/** "+12.50%", or "n/a" when the estimate had no cost before. */
export function percentText(estimate: Pick<Estimate, 'deltaPercent'>): string {
  if (estimate.deltaPercent === null) return 'n/a';
  return `${estimate.deltaPercent.startsWith('-') || estimate.deltaPercent === '0.00' ? '' : '+'}${estimate.deltaPercent}%`;
}
