/**
 * The Slack app: a Bolt App with the /ccost command, over HTTP (mounted by src/server at
 * /slack/events) or Socket Mode (when SLACK_APP_TOKEN is set). Every Web API call goes to
 * SLACK_API_URL (default https://slack.com/api/).
 */
import type { RequestListener } from 'node:http';
import { App, type BlockAction, type Logger } from '@slack/bolt';
import type { Config } from '../core/config/schema.ts';
import type { Store } from '../core/storage/database.ts';
import { type CommandOutcome, createCcostCommand, createExplainAction } from './command.ts';
import { EXPLAIN_ACTION_PATTERN } from './explain-blocks.ts';
import { createBotLogger, logLevelFrom } from './logger.ts';
import { readSlackSettings, type SlackMode, type SlackSettings } from './settings.ts';
import { createSlackClient, slackClientOptions, type WebClient } from './slack-client.ts';
import { createHttpTransport } from './transports/http.ts';
import { createSocketTransport } from './transports/socket.ts';
import type { SlackTransport } from './transports/transport.ts';
import { createViewerResolver, type ViewerResolver } from './visibility.ts';

/** The slash command ccost registers. */
export const SLASH_COMMAND = '/ccost';

/** What the app needs; `now` and `logger` are for tests. */
export interface SlackAppOptions {
  config: Config;
  store: Store;
  /** Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, SLACK_LOG_LEVEL. */
  env: Record<string, string | undefined>;
  now?: () => Date;
  logger?: Logger;
  /** Per /ccost command: its outcome and seconds from ack to answer (e.g. a metrics histogram). */
  observeCommand?: (outcome: CommandOutcome, seconds: number) => void;
}

/** A ready (not yet connected) Slack app. */
export interface SlackApp {
  app: App;
  mode: SlackMode;
  /** The bot's Web API client (at SLACK_API_URL): digests and alerts post with it. */
  client: WebClient;
  viewers: ViewerResolver;
  logger: Logger;
  /** HTTP mode: mount on POST /slack/events. Socket Mode: null. */
  requestListener: RequestListener | null;
  /** Connects in Socket Mode; nothing over HTTP. */
  start(): Promise<void>;
  /** Disconnects (Socket Mode) and waits for answers in flight (at most STOP_GRACE_MS). */
  stop(): Promise<void>;
}

/**
 * Builds the app from the environment; throws SlackSettingsError naming each missing variable
 * before anything is started.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const settings = readSlackSettings(options.env);
  const logger = options.logger ?? createBotLogger({ level: logLevelFrom(options.env.SLACK_LOG_LEVEL) });
  const transport = createTransport(settings, logger);
  const app = new App({
    token: settings.botToken,
    receiver: transport.receiver,
    logger,
    clientOptions: slackClientOptions({ apiUrl: settings.apiUrl, logger }),
  });
  const client = createSlackClient({ token: settings.botToken, apiUrl: settings.apiUrl, logger });
  const viewers = createViewerResolver({ config: options.config, client, logger });
  const now = options.now ?? (() => new Date());
  const command = createCcostCommand({
    config: options.config,
    store: options.store,
    viewers,
    logger,
    now,
    ...(options.observeCommand ? { observe: options.observeCommand } : {}),
  });
  const inFlight = new Set<Promise<void>>();
  app.command(SLASH_COMMAND, (args) => track(inFlight, command(args)));
  const explainAction = createExplainAction({
    config: options.config,
    store: options.store,
    viewers,
    logger,
    now,
  });
  app.action<BlockAction>(EXPLAIN_ACTION_PATTERN, (args) => track(inFlight, explainAction(args)));
  app.error(async (error) => {
    logger.error(`Slack app error: ${error.stack ?? error.message}`);
  });
  return {
    app,
    mode: transport.mode,
    client,
    viewers,
    logger,
    requestListener: transport.requestListener,
    start: () => transport.start(),
    stop: async () => {
      await transport.stop();
      await settled(inFlight, STOP_GRACE_MS);
    },
  };
}

/** How long stop() waits for answers being computed. */
export const STOP_GRACE_MS = 10_000;

function track(set: Set<Promise<void>>, work: Promise<void>): Promise<void> {
  set.add(work);
  return work.finally(() => set.delete(work));
}

/** Waits for every promise in `set`, at most `ms`. */
async function settled(set: Set<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.allSettled([...set]), timeout]);
  clearTimeout(timer);
}

function createTransport(settings: SlackSettings, logger: Logger): SlackTransport {
  if (settings.mode === 'socket')
    return createSocketTransport({ appToken: settings.appToken!, apiUrl: settings.apiUrl, logger });
  return createHttpTransport({ signingSecret: settings.signingSecret!, logger });
}
