/**
 * Posting to Slack: a message with chat.postMessage and, when there is one, the chart PNG
 * uploaded with files.uploadV2 into that message's thread. Used by /ccost `share` and the digests.
 */
import type { Answer } from '../core/questions/answer.ts';
import { answerBlocks, type KnownBlock } from './blocks.ts';
import type { WebClient } from './slack-client.ts';

/** Where a message landed: the channel id Slack resolved and the message's ts. */
export interface Posted {
  channel: string;
  ts: string;
}

/** A message to post: blocks, fallback text, and optionally a chart for its thread. */
export interface PostBlocksOptions {
  /** Channel id (C…, D…) or name (#finance). */
  channel: string;
  blocks: KnownBlock[];
  text: string;
  /** Reply in this thread instead of posting a new message. */
  threadTs?: string;
  /** A PNG uploaded into the message's thread. */
  chart?: Buffer;
  /** File name of the chart; default `ccost-chart.png`. */
  chartName?: string;
  /** Title (and alt text) of the chart; default the fallback text. */
  chartTitle?: string;
}

/** Posts `blocks` and uploads `chart` into the message's thread; returns where the message landed. */
export async function postBlocks(client: WebClient, options: PostBlocksOptions): Promise<Posted> {
  const result = await client.chat.postMessage({
    channel: options.channel,
    blocks: options.blocks,
    text: options.text,
    unfurl_links: false,
    unfurl_media: false,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
  });
  const posted = { channel: result.channel ?? options.channel, ts: result.ts ?? '' };
  if (options.chart)
    await uploadChart(client, {
      channel: posted.channel,
      threadTs: options.threadTs ?? posted.ts,
      chart: options.chart,
      filename: options.chartName ?? 'ccost-chart.png',
      title: options.chartTitle ?? options.text,
    });
  return posted;
}

/** An answer to post; `text` replaces the generated fallback text. */
export interface PostAnswerOptions {
  channel: string;
  threadTs?: string;
  answer: Answer;
  chart?: Buffer;
  text?: string;
}

/** Posts an answer as Block Kit and its chart into the message's thread. */
export async function postAnswer(client: WebClient, options: PostAnswerOptions): Promise<Posted> {
  const message = answerBlocks(options.answer);
  return postBlocks(client, {
    channel: options.channel,
    blocks: message.blocks,
    text: options.text ?? message.text,
    chart: options.chart,
    chartName: chartFileName(options.answer),
    chartTitle: `${options.answer.title}, ${options.answer.period.label}`,
    ...(options.threadTs ? { threadTs: options.threadTs } : {}),
  });
}

/** Where and what to upload. */
export interface UploadChartOptions {
  /** A channel id (files.completeUploadExternal does not take names). */
  channel: string;
  threadTs?: string;
  chart: Buffer;
  filename: string;
  title: string;
  /** A message posted with the file. */
  comment?: string;
}

/** Uploads a PNG with files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal). */
export async function uploadChart(client: WebClient, options: UploadChartOptions): Promise<void> {
  const common = {
    file: options.chart,
    filename: options.filename,
    title: options.title,
    alt_text: options.title,
    ...(options.comment ? { initial_comment: options.comment } : {}),
  };
  if (options.threadTs)
    await client.filesUploadV2({ ...common, channel_id: options.channel, thread_ts: options.threadTs });
  else await client.filesUploadV2({ ...common, channel_id: options.channel });
}

/** `ccost-team-payments-2026-10-01.png`: the title and the period's first day, slugged. */
export function chartFileName(answer: Answer): string {
  const slug = answer.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `ccost-${slug || 'answer'}-${answer.period.from}.png`;
}
