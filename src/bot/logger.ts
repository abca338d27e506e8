/**
 * The app's logger (Bolt's Logger interface): one line per message to a sink (stderr by default),
 * with anything shaped like a Slack token or a signing secret header masked, so a token that ends
 * up in an error message never reaches the log.
 */
import { type Logger, LogLevel } from '@slack/bolt';

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
const TOKEN = /\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g;
const BEARER = /(Bearer\s+)[^\s"',]+/gi;

/** Masks Slack tokens and bearer credentials in `text`. */
export function redactSecrets(text: string): string {
  return text.replace(TOKEN, '$1…').replace(BEARER, '$1…');
}

/** A logger writing `level name: message` lines to `write` (default stderr), from `level` up. */
export function createBotLogger(
  options: { level?: LogLevel; write?: (line: string) => void; name?: string } = {},
): Logger {
  let level = options.level ?? LogLevel.INFO;
  let name = options.name ?? 'ccost-slack';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log =
    (at: LogLevel) =>
    (...msg: unknown[]) => {
      if (ORDER.indexOf(at) < ORDER.indexOf(level)) return;
      const text = msg.map((m) =>
        m instanceof Error ? (m.stack ?? m.message) : typeof m === 'string' ? m : JSON.stringify(m),
      );
      write(redactSecrets(`${at} ${name}: ${text.join(' ')}`));
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}

/** The level named by `SLACK_LOG_LEVEL` (debug, info, warn, error), default info. */
export function logLevelFrom(value: string | undefined): LogLevel {
  const wanted = value?.trim().toLowerCase();
  return ORDER.find((l) => l === wanted) ?? LogLevel.INFO;
}
