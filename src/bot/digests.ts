/**
 * The digest jobs: for each kind of scheduled message a scheduler job that finds what is due,
 * claims each message's key (only one process wins it), posts it to Slack and records the
 * outcome. Claim-then-post is what keeps a message from going out twice with several replicas;
 * the scheduler's lock only saves the duplicate work.
 */

import type { Config } from '../core/config/schema.ts';
import { anomalySummaryKey } from '../core/digests/anomalies.ts';
import { chartMonthlyClose } from '../core/digests/chart.ts';
import { DIGEST_KINDS, type DigestJobKind, dueOfKind } from '../core/digests/due.ts';
import {
  claimMessage,
  markCovered,
  markFailed,
  markSent,
  noteUncertain,
  releaseClaim,
} from '../core/digests/sent-messages.ts';
import type { AnomalySummary, DigestMessage } from '../core/digests/types.ts';
import { CcostError, ErrorCode } from '../core/errors/index.ts';
import { chartAnswer } from '../core/questions/chart.ts';
import type { Job, JobCounts } from '../core/schedule/job.ts';
import { redactSecrets } from '../core/schedule/redact.ts';
import type { Store } from '../core/storage/database.ts';
import { digestBlocks } from './digest-blocks.ts';
import { postBlocks, uploadChart } from './post.ts';
import type { WebClient } from './slack-client.ts';

/** What the digest jobs need. */
export interface DigestJobsOptions {
  store: Store;
  config: Config;
  slack: WebClient;
  /** How often each job looks for due messages; default every 15 minutes. */
  everyMinutes?: number;
}

/** How one message went: posted here, taken by another process, or failed. */
export type SendOutcome = 'sent' | 'taken' | 'failed';

/** Scheduler job name of a digest kind: `digest:monthly_close`, … */
export function digestJobName(kind: DigestJobKind): string {
  return `digest:${kind}`;
}

/** One job per digest kind, so a failing kind is retried on its own and never blocks the others. */
export function createDigestJobs(options: DigestJobsOptions): Job[] {
  return DIGEST_KINDS.map((kind) => ({
    name: digestJobName(kind),
    due: { everyMinutes: options.everyMinutes ?? 15 },
    run: ({ now }) => sendDueDigests(options, kind, now),
  }));
}

/**
 * Sends every message of `kind` due at `now`; returns counts. Throws after trying them all when
 * any failed, so the scheduler records the run failed and retries it (failed keys are re-claimable).
 */
export async function sendDueDigests(
  options: DigestJobsOptions,
  kind: DigestJobKind,
  now: Date,
): Promise<JobCounts> {
  const due = await dueOfKind(options.store, options.config, kind, now);
  const counts = { due: due.length, sent: 0, taken: 0, failed: 0 };
  const errors: string[] = [];
  for (const message of due) {
    const result = await sendDigest(options.store, options.slack, message);
    counts[result.outcome] += 1;
    if (result.error) errors.push(`${message.key}: ${result.error}`);
  }
  if (counts.failed > 0) {
    throw new CcostError(
      ErrorCode.HttpError,
      `${counts.failed} of ${counts.due} ${kind} messages failed (${errors.join('; ')})`,
    );
  }
  return counts;
}

/** Claims, posts and records one message. Never posts a message whose key it did not claim. */
export async function sendDigest(
  store: Store,
  slack: WebClient,
  message: DigestMessage,
): Promise<{ outcome: SendOutcome; error?: string; ts?: string }> {
  const claimed = await claimAll(store, message);
  if (!claimed) return { outcome: 'taken' };
  const { message: toSend, keys } = claimed;
  const rendered = digestBlocks(toSend);
  let posted: { channel: string; ts: string };
  try {
    posted = await postBlocks(slack, {
      channel: toSend.channel,
      blocks: rendered.blocks,
      text: rendered.text,
    });
  } catch (err) {
    const error = redactSecrets(err instanceof Error ? err.message : String(err));
    for (const key of keys) {
      if (slackAnswered(err)) await markFailed(store, key, error);
      else await noteUncertain(store, key, error);
    }
    return { outcome: 'failed', error };
  }
  for (const key of keys) await markSent(store, key, posted.ts);
  if (toSend.kind === 'budget_alert') {
    for (const c of toSend.covers)
      await markCovered(store, { key: c.key, kind: 'budget_alert', channel: toSend.channel }, posted.ts);
  }
  if (toSend.kind === 'monthly_close') {
    // The message is out; a chart that fails to upload must not make it count as unsent.
    await uploadChart(slack, {
      channel: posted.channel,
      threadTs: posted.ts,
      chart: (toSend.answer && chartAnswer(toSend.answer)) || chartMonthlyClose(toSend),
      filename: `ccost-monthly-close-${toSend.orgId}-${toSend.month}.png`,
      title: `Cost by team, ${toSend.label}`,
    }).catch(() => undefined);
  }
  return { outcome: 'sent', ts: posted.ts };
}

/**
 * Claims the message's key; for an anomaly summary also each anomaly's key, keeping only the
 * anomalies this process won (the summary is given up when it won none). Null when not owned.
 */
async function claimAll(
  store: Store,
  message: DigestMessage,
): Promise<{ message: DigestMessage; keys: string[] } | null> {
  const own = await claimMessage(store, { key: message.key, kind: message.kind, channel: message.channel });
  if (!own) return null;
  if (message.kind !== 'anomaly_summary') return { message, keys: [message.key] };
  const won: AnomalySummary['anomalies'] = [];
  for (const a of message.anomalies) {
    if (await claimMessage(store, { key: a.key, kind: 'anomaly', channel: message.channel })) won.push(a);
  }
  if (won.length === 0) {
    await releaseClaim(store, anomalySummaryKey(message.channel, message.day));
    return null;
  }
  return { message: { ...message, anomalies: won }, keys: [message.key, ...won.map((a) => a.key)] };
}

/**
 * True when Slack answered with an error (platform error, HTTP error, rate limited): nothing was
 * posted, so the send may be retried. A request that got no answer may have been posted.
 */
function slackAnswered(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return (
    code === 'slack_webapi_platform_error' ||
    code === 'slack_webapi_http_error' ||
    code === 'slack_webapi_rate_limited_error'
  );
}
