/**
 * Block Kit for the scheduled messages: the monthly close, the weekly team digest, budget alerts
 * and the daily anomaly summary. Amounts stay exact until displayed; table cents add up to the
 * shown totals (centsForDisplay). Slack's limits are kept by the shared block helpers.
 */

import type {
  AnomalySummary,
  BudgetAlert,
  DigestMessage,
  MonthlyCloseDigest,
  NamedAmount,
  WeeklyTeamDigest,
} from '../core/digests/types.ts';
import { formatUsd } from '../core/money/amount.ts';
import { centsForDisplay } from '../core/money/display.ts';
import {
  answerBlocks,
  changeText,
  context,
  escapeMrkdwn,
  header,
  type KnownBlock,
  SLACK_LIMITS,
  type SlackMessage,
  section,
  truncate,
} from './blocks.ts';
import { digestInsightBlocks } from './insight-blocks.ts';

const MAX_ROWS = 15;

/** The blocks and fallback text of any scheduled message. */
export function digestBlocks(message: DigestMessage): SlackMessage {
  switch (message.kind) {
    case 'monthly_close':
      return monthlyCloseBlocks(message);
    case 'weekly_team':
      return weeklyBlocks(message);
    case 'budget_alert':
      return budgetAlertBlocks(message);
    case 'anomaly_summary':
      return anomalyBlocks(message);
  }
}

const RECONCILIATION = {
  pass: ':white_check_mark: reconciled',
  warn: ':warning: reconciled with warnings',
  fail: ':x: reconciliation failed',
  not_run: ':grey_question: not reconciled',
} as const;

/**
 * Monthly close: the `top teams <month>` answer's blocks when there is one (else a team table from
 * the digest's own figures), with the close state and the reconciliation status.
 */
export function monthlyCloseBlocks(d: MonthlyCloseDigest): SlackMessage {
  const state =
    d.state === 'closed'
      ? ':lock: closed — these figures are final'
      : ':hourglass: provisional — settled, not yet closed (`ccost close`)';
  const text = `Monthly close ${d.label} (${d.orgId}): ${formatUsd(d.total)}, ${d.state}, ${RECONCILIATION[d.reconciliation.outcome].replace(/^:[a-z_]+: /, '')}`;
  const failing = d.reconciliation.checks.filter((c) => c.outcome === 'fail' || c.outcome === 'warn');
  const status = section(
    [
      `*State:* ${state}`,
      `*Reconciliation:* ${RECONCILIATION[d.reconciliation.outcome]}`,
      ...failing.map((c) => `• ${escapeMrkdwn(c.name)}: ${c.outcome}`),
    ].join('\n'),
  );
  if (d.answer) {
    const answered = answerBlocks(d.answer).blocks;
    // The answer's header names the question; the digest names the close. Status before the context line.
    const body = answered.slice(1, -1);
    const blocks = [
      header(`Monthly close · ${d.label} · ${d.orgId}`),
      ...body,
      status,
      ...digestInsightBlocks(d.insights, d.label),
      ...answered.slice(-1),
    ];
    return { blocks: blocks.slice(0, SLACK_LIMITS.blocks), text };
  }
  const rows = d.teams.slice(0, MAX_ROWS);
  const rest = d.teams.slice(MAX_ROWS);
  const lines = rows.map((t) => ({
    label: t.team,
    amount: t.amount,
    note: changeText(t.amount, t.previous),
  }));
  if (rest.length > 0)
    lines.push({ label: `${rest.length} more teams`, amount: sumText(rest.map((t) => t.amount)), note: '' });
  const blocks: KnownBlock[] = [
    header(`Monthly close · ${d.label} · ${d.orgId}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Total*\n${formatUsd(d.total)}` },
        { type: 'mrkdwn', text: `*vs previous month*\n${changeText(d.total, d.previousTotal)}` },
        { type: 'mrkdwn', text: `*State*\n${state}` },
        { type: 'mrkdwn', text: `*Reconciliation*\n${RECONCILIATION[d.reconciliation.outcome]}` },
      ],
    },
  ];
  if (lines.length > 0) blocks.push(section(table(lines)));
  if (failing.length > 0)
    blocks.push(section(failing.map((c) => `• ${escapeMrkdwn(c.name)}: ${c.outcome}`).join('\n')));
  blocks.push(...digestInsightBlocks(d.insights, d.label));
  blocks.push(context([`Chart in the thread · figures from the month's current allocation run`]));
  return { blocks, text };
}

