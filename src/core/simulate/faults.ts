/**
 * Faults the simulator can inject, so HTTP clients are tested against what the real APIs do on a
 * bad day: rate limits, server errors, slow answers, truncated pages, expired page tokens and a
 * day of billing data that arrives late.
 */
import { z } from 'zod';
import { CcostError, ErrorCode } from '../errors/index.ts';
import { tryDayNumber } from './calendar.ts';

const every = z.number().int().min(1);

/** Fault settings; every field is optional and `{}` means none. */
export const faultsSchema = z.strictObject({
  /** Every Nth API request answers 429 with Retry-After. */
  rateLimit: every.optional(),
  /** Every Nth API request answers 500 or 503 (alternating). */
  serverError: every.optional(),
  /** Milliseconds to wait before answering each API request. */
  slowMs: z.number().int().min(0).max(600_000).optional(),
  /** Every Nth Billing API page is cut off halfway through its JSON body. */
  truncatePage: every.optional(),
  /** The Nth request that carries a page token (counted since the faults were set) answers 400 "expired". */
  expireToken: every.optional(),
  /** This day's billing lines are missing until the fault is cleared (data arriving late). */
  lateDay: z
    .string()
    .refine((d) => tryDayNumber(d) !== undefined, 'must be a date YYYY-MM-DD')
    .optional(),
});

export type Faults = z.infer<typeof faultsSchema>;

/** Validates fault settings from JSON (CLI flag, control endpoint); errors name the field. */
export function parseFaults(input: unknown, where = 'faults'): Faults {
  const result = faultsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.') || '(top level)';
    throw new CcostError(ErrorCode.InputInvalid, `${where}: ${path}: ${issue.message}`);
  }
  return result.data;
}

/** How often each fault fired. */
export interface FaultCounts {
  rateLimited: number;
  serverErrors: number;
  truncatedPages: number;
  expiredTokens: number;
}

/** The current faults and their counters; counters restart whenever the faults are set. */
export class FaultState {
  private settings: Faults = {};
  private requests = 0;
  private billingPages = 0;
  private tokenUses = 0;
  readonly fired: FaultCounts = { rateLimited: 0, serverErrors: 0, truncatedPages: 0, expiredTokens: 0 };

  constructor(faults: Faults = {}) {
    this.set(faults);
  }

  /** Replaces the faults and restarts their counters. */
  set(faults: Faults): void {
    this.settings = { ...faults };
    this.requests = 0;
    this.billingPages = 0;
    this.tokenUses = 0;
  }

  /** The faults in force. */
  get current(): Faults {
    return { ...this.settings };
  }

  /** Counts one API request; says whether it is rate limited, fails, or goes through. */
  onRequest(): 'rateLimit' | 500 | 503 | null {
    this.requests++;
    const { rateLimit, serverError } = this.settings;
    if (rateLimit && this.requests % rateLimit === 0) {
      this.fired.rateLimited++;
      return 'rateLimit';
    }
    if (serverError && this.requests % serverError === 0) {
      this.fired.serverErrors++;
      return this.fired.serverErrors % 2 === 1 ? 500 : 503;
    }
    return null;
  }

  /** Counts one use of a page token; true when this use is the one that has expired. */
  onTokenUse(): boolean {
    this.tokenUses++;
    if (this.settings.expireToken !== undefined && this.tokenUses === this.settings.expireToken) {
      this.fired.expiredTokens++;
      return true;
    }
    return false;
  }

  /** Counts one Billing API page about to be sent; true when it must be truncated. */
  onBillingPage(): boolean {
    this.billingPages++;
    const n = this.settings.truncatePage;
    if (n && this.billingPages % n === 0) {
      this.fired.truncatedPages++;
      return true;
    }
    return false;
  }

  /** Delay before answering, in milliseconds. */
  get slowMs(): number {
    return this.settings.slowMs ?? 0;
  }

  /** The day whose billing lines are held back, if any. */
  get lateDay(): string | undefined {
    return this.settings.lateDay;
  }
}
