/**
 * The action against the real read-only API of `ccost serve` (not a fake): the team budget rows
 * of the comment carry the month-to-date actual and forecast the server computes from its data.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/action/main.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { teamBudget } from '../../src/core/costs/budget.ts';
import { formatUsd } from '../../src/core/money/amount.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { createApi } from '../../src/server/api/app.ts';
import { loadTokens } from '../../src/server/api/auth.ts';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.ts';
import { loadQuestionsOrg, questionsConfig } from '../helpers/questions-seed.ts';
import { createTestStore } from '../helpers/store.ts';
import { CONFIG_YAML, FIXTURE, Runner } from './harness.ts';

const GITHUB_TOKEN = 'ghs_real_api_test';
const API_TOKEN = 'ccost-real-api-token';
const NOW = new Date('2026-10-21T06:00:00Z');

describe('the action with a running ccost', () => {
  const runner = new Runner();
  let store: Store;
  let server: Server;
  let url: string;
  let gh: FakeGitHub;

  beforeAll(async () => {
    store = await createTestStore();
    await loadQuestionsOrg(store);
    const config = parseConfig({
      ...questionsConfig,
      api: { tokens: [{ name: 'ci', token_env: 'CI_TOKEN' }] },
    });
    const api = createApi({
      store,
      config,
      now: () => NOW,
      tokens: loadTokens(config, { CI_TOKEN: API_TOKEN }),
    });
    server = createServer(getRequestListener(api.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    gh = await startFakeGitHub({ token: GITHUB_TOKEN });
  });
  afterAll(async () => {
    await gh.close();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    runner.cleanup();
  });

  it("puts the server's month-to-date actual and forecast of a team in the comment", async () => {
    const env = runner.env({
      inputs: {
        path: `${FIXTURE}head`,
        'base-path': `${FIXTURE}base`,
        config: runner.file('ccost.yaml', CONFIG_YAML),
        'github-token': GITHUB_TOKEN,
        var: 'connector_tasks=4',
        'ccost-url': url,
        'ccost-token': API_TOKEN,
      },
      github: gh,
    });
    const res = await runner.run(() => run({ retryDelayMs: 1, now: () => NOW }), env);
    expect(res.failed).toBe(false);
    const expected = await teamBudget(store, {
      config: questionsConfig,
      team: 'payments',
      month: '2026-10',
      now: NOW,
    });
    expect(expected.actual).not.toBe('0');
    const row = gh.comments[0]!.body.split('\n').find((l) => l.startsWith('| payments |'))!;
    expect(row).toContain(`| ${formatUsd(expected.actual)} | ${formatUsd(expected.forecast)} |`);
    expect(res.stdout.replace(`::add-mask::${API_TOKEN}`, '')).not.toContain(API_TOKEN);
  });

  it('prices a changed cluster that ccost knows (same display_name) with its observed usage', async () => {
    const cluster = (ecku: number) => `
resource "confluent_kafka_cluster" "orders" {
  display_name = "orders-prod"
  availability = "SINGLE_ZONE"
  cloud        = "AWS"
  region       = "us-west-2"
  standard {
    max_ecku = ${ecku}
  }
  environment {
    id = "env-prod"
  }
}
resource "confluent_kafka_cluster" "analytics" {
  display_name = "analytics"
  availability = "SINGLE_ZONE"
  cloud        = "AWS"
  region       = "us-west-2"
  standard {
    max_ecku = ${ecku}
  }
  environment {
    id = "env-prod"
  }
}
`;
    runner.file('known-base/main.tf', cluster(2));
    const head = runner.file('known-head/main.tf', cluster(4));
    const env = runner.env({
      inputs: {
        path: head.replace(/main\.tf$/, ''),
        'base-path': head.replace(/known-head\/main\.tf$/, 'known-base/'),
        config: runner.file('known.yaml', CONFIG_YAML),
        'github-token': GITHUB_TOKEN,
        'ccost-url': url,
        'ccost-token': API_TOKEN,
        'save-comment': runner.file('known-comment.md', ''),
      },
      github: gh,
    });
    const res = await runner.run(() => run({ retryDelayMs: 1, now: () => NOW }), env);
    expect(res.failed).toBe(false);
    const comment = readFileSync(head.replace(/known-head\/main\.tf$/, 'known-comment.md'), 'utf8');
    // lkc-abc12 moves 5 GB (1e9 bytes) in and 4 GB out a day: per 30-day month in GiB.
    const gib = (gbPerDay: number) =>
      new Decimal(gbPerDay * 30)
        .times(1e9)
        .div(2 ** 30)
        .toDecimalPlaces(6)
        .toFixed();
    expect(gib(5)).toBe('139.698386');
    expect(comment).toContain(
      'usage of confluent_kafka_cluster.orders: observed over the last 30 days (ccost)',
    );
    expect(comment).toContain('network (observed usage)');
    // ingress 139.698386 + egress (4 GB a day) 111.758709 GiB a month.
    expect(comment).toContain('251.457095 GB (estimate)');
    // A flink pool named analytics is no cluster: that cluster has no usage, observed or profiled.
    expect(comment).not.toContain('usage of confluent_kafka_cluster.analytics');
    expect(comment).toContain('network and storage not included: no usage profile for this cluster');
  });
});
