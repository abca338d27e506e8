import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postAnswer, postBlocks } from '../../src/bot/post.ts';
import { createSlackClient, slackApiUrl } from '../../src/bot/slack-client.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { teamAnswer } from './answer-fixture.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('posting to Slack', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('posts an answer as blocks and uploads the chart into its thread', async () => {
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: slack.url });
    const posted = await postAnswer(client, { channel: '#finance', answer: teamAnswer(), chart: PNG });
    expect(posted).toEqual({ channel: 'CFINANCE', ts: slack.messages[0]!.ts });
    const [call] = slack.callsOf('chat.postMessage');
    expect(call!.auth).toBe('Bearer xoxb-test');
    expect(call!.body.text).toContain('Team payments, October 2026: $1,234.57');
    expect((call!.body.blocks as unknown[]).length).toBeGreaterThan(2);
    expect(slack.uploads).toHaveLength(1);
    const upload = slack.uploads[0]!;
    expect(upload).toMatchObject({
      filename: 'ccost-team-payments-2026-10-01.png',
      channel: 'CFINANCE',
      threadTs: posted.ts,
      completed: true,
      title: 'Team payments, October 2026',
    });
    expect(upload.bytes.equals(PNG)).toBe(true);
  });

  it('posts plain blocks into a thread without a chart', async () => {
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: slack.url.replace(/\/$/, '') });
    await postBlocks(client, {
      channel: 'C1',
      threadTs: '1.2',
      text: 'hi',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    });
    expect(slack.messages[0]).toMatchObject({ channel: 'C1', threadTs: '1.2', text: 'hi' });
    expect(slack.uploads).toHaveLength(0);
  });

  it('surfaces Slack errors', async () => {
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: slack.url, retries: 0 });
    slack.failNext('chat.postMessage', 'channel_not_found');
    await expect(postBlocks(client, { channel: 'C404', text: 'x', blocks: [] })).rejects.toThrow(
      /channel_not_found/,
    );
  });

  it('defaults to Slack’s API URL', () => {
    expect(slackApiUrl(undefined)).toBe('https://slack.com/api/');
    expect(slackApiUrl('http://proxy:8080/slack')).toBe('http://proxy:8080/slack/');
  });
});
