/**
 * The Slack Web API client every part of ccost posts with (the bot, digests, alerts). The API
 * base URL comes from `SLACK_API_URL` so calls can go through a proxy or to a fake Slack.
 */
import { type Logger, LogLevel, webApi } from '@slack/bolt';

/** @slack/web-api's client, as @slack/bolt ships it. */
export type WebClient = webApi.WebClient;
type WebClientOptions = webApi.WebClientOptions;

/** Slack's Web API base URL. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** What a client needs: the bot token (xoxb-…) and, optionally, another API base URL. */
export interface SlackClientOptions {
  token: string;
  /** Web API base URL; default `https://slack.com/api/`. A missing trailing slash is added. */
  apiUrl?: string;
  logger?: Logger;
  /** Retries of failed calls (default: @slack/web-api's policy, 10 retries over ~30 minutes). */
  retries?: number;
}

/** Normalizes an API base URL: defaults to Slack's and always ends with `/`. */
export function slackApiUrl(apiUrl?: string): string {
  const url = apiUrl?.trim() || DEFAULT_SLACK_API_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

/** The WebClient options for `apiUrl` (also what Bolt's `clientOptions` gets). */
export function slackClientOptions(options: Omit<SlackClientOptions, 'token'>): WebClientOptions {
  return {
    slackApiUrl: slackApiUrl(options.apiUrl),
    ...(options.logger ? { logger: options.logger } : { logLevel: LogLevel.WARN }),
    ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
  };
}

/** A WebClient for `token`, calling `apiUrl` (default Slack's API). */
export function createSlackClient(options: SlackClientOptions): WebClient {
  return new webApi.WebClient(options.token, slackClientOptions(options));
}
