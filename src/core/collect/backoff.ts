/**
 * When to try an API call again: capped exponential backoff with full jitter, and the wait a
 * 429 answer asks for in its headers.
 */

/** First backoff step and the ceiling of any one backoff wait. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/** Rate-limit reset header names (lower case); Confluent APIs differ in casing and prefix. */
const RESET_HEADERS = ['x-ratelimit-reset', 'ratelimit-reset'];

/** A reset value above this is an epoch in seconds, not a number of seconds from now. */
const EPOCH_THRESHOLD = 1e9;

/** Response headers as undici gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/**
 * Full-jitter backoff before retry number `retry` (0 for the first retry): a uniform wait in
 * [0, min(cap, base · 2^retry)), using `random` in [0, 1).
 */
export function backoffMs(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a rate-limited answer asks for, in ms, or null when it names none. `Retry-After`
 * (seconds or an HTTP date) wins; otherwise the largest of the reset headers, read
 * case-insensitively, as seconds from now or, above 1e9, as an epoch in seconds.
 */
export function rateLimitWaitMs(headers: Headers, nowMs: number): number | null {
  const byName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), ...values]);
  }
  const retryAfter = byName.get('retry-after')?.[0]?.trim();
  if (retryAfter) {
    const wait = retryAfterMs(retryAfter, nowMs);
    if (wait !== null) return wait;
  }
  let longest: number | null = null;
  for (const name of RESET_HEADERS) {
    for (const value of byName.get(name) ?? []) {
      for (const part of value.split(',')) {
        const seconds = Number(part.trim());
        if (part.trim() === '' || !Number.isFinite(seconds)) continue;
        const wait = seconds > EPOCH_THRESHOLD ? seconds * 1000 - nowMs : seconds * 1000;
        longest = Math.max(longest ?? 0, Math.ceil(wait));
      }
    }
  }
  return longest === null ? null : Math.max(0, longest);
}

function retryAfterMs(value: string, nowMs: number): number | null {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
