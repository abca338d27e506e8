/**
 * Reconciliation of one org's month: allocations against billing lines, billing lines against
 * the invoice usage subtotal, the native export against both, and completeness. Every check
 * reports both sides and the difference; `fail` blocks closing, `warn` does not.
 */

import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Month } from '../allocation/period.ts';
import type { Store } from '../storage/database.ts';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

/** One reconciliation check. Amounts are exact decimal strings. */
export interface CheckResult {
  id: 'conservation' | 'invoice' | 'export_totals' | 'export_owners' | 'completeness';
  title: string;
  status: CheckStatus;
  left?: { label: string; value: string };
  right?: { label: string; value: string };
  difference?: string;
  /** Named findings: lines, days, owners. */
  details: string[];
}

/** What a check reads: the month, the run, and an invoice subtotal if one is known. */
export interface CheckInput {
  store: Store;
  orgId: string;
  period: Month;
  runId: string;
  invoiceSubtotal?: { amount: string; source: string };
  settled: boolean;
  settlesAt: string;
  /** Days before this one are expected to have billing lines (the month, or up to today). */
  expectedUntil: string;
}

const d = (v: string | number | null | undefined) => new Decimal(v ?? 0);
const MAX_DETAILS = 20;

async function rows<T>(input: CheckInput, query: SQL): Promise<T[]> {
  return input.store.query<T>(query);
}

/** Σ allocations of the run = Σ billed lines, per line and per day, to the last digit. */
export async function checkConservation(input: CheckInput): Promise<CheckResult> {
  const { orgId, period, runId } = input;
  const lines = sql`select id, start_date, product, line_type, resource_id, amount from billing_lines
    where org_id = ${orgId} and start_date >= ${period.from} and start_date < ${period.to}`;
  const allocated = sql`select line_id, sum(amount) as amount from allocations where run_id = ${runId} group by line_id`;
  const mismatches = await rows<{
    id: number;
    day: string;
    line_type: string;
    resource_id: string | null;
    billed: string;
    allocated: string;
  }>(
    input,
    sql`select coalesce(l.id, a.line_id) as id, to_char(l.start_date, 'YYYY-MM-DD') as day, l.line_type, l.resource_id,
          coalesce(l.amount, 0) as billed, coalesce(a.amount, 0) as allocated
        from (${lines}) l full outer join (${allocated}) a on a.line_id = l.id
        where coalesce(l.amount, 0) <> coalesce(a.amount, 0)
        order by 1`,
  );
  const [totals] = await rows<{ billed: string; allocated: string }>(
    input,
    sql`select (select coalesce(sum(amount), 0) from (${lines}) l) as billed,
               (select coalesce(sum(amount), 0) from allocations where run_id = ${runId}) as allocated`,
  );
  const billed = d(totals?.billed);
  const alloc = d(totals?.allocated);
  return {
    id: 'conservation',
    title: 'Allocations sum to the billed amount, per line and per day',
    status: mismatches.length === 0 && billed.equals(alloc) ? 'pass' : 'fail',
    left: { label: 'allocated', value: alloc.toFixed() },
    right: { label: 'billed', value: billed.toFixed() },
    difference: alloc.minus(billed).toFixed(),
    details: mismatches
      .slice(0, MAX_DETAILS)
      .map((m) =>
        m.day
          ? `line ${m.id} (${m.day} ${m.line_type} ${m.resource_id ?? 'no resource'}): allocated ${d(m.allocated).toFixed()} ≠ billed ${d(m.billed).toFixed()}`
          : `line ${m.id}: allocated ${d(m.allocated).toFixed()} but the line is no longer billed`,
      ),
  };
}

