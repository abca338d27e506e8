/**
 * ccost's HTTP server: one node:http server for everything served on PORT. Today that is the
 * Slack app (POST /slack/events in HTTP mode; Socket Mode connects out instead), GET /healthz,
 * and what `routes` and `fallback` add (the service adds /metrics and the REST API). The
 * scheduler plugs in through `scheduler`: started once the server listens, stopped first on
 * shutdown.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../bot/app.ts';
import { SLACK_EVENTS_PATH } from '../bot/transports/http.ts';
import type { Config } from '../core/config/schema.ts';
import type { Store } from '../core/storage/database.ts';

/** Something started with the server and stopped before it closes (the digest scheduler). */
export interface ServerJobs {
  start(): void;
  stop(): Promise<void>;
}

/** What a job factory gets: the server's config, store and environment and the Slack app (null without Slack). */
export interface JobsContext {
  config: Config;
  store: Store;
  env: Record<string, string | undefined>;
  slack: SlackApp | null;
}

/** Default port when neither `port` nor PORT is given. */
export const DEFAULT_PORT = 3000;

/** What the server serves. */
export interface StartServerOptions {
  config: Config;
  /** The caller's store: the server uses it and never closes it. */
  store: Store;
  env: Record<string, string | undefined>;
  /** Port (0: any free one); default PORT from `env`, else 3000. */
  port?: number;
  /** Address to listen on; default all interfaces. */
  host?: string;
  /** `false`: no Slack app (API only); default: the app from `env`, which must be complete. */
  slack?: false | SlackApp;
  /**
   * The digest scheduler (or any jobs), or a factory given the Slack app (for its client):
   * started after the server listens, stopped first on shutdown.
   */
  scheduler?: ServerJobs | ((context: JobsContext) => ServerJobs);
  /** More routes, keyed `METHOD /path` (`GET /metrics`); they replace built-in ones of the same key. */
  routes?: Record<string, RequestListener>;
  /** What answers a request no route matches (the REST API); default a JSON 404 or 405. */
  fallback?: RequestListener;
  now?: () => Date;
  logger?: Logger;
  /** Per /ccost command: outcome and seconds (the metrics registry's observeSlackCommand). */
  observeSlackCommand?: SlackAppOptions['observeCommand'];
}

/** A listening server. */
export interface RunningServer {
  server: Server;
  port: number;
  /** `http://HOST:PORT` (127.0.0.1 when listening on every interface). */
  url: string;
  slack: SlackApp | null;
  /** Stops the scheduler, closes the server (finishing requests in flight) and stops the Slack app. */
  stop(): Promise<void>;
}

/** Starts the server; in Socket Mode also connects to Slack. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const slack =
    options.slack === false
      ? null
      : (options.slack ??
        createSlackApp({
          config: options.config,
          store: options.store,
          env: options.env,
          ...(options.now ? { now: options.now } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.observeSlackCommand ? { observeCommand: options.observeSlackCommand } : {}),
        }));
  const routes = routeTable(slack, options.routes ?? {});
  const server = createServer((req, res) => dispatch(routes, req, res, slack?.logger, options.fallback));
  await listen(server, options.port ?? portFrom(options.env), options.host);
  await slack?.start();
  const scheduler =
    typeof options.scheduler === 'function'
      ? options.scheduler({ config: options.config, store: options.store, env: options.env, slack })
      : options.scheduler;
  scheduler?.start();
  const port = (server.address() as AddressInfo).port;
  const host =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    slack,
    stop: once(() => shutdown(server, slack, scheduler)),
  };
}

/** PORT from the environment, else 3000. */
export function portFrom(env: Record<string, string | undefined>): number {
  const text = env.PORT?.trim();
  if (!text) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`PORT must be a port number, not "${text}"`);
  return port;
}

function routeTable(
  slack: SlackApp | null,
  extra: Record<string, RequestListener>,
): Map<string, RequestListener> {
  const routes = new Map<string, RequestListener>([['GET /healthz', healthz]]);
  if (slack?.requestListener) routes.set(`POST ${SLACK_EVENTS_PATH}`, slack.requestListener);
  for (const [key, handler] of Object.entries(extra)) routes.set(key, handler);
  return routes;
}

function healthz(_req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

function dispatch(
  routes: Map<string, RequestListener>,
  req: IncomingMessage,
  res: ServerResponse,
  logger?: Logger,
  fallback?: RequestListener,
): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = routes.get(`${req.method ?? 'GET'} ${path}`) ?? fallback;
  if (!handler) {
    notFound(routes, path, res);
    return;
  }
  try {
    const result = handler(req, res) as unknown;
    if (result instanceof Promise) result.catch((err: unknown) => failed(res, err, logger));
  } catch (err) {
    failed(res, err, logger);
  }
}

/** 405 with Allow when the path exists for another method, else 404. */
function notFound(routes: Map<string, RequestListener>, path: string, res: ServerResponse): void {
  const allowed = [...routes.keys()].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]!);
  if (allowed.length > 0)
    sendJson(res, 405, { error: 'method not allowed', allowed }, { allow: allowed.join(', ') });
  else sendJson(res, 404, { error: 'not found' });
}

function failed(res: ServerResponse, err: unknown, logger?: Logger): void {
  logger?.error(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  else res.end();
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function shutdown(server: Server, slack: SlackApp | null, scheduler?: ServerJobs): Promise<void> {
  await scheduler?.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 5000);
  await closed;
  clearTimeout(timer);
  await slack?.stop();
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= work();
    return running;
  };
}
