import { Decimal } from 'decimal.js';
import { formatUsd } from '../money/amount.ts';
import { centsForDisplay } from '../money/display.ts';
import type { Answer, AnswerBudget, AnswerReconciliation, Breakdown } from './answer.ts';

/** "+$120.00 (+12.0%)" or "no cost in the previous period". */
export function changeText(current: string, previous: string): string {
  const delta = new Decimal(current).minus(previous);
  if (new Decimal(previous).isZero()) return `${formatUsd(delta, { sign: true })} (no cost before)`;
  const pct = delta.div(previous).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN);
  return `${formatUsd(delta, { sign: true })} (${delta.isNegative() ? '' : '+'}${pct}%)`;
}

/** KAFKA → Kafka, STREAM_GOVERNANCE → Stream Governance. */
export function productLabel(product: string): string {
  const special: Record<string, string> = { KSQL: 'ksqlDB', CLUSTER_LINK: 'Cluster Linking', USM: 'USM' };
  if (special[product]) return special[product];
  return product
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * The terminal rendering of an answer: title and total, change against the previous period, the
 * breakdown (shown cents add up to the shown total), movers, budget, reconciliation, and a footer
 * with the period's state, completeness, freshness, unallocated and high-confidence shares.
 */
export function formatAnswer(answer: Answer): string {
  const lines = [`${answer.title}, ${answer.period.label}: ${formatUsd(answer.total)}`];
  if (answer.previous) {
    const p = answer.previous;
    lines.push(`  ${changeText(answer.total, p.total)} vs ${p.period.label} (${formatUsd(p.total)})`);
  }
  if (answer.breakdown) lines.push('', ...breakdownLines(answer.breakdown, answer.total));
  if (answer.movers.length > 0) lines.push('', ...moverLines(answer));
  if (answer.budget) lines.push('', `  ${budgetLine(answer.budget)}`);
  if (answer.reconciliation) lines.push('', ...reconciliationLines(answer.reconciliation));
  lines.push('', `  ${footer(answer)}`);
  for (const note of answer.notes) lines.push(`  ${note}`);
  return `${lines.join('\n')}\n`;
}

const DIMENSION_TITLES: Record<string, string> = {
  product: 'By product',
  principal: 'By owner (principal or resource)',
  resource: 'By resource',
  cluster: 'By cluster',
  environment: 'By environment',
  team: 'By team',
  day: 'By day',
};

function breakdownLines(breakdown: Breakdown, total: string): string[] {
  const rows = breakdown.rows.map((r) => ({
    label: rowLabel(breakdown.dimension, r.key, r.name),
    amount: r.amount,
    percent: r.percent,
    reasons: r.reasons,
  }));
  if (breakdown.other) {
    const { count, amount } = breakdown.other;
    rows.push({
      label: `${count} other${count === 1 ? '' : 's'}`,
      amount,
      percent: null,
      reasons: undefined,
    });
  }
  const title = `  ${DIMENSION_TITLES[breakdown.dimension] ?? `By ${breakdown.dimension}`}`;
  if (rows.length === 0) return [title, '    (nothing)'];
  // Cents rounded together, so the shown parts add up to the shown total.
  const cents = centsForDisplay(rows.map((r) => r.amount));
  const width = Math.max(5, ...rows.map((r) => r.label.length));
  const out = rows.flatMap((r, i) => {
    const share = r.percent ?? (new Decimal(total).isZero() ? '' : percentText(r.amount, total));
    const line = `    ${r.label.padEnd(width)}  ${formatUsd(cents.parts[i]!).padStart(12)}  ${share ? `${share}%`.padStart(6) : ''}`;
    return [line.trimEnd(), ...(r.reasons ?? []).map((reason) => `      ${reason}`)];
  });
  return [title, ...out, `    ${'Total'.padEnd(width)}  ${formatUsd(cents.total).padStart(12)}`];
}

function percentText(amount: string, total: string): string {
  return new Decimal(amount).div(total).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN);
}

function rowLabel(dimension: string, key: string, name: string | null): string {
  if (dimension === 'product') return name ?? productLabel(key);
  return name && name !== key ? `${name} (${key})` : key;
}

function moverLines(answer: Answer): string[] {
  const label = answer.previous?.period.label ?? 'the previous period';
  const rows = answer.movers.map((m) => ({
    label: rowLabel(m.dimension, m.key, m.name),
    text: `${formatUsd(m.delta, { sign: true })}  (${formatUsd(m.previous)} → ${formatUsd(m.current)})`,
  }));
  const width = Math.max(...rows.map((r) => r.label.length));
  return [`  Top movers vs ${label}`, ...rows.map((r) => `    ${r.label.padEnd(width)}  ${r.text}`)];
}

const BUDGET_WORDS: Record<AnswerBudget['status'], string> = {
  under: 'under budget',
  at_risk: 'at risk',
  over: 'forecast over budget',
};

/** "Budget $5,000.00 a month: $3,100.00 spent, forecast $6,020.00 (109.5%) — forecast over budget". */
export function budgetLine(budget: AnswerBudget): string {
  return `Budget ${formatUsd(budget.monthly)} a month (${budget.month}): ${formatUsd(budget.actual)} spent, forecast ${formatUsd(budget.forecast)} (${budget.percentOfBudget}% of budget) — ${BUDGET_WORDS[budget.status]}`;
}

const CHECK_MARKS: Record<string, string> = { pass: '✓', warn: '!', fail: '✗', skip: '·' };

function reconciliationLines(rec: AnswerReconciliation): string[] {
  if (rec.outcome === 'not_run') return [`  Reconciliation ${rec.month}: not run`];
  return [
    `  Reconciliation ${rec.month}: ${rec.outcome}`,
    ...rec.checks.map(
      (c) => `    ${CHECK_MARKS[c.outcome] ?? '?'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`,
    ),
  ];
}

/** "closed · complete · data through 2026-10-31 · collected … · unallocated $1.00 (2.0%) · 97.0% high confidence". */
function footer(answer: Answer): string {
  const { period, trust } = answer;
  const parts = [
    period.state === 'mixed'
      ? `months ${period.months.map((m) => `${m.month} ${m.state}`).join(', ')}`
      : period.state,
    period.complete ? 'complete' : 'partial (period not over)',
    trust.dataThrough ? `data through ${trust.dataThrough}` : 'no billing data',
    trust.collectedAt
      ? `collected ${trust.collectedAt.slice(0, 16).replace('T', ' ')} UTC`
      : 'never collected',
    `unallocated ${formatUsd(trust.unallocated)}${trust.unallocatedPercent ? ` (${trust.unallocatedPercent}%)` : ''}`,
  ];
  if (trust.highConfidencePercent) parts.push(`${trust.highConfidencePercent}% high confidence`);
  return parts.join(' · ');
}
