/** Every error ccost raises on purpose carries one of these codes. */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  CloseRefused: 'close_refused',
  ChecksFailed: 'checks_failed',
  PeriodClosed: 'period_closed',
  ConfigNotFound: 'config_not_found',
  InputInvalid: 'input_invalid',
  CsvInvalid: 'csv_invalid',
  BillingInvalid: 'billing_invalid',
  AllocationFailed: 'allocation_failed',
  NotFound: 'not_found',
  DatabaseError: 'database_error',
  UsageError: 'usage_error',
  /** A Confluent Cloud API call failed: a 4xx, or retries ran out on 429, 5xx, timeouts. */
  HttpError: 'http_error',
  /** A Confluent Cloud API answered 2xx with a body that is not what its spec describes. */
  ApiResponseInvalid: 'api_response_invalid',
  /** The environment variable holding an API key or secret is unset. */
  CredentialsMissing: 'credentials_missing',
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

/** One entry of a Confluent error body `{"errors":[{code, title, detail}]}`. */
export interface ApiErrorEntry {
  code?: string;
  title?: string;
  detail?: string;
}

/**
 * A failed API call. `endpoint` is the method and path without the query (`GET /cmk/v2/clusters`);
 * `status` is null when no HTTP answer came (connection error, timeout). Never carries credentials.
 */
export class ApiError extends CcostError {
  readonly api: string;
  readonly endpoint: string;
  readonly status: number | null;
  readonly errors: ApiErrorEntry[];
  constructor(
    api: string,
    endpoint: string,
    status: number | null,
    message: string,
    errors: ApiErrorEntry[] = [],
  ) {
    super(ErrorCode.HttpError, `${api}: ${endpoint}: ${message}`);
    this.api = api;
    this.endpoint = endpoint;
    this.status = status;
    this.errors = errors;
    this.name = 'ApiError';
  }
}

/** True when `err` is one of ours, so front ends can print it as one line without a stack. */
export function isCcostError(err: unknown): err is CcostError {
  return err instanceof CcostError;
}
