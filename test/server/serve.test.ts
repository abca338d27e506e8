import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, blockTexts, commandBody, postCommand, SIGNING_SECRET } from '../bot/slack-test-kit.ts';
import { createCliHarness } from '../helpers/cli.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';

const BIN = fileURLToPath(new URL('../../bin/ccost.js', import.meta.url));

describe('ccost serve', () => {
  const cli = createCliHarness();
  let slack: FakeSlack;
  let configFile: string;

  beforeAll(async () => {
    slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    writeFileSync(configFile, 'teams:\n  payments:\n    owners: [sa-abc]\n');
  });
  afterAll(async () => {
    await slack?.stop();
    await cli.cleanup();
  });

  it('names every missing Slack setting and exits 1', async () => {
    const result = await cli.run('--config', configFile, 'serve', '--port', '0', '--host', '127.0.0.1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN');
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(result.stderr).toContain('ccost serve cannot start');
  });

  it('serves /healthz and /slack/events on one port and stops cleanly on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...cli.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SLACK_APP_TOKEN: '',
    };
    if (!cli.env.DATABASE_URL) delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      [BIN, '--config', configFile, 'serve', '--port', '0', '--host', '127.0.0.1'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const port = await servingPort(child);
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'ok' });
      const responseUrl = slack.responseUrl('served');
      const res = await postCommand(`${base}/slack/events`, commandBody('help', { responseUrl }));
      expect(res.status).toBe(200);
      const response = await slack.waitFor(() => slack.responses.find((r) => r.id === 'served'));
      expect(blockTexts(response.body.blocks)).toContain('team payments last month');
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/** Waits for "ccost serving on port N" on the child's stdout. */
function servingPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 50_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = out.match(/serving on port (\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out} ${err}`)));
  });
}
