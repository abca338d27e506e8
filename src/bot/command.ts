/**
 * The /ccost slash command. It acks at once (Slack wants an answer within 3 s), then answers with
 * `ask()` for the viewer who asked: ephemerally through the response_url, or, when the question
 * ends with `share`, as a channel message with its chart uploaded into the message's thread.
 * An ephemeral answer's chart goes to the asker in a DM from the app (ephemeral messages cannot
 * carry files); the answer says so. Failures reach the user as one short sentence with a
 * reference; the details go to the log.
 */
import { randomBytes } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  BlockAction,
  Logger,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import type { Config } from '../core/config/schema.ts';
import { isCcostError } from '../core/errors/index.ts';
import { explain } from '../core/explain/explain.ts';
import { decodeState } from '../core/explain/state.ts';
import { canSeeTeam, refusalText, visibleTeams } from '../core/questions/access.ts';
import type { Answer } from '../core/questions/answer.ts';
import { ask } from '../core/questions/ask.ts';
import type { Store } from '../core/storage/database.ts';
import { answerBlocks, context, escapeMrkdwn, type SlackMessage, textBlocks } from './blocks.ts';
import { explanationBlocks } from './explain-blocks.ts';
import { chartFileName, postBlocks, uploadChart } from './post.ts';
import type { WebClient } from './slack-client.ts';
import type { ViewerResolver } from './visibility.ts';

/** What the command needs. */
export interface CcostCommandDeps {
  config: Config;
  store: Store;
  viewers: ViewerResolver;
  logger: Logger;
  now: () => Date;
  /** Called once per command with how it ended and how long it took from the ack (metrics). */
  observe?: (outcome: CommandOutcome, seconds: number) => void;
}

/** How a command ended: an answer, a reply in words (help, did-you-mean, refusal), or a failure. */
export type CommandOutcome = 'answered' | 'replied' | 'failed';

/** The arguments Bolt gives a slash-command listener. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** The /ccost listener. */
export function createCcostCommand(deps: CcostCommandDeps): (args: CommandArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const started = performance.now();
    let outcome: CommandOutcome = 'failed';
    try {
      outcome = await answerCommand(deps, args);
    } catch (err) {
      await reportFailure(deps.logger, args, err);
    }
    deps.observe?.(outcome, (performance.now() - started) / 1000);
  };
}

async function answerCommand(deps: CcostCommandDeps, args: CommandArgs): Promise<CommandOutcome> {
  const { command, respond, client } = args;
  const text = command.text.trim();
  const viewer = await deps.viewers.viewerFor(command.user_id);
  const result = await ask(deps.store, text, { config: deps.config, now: deps.now(), viewer });
  if (result.kind === 'reply') {
    await respond({ response_type: 'ephemeral', ...replyMessage(result) });
    return 'replied';
  }
  if (result.kind === 'explanation') {
    const message = explanationBlocks(result.explanation);
    if (result.share) await postBlocks(client, { channel: command.channel_id, ...message });
    else await respond({ response_type: 'ephemeral', ...message });
    return 'answered';
  }
  const message = answerBlocks(result.answer);
  if (result.answer.question.share) {
    await shareAnswer(args, message, result);
    return 'answered';
  }
  const note = result.chart
    ? await chartToDm(client, command.user_id, text, result).catch(dmFailed(deps.logger))
    : null;
  if (note) message.blocks.push(context([note]));
  await respond({ response_type: 'ephemeral', ...message });
  return 'answered';
}

