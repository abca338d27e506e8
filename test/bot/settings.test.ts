import { describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/bot/app.ts';
import { SlackSettingInvalidError, SlackSettingsError } from '../../src/bot/errors.ts';
import { redactSecrets } from '../../src/bot/logger.ts';
import { readSlackSettings } from '../../src/bot/settings.ts';
import { createSlackClient } from '../../src/bot/slack-client.ts';
import { createViewerResolver } from '../../src/bot/visibility.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { isCcostError } from '../../src/core/errors/index.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { startFakeSlack } from '../helpers/fake-slack.ts';

describe('readSlackSettings', () => {
  it('names every missing variable for HTTP mode', () => {
    try {
      readSlackSettings({});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SlackSettingsError);
      expect(isCcostError(err)).toBe(true);
      expect((err as SlackSettingsError).missing).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
      expect((err as Error).message).toContain('SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET');
    }
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, which needs no signing secret', () => {
    expect(readSlackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      signingSecret: undefined,
      apiUrl: 'https://slack.com/api/',
    });
    expect(() => readSlackSettings({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toThrow(
      SlackSettingInvalidError,
    );
  });

  it('takes the API URL from SLACK_API_URL', () => {
    const env = { SLACK_BOT_TOKEN: 'b', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api' };
    expect(readSlackSettings(env)).toMatchObject({ mode: 'http', apiUrl: 'http://127.0.0.1:9/api/' });
    expect(() => readSlackSettings({ ...env, SLACK_API_URL: 'slack.com/api' })).toThrow(/SLACK_API_URL/);
  });

  it('fails before anything starts when createSlackApp lacks settings', () => {
    expect(() => createSlackApp({ config: parseConfig({}), store: {} as Store, env: {} })).toThrow(
      SlackSettingsError,
    );
  });
});

describe('redactSecrets', () => {
  it('masks tokens and bearer credentials', () => {
    expect(redactSecrets('token xoxb-123-abc and xapp-1-A-2 Bearer s3cr3t')).toBe(
      'token xoxb-… and xapp-… Bearer …',
    );
  });
});

describe('createViewerResolver', () => {
  const config = parseConfig({
    teams: { payments: { slack_groups: ['S_PAY'] }, search: { slack_users: ['U_S'] } },
    slack: { visibility: 'teams', admins: { users: [], groups: [] } },
  });

  it('caches group members for a few minutes and fails closed when the lookup fails', async () => {
    const slack = await startFakeSlack({ usergroups: { S_PAY: ['U_P'] } });
    try {
      let now = 0;
      const client = createSlackClient({ token: 'xoxb-t', apiUrl: slack.url, retries: 0 });
      const viewers = createViewerResolver({ config, client, now: () => now, cacheMs: 60_000 });
      expect(await viewers.viewerFor('U_P')).toEqual({ teams: ['payments'] });
      expect(await viewers.viewerFor('U_S')).toEqual({ teams: ['search'] });
      slack.usergroups = { S_PAY: [] };
      expect(await viewers.viewerFor('U_P')).toEqual({ teams: ['payments'] });
      now = 61_000;
      expect(await viewers.viewerFor('U_P')).toEqual({ teams: [] });
      now = 200_000;
      slack.failNext('usergroups.users.list', 'missing_scope');
      expect(await viewers.viewerFor('U_P')).toEqual({ teams: [] });
      expect(slack.callsOf('usergroups.users.list')).toHaveLength(3);
    } finally {
      await slack.stop();
    }
  });

  it('lets everyone see everything with visibility all', async () => {
    const all = parseConfig({ slack: { visibility: 'all' } });
    const viewers = createViewerResolver({ config: all, client: createSlackClient({ token: 'x' }) });
    expect(await viewers.viewerFor('U_ANY')).toEqual({ teams: 'all' });
  });
});
