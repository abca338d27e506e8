import { Decimal } from 'decimal.js';
import type { ChangeAction } from '../terraform/priced.ts';
import type { Estimate, ResourceEstimate } from './estimate.ts';

/** Output formats of `ccost estimate`. */
export const estimateFormats = ['table', 'markdown', 'json'] as const;

/** One of `estimateFormats`. */
export type EstimateFormat = (typeof estimateFormats)[number];

/** Terraform-style symbols: + create, ~ update, − delete, −/+ replace. */
const SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  delete: '−',
  replace: '−/+',
  'no-op': ' ',
};

/** Renders an estimate for a terminal, a pull-request comment or a program. */
export function renderEstimate(estimate: Estimate, format: EstimateFormat): string {
  if (format === 'json') return `${JSON.stringify(estimate, null, 2)}\n`;
  return format === 'markdown' ? renderMarkdown(estimate) : renderTable(estimate);
}

/** "$1,234.57", rounded half-to-even to the cent; `signed` adds "+" to positive amounts. */
export function formatUsd(amount: string, signed = false): string {
  const value = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  const [whole, cents] = value.abs().toFixed(2).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value.isNegative() && !value.isZero() ? '-' : signed && value.gt(0) ? '+' : '';
  return `${sign}$${grouped}.${cents}`;
}

function percent(estimate: Estimate): string {
  if (estimate.deltaPercent === null) return 'n/a';
  const sign = new Decimal(estimate.deltaPercent).gt(0) ? '+' : '';
  return `${sign}${estimate.deltaPercent}%`;
}

function changed(estimate: Estimate): ResourceEstimate[] {
  return estimate.resources.filter((r) => r.action !== 'no-op' || r.status === 'not_estimated');
}

/** Changed resources that cost something or could not be estimated: the main table. */
function costly(estimate: Estimate): ResourceEstimate[] {
  return changed(estimate).filter((r) => r.status !== 'free');
}

/** Changed free resources (service accounts, ACLs, keys): listed, but out of the main table. */
function free(estimate: Estimate): ResourceEstimate[] {
  return changed(estimate).filter((r) => r.status === 'free');
}

function deltaCell(r: ResourceEstimate): string {
  if (r.status === 'not_estimated') return 'not estimated';
  if (r.status === 'free') return 'free';
  return formatUsd(r.delta ?? '0', true);
}

function renderMarkdown(estimate: Estimate): string {
  const lines = [
    '### Confluent Cloud monthly cost estimate',
    '',
    '| | monthly |',
    '|---|---:|',
    `| before | ${formatUsd(estimate.before)} |`,
    `| after | ${formatUsd(estimate.after)} |`,
    `| **delta** | **${formatUsd(estimate.delta, true)}** (${percent(estimate)}) |`,
    '',
  ];
  const rows = costly(estimate);
  const freeRows = free(estimate);
  if (rows.length === 0)
    lines.push(
      `No priced Confluent resources change${freeRows.length ? ` (${freeRows.length} free)` : ''}.`,
      '',
    );
  else {
    lines.push('| | resource | what changed | monthly delta |', '|---|---|---|---:|');
    for (const r of rows) {
      lines.push(
        `| ${SYMBOL[r.action]} | \`${cell(r.address)}\` | ${cell(r.whatChanged)} | ${deltaCell(r)} |`,
      );
    }
    if (freeRows.length > 0) lines.push(`| | ${freeRows.length} free resources (listed below) | | $0.00 |`);
    lines.push('');
  }
  lines.push(
    `<details><summary>Assumptions, prices and not-estimated resources (${estimate.notEstimated.length} not estimated)</summary>`,
    '',
  );
  lines.push(...notEstimatedLines(estimate), ...priceTableLines(rows), ...freeLines(freeRows));
  lines.push('**Assumptions**', '');
  for (const a of estimate.assumptions) lines.push(`- ${cell(a)}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

function renderTable(estimate: Estimate): string {
  const rows = costly(estimate).map((r) => [SYMBOL[r.action], r.address, r.whatChanged, deltaCell(r)]);
  const freeCount = free(estimate).length;
  const header = ['', 'resource', 'what changed', 'monthly delta'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => (i === row.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `before  ${formatUsd(estimate.before)}`,
    `after   ${formatUsd(estimate.after)}`,
    `delta   ${formatUsd(estimate.delta, true)} (${percent(estimate)})`,
    '',
  ];
  if (rows.length === 0) out.push('No priced Confluent resources change.');
  else out.push(line(header), ...rows.map(line));
  if (freeCount > 0)
    out.push(`(${freeCount} free resources change: service accounts, keys, ACLs, topics, …)`);
  if (estimate.notEstimated.length > 0) {
    out.push('', 'not estimated:');
    for (const n of estimate.notEstimated) out.push(`  ${n.address}: ${n.reason}`);
  }
  out.push('', 'assumptions:');
  for (const a of estimate.assumptions) out.push(`  - ${a}`);
  return `${out.join('\n')}\n`;
}

/** Markdown lines listing the not-estimated resources with their reasons (none: no lines). */
export function notEstimatedLines(estimate: Estimate): string[] {
  if (estimate.notEstimated.length === 0) return [];
  const lines = ['**Not estimated**', ''];
  for (const n of estimate.notEstimated)
    lines.push(`- \`${cell(n.address)}\` (${n.action}): ${cell(n.reason)}`);
  return [...lines, ''];
}

/** A markdown table of every priced item: quantity, unit price, monthly, which price and confidence. */
export function priceTableLines(rows: ResourceEstimate[]): string[] {
  const items = rows.flatMap((r) => r.items.map((item) => ({ r, item })));
  if (items.length === 0) return [];
  const lines = [
    '**Prices**',
    '',
    '| resource | item | quantity | unit price | monthly | price | confidence |',
    '|---|---|---:|---:|---:|---|---|',
  ];
  for (const { r, item } of items) {
    const qty = `${item.quantity} ${item.unit}${item.hours ? ` × ${item.hours} h` : ''}${item.estimate ? ' (estimate)' : ''}`;
    lines.push(
      `| \`${cell(r.address)}\` | ${cell(item.what)} | ${cell(qty)} | $${item.unitPrice} | ${formatUsd(item.monthly)} | ${item.basis} | ${item.confidence} |`,
    );
  }
  return [...lines, ''];
}

/** Markdown lines listing free resources (service accounts, keys, ACLs…) with why they are free. */
export function freeLines(rows: ResourceEstimate[]): string[] {
  if (rows.length === 0) return [];
  const lines = ['**Free**', ''];
  for (const r of rows)
    lines.push(`- ${SYMBOL[r.action]} \`${cell(r.address)}\`: ${cell(r.reason ?? 'free')}`);
  return [...lines, ''];
}

/** Keeps a markdown table cell on one line, its pipes literal and no HTML comment markers. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/<!--/g, '&lt;!--');
}
