/**
 * Block Kit for an {@link Explanation}: the figure, the billed lines behind it, each product and
 * line type with its methods and fallback reasons, what would change it, and one row per child
 * with a button (action_id `ccost_explain`, value the child's drill-down state as compact JSON)
 * that posts the next level. Children beyond the buttons are options of a menu with the same
 * action_id; "Back" and "the whole day" are `ccost_explain:up` and `ccost_explain:day`.
 */
import type { types } from '@slack/bolt';
import { billedLine, childDetail, childLabel, confidenceLine, methodText } from '../core/explain/format.ts';
import { encodeState } from '../core/explain/state.ts';
import type { DrillState, ExplainChild, Explanation, LineTypeSection } from '../core/explain/types.ts';
import { formatUsd } from '../core/money/amount.ts';
import { centsForDisplay } from '../core/money/display.ts';
import { productLabel } from '../core/questions/format.ts';
import {
  context,
  escapeMrkdwn,
  header,
  type KnownBlock,
  SLACK_LIMITS,
  type SlackMessage,
  section,
  truncate,
} from './blocks.ts';

/** The action id of every drill-down button and menu (navigation buttons add `:up` and `:day`). */
export const EXPLAIN_ACTION = 'ccost_explain';
/** Matches every explain action id. */
export const EXPLAIN_ACTION_PATTERN = /^ccost_explain(:(up|day))?$/;
/** Children shown as a row with a button; the rest go to menus. */
export const MAX_CHILD_BUTTONS = 15;
const MENU_OPTIONS = 100;
const MENUS = 2;
/** Slack's limits on buttons and menu options. */
const LIMITS = { buttonText: 75, buttonValue: 2000, optionText: 75, optionValue: 150 } as const;

/** The blocks and fallback text of an explanation. */
export function explanationBlocks(e: Explanation): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`Explain: ${e.title} · ${e.period.label}`),
    section(`*${formatUsd(e.total)}* ${escapeMrkdwn(billedLine(e))}`),
  ];
  if (e.line) blocks.push(section(lineText(e)));
  if (e.sections.length > 0) blocks.push(section(sectionsText(e.sections)));
  if (e.changes.length > 0)
    blocks.push(
      section(['*What would change it*', ...e.changes.map((c) => `• ${escapeMrkdwn(c.text)}`)].join('\n')),
    );
  blocks.push(context([`Confidence: ${confidenceLine(e)}`, ...e.runs.slice(0, 5).map(runText)]));
  blocks.push(...childBlocks(e), ...navigation(e));
  return {
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    text: truncate(`${e.title}, ${e.period.label}: ${formatUsd(e.total)}`, SLACK_LIMITS.fallbackText),
  };
}

function lineText(e: Explanation): string {
  const l = e.line!;
  return [
    `*Billing line ${l.id}*: ${escapeMrkdwn(productLabel(l.product))} \`${l.lineType}\` on ${l.day}, billed ${formatUsd(l.billed)}${l.billedNow ? ` (now ${formatUsd(l.billedNow)})` : ''}`,
    `Rule: ${escapeMrkdwn(l.rule)} · metrics that day: ${l.metrics}`,
    `Teams: ${l.teams.map((t) => `${escapeMrkdwn(t.team)} ${formatUsd(t.amount)}`).join(' · ')}`,
  ].join('\n');
}

function sectionsText(sections: LineTypeSection[]): string {
  const lines = sections.flatMap((s) => [
    `*${escapeMrkdwn(productLabel(s.product))} \`${s.lineType}\`*: ${formatUsd(s.amount)} of ${formatUsd(s.billed)} billed on ${s.lines} line${s.lines === 1 ? '' : 's'}${s.sharePercent ? ` (${s.sharePercent}%)` : ''}`,
    ...s.methods.map((m) => `    ${escapeMrkdwn(methodText(m))}`),
  ]);
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}

function runText(r: Explanation['runs'][number]): string {
  return `run \`${r.id}\` (${r.orgId} ${r.period}, rule set \`${r.ruleSetHash}\`${r.rulesCurrent ? '' : ', ccost.yaml changed since'}, code ${r.codeVersion ?? '?'})`;
}

/** A row per child (cents add up to the total) with a button, then menus for the rest. */
function childBlocks(e: Explanation): KnownBlock[] {
  if (e.children.length === 0) return [];
  const cents = centsForDisplay(e.children.map((c) => c.amount));
  const title = { resource: 'By resource', line: 'By billing line', owner: 'By owner' }[e.childKind!];
  const rows = e.children.slice(0, MAX_CHILD_BUTTONS).map((c, i) => childRow(c, cents.parts[i]!));
  const rest = e.children.slice(MAX_CHILD_BUTTONS);
  const more = rest.length > 0 ? ` · ${rest.length} more in the menu below` : '';
  return [section(`*${title}* (total ${formatUsd(cents.total)}${more})`), ...rows, ...menus(rest)];
}

function childRow(c: ExplainChild, shown: string): KnownBlock {
  const text = `*${escapeMrkdwn(childLabel(c))}*  ${formatUsd(shown)}\n${escapeMrkdwn(childDetail(c))}`;
  const block = section(text) as types.SectionBlock;
  if (c.next) block.accessory = button('Explain', c.next, EXPLAIN_ACTION);
  return block;
}

function button(text: string, state: DrillState, actionId: string): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText) },
    value: encodeState(state).slice(0, LIMITS.buttonValue),
  };
}

/** Menus of the children without a button, each option carrying its state. */
function menus(rest: ExplainChild[]): KnownBlock[] {
  const options = rest
    .filter((c) => c.next && encodeState(c.next).length <= LIMITS.optionValue)
    .map((c) => ({
      text: {
        type: 'plain_text' as const,
        text: truncate(`${childLabel(c)} ${formatUsd(c.amount)}`, LIMITS.optionText),
      },
      value: encodeState(c.next!),
    }));
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < options.length && blocks.length < MENUS; i += MENU_OPTIONS) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'static_select',
          action_id: EXPLAIN_ACTION,
          placeholder: {
            type: 'plain_text',
            text: `Explain another (${i + 1}–${Math.min(i + MENU_OPTIONS, options.length)})`,
          },
          options: options.slice(i, i + MENU_OPTIONS),
        },
      ],
    });
  }
  return blocks;
}

/** "Back" to the level above and, on a line, the whole of its resource that day. */
function navigation(e: Explanation): KnownBlock[] {
  const elements: types.Button[] = [];
  if (e.parent) elements.push(button('⬆ Back', e.parent, `${EXPLAIN_ACTION}:up`));
  if (e.dayState)
    elements.push(
      button(`All of ${e.dayState.resource} on ${e.dayState.day}`, e.dayState, `${EXPLAIN_ACTION}:day`),
    );
  return elements.length === 0 ? [] : [{ type: 'actions', elements }];
}
