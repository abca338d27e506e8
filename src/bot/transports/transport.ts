/**
 * How Slack reaches the app, behind one small interface (as Bolt's receivers are): over HTTP,
 * mounted on ccost's own server, or over a Socket Mode WebSocket the app opens itself.
 */
import type { RequestListener } from 'node:http';
import type { Receiver } from '@slack/bolt';
import type { SlackMode } from '../settings.ts';

/** A receiver for Bolt plus how to run it. */
export interface SlackTransport {
  mode: SlackMode;
  receiver: Receiver;
  /** HTTP: the listener for POST /slack/events (mount it on a node:http server); Socket Mode: null. */
  requestListener: RequestListener | null;
  /** Connects (Socket Mode); nothing to do over HTTP, where the server owns the port. */
  start(): Promise<void>;
  /** Disconnects (Socket Mode). */
  stop(): Promise<void>;
}
