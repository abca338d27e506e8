import type { Reconciliation } from './reconcile.ts';

const MARK: Record<string, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', info: 'INFO' };

/** A readable rendering of a reconciliation: one block per check with both sides and findings. */
export function formatReconciliation(rec: Reconciliation): string {
  const out = [
    `Reconciliation of ${rec.month} for ${rec.orgId} (run ${rec.runId}): ${rec.passed ? 'PASSED' : 'FAILED'}`,
    '',
  ];
  for (const check of rec.checks) {
    out.push(`[${MARK[check.status]}] ${check.title}`);
    const sides = [check.left, check.right].filter(Boolean).map((s) => `${s!.label} ${s!.value}`);
    if (check.difference !== undefined) sides.push(`difference ${check.difference}`);
    if (sides.length > 0) out.push(`       ${sides.join(' | ')}`);
    for (const detail of check.details) out.push(`       - ${detail}`);
  }
  return `${out.join('\n')}\n`;
}
