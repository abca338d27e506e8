/**
 * Page tokens expire (the Metrics API says so; the Billing API answers 400 too): a paging pass
 * that hits one starts over from the first page, a bounded number of times.
 */
import { ApiError } from '../errors/index.ts';

/** Thrown inside a paging pass when a request that carried a page token was rejected. */
export class PageTokenRejected extends Error {
  override readonly cause: ApiError;
  constructor(cause: ApiError) {
    super(cause.message);
    this.cause = cause;
    this.name = 'PageTokenRejected';
  }
}

/** True for a 400, the answer to an expired or unknown page token. */
export function isTokenRejection(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 400;
}

/**
 * Runs `pass`, and again from the start each time it throws PageTokenRejected, at most
 * `maxRestarts` times; then fails with the last rejection. `what` names the pass in that error.
 */
export async function withRestarts<T>(pass: () => Promise<T>, maxRestarts: number, what: string): Promise<T> {
  for (let restarts = 0; ; restarts++) {
    try {
      return await pass();
    } catch (err) {
      if (!(err instanceof PageTokenRejected)) throw err;
      if (restarts >= maxRestarts) {
        const c = err.cause;
        const said = c.message.slice(`${c.api}: ${c.endpoint}: `.length);
        throw new ApiError(
          c.api,
          c.endpoint,
          c.status,
          `${said}; the page token was rejected ${restarts + 1} times, restarting ${what} each time, so ccost gives up`,
          c.errors,
        );
      }
    }
  }
}
