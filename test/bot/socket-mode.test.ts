import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/core/money/amount.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { type RunningServer, startServer } from '../../src/server/server.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import {
  BOT_TOKEN,
  blockTexts,
  capturingLogger,
  config,
  NOW,
  seededStore,
  teamTotal,
} from './slack-test-kit.ts';

const APP_TOKEN = 'xapp-1-A0CCOST-test-app-token';

describe('the Slack app in Socket Mode', () => {
  let slack: FakeSlack;
  let store: Store;
  let server: RunningServer;
  const log = capturingLogger();

  beforeAll(async () => {
    slack = await startFakeSlack({ tokens: [BOT_TOKEN, APP_TOKEN] });
    store = await seededStore();
    server = await startServer({
      config,
      store,
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url },
      port: 0,
      host: '127.0.0.1',
      now: () => NOW,
      logger: log.logger,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await slack?.stop();
  });

  it('connects through apps.connections.open with the app token and serves no /slack/events', async () => {
    expect(server.slack?.mode).toBe('socket');
    const open = slack.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.auth).toBe(`Bearer ${APP_TOKEN}`);
    await slack.waitFor(() => slack.socket.connections() === 1);
    expect((await fetch(`${server.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('acks a slash_commands envelope on the socket and answers at the response_url', async () => {
    const started = Date.now();
    slack.socket.send({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'T0FAKE',
        team_domain: 'fake',
        channel_id: 'C_GENERAL',
        channel_name: 'general',
        user_id: 'U_ADMIN',
        user_name: 'admin',
        command: '/ccost',
        text: 'team payments october',
        api_app_id: 'A0CCOST',
        is_enterprise_install: 'false',
        response_url: slack.responseUrl('socket'),
        trigger_id: '1.2.3',
      },
    });
    const ack = await slack.waitFor(() => slack.socket.received.find((m) => m.envelope_id === 'env-1'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack.envelope_id).toBe('env-1');
    const response = await slack.waitFor(() => slack.responses.find((r) => r.id === 'socket'));
    expect(blockTexts(response.body.blocks)).toContain(formatUsd(await teamTotal(store, 'payments')));
  });

  it('disconnects on stop', async () => {
    await server.stop();
    await slack.waitFor(() => slack.socket.connections() === 0);
    expect(log.lines.join('\n')).not.toContain(APP_TOKEN);
  });
});
