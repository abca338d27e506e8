/**
 * The terminal text of insights: a headline with the count and the total estimated saving, then
 * each finding with its cost, saving, evidence and what to do. An empty result says so plainly.
 */
import { formatUsd } from '../money/amount.ts';
import type { Insight, InsightKind, InsightsResult } from './types.ts';

/** Short titles of each kind, for lists. */
export const KIND_TITLES: Record<InsightKind, string> = {
  idle_cluster: 'Idle cluster',
  underused_capacity: 'Underused capacity',
  high_variance: 'High day-to-day variance',
  idle_connector: 'Connector with little throughput',
  idle_flink_pool: 'Flink pool with little work',
  excess_partitions: 'Partitions far above need',
  unowned_spend: 'Unowned spend',
};

/** "2 findings, an estimated $224.84 a month to save", or the plain "nothing found" sentence. */
export function headline(result: InsightsResult, scope: string): string {
  const n = result.insights.length;
  if (n === 0)
    return `No insights for ${scope}: no idle or underused resources, nothing running without work, no unowned spend.`;
  return `${n} finding${n === 1 ? '' : 's'} for ${scope}: an estimated ${formatUsd(result.totalSaving)} a month to save`;
}

/** Who a finding is about: "orders-prod (lkc-abc12) · team payments". */
export function subjectLine(insight: Insight): string {
  const name =
    insight.subjectName && insight.subjectName !== insight.subjectId
      ? `${insight.subjectName} (${insight.subjectId})`
      : insight.subjectId;
  return insight.team ? `${name} · team ${insight.team}` : name;
}

/** "monthly cost $128.48 · saving $125.56 a month" (or "no saving estimated"). */
export function moneyLine(insight: Insight): string {
  const saving =
    insight.saving === '0' || /^0(\.0+)?$/.test(insight.saving)
      ? 'no saving estimated'
      : `est. saving ${formatUsd(insight.saving)} a month`;
  return `cost ${formatUsd(insight.monthlyCost)} a month · ${saving}`;
}

/** "billed partitions 44 · partitions needed 1". */
export function evidenceLine(insight: Insight): string {
  return insight.evidence.map((e) => `${e.label}: ${e.value}`).join(' · ');
}

/** The whole result as terminal text. */
export function formatInsights(result: InsightsResult, scope: string): string {
  const lines = [headline(result, scope)];
  result.insights.forEach((insight, i) => {
    lines.push(
      '',
      `${i + 1}. ${KIND_TITLES[insight.kind]} · ${subjectLine(insight)}`,
      `   ${insight.summary}`,
      `   ${moneyLine(insight)}`,
      `   evidence: ${evidenceLine(insight)}`,
      `   do: ${insight.action}`,
      `   saving basis: ${insight.savingBasis}`,
    );
  });
  lines.push('', `Days read: ${result.from} – ${result.to} (end exclusive)`, ...result.notes);
  return `${lines.join('\n')}\n`;
}
