/**
 * The terminal rendering of an {@link Explanation}: the figure and the billed lines behind it,
 * per product and line type with methods and fallback reasons, confidence, runs, what would
 * change it, and the children table (whose shown cents add up to the shown total).
 */
import { Decimal } from 'decimal.js';
import { formatUsd } from '../money/amount.ts';
import { centsForDisplay } from '../money/display.ts';
import { productLabel } from '../questions/format.ts';
import { percent } from './summarize.ts';
import type { ExplainChild, Explanation, LineTypeSection, MethodPart, UsageFigure } from './types.ts';

/** Plain text of an explanation, ending with a newline. */
export function formatExplanation(e: Explanation): string {
  const lines = [`${e.title}, ${e.period.label}: ${formatUsd(e.total)}`, `  ${billedLine(e)}`];
  if (e.line) lines.push('', ...lineDetail(e));
  if (e.sections.length > 0) lines.push('', 'By product and line type', ...e.sections.flatMap(sectionLines));
  lines.push('', `Confidence: ${confidenceLine(e)}`, ...runLines(e));
  if (e.changes.length > 0) lines.push('', 'What would change it', ...e.changes.map((c) => `  • ${c.text}`));
  if (e.usage.length > 0) lines.push('', 'Usage on the resource that day', ...e.usage.map(usageLine));
  if (e.children.length > 0) lines.push('', ...childTable(e));
  if (e.dayState)
    lines.push(
      '',
      `The whole of ${e.dayState.resource} that day: --resource ${e.dayState.resource} --day ${e.dayState.day}`,
    );
  if (e.notes.length > 0) lines.push('', ...e.notes.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}

/** "from 62 billed lines totalling $620.00 (54.19% of them)". */
export function billedLine(e: Explanation): string {
  const n = e.billed.lines;
  const share = e.sharePercent === null ? '' : ` (this team's share ${e.sharePercent}%)`;
  return `from ${n} billed line${n === 1 ? '' : 's'} totalling ${formatUsd(e.billed.amount)}${share}`;
}

function sectionLines(s: LineTypeSection): string[] {
  const share = s.sharePercent === null ? '' : ` (${s.sharePercent}%)`;
  return [
    `  ${productLabel(s.product)} ${s.lineType}: ${formatUsd(s.amount)} of ${formatUsd(s.billed)} billed on ${s.lines} line${s.lines === 1 ? '' : 's'}${share}`,
    ...s.methods.map((m) => `      ${methodText(m)}`),
  ];
}

/** "usage (high): $310.00 on 30 lines" or "resource (low), fallback: metrics not collected: …". */
export function methodText(m: MethodPart): string {
  const why = m.fallbackReason ? `, fallback: ${m.fallbackReason}` : '';
  return `${m.method} (${m.confidence})${why}: ${formatUsd(m.amount)} on ${m.lines} line${m.lines === 1 ? '' : 's'}`;
}

/** "high $300.00 (90.0%) · medium $0.00 · low $33.00 (10.0%)". */
export function confidenceLine(e: Explanation): string {
  return (['high', 'medium', 'low'] as const)
    .map((c) => {
      const p = percent(e.confidence[c], e.total);
      return `${c} ${formatUsd(e.confidence[c])}${p !== null && !new Decimal(e.confidence[c]).isZero() ? ` (${p}%)` : ''}`;
    })
    .join(' · ');
}

function runLines(e: Explanation): string[] {
  return e.runs.map(
    (r) =>
      `Run ${r.id}: ${r.orgId} ${r.period}, rule set ${r.ruleSetHash}${r.rulesCurrent ? '' : ' (ccost.yaml changed since)'}, code ${r.codeVersion ?? 'unknown'}, ${r.createdAt}`,
  );
}

function lineDetail(e: Explanation): string[] {
  const l = e.line!;
  const qty = l.quantity !== null ? `, quantity ${l.quantity}${l.unit ? ` ${l.unit}` : ''}` : '';
  const price = l.price !== null ? ` at ${l.price}` : '';
  const now = l.billedNow !== null ? ` (billed ${formatUsd(l.billedNow)} now)` : '';
  return [
    `Billing line ${l.id}: ${productLabel(l.product)} ${l.lineType} on ${l.day}, ${l.resourceId ?? 'no resource'}${qty}${price}: billed ${formatUsd(l.billed)}${now}`,
    `Rule: ${l.rule}; metrics that day: ${l.metrics}`,
    `Teams: ${l.teams.map((t) => `${t.team} ${formatUsd(t.amount)}`).join(' · ')}`,
  ];
}

function usageLine(u: UsageFigure): string {
  const who = u.name ? `${u.principal} (${u.name})` : u.principal;
  return `  ${who}${u.team ? ` [${u.team}]` : ''}: write ${bytes(u.writeBytes)}, read ${bytes(u.readBytes)}`;
}

/** "3.00 GB" (decimal units), exact integers below 1 kB. */
export function bytes(text: string): string {
  const b = new Decimal(text);
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = b;
  while (v.gte(1000) && i < units.length - 1) {
    v = v.div(1000);
    i++;
  }
  return i === 0 ? `${b.toFixed()} B` : `${v.toFixed(2)} ${units[i]}`;
}

const CHILD_TITLE = { resource: 'By resource', line: 'By billing line', owner: 'By owner' } as const;
const FLAG = { resource: '--resource', line: '--line', owner: '' } as const;

function childTable(e: Explanation): string[] {
  const kind = e.childKind!;
  const hint = FLAG[kind] ? ` (drill down: ${FLAG[kind]} ID)` : '';
  const cents = centsForDisplay(e.children.map((c) => c.amount));
  const rows = e.children.map((c, i) => [childLabel(c), formatUsd(cents.parts[i]!), childDetail(c)]);
  rows.push(['Total', formatUsd(cents.total), '']);
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const out = rows.map((r) => `  ${r[0]!.padEnd(w0)}  ${r[1]!.padStart(w1)}  ${r[2]}`.trimEnd());
  return [`${CHILD_TITLE[kind]}${hint}`, ...out.slice(0, -1), `  ${'-'.repeat(w0 + w1 + 2)}`, out.at(-1)!];
}

/** "lkc-abc12 (orders-prod)", "42 2026-10-05 KAFKA_NETWORK_WRITE", "sa-123 (payments-api)". */
export function childLabel(c: ExplainChild): string {
  if (c.kind === 'line') return `${c.key} ${c.day} ${c.lineType}`;
  return c.name && c.name !== c.key ? `${c.key} (${c.name})` : c.key;
}

/** What a child adds besides its amount: lines, method, share, usage. */
export function childDetail(c: ExplainChild): string {
  if (c.kind === 'resource')
    return `${c.lines} line${c.lines === 1 ? '' : 's'}, billed ${formatUsd(c.billed!)}`;
  const why = c.fallbackReason ? ` — ${c.fallbackReason}` : '';
  if (c.kind === 'line')
    return `of ${formatUsd(c.billed!)} (${c.sharePercent ?? '-'}%), ${c.method} (${c.confidence})${why}`;
  const usage = c.usage ? `, write ${bytes(c.usage.writeBytes)} read ${bytes(c.usage.readBytes)}` : '';
  return `usage share ${new Decimal(c.usageShare ?? '0').times(100).toDecimalPlaces(4).toFixed()}%${usage}, ${c.method} (${c.confidence})${why}`;
}
