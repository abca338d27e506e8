/**
 * The HTTP transport: Bolt's HTTPReceiver without its own server. Requests to /slack/events are
 * verified with the signing secret (v0 HMAC-SHA256; timestamps older than 5 minutes are refused
 * with 401), acked in the HTTP response, and handled after.
 */
import { HTTPReceiver, type Logger } from '@slack/bolt';
import type { SlackTransport } from './transport.ts';

/** The path Slack posts commands and events to. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** An HTTP transport verifying requests with `signingSecret`. */
export function createHttpTransport(options: { signingSecret: string; logger: Logger }): SlackTransport {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: options.logger,
    processBeforeResponse: false,
  });
  return {
    mode: 'http',
    receiver,
    requestListener: receiver.requestListener,
    start: async () => {},
    stop: async () => {},
  };
}
