/**
 * Block Kit for an {@link Answer}: a header, the figures as section fields, the breakdown as a
 * monospace table whose cents add up, the movers, and a context line saying how complete, how
 * settled and how fresh the figures are. Amounts stay exact decimal strings (decimal.js); only
 * the display rounds. Every Slack limit is respected; the breakdown is shortened first.
 */
import type { types } from '@slack/bolt';
import { Decimal } from 'decimal.js';
import { addDays } from '../core/calendar/days.ts';
import { formatUsd, parseDecimal } from '../core/money/amount.ts';
import { centsForDisplay } from '../core/money/display.ts';
import type { Answer, Breakdown, Mover } from '../core/questions/answer.ts';
import { insightAnswerBlocks } from './insight-blocks.ts';

/** A Block Kit block Slack knows. */
export type KnownBlock = types.KnownBlock;

/** Slack's limits on what one message may carry. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  /** Longest `text` ccost sends (Slack truncates at 40 000). */
  fallbackText: 3000,
} as const;

/** Most rows a breakdown table shows; the rest go to its `other` line. */
export const MAX_TABLE_ROWS = 20;
/** Most movers shown. */
export const MAX_MOVERS = 5;
const MAX_LABEL = 34;

/** A message: blocks and the plain-text fallback for notifications and old clients. */
export interface SlackMessage {
  blocks: KnownBlock[];
  text: string;
}

/** The blocks and fallback text of an answer. */
export function answerBlocks(answer: Answer): SlackMessage {
  if (answer.insights) return insightAnswerBlocks(answer);
  const blocks: KnownBlock[] = [
    header(`${answer.title} · ${answer.period.label}`),
    { type: 'section', fields: figureFields(answer) },
  ];
  if (answer.breakdown && answer.breakdown.rows.length + (answer.breakdown.other ? 1 : 0) > 0)
    blocks.push(section(breakdownText(answer.breakdown, answer.total)));
  if (answer.movers.length > 0) blocks.push(section(moversText(answer.movers)));
  if (answer.reconciliation) blocks.push(section(reconciliationText(answer.reconciliation)));
  if (answer.notes.length > 0)
    blocks.push(section(answer.notes.map((n) => `• ${escapeMrkdwn(n)}`).join('\n')));
  blocks.push(context(contextLines(answer)));
  return { blocks: blocks.slice(0, SLACK_LIMITS.blocks), text: fallbackText(answer) };
}

/** Blocks for a plain reply (help, did-you-mean, an error): sections of at most 3000 characters. */
export function textBlocks(text: string, options: { monospace?: boolean } = {}): SlackMessage {
  const body = escapeMrkdwn(text.trimEnd());
  const room = SLACK_LIMITS.sectionText - (options.monospace ? 6 : 0);
  const chunks = chunkLines(body, room).slice(0, SLACK_LIMITS.blocks);
  const blocks = chunks.map((chunk) => section(options.monospace ? `\`\`\`${chunk}\`\`\`` : chunk));
  return { blocks, text: truncate(text.trimEnd(), SLACK_LIMITS.fallbackText) };
}

/** A context block of short notes (at most 10). */
export function context(lines: string[]): KnownBlock {
  return {
    type: 'context',
    elements: lines
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.contextText) })),
  };
}

/** A mrkdwn section, cut to 3000 characters. */
export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

/** A plain-text header, cut to 150 characters. */
export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText) } };
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to `max` characters, ending with … when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function figureFields(answer: Answer): { type: 'mrkdwn'; text: string }[] {
  const fields = [`*Total*\n${formatUsd(answer.total)}`];
  if (answer.previous)
    fields.push(
      `*vs ${escapeMrkdwn(answer.previous.period.label)}*\n${changeText(answer.total, answer.previous.total)}${parseDecimal(answer.previous.total).isZero() ? '' : ` from ${formatUsd(answer.previous.total)}`}`,
    );
  if (answer.budget) {
    const b = answer.budget;
    fields.push(
      `*Budget ${b.month}*\n${formatUsd(b.actual)} of ${formatUsd(b.monthly)} · forecast ${formatUsd(b.forecast)} (${b.percentOfBudget}%) — ${BUDGET_STATUS[b.status]}`,
    );
  }
  return fields
    .slice(0, SLACK_LIMITS.fields)
    .map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.fieldText) }));
}

