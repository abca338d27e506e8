import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  isPng,
  NOW,
  postCommand,
  SIGNING_SECRET,
  seededStore,
  sleep,
  teamTotal,
  USERGROUPS,
} from './slack-test-kit.ts';

describe('the Slack app over HTTP', () => {
  let slack: FakeSlack;
  let store: Store;
  let server: RunningServer;
  let events: string;
  const log = capturingLogger();
  const observed: { outcome: string; seconds: number }[] = [];

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
      observeSlackCommand: (outcome, seconds) => observed.push({ outcome, seconds }),
    });
    events = `${server.url}/slack/events`;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await slack?.stop();
  });

  /** Sends `/ccost text` as `user` and waits for the answer at its response_url. */
  async function ask(text: string, user = 'U_ADMIN', channel = 'C_GENERAL') {
    const responseUrl = slack.responseUrl();
    const id = responseUrl.split('/').at(-1)!;
    const res = await postCommand(events, commandBody(text, { user, channel, responseUrl }));
    expect(res.status).toBe(200);
    const response = await slack.waitFor(() => slack.responses.find((r) => r.id === id));
    return { res, response, text: blockTexts(response.body.blocks) };
  }

  it('acks at once and answers ephemerally with the team total from the database; the chart goes to a DM', async () => {
    const total = await teamTotal(store, 'payments');
    const { res, response, text } = await ask('team payments october');
    expect(res.ms).toBeLessThan(3000);
    expect(res.text).toBe('');
    expect(response.body.response_type).toBe('ephemeral');
    expect(text).toContain(formatUsd(total));
    expect(formatUsd(total)).toBe('$7.09');
    expect(text).toContain('The chart is in your DMs');
    expect(slack.callsOf('conversations.open').at(-1)!.body.users).toBe('U_ADMIN');
    const upload = slack.uploads.at(-1)!;
    expect(upload).toMatchObject({ channel: 'DU_ADMIN', completed: true });
    expect(isPng(upload.bytes)).toBe(true);
    for (const call of slack.calls) expect(call.auth).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('shares: the answer is posted in the channel and the chart PNG lands in its thread', async () => {
    const before = slack.messages.length;
    const responseUrl = slack.responseUrl();
    const res = await postCommand(
      events,
      commandBody('team payments october share', { channel: 'C_TEAM', responseUrl }),
    );
    expect(res.status).toBe(200);
    const message = await slack.waitFor(() =>
      slack.messages.slice(before).find((m) => m.channel === 'C_TEAM'),
    );
    expect(message.method).toBe('chat.postMessage');
    expect(blockTexts(message.blocks)).toContain(formatUsd(await teamTotal(store, 'payments')));
    const upload = await slack.waitFor(() =>
      slack.uploads.find((u) => u.threadTs === message.ts && u.completed),
    );
    expect(upload.channel).toBe('C_TEAM');
    expect(isPng(upload.bytes)).toBe(true);
    expect(upload.filename).toMatch(/\.png$/);
  });

  it('still answers when the chart cannot be sent by DM, and privately when it may not post in the channel', async () => {
    slack.failNext('conversations.open', 'missing_scope');
    const noDm = await ask('team payments october');
    expect(noDm.text).toContain('$7.09');
    expect(noDm.text).toContain('could not send you the chart');
    slack.failNext('chat.postMessage', 'not_in_channel');
    const notInChannel = await ask('team payments october share', 'U_ADMIN', 'C_PRIVATE');
    expect(notInChannel.response.body.response_type).toBe('ephemeral');
    expect(notInChannel.text).toContain('/invite @ccost');
    expect(notInChannel.text).toContain('$7.09');
    expect(log.lines.join('\n')).toContain(
      'could not send the chart by DM: An API error occurred: missing_scope',
    );
  });

  it('refuses a forged signature with 401 and answers nothing', async () => {
    const responseUrl = slack.responseUrl('forged');
    const body = commandBody('team payments october', { responseUrl });
    const res = await postCommand(events, body, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const tampered = await postCommand(events, body.replace('october', 'september'), {
      signature: (await import('./slack-test-kit.ts')).sign(body, Math.floor(Date.now() / 1000)),
    });
    expect(tampered.status).toBe(401);
    await sleep(300);
    expect(slack.responses.filter((r) => r.id === 'forged')).toEqual([]);
  });

  it('refuses a correctly signed request older than 5 minutes', async () => {
    const responseUrl = slack.responseUrl('stale');
    const res = await postCommand(events, commandBody('team payments october', { responseUrl }), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    await sleep(300);
    expect(slack.responses.filter((r) => r.id === 'stale')).toEqual([]);
  });

  it('replies helpfully to nonsense and a misspelt team, and answers help', async () => {
    const nonsense = await ask('flibbertigibbet wobble');
    expect(nonsense.text).toMatch(/help/i);
    expect(nonsense.text.length).toBeLessThan(3000);
    const misspelt = await ask('team paymnts october');
    expect(misspelt.text).toContain('team payments');
    const help = await ask('help');
    expect(help.text).toContain('team payments last month');
    expect(help.text).toContain('share');
    await slack.waitFor(() => observed.filter((o) => o.outcome === 'replied').length >= 3);
    expect(observed.every((o) => o.seconds >= 0 && o.seconds < 30)).toBe(true);
  });

  it('shows a team member their team and refuses another team', async () => {
    const own = await ask('team payments october', 'U_PAY');
    expect(own.text).toContain('$7.09');
    const other = await ask('team search october', 'U_PAY');
    expect(other.text).toMatch(/cannot see team search/i);
    expect(other.text).not.toMatch(/\$\d/);
  });

  it('resolves members of a team’s user group and of the admin group through usergroups.users.list', async () => {
    const member = await ask('team payments october', 'U_G1');
    expect(member.text).toContain('$7.09');
    expect((await ask('team search october', 'U_G1')).text).toMatch(/cannot see team search/i);
    const admin = await ask('team search october', 'U_FIN');
    expect(admin.text).toContain(formatUsd(await teamTotal(store, 'search')));
    const stranger = await ask('team payments october', 'U_NOBODY');
    expect(stranger.text).toMatch(/not a member of any team/i);
    const lookups = slack.callsOf('usergroups.users.list').map((c) => c.body.usergroup);
    // Cached: each group is asked once however many questions are asked.
    expect(lookups.filter((g) => g === 'S_FIN')).toHaveLength(1);
    expect(lookups.filter((g) => g === 'S_PAYG')).toHaveLength(1);
  });

  it('serves /healthz and 404s other paths', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(events)).status).toBe(405);
  });

  it('never logs the bot token or the signing secret', () => {
    const all = log.lines.join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });
});

