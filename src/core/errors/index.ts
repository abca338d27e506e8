/** Every error ccost raises on purpose carries one of these codes. */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  ConfigNotFound: 'config_not_found',
  InputInvalid: 'input_invalid',
  CsvInvalid: 'csv_invalid',
  BillingInvalid: 'billing_invalid',
  AllocationFailed: 'allocation_failed',
  NotFound: 'not_found',
  DatabaseError: 'database_error',
  UsageError: 'usage_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a stable code for programs and a message that says what to fix for people. */
export class CcostError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'CcostError';
  }
}

/** A file or value a user gave us is malformed; `where` names the file, line, column or key. */
export class InputError extends CcostError {
  readonly where: string;
  constructor(code: ErrorCode, where: string, message: string) {
    super(code, `${where}: ${message}`);
    this.where = where;
    this.name = 'InputError';
  }
}

/** True when `err` is one of ours, so front ends can print it as one line without a stack. */
export function isCcostError(err: unknown): err is CcostError {
  return err instanceof CcostError;
}
