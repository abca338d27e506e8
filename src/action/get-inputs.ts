import * as core from '@actions/core';
import { parseThreshold, type Threshold } from './parse-threshold.ts';

/** How the sticky comment is posted (see action.yml). */
export const commentModes = ['update', 'new', 'hide-and-new', 'delete-and-new'] as const;

/** One of {@link commentModes}. */
export type CommentMode = (typeof commentModes)[number];

/** The action's inputs, validated. Empty inputs are undefined. */
export interface ActionInputs {
  /** Terraform configuration of the PR's head. */
  path?: string;
  /** Terraform configuration of the PR's base (checked out by a prior step). */
  basePath?: string;
  /** `terraform show -json` output, instead of `path`. */
  plan?: string;
  /** ccost.yaml; when empty, `ccost.yaml` in the working directory if it exists. */
  config?: string;
  /** Base URL of a running `ccost serve`. */
  ccostUrl?: string;
  /** Bearer token of the ccost API. */
  ccostToken?: string;
  /** Token that comments on the pull request. */
  githubToken?: string;
  commentMode: CommentMode;
  warnAbove?: Threshold;
  failAbove?: Threshold;
  failOnBudgetExceeded: boolean;
  /** Root-module variables (`name=value` lines). */
  vars: Record<string, string>;
  /** Write the comment body to this file (for the fork `workflow_run` pattern). */
  saveComment?: string;
  /** Post this previously saved comment body instead of estimating (`workflow_run` pattern). */
  postComment?: string;
  /** The pull request to comment on when the event does not name one (with `post-comment`). */
  prNumber?: number;
}

/**
 * Reads and validates every input through `@actions/core` (the `INPUT_*` environment variables)
 * and masks the tokens with `core.setSecret` before anything can log them.
 *
 * @returns the validated inputs
 * @throws Error naming the input and what is allowed when one is invalid
 */
export function getInputs(): ActionInputs {
  const githubToken = optional('github-token');
  const ccostToken = optional('ccost-token');
  if (githubToken) core.setSecret(githubToken);
  if (ccostToken) core.setSecret(ccostToken);
  const mode = optional('comment-mode') ?? 'update';
  if (!(commentModes as readonly string[]).includes(mode)) {
    throw new Error(`comment-mode: "${mode}" is not one of ${commentModes.join(', ')}`);
  }
  const inputs: ActionInputs = {
    path: optional('path'),
    basePath: optional('base-path'),
    plan: optional('plan'),
    config: optional('config'),
    ccostUrl: optional('ccost-url')?.replace(/\/+$/, ''),
    ccostToken,
    githubToken,
    commentMode: mode as CommentMode,
    warnAbove: parseThreshold('warn-above', core.getInput('warn-above')),
    failAbove: parseThreshold('fail-above', core.getInput('fail-above')),
    failOnBudgetExceeded: booleanInput('fail-on-budget-exceeded'),
    vars: parseVars(core.getMultilineInput('var')),
    saveComment: optional('save-comment'),
    postComment: optional('post-comment'),
    prNumber: prNumber(optional('pr-number')),
  };
  if (inputs.plan && (inputs.path || inputs.basePath)) {
    throw new Error('plan: give either plan or path (with base-path), not both');
  }
  if (inputs.ccostUrl && !/^https?:\/\/[^\s]+$/.test(inputs.ccostUrl)) {
    throw new Error(`ccost-url: "${inputs.ccostUrl.slice(0, 60)}" is not an http(s) URL`);
  }
  return inputs;
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${name}: "${value.slice(0, 20)}" is not true or false`);
}

function prNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`pr-number: "${value.slice(0, 20)}" is not a number`);
  return Number(value);
}

/**
 * Parses `name=value` lines (the `var` input) into root-module variables.
 *
 * @param lines - non-empty lines of the input
 * @returns variables by name
 * @throws Error naming the `var` input when a line has no `=`
 */
export function parseVars(lines: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`var: expected name=value lines (got "${line.slice(0, 40)}")`);
    vars[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return vars;
}
