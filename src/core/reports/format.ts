import { Decimal } from 'decimal.js';
import { formatUsd } from '../money/amount.ts';
import { centsForDisplay } from '../money/display.ts';
import type { Report } from './report.ts';

/** Output formats of `ccost report`. */
export const reportFormats = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** Renders a report; table and csv show cents that add up to the shown total, json is exact. */
export function formatReport(report: Report, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const cents = centsForDisplay(report.rows.map((r) => r.amount));
  if (format === 'csv') {
    const lines = [`${report.by},amount_usd,exact_amount_usd,share`];
    report.rows.forEach((r, i) => {
      lines.push([csvCell(r.key), cents.parts[i], r.amount, r.share].join(','));
    });
    lines.push(['total', cents.total, report.total, '1'].join(','));
    return `${lines.join('\n')}\n`;
  }
  return formatTable(report, cents);
}

function formatTable(report: Report, cents: { parts: string[]; total: string }): string {
  const header = [capitalize(report.by.replace('_', ' ')), 'Cost', 'Share'];
  const body = report.rows.map((r, i) => [r.key, formatUsd(cents.parts[i]!), percent(r.share)]);
  const footer = ['Total', formatUsd(cents.total), '100.0%'];
  const widths = header.map((h, c) =>
    Math.max(h.length, footer[c]!.length, ...body.map((row) => row[c]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const orgs = report.orgIds.join(', ');
  const from = report.source === 'export' ? ', from the native cost-allocation export' : '';
  const out = [
    `Costs for ${report.month} by ${report.by.replace('_', ' ')} (${orgs}${from})`,
    '',
    line(header),
    rule,
  ];
  out.push(...body.map(line), rule, line(footer));
  if (report.unmapped.length > 0) {
    const list = report.unmapped
      .slice(0, 10)
      .map((u) => `${u.ownerId} (${formatUsd(u.amount)})`)
      .join(', ');
    const more = report.unmapped.length > 10 ? ` and ${report.unmapped.length - 10} more` : '';
    out.push('', `Unowned: ${report.unmapped.length} owner(s) map to no team: ${list}${more}.`);
    out.push('Map them under teams.<name>.owners in ccost.yaml.');
  }
  return `${out.join('\n')}\n`;
}

/** "0.1234567" → "12.3%" (display only). */
function percent(share: string): string {
  return `${new Decimal(share).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN)}%`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
