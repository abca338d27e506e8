import { existsSync, readFileSync } from 'node:fs';

/** What the action knows of the workflow run, read once from the environment. */
export interface RunContext {
  /** `owner/name` of the repository the workflow runs in. */
  repository: string;
  /** The pull request of a `pull_request` / `pull_request_target` event, else undefined. */
  pullNumber?: number;
  /** True when the pull request comes from another repository (a fork): its token is read-only. */
  fork: boolean;
  /** `head_sha` of a `workflow_run` event (to check the PR a saved comment names). */
  workflowRunHeadSha?: string;
  /** The event's name (`pull_request`, `workflow_run`, `push`, …). */
  eventName: string;
  /** This run, as stamped in the comment: newer runs have larger ids, re-runs larger attempts. */
  runId: number;
  runAttempt: number;
  /** REST API base URL, without a trailing slash. */
  apiUrl: string;
  /** GraphQL endpoint. */
  graphqlUrl: string;
  /** Link to this run, for the comment's footer; undefined outside Actions. */
  runUrl?: string;
}

/**
 * Reads the run's context from the `GITHUB_*` variables and the event payload at
 * `GITHUB_EVENT_PATH` (the pull request's number and whether it comes from a fork).
 *
 * @param env - the environment (process.env in the action)
 * @returns the run context
 */
export function readContext(env: NodeJS.ProcessEnv): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pull = record(event.pull_request);
  const workflowRun = record(event.workflow_run);
  const headRepo = record(record(pull.head).repo);
  const baseRepo = record(record(pull.base).repo);
  const headName = typeof headRepo.full_name === 'string' ? headRepo.full_name : undefined;
  const baseName = typeof baseRepo.full_name === 'string' ? baseRepo.full_name : repository;
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = Number(env.GITHUB_RUN_ID ?? 0) || 0;
  return {
    repository,
    pullNumber: typeof pull.number === 'number' ? pull.number : undefined,
    // A deleted fork has no head repository; treat it as a fork too.
    fork: pull.number !== undefined && headName !== baseName,
    workflowRunHeadSha: typeof workflowRun.head_sha === 'string' ? workflowRun.head_sha : undefined,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1) || 1,
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL || 'https://api.github.com/graphql',
    runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
  };
}

function readEvent(file: string | undefined): Record<string, unknown> {
  if (!file || !existsSync(file)) return {};
  try {
    return record(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
