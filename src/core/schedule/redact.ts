/** Error messages go into `job_runs` and logs: they must never carry a token, password or key. */

const MAX_LENGTH = 1000;

/**
 * `text` without Slack tokens, URL passwords, Authorization values and `secret=`/`password=`
 * values, cut to 1000 characters.
 */
export function redactSecrets(text: string): string {
  const redacted = text
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox*-[redacted]')
    .replace(/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]')
    .replace(/(\/\/[^:/@\s]+:)[^@\s/]+@/g, '$1[redacted]@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(
      /\b(\w*(?:secret|password|passwd|token|api_?key))(["']?\s*[:=]\s*["']?)[^\s"',&]+/gi,
      '$1$2[redacted]',
    );
  return redacted.length > MAX_LENGTH ? `${redacted.slice(0, MAX_LENGTH - 1)}…` : redacted;
}
