/**
 * How long a failing job waits before its next attempt: exponential, capped, and a bounded number
 * of retries, so a broken job neither hammers its dependencies nor stops forever.
 */

/** Retry settings of a scheduler. */
export interface RetryPolicy {
  /** Wait after the first failure. */
  baseMs: number;
  /** Ceiling of any one wait. */
  maxMs: number;
  /** Attempts in a row (the first included) before the scheduler stops retrying until the job is due again. */
  maxAttempts: number;
}

/** One minute, doubling to at most 30 minutes, five attempts. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 60_000, maxMs: 30 * 60_000, maxAttempts: 5 };

/** The wait after `failures` failures in a row (1 for the first): base · 2^(failures−1), capped. */
export function retryDelayMs(failures: number, policy: RetryPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (failures - 1));
}