const BUDGET_STATUS = {
  under: ':large_green_circle: on track',
  at_risk: ':large_yellow_circle: at risk',
  over: ':red_circle: over budget',
} as const;

/** "+$120.00 (+12.0%)", or "+$5.00 (nothing before)" when the previous total is zero. */
export function changeText(current: string, previous: string): string {
  const delta = parseDecimal(current).minus(parseDecimal(previous));
  const money = formatUsd(delta, { sign: true });
  if (parseDecimal(previous).isZero()) return `${money} (nothing before)`;
  const pct = delta.div(parseDecimal(previous)).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN);
  return `${money} (${delta.isNegative() ? '' : '+'}${pct}%)`;
}

/** One line of the table before formatting: a label and an exact amount. */
interface TableLine {
  label: string;
  amount: string;
}

/**
 * The breakdown as a code block: the shown rows, one `other` line with everything not shown, and
 * the total; the cents of the lines add up to the total's cents. Rows are dropped (into `other`)
 * until the block fits in a section.
 */
export function breakdownText(breakdown: Breakdown, total: string): string {
  const title = `*By ${escapeMrkdwn(breakdown.dimension)}*`;
  for (let shown = Math.min(breakdown.rows.length, MAX_TABLE_ROWS); shown >= 0; shown--) {
    const text = `${title}\n\`\`\`${escapeMrkdwn(tableText(tableLines(breakdown, shown), total))}\`\`\``;
    if (text.length <= SLACK_LIMITS.sectionText) return text;
  }
  return truncate(title, SLACK_LIMITS.sectionText);
}

/** The first `shown` rows, then one line for every other row and `breakdown.other`, summed exactly. */
function tableLines(breakdown: Breakdown, shown: number): TableLine[] {
  const lines = breakdown.rows
    .slice(0, shown)
    .map((row) => ({ label: rowLabel(row, breakdown.dimension), amount: row.amount }));
  const rest = breakdown.rows.slice(shown);
  let count = rest.length;
  let amount = rest.reduce((sum, row) => sum.plus(parseDecimal(row.amount)), new Decimal(0));
  if (breakdown.other) {
    count += breakdown.other.count;
    amount = amount.plus(parseDecimal(breakdown.other.amount));
  }
  if (count > 0) lines.push({ label: `other (${count} more)`, amount: amount.toFixed() });
  return lines;
}

/** Dimensions whose display name says it all (Kafka, not "Kafka (KAFKA)"). */
const NAME_ONLY = new Set(['product', 'team', 'day', 'line_type']);

