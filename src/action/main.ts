import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { Decimal } from 'decimal.js';
import { loadConfig } from '../core/config/load.ts';
import { estimateChanges } from '../core/pricing/estimate.ts';
import { pricingOptions } from '../core/pricing/options.ts';
import { checkBudgets, type TeamImpact } from './check-budgets.ts';
import { checkThresholds } from './check-thresholds.ts';
import type { CcostApi } from './fetch-ccost.ts';
import { getEffectivePrices } from './get-effective-prices.ts';
import { type ActionInputs, getInputs } from './get-inputs.ts';
import { getObservedUsage } from './get-observed-usage.ts';
import { createGitHubClient, GitHubApiError } from './github-api.ts';
import { postComment } from './post-comment.ts';
import { readChanges } from './read-changes.ts';
import { type RunContext, readContext } from './read-context.ts';
import {
  COMMENT_MARKER,
  MAX_COMMENT_CHARS,
  parseRunMarker,
  type Report,
  type RunStamp,
  renderComment,
  renderSummary,
} from './render-comment.ts';
import { createOwnerResolver } from './resolve-owner.ts';

/** Options of {@link run}, for tests. */
export interface RunOptions {
  /** The environment; default process.env. `@actions/core` always reads process.env. */
  env?: NodeJS.ProcessEnv;
  /** The clock, for the month of the actuals; default now. */
  now?: () => Date;
  /** GitHub retry delay in ms (default 1000). */
  retryDelayMs?: number;
}

/**
 * The action: prices the pull request's Confluent Terraform changes, puts them against the owning
 * teams' budgets, writes the job summary and outputs, posts the sticky comment and applies the
 * thresholds. Never throws: any error becomes `core.setFailed` with its message.
 *
 * @param options - environment and clock (tests)
 */
