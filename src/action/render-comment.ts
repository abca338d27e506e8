import { Decimal } from 'decimal.js';
import type { Estimate, ResourceEstimate } from '../core/pricing/estimate.ts';
import { cell, formatUsd, freeLines, notEstimatedLines, priceTableLines } from '../core/pricing/render.ts';
import type { ChangeAction } from '../core/terraform/priced.ts';
import type { TeamImpact } from './check-budgets.ts';
import type { Verdict } from './check-thresholds.ts';
import { percentText } from './check-thresholds.ts';

/** Hidden marker of the action's sticky comment. */
export const COMMENT_MARKER = '<!-- ccost:estimate -->';

/** GitHub refuses comment bodies above this many characters. */
export const MAX_COMMENT_CHARS = 65_536;

/** A job summary step holds at most 1 MiB; keep well below it. */
export const MAX_SUMMARY_CHARS = 1_000_000;

/** Which prices applied, as the comment states it. */
export interface PriceStatement {
  /** Catalog keys priced at the organization's effective price. */
  effective: string[];
  /** Window of the effective prices (`2026-09-01 to 2026-10-01`). */
  effectiveWindow?: string;
  /** Why effective prices were not used at all (no ccost-url, server unreachable). */
  listReason?: string;
  /** Line types that stayed at list prices, with the reason. */
  skipped: { lineType: string; reason: string }[];
}

/** Everything the comment shows. */
export interface Report {
  estimate: Estimate;
  /** Team of each address. */
  owners: Record<string, string>;
  teams: TeamImpact[];
  /** YYYY-MM of the actuals. */
  month: string;
  /** Whether a ccost server answered for actuals, and why not. */
  actualsKnown: boolean;
  prices: PriceStatement;
  verdict: Verdict;
  runUrl?: string;
}

/** This run, as stamped into the comment. */
export interface RunStamp {
  runId: number;
  runAttempt: number;
}

const SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  delete: '−',
  replace: '−/+',
  'no-op': ' ',
};

/** `<!-- ccost:run=123:2 -->` */
export function runMarker(run: RunStamp): string {
  return `<!-- ccost:run=${run.runId}:${run.runAttempt} -->`;
}

/**
 * The run stamped in a comment body, or null when it has none.
 *
 * @param body - a comment body
 * @returns the run id and attempt
 */
export function parseRunMarker(body: string): RunStamp | null {
  const m = /<!-- ccost:run=(\d+):(\d+) -->/.exec(body);
  return m ? { runId: Number(m[1]), runAttempt: Number(m[2]) } : null;
}

/**
 * A body without what differs from run to run (the run marker and the link to the run), to tell
 * whether two runs produced the same comment.
 *
 * @param body - a comment body
 * @returns the body without its run-specific parts
 */
export function withoutRunMarker(body: string): string {
  return body.replace(/<!-- ccost:run=\d+:\d+ -->\n?/, '').replace(/\/actions\/runs\/\d+/g, '/actions/runs/');
}

/**
 * Renders the pull-request comment: the markers, the monthly before/after/delta, the changed
 * resources with their teams, the team budgets, the threshold verdict and, in `<details>`,
 * prices, not-estimated resources and assumptions. Above `limit` characters the details are
 * truncated first, then the resource table; the markers, totals and verdict always stay.
 *
 * @param report - what to show
 * @param run - this run, stamped in a hidden marker
 * @param limit - maximum length in characters (default {@link MAX_COMMENT_CHARS})
 * @returns the comment body
 */
export function renderComment(report: Report, run: RunStamp, limit = MAX_COMMENT_CHARS): string {
  return fitToLimit((l) => `${COMMENT_MARKER}\n${runMarker(run)}\n${renderBody(report, l)}`, report, limit);
}

/**
 * Renders the job summary: the comment's content without the markers.
 *
 * @param report - what to show
 * @param limit - maximum length in characters (default {@link MAX_SUMMARY_CHARS})
 * @returns markdown
 */
