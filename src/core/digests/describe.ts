/** One line per scheduled message, for `ccost digest run --dry-run` and logs. */
import { formatUsd } from '../money/amount.ts';
import type { DigestMessage } from './types.ts';

/** "monthly_close → #finance (monthly_close:org-1:2026-10): October 2026, $1,234.56, provisional". */
export function describeDigest(message: DigestMessage): string {
  const head = `${message.kind} → ${message.channel} (${message.key})`;
  switch (message.kind) {
    case 'monthly_close':
      return `${head}: ${message.orgId} ${message.label}, ${formatUsd(message.total)}, ${message.state}, reconciliation ${message.reconciliation.outcome}`;
    case 'weekly_team':
      return `${head}: team ${message.team} ${message.label}, ${formatUsd(message.total)} (was ${formatUsd(message.previousTotal)})`;
    case 'budget_alert':
      return `${head}: team ${message.team} forecast ${formatUsd(message.status.forecast)} is ${message.status.forecastPercent}% of ${formatUsd(message.status.budget)} (threshold ${message.threshold}%)`;
    case 'anomaly_summary':
      return `${head}: ${message.anomalies.length} anomal${message.anomalies.length === 1 ? 'y' : 'ies'} (${message.anomalies.map((a) => `${a.subject} ${a.id} ${a.day} ${formatUsd(a.amount)}`).join('; ')})`;
  }
}