/** A reply (help, did-you-mean, a refusal) with the suggestions it does not already make. */
function replyMessage(reply: { text: string; suggestions: string[] }): SlackMessage {
  const message = textBlocks(reply.text, { monospace: reply.text.includes('\n  ') });
  const unsaid = reply.suggestions.filter((s) => !reply.text.includes(s)).slice(0, 5);
  if (unsaid.length > 0)
    message.blocks.push(context([`Try ${unsaid.map((s) => `\`/ccost ${escapeMrkdwn(s)}\``).join(' or ')}`]));
  return message;
}

/** `… share`: the answer in the channel, the chart in its thread; a short note if the app may not post there. */
async function shareAnswer(
  args: CommandArgs,
  message: SlackMessage,
  result: { answer: Answer; chart?: Buffer },
): Promise<void> {
  try {
    await postBlocks(args.client, {
      channel: args.command.channel_id,
      ...message,
      ...(result.chart ? { chart: result.chart, ...chartNaming(result.answer) } : {}),
    });
  } catch (err) {
    const code = platformError(err);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
    message.blocks.unshift(
      context([
        ':warning: I cannot post in this channel, so only you see this. Invite me with `/invite @ccost` and ask again.',
      ]),
    );
    await args.respond({ response_type: 'ephemeral', ...message });
  }
}

/** File name and title of an answer's chart. */
function chartNaming(answer: Answer): { chartName: string; chartTitle: string } {
  return { chartName: chartFileName(answer), chartTitle: `${answer.title}, ${answer.period.label}` };
}

/** Sends the chart to the user in a DM; returns the note for the answer, or null if it could not. */
async function chartToDm(
  client: WebClient,
  userId: string,
  text: string,
  result: { answer: Answer; chart?: Buffer },
): Promise<string | null> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel || !result.chart) return null;
  const naming = chartNaming(result.answer);
  await uploadChart(client, {
    channel,
    chart: result.chart,
    filename: naming.chartName,
    title: naming.chartTitle,
    comment: `Chart for \`/ccost ${escapeMrkdwn(text)}\``,
  });
  return ':bar_chart: The chart is in your DMs with ccost (add `share` to post the answer and chart here).';
}

/** A DM that failed (no im:write, DMs closed) costs the chart, not the answer. */
function dmFailed(logger: Logger): (err: unknown) => string {
  return (err) => {
    logger.warn(`/ccost could not send the chart by DM: ${(err as Error).message}`);
    return ':warning: I could not send you the chart in a DM; add `share` to post the answer and chart here.';
  };
}

/** Logs the failure with a reference and tells the user one short sentence, never a stack. */
async function reportFailure(logger: Logger, args: CommandArgs, err: unknown): Promise<void> {
  const ref = randomBytes(4).toString('hex');
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  logger.error(`/ccost failed (ref ${ref}, user ${args.command.user_id}, "${args.command.text}"): ${detail}`);
  const text = isCcostError(err)
    ? `:warning: ${firstLine(err.message)}`
    : `:warning: Something went wrong answering that (ref ${ref}). It has been logged; try again in a minute, or tell whoever runs ccost.`;
  try {
    await args.respond({ response_type: 'ephemeral', ...textBlocks(text) });
  } catch (respondErr) {
    logger.error(`/ccost could not tell the user about ref ${ref}: ${(respondErr as Error).message}`);
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** The `error` of a Slack platform error (`not_in_channel`), else undefined. */
function platformError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The arguments Bolt gives a block action listener. */
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * The listener of the explain buttons and menus (`ccost_explain`): acks, reads the drill-down
 * state from the clicked value, checks the clicking user may see the team, and posts the next
 * level privately through the response_url.
 */
export function createExplainAction(deps: CcostCommandDeps): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    try {
      const state = decodeState(actionValue(args.action));
      const viewer = await deps.viewers.viewerFor(args.body.user.id);
      if (!canSeeTeam(viewer, state.team)) {
        const teams = visibleTeams(viewer);
        const text = refusalText(teams === 'all' ? [] : teams, state.team);
        await args.respond({ response_type: 'ephemeral', replace_original: false, ...textBlocks(text) });
        return;
      }
      const { team, from, to, ...drill } = state;
      const e = await explain(deps.store, {
        scope: { team },
        period: { from, to },
        config: deps.config,
        now: deps.now(),
        drill,
      });
      await args.respond({ response_type: 'ephemeral', replace_original: false, ...explanationBlocks(e) });
    } catch (err) {
      await reportActionFailure(deps.logger, args, err);
    }
  };
}

/** The value of a clicked button or the chosen option of a menu. */
function actionValue(action: BlockAction['actions'][number]): string {
  if (action.type === 'button') return action.value ?? '';
  if (action.type === 'static_select') return action.selected_option?.value ?? '';
  return '';
}

async function reportActionFailure(logger: Logger, args: ActionArgs, err: unknown): Promise<void> {
  const ref = randomBytes(4).toString('hex');
  logger.error(
    `ccost_explain failed (ref ${ref}, user ${args.body.user.id}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  const text = isCcostError(err)
    ? `:warning: ${firstLine(err.message)}`
    : `:warning: Something went wrong explaining that (ref ${ref}).`;
  try {
    await args.respond({ response_type: 'ephemeral', replace_original: false, ...textBlocks(text) });
  } catch (respondErr) {
    logger.error(`ccost_explain could not tell the user about ref ${ref}: ${(respondErr as Error).message}`);
  }
}