describe('the Slack app when answering fails', () => {
  it('tells the user one short sentence with a reference, logs the error, shows no stack', async () => {
    const slack = await startFakeSlack();
    const store = await seededStore();
    const log = capturingLogger();
    const server = await startServer({
      config,
      store,
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
      port: 0,
      host: '127.0.0.1',
      now: () => NOW,
      logger: log.logger,
    });
    try {
      await store.close();
      const responseUrl = slack.responseUrl('broken');
      const res = await postCommand(
        `${server.url}/slack/events`,
        commandBody('team payments october', { responseUrl }),
      );
      expect(res.status).toBe(200);
      const response = await slack.waitFor(() => slack.responses.find((r) => r.id === 'broken'));
      const text = blockTexts(response.body.blocks);
      const ref = text.match(/ref ([0-9a-f]{8})/)?.[1];
      expect(ref).toBeDefined();
      expect(text).toMatch(/Something went wrong/);
      expect(text).not.toMatch(/\n\s+at |Error:|node_modules|\.ts:\d+/);
      expect(text.length).toBeLessThan(300);
      expect(log.lines.some((l) => l.includes(`ref ${ref}`) && /\n\s+at /.test(l))).toBe(true);
    } finally {
      await server.stop();
      await slack.stop();
    }
  });
});
