/** JSON errors of the REST API: `{ "error": { "code", "message", "parameter"? } }`. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Codes the API answers with, one per kind of failure. */
export const ApiErrorCode = {
  InvalidParameter: 'invalid_parameter',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Unavailable: 'unavailable',
  Internal: 'internal',
} as const;
/** One of {@link ApiErrorCode}. */
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** Answers an error as JSON with the given status. */
export function sendError(
  c: Context,
  status: ContentfulStatusCode,
  code: ApiErrorCode,
  message: string,
  parameter?: string,
) {
  return c.json({ error: { code, message, ...(parameter ? { parameter } : {}) } }, status);
}

/** A 400 for the first zod issue, naming its parameter. */
export function sendInvalid(c: Context, issues: { path: PropertyKey[]; message: string }[]) {
  const issue = issues[0]!;
  const parameter = issue.path.map(String).join('.') || 'query';
  return sendError(c, 400, ApiErrorCode.InvalidParameter, `${parameter}: ${issue.message}`, parameter);
}
