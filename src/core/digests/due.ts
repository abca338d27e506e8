/** Everything the digest jobs would send at `now`, by kind. */
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { dueAnomalySummaries } from './anomalies.ts';
import { dueBudgetAlerts } from './budget-alerts.ts';
import { dueMonthlyCloses } from './monthly-close.ts';
import type { DigestMessage } from './types.ts';
import { dueWeeklyDigests } from './weekly.ts';

/** The kinds of scheduled message, each its own scheduler job. */
export const DIGEST_KINDS = ['monthly_close', 'weekly_team', 'budget_alert', 'anomaly_summary'] as const;
/** One of {@link DIGEST_KINDS}. */
export type DigestJobKind = (typeof DIGEST_KINDS)[number];

/** The messages of one kind due at `now` and not yet claimed. */
export function dueOfKind(
  store: Store,
  config: Config,
  kind: DigestJobKind,
  now: Date,
): Promise<DigestMessage[]> {
  switch (kind) {
    case 'monthly_close':
      return dueMonthlyCloses(store, config, now);
    case 'weekly_team':
      return dueWeeklyDigests(store, config, now);
    case 'budget_alert':
      return dueBudgetAlerts(store, config, now);
    case 'anomaly_summary':
      return dueAnomalySummaries(store, config, now);
  }
}

/** Every message due at `now`, in kind order. */
export async function dueDigests(store: Store, config: Config, now: Date): Promise<DigestMessage[]> {
  const all: DigestMessage[] = [];
  for (const kind of DIGEST_KINDS) all.push(...(await dueOfKind(store, config, kind, now)));
  return all;
}
