/**
 * A small fake Confluent Cloud API on 127.0.0.1 (port 0) for the collector tests: records every
 * request and answers through a handler. Nothing leaves loopback.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { type ApiClient, createApiClient } from '../../src/core/collect/http.ts';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * An answer: a status with a JSON body (a string is sent as is), `hang` to never answer (a
 * timeout), or `truncate` to promise a longer body than is sent and drop the connection.
 */
export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true }
  | { truncate: string };

export type Handler = (req: RecordedRequest, index: number) => Reply | Promise<Reply>;

/** A running fake API. */
export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/confluent/', import.meta.url));

/** The text of test/fixtures/confluent/`name`. */
export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** A 200 answer with a fixture file as body, byte for byte. */
export function fixtureReply(name: string): Reply {
  return { status: 200, body: fixture(name) };
}

/** Starts a fake API answering with `handler`. */
export async function startFakeApi(handler: Handler): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      try {
        send(res, await handler(recorded, requests.length - 1));
      } catch (err) {
        send(res, { status: 599, body: { errors: [{ detail: `fake server: ${(err as Error).message}` }] } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if ('hang' in reply) return;
  if ('truncate' in reply) {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(reply.truncate) + 100),
    });
    res.write(reply.truncate);
    setImmediate(() => res.socket?.destroy());
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(text);
}

/** A handler answering by `METHOD /path` from a table; anything else is a 404 naming it. */
export function routes(table: Record<string, Handler>): Handler {
  return (req, index) => {
    const route = table[`${req.method} ${req.path}`];
    if (route) return route(req, index);
    return { status: 404, body: { errors: [{ status: '404', title: 'Not Found', detail: req.url }] } };
  };
}

/**
 * For test files whose tests each start a fake API and a client for it: returns `serve(handler)`
 * and closes both after every test.
 */
export function fakeApiPerTest(
  name: string,
): (handler: Handler) => Promise<{ api: FakeApi; client: ApiClient }> {
  let api: FakeApi | undefined;
  let client: ApiClient | undefined;
  afterEach(async () => {
    await client?.close();
    await api?.close();
    api = undefined;
    client = undefined;
  });
  return async (handler) => {
    api = await startFakeApi(handler);
    client = createApiClient({
      baseUrl: api.url,
      apiKey: 'KEY',
      apiSecret: 'SECRET-VALUE',
      name,
      sleep: async () => {},
    });
    return { api, client };
  };
}