/** Σ billing lines against the invoice's usage subtotal; passes within less than one cent. */
export async function checkInvoice(input: CheckInput): Promise<CheckResult> {
  const title =
    'Billing lines match the invoice usage subtotal (tax, marketplace and prior-period adjustments excluded)';
  const [total] = await rows<{ billed: string }>(
    input,
    sql`select coalesce(sum(amount), 0) as billed from billing_lines
        where org_id = ${input.orgId} and start_date >= ${input.period.from} and start_date < ${input.period.to}`,
  );
  const billed = d(total?.billed);
  if (!input.invoiceSubtotal) {
    return {
      id: 'invoice',
      title,
      status: 'skip',
      left: { label: 'billing lines', value: billed.toFixed() },
      details: [
        `no invoice subtotal for ${input.period.month}: pass --invoice-subtotal or set organizations[].invoices in ccost.yaml`,
      ],
    };
  }
  const invoice = d(input.invoiceSubtotal.amount);
  const diff = billed.minus(invoice);
  return {
    id: 'invoice',
    title,
    status: diff.abs().lt('0.01') ? 'pass' : 'fail',
    left: { label: 'billing lines', value: billed.toFixed() },
    right: { label: `invoice (${input.invoiceSubtotal.source})`, value: invoice.toFixed() },
    difference: diff.toFixed(),
    details: diff.abs().lt('0.01')
      ? []
      : [`billing lines are ${diff.isNegative() ? 'below' : 'above'} the invoice by ${diff.abs().toFixed()}`],
  };
}

/** Confluent's export category for a Billing API product. */
export function exportCategory(product: string, lineType: string): string {
  if (lineType === 'PROMO_CREDIT') return 'unallocated';
  if (product.startsWith('SUPPORT')) return 'support';
  const map: Record<string, string> = {
    STREAM_GOVERNANCE: 'governance',
    CLUSTER_LINK: 'cluster_link',
    CUSTOM_CONNECT: 'connect',
    KSQL: 'ksql',
    AUDIT_LOG: 'audit_log',
  };
  return map[product] ?? product.toLowerCase();
}

/** Native export totals against the Billing API, overall and per product category. */
export async function checkExportTotals(input: CheckInput): Promise<CheckResult> {
  const title = 'Native cost-allocation export agrees with the Billing API, in total and per product';
  const exported = await exportRows<{ product: string; amount: string }>(
    input,
    sql`select lower(product) as product, sum(chargeback_cost) as amount from export_allocations`,
    sql`group by 1`,
  );
  if (exported.length === 0) return noExport('export_totals', title);
  const billed = await rows<{ product: string; line_type: string; amount: string }>(
    input,
    sql`select product, line_type, sum(amount) as amount from billing_lines
        where org_id = ${input.orgId} and start_date >= ${input.period.from} and start_date < ${input.period.to}
        group by 1, 2`,
  );
  const ours = new Map<string, Decimal>();
  for (const b of billed) {
    const key = exportCategory(b.product, b.line_type);
    ours.set(key, (ours.get(key) ?? d(0)).plus(b.amount));
  }
  const theirs = new Map(exported.map((e) => [e.product, d(e.amount)]));
  const details: string[] = [];
  for (const key of [...new Set([...ours.keys(), ...theirs.keys()])].sort()) {
    const a = ours.get(key) ?? d(0);
    const b = theirs.get(key) ?? d(0);
    if (!a.equals(b))
      details.push(
        `${key}: billing ${a.toFixed()} vs export ${b.toFixed()} (difference ${a.minus(b).toFixed()})`,
      );
  }
  const totalOurs = [...ours.values()].reduce((s, v) => s.plus(v), d(0));
  const totalTheirs = [...theirs.values()].reduce((s, v) => s.plus(v), d(0));
  return {
    id: 'export_totals',
    title,
    status: details.length === 0 ? 'pass' : 'fail',
    left: { label: 'billing lines', value: totalOurs.toFixed() },
    right: { label: 'native export', value: totalTheirs.toFixed() },
    difference: totalOurs.minus(totalTheirs).toFixed(),
    details,
  };
}

