/**
 * The Slack app's settings from the environment. Socket Mode when `SLACK_APP_TOKEN` is set, else
 * HTTP (events at /slack/events, verified with `SLACK_SIGNING_SECRET`). Tokens are read here and
 * only handed to Bolt; they are never logged.
 */
import { SlackSettingInvalidError, SlackSettingsError } from './errors.ts';
import { slackApiUrl } from './slack-client.ts';

/** How Slack reaches the app. */
export type SlackMode = 'http' | 'socket';

/** Everything the app needs to start. */
export interface SlackSettings {
  mode: SlackMode;
  /** Bot token, xoxb-…. */
  botToken: string;
  /** HTTP mode: the app's signing secret. */
  signingSecret: string | undefined;
  /** Socket Mode: an app-level token (xapp-…) with connections:write. */
  appToken: string | undefined;
  /** Web API base URL (SLACK_API_URL, default https://slack.com/api/). */
  apiUrl: string;
}

/** Environment variables the app reads. */
export const SLACK_ENV = {
  botToken: 'SLACK_BOT_TOKEN',
  signingSecret: 'SLACK_SIGNING_SECRET',
  appToken: 'SLACK_APP_TOKEN',
  apiUrl: 'SLACK_API_URL',
} as const;

/** Reads the settings; throws {@link SlackSettingsError} naming every missing variable. */
export function readSlackSettings(env: Record<string, string | undefined>): SlackSettings {
  const value = (name: string) => env[name]?.trim() || undefined;
  const appToken = value(SLACK_ENV.appToken);
  const mode: SlackMode = appToken ? 'socket' : 'http';
  const botToken = value(SLACK_ENV.botToken);
  const signingSecret = value(SLACK_ENV.signingSecret);
  const missing = [
    ...(botToken ? [] : [SLACK_ENV.botToken]),
    ...(mode === 'http' && !signingSecret ? [SLACK_ENV.signingSecret] : []),
  ];
  if (missing.length > 0)
    throw new SlackSettingsError(
      missing,
      mode === 'socket' ? 'in Socket Mode' : 'over HTTP (or Socket Mode with SLACK_APP_TOKEN)',
    );
  if (appToken && !appToken.startsWith('xapp-'))
    throw new SlackSettingInvalidError(
      SLACK_ENV.appToken,
      'must be an app-level token (xapp-…) with connections:write',
    );
  const apiUrl = slackApiUrl(value(SLACK_ENV.apiUrl));
  if (!/^https?:\/\//.test(apiUrl))
    throw new SlackSettingInvalidError(
      SLACK_ENV.apiUrl,
      'must be an http(s) URL such as https://slack.com/api/',
    );
  return { mode, botToken: botToken!, signingSecret, appToken, apiUrl };
}