export function renderSummary(report: Report, limit = MAX_SUMMARY_CHARS): string {
  return fitToLimit((l) => renderBody(report, l), report, limit);
}

interface Limits {
  details: number;
  rows: number;
}

function fitToLimit(render: (limits: Limits) => string, report: Report, limit: number): string {
  const full = { details: Number.POSITIVE_INFINITY, rows: Number.POSITIVE_INFINITY };
  const first = render(full);
  if (first.length <= limit) return first;
  const largest = (max: number, make: (n: number) => Limits): number => {
    let lo = 0;
    let hi = max;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (render(make(mid)).length <= limit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const detailLines = detailsLines(report).length;
  if (render({ details: 0, rows: Number.POSITIVE_INFINITY }).length <= limit) {
    return render({
      details: largest(detailLines, (n) => ({ details: n, rows: Number.POSITIVE_INFINITY })),
      rows: Number.POSITIVE_INFINITY,
    });
  }
  const rows = largest(changedRows(report.estimate).length, (n) => ({ details: 0, rows: n }));
  const body = render({ details: 0, rows });
  return body.length <= limit ? body : body.slice(0, limit);
}

function changedRows(estimate: Estimate): ResourceEstimate[] {
  return estimate.resources.filter(
    (r) => (r.action !== 'no-op' || r.status === 'not_estimated') && r.status !== 'free',
  );
}

function freeRows(estimate: Estimate): ResourceEstimate[] {
  return estimate.resources.filter((r) => r.action !== 'no-op' && r.status === 'free');
}

function renderBody(report: Report, limits: Limits): string {
  const { estimate } = report;
  const delta = new Decimal(estimate.delta);
  const direction = delta.gt(0) ? 'increases' : delta.lt(0) ? 'decreases' : 'does not change';
  const icon = delta.gt(0) ? '📈' : delta.lt(0) ? '📉' : '';
  const lines = [
    '### ccost: Confluent Cloud monthly cost estimate',
    '',
    delta.isZero()
      ? `Monthly cost does not change: **${formatUsd(estimate.after)}**.`
      : `Monthly cost ${direction} by **${formatUsd(estimate.delta, true)}** (${percentText(estimate)}) ${icon}`,
    '',
    '| | monthly |',
    '|---|---:|',
    `| before | ${formatUsd(estimate.before)} |`,
    `| after | ${formatUsd(estimate.after)} |`,
    `| **delta** | **${formatUsd(estimate.delta, true)}** (${percentText(estimate)}) |`,
    '',
    `**Prices:** ${priceSentence(report)}`,
    '',
  ];
  for (const f of report.verdict.failures) lines.push(`> ❌ **${cell(f)}**`, '');
  for (const w of report.verdict.warnings) lines.push(`> ⚠️ ${cell(w)}`, '');

  const rows = changedRows(estimate);
  const free = freeRows(estimate);
  if (rows.length === 0) {
    lines.push(`No priced Confluent resources change${free.length ? ` (${free.length} free)` : ''}.`, '');
  } else {
    lines.push('| | resource | what changed | team | monthly delta |', '|---|---|---|---|---:|');
    for (const r of rows.slice(0, limits.rows)) {
      lines.push(
        `| ${SYMBOL[r.action]} | \`${cell(r.address)}\` | ${cell(r.whatChanged)} | ${cell(report.owners[r.address] ?? 'unowned')} | ${deltaCell(r)} |`,
      );
    }
    if (rows.length > limits.rows) {
      lines.push(`| | … ${rows.length - limits.rows} more resources (see the job summary) | | | |`);
    }
    if (free.length > 0) lines.push(`| | ${free.length} free resources (listed below) | | | $0.00 |`);
    lines.push('');
  }

  lines.push(...budgetSection(report));

  const details = detailsLines(report);
  const shown = details.slice(0, limits.details);
  lines.push(
    `<details><summary>Prices, assumptions and not-estimated resources (${estimate.notEstimated.length} not estimated)</summary>`,
    '',
    ...shown,
  );
  if (shown.length < details.length) {
    lines.push(
      '',
      `_… ${details.length - shown.length} more lines cut to fit the comment; the job summary has them all._`,
    );
  }
  lines.push('', '</details>', '');
  const footer = [`catalog ${estimate.catalogVersion}`];
  if (report.runUrl) footer.push(`[workflow run](${report.runUrl})`);
  lines.push(`<sub>ccost · ${footer.join(' · ')}</sub>`, '');
  return lines.join('\n');
}

function budgetSection(report: Report): string[] {
  if (report.teams.length === 0) return [];
  const lines = [
    `**Team budgets** (${report.month})`,
    '',
    '| team | monthly budget | month to date | forecast | this change | forecast + change | |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const t of report.teams) {
    const money = (v: string | null) => (v === null ? '?' : formatUsd(v));
    const status =
      t.budget === null
        ? 'no budget'
        : t.over === true
          ? '❌ over'
          : t.over === false
            ? '✅ within'
            : '❔ unknown';
    lines.push(
      `| ${cell(t.team)} | ${t.budget === null ? '—' : formatUsd(t.budget)} | ${money(t.actual)} | ${money(t.forecast)} | ${formatUsd(t.delta, true)} | ${money(t.projected)} | ${status} |`,
    );
  }
  lines.push('');
  const unknown = report.teams.filter((t) => t.actual === null && t.team !== 'unowned');
  if (!report.actualsKnown) {
    lines.push(
      '_Month-to-date actuals and forecasts are unknown: no ccost server answered (budgets from ccost.yaml alone; a team is marked over only when this change alone exceeds its budget)._',
      '',
    );
  } else if (unknown.length > 0) {
    lines.push(
      `_Actuals unknown for ${unknown.map((t) => `${cell(t.team)} (${cell(t.unknownReason ?? 'no answer')})`).join(', ')}._`,
      '',
    );
  }
  lines.push(
    "_forecast + change adds this change's full monthly delta to the month's run-rate forecast._",
    '',
  );
  return lines;
}

function detailsLines(report: Report): string[] {
  const { estimate } = report;
  const lines: string[] = [];
  lines.push(
    ...notEstimatedLines(estimate),
    ...priceTableLines(changedRows(estimate)),
    ...freeLines(freeRows(estimate)),
  );
  if (report.prices.skipped.length > 0) {
    lines.push('**Effective prices not used** (list prices instead)', '');
    for (const s of report.prices.skipped) lines.push(`- \`${cell(s.lineType)}\`: ${cell(s.reason)}`);
    lines.push('');
  }
  lines.push('**Assumptions**', '');
  for (const a of estimate.assumptions) lines.push(`- ${cell(a)}`);
  return lines;
}

function priceSentence(report: Report): string {
  const items = changedRows(report.estimate).flatMap((r) => r.items);
  const bases = new Set(items.map((i) => i.basis));
  const whats = (basis: string) => [
    ...new Set(items.filter((i) => i.basis === basis).map((i) => cell(i.what))),
  ];
  const parts: string[] = [];
  if (bases.has('effective')) {
    const window = report.prices.effectiveWindow ? `, ${report.prices.effectiveWindow}` : '';
    parts.push(
      `**effective** prices from your organization's billing lines (ccost${window}) for ${whats('effective').join(', ')}`,
    );
  }
  if (bases.has('override'))
    parts.push(`**override** prices from ccost.yaml for ${whats('override').join(', ')}`);
  const list = `**list** prices (catalog ${report.estimate.catalogVersion})`;
  if (parts.length === 0) {
    const why = report.prices.listReason ? ` (${cell(report.prices.listReason)})` : '';
    return `${list}${why}.`;
  }
  if (bases.has('list')) parts.push(`${list} for the rest`);
  return `${parts.join('; ')}.`;
}

function deltaCell(r: ResourceEstimate): string {
  if (r.status === 'not_estimated') return 'not estimated';
  if (r.status === 'free') return 'free';
  return formatUsd(r.delta ?? '0', true);
}