/** "orders-writer (sa-abc)", or the name alone where the key adds nothing. */
export function rowLabel(row: { key: string; name: string | null }, dimension: string): string {
  const both = row.name && row.name.toLowerCase() !== row.key.toLowerCase() && !NAME_ONLY.has(dimension);
  const label = both ? `${row.name} (${row.key})` : (row.name ?? row.key);
  return truncate(label.replace(/`/g, "'").replace(/\s+/g, ' '), MAX_LABEL);
}

/** Aligned lines: label, amount in dollars and cents, share of the total. */
function tableText(lines: TableLine[], total: string): string {
  const cents = centsForDisplay(lines.map((l) => l.amount));
  const rows = lines.map((l, i) => [l.label, formatUsd(cents.parts[i]!), percentOf(l.amount, total)]);
  rows.push(['Total', formatUsd(cents.total), percentOf(total, total)]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const format = (r: string[]) =>
    `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`.trimEnd();
  const body = rows.slice(0, -1).map(format);
  return [...body, '-'.repeat(format(rows.at(-1)!).length), format(rows.at(-1)!)].join('\n');
}

/** "12.3%" of the total, or "" when the total is zero. */
function percentOf(amount: string, total: string): string {
  const t = parseDecimal(total);
  if (t.isZero()) return '';
  return `${parseDecimal(amount).div(t).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN)}%`;
}

function moversText(movers: Mover[]): string {
  const lines = movers.slice(0, MAX_MOVERS).map((m) => {
    const label = escapeMrkdwn(rowLabel(m, m.dimension));
    return `• ${m.dimension} *${label}*: ${formatUsd(m.delta, { sign: true })} (${formatUsd(m.previous)} → ${formatUsd(m.current)})`;
  });
  return ['*Biggest changes*', ...lines].join('\n');
}

function reconciliationText(rec: NonNullable<Answer['reconciliation']>): string {
  const icon = { pass: ':white_check_mark:', warn: ':warning:', fail: ':x:', skip: ':heavy_minus_sign:' };
  const outcome = rec.outcome === 'not_run' ? 'not run yet' : rec.outcome.toUpperCase();
  const lines = rec.checks.map(
    (c) => `${icon[c.outcome]} ${escapeMrkdwn(c.name)}: ${escapeMrkdwn(truncate(c.detail, 200))}`,
  );
  return [`*Reconciliation ${rec.month}: ${outcome}*`, ...lines].join('\n');
}

/** Period, complete/partial, close state, freshness, unallocated share and confidence. */
export function contextLines(answer: Answer): string[] {
  const { period, trust } = answer;
  const lines = [
    `:calendar: ${period.from} – ${addDays(period.to, -1)}`,
    period.complete ? 'complete period' : '*partial*: the period is not over',
    stateText(answer),
    freshnessText(trust.dataThrough, trust.collectedAt),
    `unallocated ${formatUsd(trust.unallocated)}${trust.unallocatedPercent !== null ? ` (${trust.unallocatedPercent}%)` : ''}`,
  ];
  if (trust.highConfidencePercent !== null)
    lines.push(`${trust.highConfidencePercent}% allocated with high confidence`);
  return lines;
}

const STATE_TEXT = {
  closed: 'closed: final figures',
  provisional: 'provisional: not closed yet',
  open: 'open: billing may still change',
} as const;

function stateText(answer: Answer): string {
  const { period } = answer;
  if (period.state !== 'mixed') return STATE_TEXT[period.state];
  return `mixed: ${period.months.map((m) => `${m.month} ${m.state}`).join(', ')}`;
}

function freshnessText(dataThrough: string | null, collectedAt: string | null): string {
  if (!collectedAt) return 'never collected';
  const at = collectedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return dataThrough ? `data through ${dataThrough} · collected ${at}` : `no billing data · collected ${at}`;
}

/** Plain text: title, total, change, budget and the top three rows. */
export function fallbackText(answer: Answer): string {
  const parts = [`${answer.title}, ${answer.period.label}: ${formatUsd(answer.total)}`];
  if (answer.previous)
    parts.push(`${changeText(answer.total, answer.previous.total)} vs ${answer.previous.period.label}`);
  if (answer.budget)
    parts.push(
      `${answer.budget.percentOfBudget}% of the ${formatUsd(answer.budget.monthly)} budget forecast`,
    );
  const top = answer.breakdown?.rows.slice(0, 3) ?? [];
  if (top.length > 0)
    parts.push(
      `top: ${top.map((r) => `${rowLabel(r, answer.breakdown!.dimension)} ${formatUsd(r.amount)}`).join(', ')}`,
    );
  if (!answer.period.complete) parts.push('partial period');
  return truncate(parts.join(' · '), SLACK_LIMITS.fallbackText);
}

/** Splits text at line ends into pieces of at most `max` characters (long lines are cut). */
function chunkLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = truncate(line, max);
    if (current && current.length + 1 + piece.length > max) {
      chunks.push(current);
      current = piece;
    } else current = current ? `${current}\n${piece}` : piece;
  }
  if (current || chunks.length === 0) chunks.push(current || ' ');
  return chunks;
}
