/**
 * Listing a paginated Confluent Cloud collection: `page_size` and `page_token`, following
 * `metadata.next` (a full URL) until it is absent or null.
 */
import { z } from 'zod';
import { CcostError, ErrorCode } from '../errors/index.ts';
import type { ApiClient, Query } from './http.ts';
import { isTokenRejection, PageTokenRejected, withRestarts } from './page-token.ts';
import { parseResponse } from './validate.ts';

/** Largest page the org, IAM and cluster-management APIs accept. */
export const LIST_PAGE_SIZE = 100;

/** Most pages one listing follows before ccost assumes the API is looping. */
const MAX_PAGES = 10_000;

/** Times a listing starts over after a rejected (expired) page token. */
const MAX_RESTARTS = 3;

/**
 * Every item of a list endpoint, each validated with `item`. A rejected page token restarts the
 * listing from its first page, so no item is missed or listed twice.
 */
export function listAll<S extends z.ZodType>(
  client: ApiClient,
  path: string,
  item: S,
  query: Query = {},
): Promise<z.output<S>[]> {
  return withRestarts(() => listPass(client, path, item, query), MAX_RESTARTS, `the listing of ${path}`);
}

async function listPass<S extends z.ZodType>(
  client: ApiClient,
  path: string,
  item: S,
  query: Query,
): Promise<z.output<S>[]> {
  const page = z.looseObject({
    data: z.array(item),
    metadata: z.looseObject({ next: z.string().nullish() }).nullish(),
  });
  const params = { page_size: LIST_PAGE_SIZE, ...query };
  const items: z.output<S>[] = [];
  const seen = new Set<string>();
  let target = path;
  for (let n = 0; n < MAX_PAGES; n++) {
    const json = await client.getJson(target, params).catch((err: unknown) => {
      throw n > 0 && isTokenRejection(err) ? new PageTokenRejected(err) : err;
    });
    const body = parseResponse(page, json, `GET ${path}${n > 0 ? ` (page ${n + 1})` : ''}`);
    items.push(...body.data);
    const next = body.metadata?.next;
    if (!next) return items;
    if (seen.has(next)) break;
    seen.add(next);
    target = next;
  }
  throw new CcostError(
    ErrorCode.ApiResponseInvalid,
    `GET ${path}: paging does not end (metadata.next repeats)`,
  );
}
