/**
 * A client-side request-rate limit: a token bucket (kept as its theoretical arrival time, so a
 * waiting caller reserves its slot at once and concurrent callers queue in order).
 */

/** Waits until the next request may go out. */
export interface RateLimiter {
  acquire(): Promise<void>;
}

/** Clock and sleep, injectable so tests need no real time. */
export interface RateLimiterOptions {
  /** Requests allowed back to back before spacing starts (the bucket size); default 1. */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A limiter letting at most `requestsPerSecond` requests start per second. */
export function createRateLimiter(requestsPerSecond: number, options: RateLimiterOptions = {}): RateLimiter {
  if (!(requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be greater than 0');
  const interval = 1000 / requestsPerSecond;
  const tolerance = (Math.max(1, options.burst ?? 1) - 1) * interval;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let theoreticalArrival = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      const t = now();
      const allowedAt = Math.max(t, theoreticalArrival - tolerance);
      theoreticalArrival = Math.max(theoreticalArrival, allowedAt) + interval;
      const wait = allowedAt - t;
      if (wait > 0) await sleep(wait);
    },
  };
}
