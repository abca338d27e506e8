/**
 * The Socket Mode transport: Bolt's SocketModeReceiver. apps.connections.open (at SLACK_API_URL)
 * gives a WebSocket URL; commands arrive as envelopes and are acked on the socket. No port is
 * opened for Slack.
 */
import { type Logger, SocketModeReceiver } from '@slack/bolt';
import { slackClientOptions } from '../slack-client.ts';
import type { SlackTransport } from './transport.ts';

/** A Socket Mode transport for the app-level token `appToken` (xapp-…). */
export function createSocketTransport(options: {
  appToken: string;
  apiUrl: string;
  logger: Logger;
}): SlackTransport {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: options.logger,
    installerOptions: {
      clientOptions: slackClientOptions({ apiUrl: options.apiUrl, logger: options.logger }),
    },
  });
  return {
    mode: 'socket',
    receiver,
    requestListener: null,
    start: async () => {
      await receiver.start();
    },
    stop: async () => {
      await receiver.stop();
    },
  };
}
