import type { CommentMode } from './get-inputs.ts';
import type { GitHubClient, IssueComment } from './github-api.ts';
import { COMMENT_MARKER, parseRunMarker, type RunStamp, withoutRunMarker } from './render-comment.ts';

/** What {@link postComment} did. */
export interface PostResult {
  action: 'created' | 'updated' | 'unchanged' | 'stale';
  /** The comment that now shows the estimate (none when stale and nothing found). */
  url?: string;
  /** For `stale`: the newer run that commented. */
  newerRun?: RunStamp;
  /** Comments minimized or deleted on the way. */
  minimized: number;
  deleted: number;
}

/** Options of {@link postComment}. */
export interface PostCommentOptions {
  client: GitHubClient;
  pullNumber: number;
  /** The new body, with {@link COMMENT_MARKER} and this run's marker. */
  body: string;
  mode: CommentMode;
  run: RunStamp;
}

/**
 * Posts the sticky comment. Comments carrying {@link COMMENT_MARKER} are the action's own.
 *
 * - Stale-run guard (every mode): when one of them carries a newer run than `run`, nothing is
 *   posted; a slow older run never replaces a newer run's result.
 * - Unchanged body (every mode but `new`): when the latest one has the same body apart from the
 *   run marker, nothing is posted.
 * - `update` edits the latest one in place (creates one when there is none); `new` always
 *   creates one; `hide-and-new` minimizes the previous ones as outdated, then creates one;
 *   `delete-and-new` deletes them, then creates one.
 *
 * @param options - client, pull request, body, mode and run
 * @returns what was done and the comment's URL
 */
export async function postComment(options: PostCommentOptions): Promise<PostResult> {
  const { client, pullNumber, body, mode, run } = options;
  const ours = (await client.listComments(pullNumber)).filter((c) => (c.body ?? '').includes(COMMENT_MARKER));
  const newest = newestByRun(ours);
  const newestRun = newest ? parseRunMarker(newest.body ?? '') : null;
  if (newestRun && compareRuns(newestRun, run) > 0) {
    return { action: 'stale', url: newest!.html_url, newerRun: newestRun, minimized: 0, deleted: 0 };
  }
  if (mode !== 'new' && newest && withoutRunMarker(newest.body ?? '') === withoutRunMarker(body)) {
    return { action: 'unchanged', url: newest.html_url, minimized: 0, deleted: 0 };
  }
  if (mode === 'update' && newest) {
    const updated = await client.updateComment(newest.id, body);
    return { action: 'updated', url: updated.html_url, minimized: 0, deleted: 0 };
  }
  let minimized = 0;
  let deleted = 0;
  if (mode === 'hide-and-new') {
    for (const c of ours) {
      await client.minimizeComment(c.node_id);
      minimized++;
    }
  }
  if (mode === 'delete-and-new') {
    for (const c of ours) {
      await client.deleteComment(c.id);
      deleted++;
    }
  }
  const created = await client.createComment(pullNumber, body);
  return { action: 'created', url: created.html_url, minimized, deleted };
}

/** Orders runs: by run id, then attempt. */
export function compareRuns(a: RunStamp, b: RunStamp): number {
  return a.runId !== b.runId ? a.runId - b.runId : a.runAttempt - b.runAttempt;
}

/** The comment of the newest run; among equals (or unstamped ones) the most recent comment. */
function newestByRun(comments: IssueComment[]): IssueComment | undefined {
  let best: IssueComment | undefined;
  let bestRun: RunStamp = { runId: -1, runAttempt: -1 };
  for (const c of comments) {
    const stamp = parseRunMarker(c.body ?? '') ?? { runId: 0, runAttempt: 0 };
    const order = compareRuns(stamp, bestRun);
    if (!best || order > 0 || (order === 0 && c.id > best.id)) {
      best = c;
      bestRun = stamp;
    }
  }
  return best;
}