export async function run(options: RunOptions = {}): Promise<void> {
  try {
    await runAction(options);
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}

async function runAction(options: RunOptions): Promise<void> {
  const env = options.env ?? process.env;
  const inputs = getInputs();
  const context = readContext(env);
  if (inputs.postComment) {
    await postSavedComment(inputs, context, options);
    return;
  }
  const config = loadConfig(inputs.config, env);
  const changes = await readChanges(inputs);
  const api: CcostApi | undefined = inputs.ccostUrl
    ? { url: inputs.ccostUrl, token: inputs.ccostToken }
    : undefined;
  const prices = await getEffectivePrices(api, config);
  const observed = await getObservedUsage(prices.reachable ? api : undefined, config, changes);
  if (observed.reason) core.info(`No observed usage: ${observed.reason}`);
  const estimate = estimateChanges(changes, pricingOptions(config.pricing, prices.prices, observed.usage));
  const now = (options.now ?? (() => new Date()))();
  const ownerOf = createOwnerResolver(config, now.toISOString().slice(0, 10));
  const owners = Object.fromEntries(estimate.resources.map((r) => [r.address, ownerOf(r.address)]));
  const month = now.toISOString().slice(0, 7);
  const teams = await checkBudgets({ estimate, owners, config, api, month });
  const verdict = checkThresholds(estimate, teams, inputs);
  const report: Report = {
    estimate,
    owners,
    teams,
    month,
    actualsKnown: teams.some((t) => t.actual !== null),
    prices: prices.statement,
    verdict,
    runUrl: context.runUrl,
  };
  const run: RunStamp = { runId: context.runId, runAttempt: context.runAttempt };
  const body = renderComment(report, run);

  core.setOutput('monthly-delta', cents(estimate.delta));
  core.setOutput('monthly-total', cents(estimate.after));
  core.setOutput('over-budget', overBudget(teams));
  await writeSummary(renderSummary(report));
  if (inputs.saveComment) writeFileSync(inputs.saveComment, body);

  const url = await comment(inputs, context, body, run, options);
  core.setOutput('comment-url', url ?? '');

  for (const w of verdict.warnings) core.warning(w);
  if (verdict.failures.length > 0) core.setFailed(verdict.failures.join('\n'));
}

/** Posts the comment where it can; a read-only token (fork PR) leaves it to the job summary. */
async function comment(
  inputs: ActionInputs,
  context: RunContext,
  body: string,
  run: RunStamp,
  options: RunOptions,
): Promise<string | undefined> {
  const pullNumber = context.pullNumber;
  if (pullNumber === undefined) {
    core.notice(
      `No pull request in this ${context.eventName || 'run'} event: the estimate is in the job summary and outputs only.`,
    );
    return undefined;
  }
  if (context.fork) {
    core.notice(
      'This pull request comes from a fork, whose token cannot comment: the estimate is in the job summary and outputs. See the workflow_run pattern in the action README to comment anyway.',
    );
    return undefined;
  }
  if (!inputs.githubToken) {
    core.notice('No github-token: the estimate is in the job summary and outputs only.');
    return undefined;
  }
  return postWithFallback(inputs, context, pullNumber, body, run, options);
}

async function postWithFallback(
  inputs: ActionInputs,
  context: RunContext,
  pullNumber: number,
  body: string,
  run: RunStamp,
  options: RunOptions,
): Promise<string | undefined> {
  const client = createGitHubClient({
    token: inputs.githubToken!,
    repository: context.repository,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    retryDelayMs: options.retryDelayMs,
  });
  try {
    const result = await postComment({ client, pullNumber, body, mode: inputs.commentMode, run });
    if (result.action === 'stale') {
      const newer = result.newerRun!;
      core.notice(
        `A newer run (${newer.runId}, attempt ${newer.runAttempt}) already commented on #${pullNumber}; this run (${run.runId}, attempt ${run.runAttempt}) leaves its comment alone.`,
      );
    } else if (result.action === 'unchanged')
      core.info(`The estimate on #${pullNumber} is unchanged: not re-posted.`);
    else core.info(`Comment ${result.action} on #${pullNumber}: ${result.url}`);
    return result.url;
  } catch (err) {
    if (err instanceof GitHubApiError && err.status === 403) {
      core.notice(
        `Could not comment on #${pullNumber} (${err.message}): the token is read-only (a fork, or the workflow lacks \`permissions: pull-requests: write\`). The estimate is in the job summary and outputs.`,
      );
      return undefined;
    }
    throw err;
  }
}

/** `post-comment`: posts a body saved by an earlier run (the fork `workflow_run` pattern). */
async function postSavedComment(
  inputs: ActionInputs,
  context: RunContext,
  options: RunOptions,
): Promise<void> {
  const file = inputs.postComment!;
  if (!existsSync(file)) throw new Error(`post-comment: ${file} not found`);
  const body = readFileSync(file, 'utf8');
  const run = parseRunMarker(body);
  if (!body.startsWith(COMMENT_MARKER) || !run || body.length > MAX_COMMENT_CHARS) {
    throw new Error(`post-comment: ${file} is not a comment saved by this action (save-comment)`);
  }
  const pullNumber = inputs.prNumber ?? context.pullNumber;
  if (pullNumber === undefined)
    throw new Error('pr-number: needed with post-comment outside a pull_request event');
  if (!inputs.githubToken) throw new Error('github-token: needed with post-comment');
  if (context.workflowRunHeadSha) {
    const client = createGitHubClient({
      token: inputs.githubToken,
      repository: context.repository,
      apiUrl: context.apiUrl,
      graphqlUrl: context.graphqlUrl,
      retryDelayMs: options.retryDelayMs,
    });
    const pull = await client.getPull(pullNumber);
    if (pull.head.sha !== context.workflowRunHeadSha) {
      throw new Error(
        `pr-number: pull request #${pullNumber} is at ${pull.head.sha.slice(0, 12)}, not at the workflow run's head ${context.workflowRunHeadSha.slice(0, 12)}; not commenting`,
      );
    }
  }
  const url = await postWithFallback(inputs, context, pullNumber, body, run, options);
  core.setOutput('comment-url', url ?? '');
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set: no job summary.');
    return;
  }
  await core.summary.emptyBuffer().addRaw(markdown, true).write();
}

function cents(amount: string): string {
  return new Decimal(amount).toFixed(2, Decimal.ROUND_HALF_EVEN);
}

function overBudget(teams: TeamImpact[]): string {
  if (teams.some((t) => t.over === true)) return 'true';
  if (teams.some((t) => t.budget !== null && t.over === null)) return 'unknown';
  return 'false';
}
