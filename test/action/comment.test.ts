import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/action/main.ts';
import { COMMENT_MARKER, parseRunMarker } from '../../src/action/render-comment.ts';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.ts';
import { CONFIG_YAML, FIXTURE, pullRequestEvent, Runner } from './harness.ts';

const TOKEN = 'ghs_test_token';
const runner = new Runner();
const config = runner.file('ccost.yaml', CONFIG_YAML);
let gh: FakeGitHub;

/** The fixture PR: base → head, priced at list prices (no ccost server). */
function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    path: `${FIXTURE}head`,
    'base-path': `${FIXTURE}base`,
    config,
    'github-token': TOKEN,
    var: 'connector_tasks=4',
    ...extra,
  };
}

async function runAction(
  options: { inputs?: Record<string, string>; runId?: number; attempt?: number; event?: unknown } = {},
) {
  const env = runner.env({
    inputs: options.inputs ?? inputs(),
    runId: options.runId,
    attempt: options.attempt,
    event: options.event,
    github: gh,
  });
  return runner.run(() => run({ retryDelayMs: 1 }), env);
}

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
});
afterEach(async () => {
  await gh.close();
});
afterAll(() => runner.cleanup());

describe('the sticky comment', () => {
  it('creates one comment with the markers, the totals, the resources and their teams', async () => {
    const res = await runAction({ runId: 100 });
    expect(res.failed).toBe(false);
    expect(gh.writes()).toEqual(['POST /repos/acme/infra/issues/7/comments']);
    const body = gh.comments[0]!.body;
    expect(body.startsWith(`${COMMENT_MARKER}\n<!-- ccost:run=100:1 -->\n`)).toBe(true);
    expect(body).toContain('Monthly cost increases by **+$6,511.60** (+237.87%)');
    expect(body).toContain('| before | $2,737.50 |');
    expect(body).toContain('| after | $9,249.10 |');
    expect(body).toContain(
      '| + | `module.payments.confluent_kafka_cluster.this` | dedicated, cku 2, availability MULTI_ZONE, cloud AWS, region us-east-1 | payments | +$3,883.60 |',
    );
    expect(body).toContain('| ~ | `confluent_kafka_cluster.orders` | max_ecku 2 → 4 | orders | +$1,095.00 |');
    expect(body).toContain(
      '| −/+ | `confluent_kafka_cluster.analytics` | cluster_type basic → enterprise | analytics | +$1,642.50 |',
    );
    expect(body).toContain(
      '| − | `confluent_kafka_cluster.legacy` | enterprise, availability SINGLE_ZONE, cloud AWS, region us-east-1 | unowned | -$1,642.50 |',
    );
    expect(body).toContain(
      '| + | `confluent_connector.sink["orders"]` | tasks_max 4, connector_class S3_SINK | orders | not estimated |',
    );
    expect(body).toContain('**list** prices (catalog');
    // Budgets from ccost.yaml alone: actuals unknown, and said so.
    expect(body).toContain('| payments | $2,000.00 | ? | ? | +$3,883.60 | ? | ❌ over |');
    expect(body).toContain('| orders | $3,000.00 | ? | ? | +$1,095.00 | ? | ❔ unknown |');
    expect(body).toContain('Month-to-date actuals and forecasts are unknown');
    expect(body).toMatch(/<details><summary>[^<]*\(1 not estimated\)<\/summary>/);
    // The plan's secret never reaches the comment.
    expect(body).not.toContain('do-not-print-me');
    expect(res.outputs['comment-url']).toBe(gh.comments[0]!.html_url);
    expect(res.summary).toContain('Monthly cost increases by **+$6,511.60**');
    expect(res.summary).not.toContain(COMMENT_MARKER);
  });

  it('sets the outputs', async () => {
    const res = await runAction();
    expect(res.outputs).toEqual({
      'monthly-delta': '6511.60',
      'monthly-total': '9249.10',
      'over-budget': 'true',
      'comment-url': gh.comments[0]!.html_url,
    });
  });

  it('update: edits the comment in place on the next run', async () => {
    await runAction({ runId: 100 });
    const first = gh.comments[0]!;
    await runAction({ runId: 101, inputs: inputs({ var: 'connector_tasks=4', 'base-path': '' }) });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.id).toBe(first.id);
    expect(parseRunMarker(gh.comments[0]!.body)).toEqual({ runId: 101, runAttempt: 1 });
    expect(gh.writes()).toEqual([
      'POST /repos/acme/infra/issues/7/comments',
      `PATCH /repos/acme/infra/issues/comments/${first.id}`,
    ]);
  });

  it('does not re-post an unchanged body', async () => {
    await runAction({ runId: 100 });
    const res = await runAction({ runId: 101 });
    expect(gh.writes()).toEqual(['POST /repos/acme/infra/issues/7/comments']);
    expect(parseRunMarker(gh.comments[0]!.body)).toEqual({ runId: 100, runAttempt: 1 });
    expect(res.outputs['comment-url']).toBe(gh.comments[0]!.html_url);
    expect(res.stdout).toContain('unchanged: not re-posted');
  });

  it('hide-and-new: minimizes the previous comment, then posts a new one', async () => {
    await runAction({ runId: 100 });
    const old = gh.comments[0]!;
    await runAction({ runId: 101, inputs: inputs({ 'comment-mode': 'hide-and-new', 'base-path': '' }) });
    expect(gh.comments).toHaveLength(2);
    expect(old.minimized).toBe(true);
    expect(gh.comments[1]!.minimized).toBe(false);
    expect(gh.writes()).toEqual([
      'POST /repos/acme/infra/issues/7/comments',
      'GRAPHQL minimizeComment',
      'POST /repos/acme/infra/issues/7/comments',
    ]);
    const mutation = gh.calls.find((c) => c.path === '/graphql')!.body as {
      query: string;
      variables: unknown;
    };
    expect(mutation.query).toContain('classifier: OUTDATED');
    expect(mutation.variables).toEqual({ id: old.node_id });
  });

  it('delete-and-new: deletes the previous comment, then posts a new one', async () => {
    await runAction({ runId: 100 });
    const old = gh.comments[0]!;
    await runAction({ runId: 101, inputs: inputs({ 'comment-mode': 'delete-and-new', 'base-path': '' }) });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.id).not.toBe(old.id);
    expect(gh.writes()).toEqual([
      'POST /repos/acme/infra/issues/7/comments',
      `DELETE /repos/acme/infra/issues/comments/${old.id}`,
      'POST /repos/acme/infra/issues/7/comments',
    ]);
  });

  it('new: posts another comment even when a previous one exists', async () => {
    await runAction({ runId: 100 });
    await runAction({ runId: 101, inputs: inputs({ 'comment-mode': 'new' }) });
    expect(gh.comments).toHaveLength(2);
  });

  it('stale-run guard: an older run never overwrites a newer run’s comment', async () => {
    await runAction({ runId: 200, inputs: inputs({ 'base-path': '' }) });
    const newer = gh.comments[0]!.body;
    for (const mode of ['update', 'hide-and-new', 'delete-and-new', 'new']) {
      const res = await runAction({ runId: 199, attempt: 3, inputs: inputs({ 'comment-mode': mode }) });
      expect(res.failed).toBe(false);
      expect(res.notices.join('\n')).toContain('A newer run (200, attempt 1) already commented on #7');
    }
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe(newer);
    expect(gh.writes()).toEqual(['POST /repos/acme/infra/issues/7/comments']);
    // A re-run (a later attempt of the same run) does replace it.
    await runAction({ runId: 200, attempt: 2 });
    expect(parseRunMarker(gh.comments[0]!.body)).toEqual({ runId: 200, runAttempt: 2 });
  });

  it('finds its comment across pages of other comments (Link header pagination)', async () => {
    await gh.close();
    gh = await startFakeGitHub({ token: TOKEN, pageSize: 2 });
    for (let i = 0; i < 5; i++) gh.seed(7, `a human comment ${i}`, 'someone');
    await runAction({ runId: 100 });
    for (let i = 0; i < 4; i++) gh.seed(7, `another comment ${i}`, 'someone');
    await runAction({ runId: 101, inputs: inputs({ 'base-path': '' }) });
    const ours = gh.comments.filter((c) => c.body.includes(COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(parseRunMarker(ours[0]!.body)?.runId).toBe(101);
    const pages = gh.calls.filter((c) => c.method === 'GET').map((c) => c.query.get('page') ?? '1');
    // 5 human comments (3 pages of 2), then 5 + ours + 4 (5 pages).
    expect(pages).toEqual(['1', '2', '3', '1', '2', '3', '4', '5']);
  });

  it('fork PR: no comment, no failure; the job summary, the outputs and a notice', async () => {
    const res = await runAction({
      event: pullRequestEvent(7, true),
      inputs: inputs({ 'fail-on-budget-exceeded': 'false' }),
    });
    expect(res.failed).toBe(false);
    expect(gh.calls).toHaveLength(0);
    expect(res.outputs['monthly-delta']).toBe('6511.60');
    expect(res.outputs['comment-url']).toBe('');
    expect(res.summary).toContain('### ccost: Confluent Cloud monthly cost estimate');
    expect(res.notices.join('\n')).toContain('comes from a fork');
  });

  it('a 403 on comment create (read-only token) falls back to the summary without failing', async () => {
    gh.readOnly = true;
    const res = await runAction();
    expect(res.failed).toBe(false);
    expect(res.notices.join('\n')).toContain('Could not comment on #7');
    expect(res.notices.join('\n')).toContain('403 Resource not accessible by integration');
    expect(res.outputs['comment-url']).toBe('');
    expect(res.outputs['monthly-total']).toBe('9249.10');
    expect(res.summary).toContain('| after | $9,249.10 |');
  });

  it('never prints the tokens, and masks them', async () => {
    gh.readOnly = true;
    const res = await runAction();
    expect(res.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(res.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    expect(gh.calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('outside a pull request: summary and outputs, a notice, no GitHub call', async () => {
    const res = await runAction({ event: { ref: 'refs/heads/main' } });
    expect(res.failed).toBe(false);
    expect(gh.calls).toHaveLength(0);
    expect(res.notices.join('\n')).toContain('No pull request');
    expect(res.outputs['monthly-delta']).toBe('6511.60');
  });

  it('a plan gives the same figures as the HCL base and head', async () => {
    const res = await runAction({
      inputs: { plan: `${FIXTURE}plan.json`, config, 'github-token': TOKEN },
    });
    expect(res.failed).toBe(false);
    expect(res.outputs['monthly-delta']).toBe('6511.60');
    expect(res.outputs['monthly-total']).toBe('9249.10');
    expect(gh.comments[0]!.body).not.toContain('do-not-print-me');
  });

  it('fails with a message naming the input for a bad one', async () => {
    const res = await runAction({ inputs: inputs({ 'comment-mode': 'sometimes' }) });
    expect(res.failed).toBe(true);
    expect(res.errors).toEqual([
      'comment-mode: "sometimes" is not one of update, new, hide-and-new, delete-and-new',
    ]);
    expect(gh.calls).toHaveLength(0);
  });
});

describe('the fork workflow_run pattern', () => {
  it('a fork run saves the comment; a workflow_run run posts it after checking the PR head', async () => {
    const saved = `${runner.dir}/saved-comment.md`;
    const fork = await runAction({
      runId: 300,
      event: pullRequestEvent(7, true),
      inputs: inputs({ 'save-comment': saved, 'github-token': '' }),
    });
    expect(fork.failed).toBe(false);
    expect(gh.calls).toHaveLength(0);
    await gh.close();
    gh = await startFakeGitHub({ token: TOKEN, pulls: { 7: 'abc123' } });
    const posted = await runAction({
      runId: 301,
      event: { workflow_run: { head_sha: 'abc123', event: 'pull_request', pull_requests: [] } },
      inputs: { 'post-comment': saved, 'pr-number': '7', 'github-token': TOKEN },
    });
    expect(posted.failed).toBe(false);
    expect(gh.writes()).toEqual(['POST /repos/acme/infra/issues/7/comments']);
    // Stamped with the run that priced it, so the stale-run guard still holds.
    expect(parseRunMarker(gh.comments[0]!.body)).toEqual({ runId: 300, runAttempt: 1 });
    expect(gh.comments[0]!.body).toContain('Monthly cost increases by **+$6,511.60**');
    expect(posted.outputs['comment-url']).toBe(gh.comments[0]!.html_url);
  });

  it('refuses a saved comment for a PR whose head is not the workflow run’s', async () => {
    await gh.close();
    gh = await startFakeGitHub({ token: TOKEN, pulls: { 7: 'def456' } });
    const saved = runner.file('saved.md', `${COMMENT_MARKER}\n<!-- ccost:run=1:1 -->\nhello`);
    const res = await runAction({
      event: { workflow_run: { head_sha: 'abc123' } },
      inputs: { 'post-comment': saved, 'pr-number': '7', 'github-token': TOKEN },
    });
    expect(res.failed).toBe(true);
    expect(res.errors[0]).toContain('pr-number: pull request #7 is at def456');
    expect(gh.comments).toHaveLength(0);
  });

  it('refuses a file that is not a saved comment', async () => {
    const saved = runner.file('not-ours.md', 'anything at all');
    const res = await runAction({
      inputs: { 'post-comment': saved, 'pr-number': '7', 'github-token': TOKEN },
    });
    expect(res.failed).toBe(true);
    expect(res.errors[0]).toContain('is not a comment saved by this action');
  });
});
