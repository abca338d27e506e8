import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explanationBlocks } from '../../src/bot/explain-blocks.ts';
import { explain } from '../../src/core/explain/explain.ts';
import { decodeState } from '../../src/core/explain/state.ts';
import { formatUsd } from '../../src/core/money/amount.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { type RunningServer, startServer } from '../../src/server/server.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import {
  BOT_TOKEN,
  blockTexts,
  capturingLogger,
  commandBody,
  config,
  NOW,
  postCommand,
  SIGNING_SECRET,
  seededStore,
  teamTotal,
  USERGROUPS,
} from './slack-test-kit.ts';

interface Button {
  type: 'button';
  action_id: string;
  value: string;
  text: { text: string };
}

/** Every button of a message's blocks (section accessories and actions elements). */
function buttonsOf(blocks: unknown): Button[] {
  const out: Button[] = [];
  for (const b of blocks as { accessory?: Button; elements?: Button[] }[]) {
    if (b.accessory?.type === 'button') out.push(b.accessory);
    for (const e of b.elements ?? []) if (e.type === 'button') out.push(e);
  }
  return out;
}

/** The form body Slack posts when a button is clicked. */
function actionBody(button: Button, user: string, responseUrl: string): string {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'someone', name: 'someone', team_id: 'T0FAKE' },
    api_app_id: 'A0CCOST',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: 'C_GENERAL',
      is_ephemeral: true,
    },
    trigger_id: '1.2.3',
    team: { id: 'T0FAKE', domain: 'fake' },
    channel: { id: 'C_GENERAL', name: 'general' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b1',
        value: button.value,
        text: { type: 'plain_text', text: button.text.text },
        action_ts: '1700000001.000200',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe('/ccost explain in Slack', () => {
  let slack: FakeSlack;
  let store: Store;
  let server: RunningServer;
  let events: string;
  const log = capturingLogger();

  beforeAll(async () => {
    slack = await startFakeSlack({ usergroups: USERGROUPS, tokens: [BOT_TOKEN] });
    store = await seededStore();
    server = await startServer({
      config,
      store,
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
      port: 0,
      host: '127.0.0.1',
      now: () => NOW,
      logger: log.logger,
    });
    events = `${server.url}/slack/events`;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await slack?.stop();
  });

  async function command(text: string, user: string) {
    const responseUrl = slack.responseUrl();
    const id = responseUrl.split('/').at(-1)!;
    expect((await postCommand(events, commandBody(text, { user, responseUrl }))).status).toBe(200);
    return (await slack.waitFor(() => slack.responses.find((r) => r.id === id))).body;
  }

  async function click(button: Button, user: string) {
    const responseUrl = slack.responseUrl();
    const id = responseUrl.split('/').at(-1)!;
    const res = await postCommand(events, actionBody(button, user, responseUrl));
    expect(res.status).toBe(200);
    return (await slack.waitFor(() => slack.responses.find((r) => r.id === id))).body;
  }

  it('explains the team figure with a button per resource; clicking posts the next level, down to a line and its day', async () => {
    const total = await teamTotal(store, 'payments');
    const top = await command('explain team payments october', 'U_PAY');
    expect(top.response_type).toBe('ephemeral');
    expect(blockTexts(top.blocks)).toContain('Explain: Team payments · October 2026');
    expect(blockTexts(top.blocks)).toContain(`*${formatUsd(total)}*`);
    const resources = buttonsOf(top.blocks).filter((b) => b.action_id === 'ccost_explain');
    expect(resources.length).toBeGreaterThan(0);
    for (const b of resources) expect(b.value.length).toBeLessThan(2000);
    const cluster = resources.find((b) => decodeState(b.value).resource === 'lkc-123')!;

    const resource = await click(cluster, 'U_PAY');
    expect(resource.response_type).toBe('ephemeral');
    expect(resource.replace_original).toBe(false);
    expect(blockTexts(resource.blocks)).toContain('Explain: Team payments on lkc-123');
    const lines = buttonsOf(resource.blocks).filter((b) => b.action_id === 'ccost_explain');
    expect(buttonsOf(resource.blocks).find((b) => b.action_id === 'ccost_explain:up')).toBeDefined();

    const line = await click(lines[0]!, 'U_PAY');
    const lineText = blockTexts(line.blocks);
    expect(lineText).toMatch(/Billing line \d+/);
    expect(lineText).toContain('By owner');
    const day = buttonsOf(line.blocks).find((b) => b.action_id === 'ccost_explain:day')!;
    const dayMessage = await click(day, 'U_PAY');
    expect(blockTexts(dayMessage.blocks)).toContain('Explain: Team payments on lkc-123 (orders), 2026-10-01');
  });

  it('posts exactly what explain() gives at each level; the children shown add up', async () => {
    const e = await explain(store, {
      scope: { team: 'payments' },
      period: { from: '2026-10-01', to: '2026-11-01' },
      config,
      now: NOW,
    });
    expect(e.children.reduce((s, c) => s.plus(c.amount), new Decimal(0)).toFixed()).toBe(e.total);
    const message = explanationBlocks(e);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(blockTexts(message.blocks)).toContain(`(total ${formatUsd(e.total)})`);
  });

  it('refuses a click on a team the user may not see', async () => {
    const top = await command('explain team payments october', 'U_ADMIN');
    const button = buttonsOf(top.blocks).find((b) => b.action_id === 'ccost_explain')!;
    const refused = await click(button, 'U_SEARCH');
    const text = blockTexts(refused.blocks);
    expect(text).toMatch(/cannot see team payments/i);
    expect(text).not.toMatch(/\$\d/);
    const asked = await command('explain team payments october', 'U_SEARCH');
    expect(blockTexts(asked.blocks)).toMatch(/cannot see team payments/i);
  });

  it('answers a tampered button value in one line, without a stack', async () => {
    const refused = await click(
      { type: 'button', action_id: 'ccost_explain', value: '{"t":"payments"}', text: { text: 'x' } },
      'U_ADMIN',
    );
    expect(blockTexts(refused.blocks)).toBe(':warning: from: must be a day written YYYY-MM-DD');
  });
});
