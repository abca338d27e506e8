/**
 * Observed usage of the resources ccost knows: bytes in (request_bytes) and out (response_bytes)
 * of every principal, and retained bytes of every topic, over the last 30 complete days, as a
 * 30-day month in GB. GB are GiB (2^30 bytes), as Confluent bills and the price catalog prices.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';

/** Days observed, and the month usage is scaled to. */
export const OBSERVED_DAYS = 30;

/** Bytes in a GB as Confluent bills (GiB). */
export const BYTES_PER_GB = '1073741824';

/** Decimal places of the GB figures (a byte is ~1e-9 GB). */
const SCALE = 6;

/** Enough precision for byte sums of any size before the final rounding. */
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });

/** A resource's observed usage per month, exact decimal text in GB. */
export interface ObservedUsage {
  ingress_gb_month: string;
  egress_gb_month: string;
  /** Average retained bytes over the days topic usage was collected; null when none was. */
  storage_gb: string | null;
}

/** One known resource and its observed usage (null when no usage was collected in the window). */
export interface ResourceUsage {
  orgId: string;
  id: string;
  kind: string;
  displayName: string | null;
  environmentId: string | null;
  usage: ObservedUsage | null;
  /** Days of the window with usage collected: the sums are scaled by 30 / days. */
  days: number;
}

/** The window of the last 30 complete UTC days before `now`: [from, to). */
export function observedWindow(now: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(to.getTime() - OBSERVED_DAYS * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/**
 * Observed monthly usage of every resource valid at `now` (optionally of one organization).
 * Ingress and egress are the daily principal bytes summed over the window and scaled to 30 days
 * by the days collected (a day counts when its fetch succeeded or it has usage rows); storage is
 * the mean over the days with topic rows of the retained bytes summed over topics.
 */
export async function observedUsage(
  store: Store,
  options: { now: Date; orgId?: string },
): Promise<ResourceUsage[]> {
  const at = options.now.toISOString();
  const { from, to } = observedWindow(options.now);
  const org = options.orgId ?? null;
  const resources = await store.query<{
    org_id: string;
    id: string;
    kind: string;
    display_name: string | null;
    environment_id: string | null;
  }>(sql`
    select org_id, id, kind, display_name, environment_id from resources
    where valid_from <= ${at}::timestamptz and (valid_to is null or valid_to > ${at}::timestamptz)
      and (${org}::text is null or org_id = ${org}::text)
    order by org_id, id`);
  const sums = await store.query<{
    org_id: string;
    resource_id: string;
    ingress: string | null;
    egress: string | null;
    retained: string | null;
    retained_days: string | number;
  }>(sql`
    select org_id, resource_id,
      sum(value) filter (where subject_kind = 'principal' and metric = 'request_bytes')::text as ingress,
      sum(value) filter (where subject_kind = 'principal' and metric = 'response_bytes')::text as egress,
      sum(value) filter (where subject_kind = 'topic' and metric = 'retained_bytes')::text as retained,
      count(distinct bucket_start) filter (where subject_kind = 'topic' and metric = 'retained_bytes') as retained_days
    from usage
    where granularity = 'day' and bucket_start >= ${from}::timestamptz and bucket_start < ${to}::timestamptz
      and (${org}::text is null or org_id = ${org}::text)
    group by org_id, resource_id`);
  const days = await store.query<{ org_id: string; resource_id: string; days: string | number }>(sql`
    select org_id, resource_id, count(distinct day) as days from (
      select org_id, resource_id, day from usage_fetches
      where status = 'ok' and day >= ${from}::date and day < ${to}::date
      union
      select org_id, resource_id, (bucket_start at time zone 'UTC')::date as day from usage
      where granularity = 'day' and bucket_start >= ${from}::timestamptz and bucket_start < ${to}::timestamptz
    ) d
    where (${org}::text is null or org_id = ${org}::text)
    group by org_id, resource_id`);
  const key = (orgId: string, id: string) => `${orgId}\u0000${id}`;
  const sumBy = new Map(sums.map((s) => [key(s.org_id, s.resource_id), s]));
  const daysBy = new Map(days.map((d) => [key(d.org_id, d.resource_id), Number(d.days)]));
  return resources.map((r) => {
    const n = daysBy.get(key(r.org_id, r.id)) ?? 0;
    const s = sumBy.get(key(r.org_id, r.id));
    const retainedDays = Number(s?.retained_days ?? 0);
    const usage: ObservedUsage | null =
      n === 0
        ? null
        : {
            ingress_gb_month: perMonth(s?.ingress ?? '0', n),
            egress_gb_month: perMonth(s?.egress ?? '0', n),
            storage_gb: s?.retained && retainedDays > 0 ? gb(new D(s.retained).div(retainedDays)) : null,
          };
    return {
      orgId: r.org_id,
      id: r.id,
      kind: r.kind,
      displayName: r.display_name,
      environmentId: r.environment_id,
      usage,
      days: n,
    };
  });
}

/** Bytes over `days` days as GB per 30-day month. */
function perMonth(bytes: string, days: number): string {
  return gb(new D(bytes).times(OBSERVED_DAYS).div(days));
}

function gb(bytes: Decimal): string {
  return bytes.div(BYTES_PER_GB).toDecimalPlaces(SCALE, Decimal.ROUND_HALF_UP).toFixed();
}
