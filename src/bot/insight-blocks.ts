/**
 * Block Kit for insights: the `/ccost insights [team]` answer and the monthly digest's insights
 * section. One section per finding (kind, subject, cost, saving, evidence, what to do), largest
 * saving first; what does not fit Slack's limits is counted in a last line. An answer with no
 * findings says so plainly.
 */
import { addDays } from '../core/calendar/days.ts';
import { evidenceLine, headline, KIND_TITLES, moneyLine, subjectLine } from '../core/insights/format.ts';
import type { Insight, InsightsResult } from '../core/insights/types.ts';
import type { Answer } from '../core/questions/answer.ts';
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

/** Findings shown one by one; the rest are summed in one line. */
export const MAX_INSIGHTS = 10;

/** The monthly close digest's insights section: the month's top findings for the org. */
export function digestInsightBlocks(result: InsightsResult | undefined, label: string): KnownBlock[] {
  if (!result) return [];
  return [{ type: 'divider' }, ...insightSections(result, label, DIGEST_INSIGHTS)];
}

/** The blocks of an insights answer (`answer.insights` set). */
export function insightAnswerBlocks(answer: Answer): SlackMessage {
  const result = answer.insights!;
  const scope = `${answer.title.replace(/^Insights( for )?/, '') || 'the organization'}, ${answer.period.label}`;
  const blocks: KnownBlock[] = [
    header(`${answer.title} · ${answer.period.label}`),
    ...insightSections(result, scope),
    context([
      `:calendar: ${result.from} – ${addDays(result.to, -1)}`,
      ...result.notes.map(escapeMrkdwn),
      ...answer.notes.map(escapeMrkdwn),
    ]),
  ];
  return {
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    text: truncate(headline(result, scope), SLACK_LIMITS.fallbackText),
  };
}

/** Findings the monthly close digest shows. */
export const DIGEST_INSIGHTS = 5;

/** The headline and one section per finding (at most `max`, then a "more" line). */
export function insightSections(result: InsightsResult, scope: string, max = MAX_INSIGHTS): KnownBlock[] {
  const blocks = [section(`*${escapeMrkdwn(headline(result, scope))}*`)];
  const shown = result.insights.slice(0, max);
  blocks.push(...shown.map((insight) => section(insightText(insight))));
  const rest = result.insights.length - shown.length;
  if (rest > 0) blocks.push(section(`…and ${rest} more (\`ccost insights\` lists every one)`));
  return blocks;
}

/** One finding in mrkdwn. */
export function insightText(insight: Insight): string {
  return truncate(
    [
      `*${KIND_TITLES[insight.kind]}* · ${escapeMrkdwn(subjectLine(insight))}`,
      escapeMrkdwn(insight.summary),
      `*${escapeMrkdwn(moneyLine(insight))}*`,
      `_${escapeMrkdwn(evidenceLine(insight))}_`,
      `:point_right: ${escapeMrkdwn(insight.action)}`,
    ].join('\n'),
    SLACK_LIMITS.sectionText,
  );
}
