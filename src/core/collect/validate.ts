/**
 * Response validation: zod schemas for the few fields ccost reads, and errors that name the
 * endpoint and the field, e.g. `GET /cmk/v2/clusters: data[2].spec.config.kind: expected string`.
 */
import { z } from 'zod';
import { CcostError, ErrorCode } from '../errors/index.ts';

/** Validates `json` against `schema`, or throws an `api_response_invalid` error naming `endpoint`. */
export function parseResponse<S extends z.ZodType>(schema: S, json: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = formatIssuePath(issue.path);
  const message = issue.message.replace(/^Invalid input: /, '');
  throw new CcostError(
    ErrorCode.ApiResponseInvalid,
    `${endpoint}: ${path || 'body'}: ${message} (the API answered in a shape ccost does not know)`,
  );
}

/** `data[2].spec.config.kind`; keys that are not plain names are quoted: `["my connector"].id`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `[${JSON.stringify(key)}]`;
      return i === 0 ? key : `.${key}`;
    })
    .join('');
}

/** A small count (CKUs, eCKUs, CFUs, CSUs): JSON numbers arrive as text from the lossless parser. */
export const countSchema = z
  .union([z.string().regex(/^\d+$/, 'must be a whole number'), z.number().int()])
  .transform((v) => Number(v));

/** A reference to another object: only its id is used. */
export const refSchema = z.looseObject({ id: z.string().min(1) });
