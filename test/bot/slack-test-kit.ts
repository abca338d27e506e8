/**
 * Shared pieces of the Slack app tests: the seeded store and config, signed slash-command
 * requests (v0 HMAC-SHA256 with the signing secret), a logger that keeps its lines, and helpers
 * reading texts out of Block Kit.
 */
import { createHmac } from 'node:crypto';
import { type Logger, LogLevel } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { createBotLogger } from '../../src/bot/logger.ts';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { Config } from '../../src/core/config/schema.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../helpers/seed-example.ts';
import { createTestStore } from '../helpers/store.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';
/** Questions are asked "now" = 23 November 2026, so "october" is the seeded month. */
export const NOW = new Date('2026-11-23T15:00:00Z');

/** Visibility by team; U_ADMIN and members of S_FIN see all; U_PAY and members of S_PAYG see payments. */
export const config: Config = parseConfig({
  teams: {
    payments: {
      owners: ['sa-abc', 'sa-def'],
      budget: { monthly: 10 },
      slack_users: ['U_PAY'],
      slack_groups: ['S_PAYG'],
    },
    search: { owners: ['sa-ghi', 'sa-jkl'], slack_users: ['U_SEARCH'] },
  },
  slack: { visibility: 'teams', admins: { users: ['U_ADMIN'], groups: ['S_FIN'] } },
});

/** User groups of the fake workspace. */
export const USERGROUPS = { S_FIN: ['U_FIN'], S_PAYG: ['U_G1', 'U_G2'] };

/** A store holding the seed example allocated for October 2026. */
export async function seededStore(): Promise<Store> {
  const store = await createTestStore();
  await loadSeedExample(store);
  await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
  return store;
}

/** The team's October total straight from SQL (current run), as exact text. */
export async function teamTotal(store: Store, team: string): Promise<string> {
  const rows = await store.query<{ total: string }>(
    sql`select coalesce(sum(a.amount), 0)::text as total from allocations a join allocation_runs r on r.id = a.run_id where r.is_current and a.team = ${team}`,
  );
  return rows[0]!.total;
}

/** A logger keeping every line it writes. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createBotLogger({ level: LogLevel.DEBUG, write: (l) => lines.push(l) }), lines };
}

/** The form body Slack posts for `/ccost <text>`. */
export function commandBody(
  text: string,
  options: { user?: string; channel?: string; responseUrl: string },
): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: options.channel ?? 'C_GENERAL',
    channel_name: 'general',
    user_id: options.user ?? 'U_ADMIN',
    user_name: 'someone',
    command: '/ccost',
    text,
    api_app_id: 'A0CCOST',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** Slack's v0 signature of `body` at `timestamp` (seconds). */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a signed slash command to `url`; `timestamp` and `secret` can be wrong on purpose. */
export async function postCommand(
  url: string,
  body: string,
  options: { timestamp?: number; secret?: string; signature?: string } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(body, timestamp, options.secret),
    },
    body,
  });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

/** Every `text` inside a message's blocks, joined by newlines. */
export function blockTexts(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
