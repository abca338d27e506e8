/**
 * Anomaly alerts: a team's or a resource's daily cost that jumps more than `threshold_percent`
 * over the mean of the previous `baseline_days` days and by at least `min_increase` dollars. Each
 * anomaly is sent once (its own key), gathered into one summary per channel per day, sent from the
 * configured hour on. Exact decimals throughout.
 */
import { Decimal } from 'decimal.js';
import { addDays } from '../calendar/days.ts';
import type { Config } from '../config/schema.ts';
import type { Store } from '../storage/database.ts';
import { dayOf } from './calendar.ts';
import { type CostDimension, dailyCostsBy, daysWithData, displayNames } from './costs.ts';
import { takenKeys } from './sent-messages.ts';
import type { Anomaly, AnomalySummary } from './types.ts';

/**
 * Days before today that are checked. Billing can arrive 72 hours late, so a spike may only show
 * up days later; an anomaly not in today's summary is still sent in a later one within this window.
 */
export const LOOKBACK_DAYS = 3;

/** `anomaly:<team|resource>:<id>:<day>`. */
export function anomalyKey(subject: 'team' | 'resource', id: string, day: string): string {
  return `anomaly:${subject}:${id}:${day}`;
}

/** `anomalies:<channel>:<day>`: one summary per channel and sending day. */
export function anomalySummaryKey(channel: string, day: string): string {
  return `anomalies:${channel}:${day}`;
}

/** Settings of the detection. */
export interface AnomalyRule {
  thresholdPercent: number;
  minIncrease: string;
  baselineDays: number;
}

/**
 * Whether `amount` is anomalous against `baseline` (a mean): more than `thresholdPercent` above
 * it and at least `minIncrease` more. Exact: (amount − baseline) · 100 > baseline · percent.
 */
export function isAnomalous(amount: Decimal, baseline: Decimal, rule: AnomalyRule): boolean {
  const increase = amount.minus(baseline);
  if (increase.lt(rule.minIncrease) || increase.lte(0)) return false;
  return increase.times(100).gt(baseline.times(rule.thresholdPercent));
}

/**
 * Finds the anomalies of one dimension on `days`. A baseline is the mean over the previous
 * `baselineDays` days that have any data (days before collection started are not zero cost); at
 * least half of them must have data, else the day is not judged.
 */
export async function findAnomalies(
  store: Store,
  options: { by: 'team' | 'resource'; days: string[]; rule: AnomalyRule },
): Promise<Anomaly[]> {
  const { by, days, rule } = options;
  if (days.length === 0) return [];
  const from = addDays(days[0]!, -rule.baselineDays);
  const to = addDays(days.at(-1)!, 1);
  const dimension: CostDimension = by;
  const [rows, dataDays] = await Promise.all([
    dailyCostsBy(store, { from, to }, dimension),
    daysWithData(store, { from, to }),
  ]);
  const withData = new Set(dataDays);
  const byKey = new Map<string, Map<string, Decimal>>();
  for (const r of rows) {
    if (!byKey.has(r.key)) byKey.set(r.key, new Map());
    byKey.get(r.key)!.set(r.day, new Decimal(r.amount));
  }
  const found: Anomaly[] = [];
  for (const day of days) {
    if (!withData.has(day)) continue;
    const baselineDays: string[] = [];
    for (let i = rule.baselineDays; i >= 1; i--) {
      const d = addDays(day, -i);
      if (withData.has(d)) baselineDays.push(d);
    }
    if (baselineDays.length * 2 < rule.baselineDays) continue;
    for (const [key, amounts] of byKey) {
      const amount = amounts.get(day) ?? new Decimal(0);
      const baseline = baselineDays
        .reduce((s, d) => s.plus(amounts.get(d) ?? 0), new Decimal(0))
        .div(baselineDays.length);
      if (!isAnomalous(amount, baseline, rule)) continue;
      const increase = amount.minus(baseline);
      found.push({
        key: anomalyKey(by, key, day),
        subject: by,
        id: key,
        name: null,
        day,
        amount: amount.toFixed(),
        baseline: baseline.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(),
        increase: increase.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(),
        percent: baseline.isZero()
          ? null
          : increase.div(baseline).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN),
        baselineDays: baselineDays.length,
      });
    }
  }
  const names = await displayNames(
    store,
    found.filter((a) => a.subject === 'resource').map((a) => a.id),
  );
  return found.map((a) => ({ ...a, name: names.get(a.id) ?? null }));
}

/**
 * The anomaly summaries due at `now`: from `anomalies.hour` on, the unsent anomalies of the last
 * {@link LOOKBACK_DAYS} days grouped by channel — a team's to `anomalies.channel` or its own
 * channel, a resource's to `anomalies.channel` or the finance channel — one summary per channel
 * and day.
 */
export async function dueAnomalySummaries(
  store: Store,
  config: Config,
  now: Date,
): Promise<AnomalySummary[]> {
  const settings = config.digests.anomalies;
  if (!settings.enabled || now.getUTCHours() < settings.hour) return [];
  const today = dayOf(now);
  const days = Array.from({ length: LOOKBACK_DAYS }, (_, i) => addDays(today, i - LOOKBACK_DAYS));
  const rule: AnomalyRule = {
    thresholdPercent: settings.threshold_percent,
    minIncrease: settings.min_increase,
    baselineDays: settings.baseline_days,
  };
  const anomalies = [
    ...(await findAnomalies(store, { by: 'team', days, rule })),
    ...(await findAnomalies(store, { by: 'resource', days, rule })),
  ];
  const channelOf = (a: Anomaly) =>
    settings.channel ??
    (a.subject === 'team' ? config.teams[a.id]?.slack_channel : config.slack.finance_channel) ??
    null;
  const taken = await takenKeys(
    store,
    anomalies.map((a) => a.key),
  );
  const byChannel = new Map<string, Anomaly[]>();
  for (const a of anomalies) {
    const channel = channelOf(a);
    if (!channel || taken.has(a.key)) continue;
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), a]);
  }
  const summaryKeys = [...byChannel.keys()].map((c) => anomalySummaryKey(c, today));
  const takenSummaries = await takenKeys(store, summaryKeys);
  return [...byChannel.entries()]
    .filter(([channel]) => !takenSummaries.has(anomalySummaryKey(channel, today)))
    .map(([channel, list]) => ({
      kind: 'anomaly_summary',
      key: anomalySummaryKey(channel, today),
      channel,
      day: today,
      anomalies: list,
    }));
}
