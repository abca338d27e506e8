import { Decimal } from 'decimal.js';
import { formatUsd } from '../money/amount.ts';
import { centsForDisplay } from '../money/display.ts';
import type { TeamAnswer } from './team.ts';

/** A terminal rendering of a team answer: total, change, products, top principals. */
export function formatTeamAnswer(answer: TeamAnswer): string {
  const lines = [`Team ${answer.team}, ${answer.period.label}: ${formatUsd(answer.total)}`];
  lines.push(
    `  ${changeText(answer.total, answer.previousTotal)} vs ${answer.previous.label} (${formatUsd(answer.previousTotal)})`,
  );
  lines.push('', '  By product');
  lines.push(
    ...table(
      answer.byProduct.map((p) => ({ label: productLabel(p.key), amount: p.amount })),
      answer.total,
    ),
  );
  lines.push('', '  Top owners (principals and resources)');
  lines.push(
    ...table(
      answer.topPrincipals.map((p) => ({
        label: p.name && p.name !== p.key ? `${p.name} (${p.key})` : p.key,
        amount: p.amount,
      })),
      answer.total,
    ),
  );
  return `${lines.join('\n')}\n`;
}

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

function table(rows: { label: string; amount: string }[], total: string): string[] {
  if (rows.length === 0) return ['    (none)'];
  const cents = centsForDisplay(rows.map((r) => r.amount));
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r, i) => {
    const share = new Decimal(total).isZero()
      ? ''
      : `${new Decimal(r.amount).div(total).times(100).toFixed(1)}%`;
    return `    ${r.label.padEnd(width)}  ${formatUsd(cents.parts[i]!).padStart(12)}  ${share.padStart(6)}`;
  });
}