/** Weekly team digest: total and change, products, principals and the budget. */
export function weeklyBlocks(d: WeeklyTeamDigest): SlackMessage {
  const fields = [
    `*Total*\n${formatUsd(d.total)}`,
    `*vs week before*\n${changeText(d.total, d.previousTotal)} (was ${formatUsd(d.previousTotal)})`,
  ];
  if (d.budget)
    fields.push(
      `*Budget ${d.budget.month}*\n${formatUsd(d.budget.actual)} of ${formatUsd(d.budget.budget)} so far · forecast ${formatUsd(d.budget.forecast)} (${d.budget.forecastPercent}%)${d.budget.over ? ' :red_circle:' : ''}`,
    );
  const blocks: KnownBlock[] = [
    header(`Team ${d.teamLabel} · ${d.label}`),
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (d.byProduct.length > 0) blocks.push(section(`*Top products*\n${namedTable(d.byProduct)}`));
  if (d.topPrincipals.length > 0) blocks.push(section(`*Top principals*\n${namedTable(d.topPrincipals)}`));
  const notes = [`Week ${d.from} – ${d.to} (UTC, end exclusive)`];
  if (d.dataThrough && d.dataThrough < d.to)
    notes.push(`Billing data through ${d.dataThrough}: later days may still arrive`);
  blocks.push(context(notes));
  return {
    blocks,
    text: `Team ${d.teamLabel}, ${d.label}: ${formatUsd(d.total)}, ${changeText(d.total, d.previousTotal)} on the week before`,
  };
}

/** Budget alert: the forecast against the budget and the threshold it reached. */
export function budgetAlertBlocks(a: BudgetAlert): SlackMessage {
  const also = a.covers.length > 0 ? ` (and ${a.covers.map((c) => `${c.threshold}%`).join(', ')})` : '';
  const text = `Team ${a.teamLabel}'s forecast for ${a.month} reached ${a.threshold}%${also} of its budget: ${formatUsd(a.status.forecast)} of ${formatUsd(a.status.budget)}`;
  return {
    blocks: [
      header(
        `${a.threshold >= 100 ? ':red_circle:' : ':large_yellow_circle:'} Budget ${a.threshold}% · team ${a.teamLabel} · ${a.month}`,
      ),
      section(`*${escapeMrkdwn(text)}*`),
      {
        type: 'section',
        fields: [
          {
            type: 'mrkdwn',
            text: `*Spent so far*\n${formatUsd(a.status.actual)} (${a.status.actualPercent}%)`,
          },
          {
            type: 'mrkdwn',
            text: `*Forecast*\n${formatUsd(a.status.forecast)} (${a.status.forecastPercent}%)`,
          },
          { type: 'mrkdwn', text: `*Monthly budget*\n${formatUsd(a.status.monthly)}` },
        ],
      },
      context([
        'Forecast: the daily run rate of the complete days so far, over the whole month. Each threshold alerts once a month.',
      ]),
    ],
    text,
  };
}

/** The day's anomalies for one channel. */
export function anomalyBlocks(s: AnomalySummary): SlackMessage {
  const lines = s.anomalies.map((a) => {
    const who = a.subject === 'team' ? `team ${a.id}` : `${a.name ? `${a.name} (${a.id})` : a.id}`;
    const jump = a.percent === null ? 'nothing before' : `+${a.percent}%`;
    return `• *${escapeMrkdwn(who)}* on ${a.day}: ${formatUsd(a.amount)} vs ${formatUsd(a.baseline)} a day (${jump}, +${formatUsd(a.increase)})`;
  });
  const count = s.anomalies.length;
  return {
    blocks: [
      header(`Cost anomalies · ${s.day}`),
      section(truncate(lines.join('\n'), SLACK_LIMITS.sectionText)),
      context([
        `Daily cost against the mean of the ${s.anomalies[0]?.baselineDays ?? 0} days before · each anomaly is reported once`,
      ]),
    ],
    text: `${count} cost anomal${count === 1 ? 'y' : 'ies'}: ${s.anomalies.map((a) => `${a.subject} ${a.id} ${a.day}`).join(', ')}`,
  };
}

function namedTable(rows: NamedAmount[]): string {
  return table(
    rows.map((r) => ({ label: r.name ? `${r.name} (${r.key})` : r.key, amount: r.amount, note: '' })),
  );
}

/** A monospace table whose shown cents add up to the rows' exact sum rounded. */
function table(rows: { label: string; amount: string; note: string }[]): string {
  const shown = centsForDisplay(rows.map((r) => r.amount));
  const width = Math.min(30, Math.max(...rows.map((r) => r.label.length)));
  const body = rows.map((r, i) => {
    const label = truncate(r.label, 30).padEnd(width);
    const money = formatUsd(shown.parts[i]!).padStart(12);
    return `${escapeMrkdwn(label)} ${money}${r.note ? `  ${r.note}` : ''}`;
  });
  return `\`\`\`${body.join('\n')}\`\`\``;
}

function sumText(amounts: string[]): string {
  return centsForDisplay(amounts).total;
}