/** Our allocation against the native export per owner: the largest differences and an agreement score. */
export async function checkExportOwners(input: CheckInput): Promise<CheckResult> {
  const title = "ccost's allocation against the native export, per owner";
  const theirs = await exportRows<{ owner_id: string; amount: string }>(
    input,
    sql`select owner_id, sum(chargeback_cost) as amount from export_allocations`,
    sql`group by 1`,
  );
  if (theirs.length === 0) return noExport('export_owners', title);
  const ours = await rows<{ owner_id: string; amount: string }>(
    input,
    sql`select owner_id, sum(amount) as amount from allocations where run_id = ${input.runId} group by 1`,
  );
  const a = new Map(ours.map((o) => [o.owner_id, d(o.amount)]));
  const b = new Map(theirs.map((o) => [o.owner_id, d(o.amount)]));
  const diffs = [...new Set([...a.keys(), ...b.keys()])].map((owner) => ({
    owner,
    ours: a.get(owner) ?? d(0),
    theirs: b.get(owner) ?? d(0),
  }));
  const gap = diffs.reduce((s, x) => s.plus(x.ours.minus(x.theirs).abs()), d(0));
  const scale = diffs.reduce((s, x) => s.plus(x.ours.abs()).plus(x.theirs.abs()), d(0));
  const agreement = scale.isZero() ? d(1) : d(1).minus(gap.div(scale));
  diffs.sort(
    (x, y) =>
      y.ours.minus(y.theirs).abs().comparedTo(x.ours.minus(x.theirs).abs()) || x.owner.localeCompare(y.owner),
  );
  return {
    id: 'export_owners',
    title,
    status: 'info',
    left: { label: 'agreement', value: agreement.toFixed(4, Decimal.ROUND_HALF_EVEN) },
    details: diffs
      .filter((x) => !x.ours.equals(x.theirs))
      .slice(0, 10)
      .map((x) => `${x.owner}: ccost ${x.ours.toFixed()} vs export ${x.theirs.toFixed()}`),
  };
}

/** The result of an export check for a month with no imported native export. */
function noExport(id: CheckResult['id'], title: string): CheckResult {
  return { id, title, status: 'skip', details: ['no native export imported for this month'] };
}

async function exportRows<T>(input: CheckInput, select: SQL, tail: SQL): Promise<T[]> {
  return rows<T>(
    input,
    sql`${select} where org_id = ${input.orgId}
        and bucket_start >= ${`${input.period.from}T00:00:00Z`}::timestamptz and bucket_start < ${`${input.period.to}T00:00:00Z`}::timestamptz ${tail}`,
  );
}

/** Missing days, the settling window, usage gaps, metrics outages and unmapped owners. */
export async function checkCompleteness(input: CheckInput): Promise<CheckResult> {
  const { orgId, period, runId } = input;
  const missing = await rows<{ day: string }>(
    input,
    sql`select to_char(g.day, 'YYYY-MM-DD') as day
        from generate_series(${period.from}::date, (${input.expectedUntil}::date - 1), interval '1 day') as g(day)
        where not exists (select 1 from billing_lines l where l.org_id = ${orgId} and l.start_date = g.day::date)
        order by 1`,
  );
  const noUsage = await rows<{ resource_id: string; day: string }>(
    input,
    sql`select distinct l.resource_id, to_char(l.start_date, 'YYYY-MM-DD') as day from billing_lines l
        where l.org_id = ${orgId} and l.start_date >= ${period.from} and l.start_date < ${period.to}
          and l.resource_id like 'lkc-%'
          and not exists (select 1 from usage u where u.org_id = l.org_id and u.resource_id = l.resource_id
                          and u.granularity = 'day' and u.bucket_start = l.start_date::timestamptz)
        order by 2, 1`,
  );
  const failures = await rows<{ resource_id: string; day: string }>(
    input,
    sql`select resource_id, to_char(day, 'YYYY-MM-DD') as day from usage_fetches
        where org_id = ${orgId} and status <> 'ok' and day >= ${period.from} and day < ${period.to} order by 2, 1`,
  );
  const unmapped = await rows<{ owner_id: string; amount: string }>(
    input,
    sql`select owner_id, sum(amount) as amount from allocations where run_id = ${runId} and team = 'unowned'
        group by 1 order by 2 desc, 1`,
  );
  const fails = [
    ...missing.map((m) => `no billing lines on ${m.day}`),
    ...(input.settled ? [] : [`the month is still settling: billing can change until ${input.settlesAt}`]),
  ];
  const warns = [
    ...noUsage.slice(0, MAX_DETAILS).map((u) => `${u.resource_id} ${u.day}: billed but no usage collected`),
    ...failures.slice(0, MAX_DETAILS).map((f) => `${f.resource_id} ${f.day}: metrics fetch failed`),
    ...unmapped.slice(0, MAX_DETAILS).map((u) => `${u.owner_id} maps to no team: ${d(u.amount).toFixed()}`),
  ];
  return {
    id: 'completeness',
    title: 'Every day billed and settled; usage, metrics and team mappings complete',
    status: fails.length > 0 ? 'fail' : warns.length > 0 ? 'warn' : 'pass',
    details: [...fails, ...warns],
  };
}
