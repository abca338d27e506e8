import { fetch } from 'undici';

/** An issue comment as the REST API returns it (the fields the action reads). */
export interface IssueComment {
  id: number;
  node_id: string;
  body?: string;
  html_url: string;
  user?: { login?: string; type?: string } | null;
  created_at?: string;
}

/** A failed GitHub call: `status` is null when no HTTP answer came. Never carries the token. */
export class GitHubApiError extends Error {
  readonly status: number | null;
  readonly endpoint: string;
  constructor(endpoint: string, status: number | null, message: string) {
    super(`GitHub ${endpoint}: ${status === null ? '' : `${status} `}${message}`);
    this.name = 'GitHubApiError';
    this.status = status;
    this.endpoint = endpoint;
  }
}

/** The GitHub calls the action makes, for one repository. */
export interface GitHubClient {
  /** Every comment of an issue or pull request, following the `Link: rel="next"` pages. */
  listComments(issue: number): Promise<IssueComment[]>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  deleteComment(id: number): Promise<void>;
  /** Minimizes (hides) a comment as outdated through GraphQL `minimizeComment`. */
  minimizeComment(nodeId: string): Promise<void>;
  /** A pull request's head commit and repositories. */
  getPull(number: number): Promise<{ number: number; head: { sha: string } }>;
}

/** Where and how to reach GitHub. */
export interface GitHubClientOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** REST base URL (`GITHUB_API_URL`). */
  apiUrl: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`). */
  graphqlUrl: string;
  /** Attempts for reads, edits and deletes on 5xx and dropped connections (default 3). */
  attempts?: number;
  /** First retry delay in ms, doubled per retry (default 1000). */
  retryDelayMs?: number;
}

const PER_PAGE = 100;
const MAX_PAGES = 100;

/**
 * A GitHub REST and GraphQL client over undici's fetch. Reads, edits, deletes and minimizes are
 * retried on 5xx and connection errors; creating a comment is not (a retry could post twice).
 *
 * @param options - token, repository and endpoints
 * @returns the client
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'ccost-action',
  };
  const repoPath = `/repos/${options.repository}`;
  const attempts = options.attempts ?? 3;
  const delay = options.retryDelayMs ?? 1000;

  async function call(
    method: string,
    url: string,
    label: string,
    body?: unknown,
    retry = true,
  ): Promise<{ status: number; json: unknown; link: string | null }> {
    let lastError: GitHubApiError | undefined;
    for (let attempt = 1; attempt <= (retry ? attempts : 1); attempt++) {
      if (attempt > 1) await sleep(delay * 2 ** (attempt - 2));
      let res: Awaited<ReturnType<typeof fetch>>;
      try {
        res = await fetch(url, {
          method,
          headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        lastError = new GitHubApiError(label, null, err instanceof Error ? err.message : String(err));
        continue;
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (res.ok) return { status: res.status, json, link: res.headers.get('link') };
      const message =
        json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string'
          ? (json as { message: string }).message
          : res.statusText;
      lastError = new GitHubApiError(label, res.status, message);
      if (res.status < 500) break;
    }
    throw lastError!;
  }

  return {
    async listComments(issue) {
      const out: IssueComment[] = [];
      let url: string | null = `${options.apiUrl}${repoPath}/issues/${issue}/comments?per_page=${PER_PAGE}`;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const res = await call('GET', url, `GET ${repoPath}/issues/${issue}/comments`);
        if (!Array.isArray(res.json)) throw new GitHubApiError('list comments', res.status, 'not a list');
        out.push(...(res.json as IssueComment[]));
        url = nextLink(res.link);
      }
      return out;
    },
    async createComment(issue, body) {
      const label = `POST ${repoPath}/issues/${issue}/comments`;
      const url = `${options.apiUrl}${repoPath}/issues/${issue}/comments`;
      return (await call('POST', url, label, { body }, false)).json as IssueComment;
    },
    async updateComment(id, body) {
      const path = `${repoPath}/issues/comments/${id}`;
      return (await call('PATCH', `${options.apiUrl}${path}`, `PATCH ${path}`, { body }))
        .json as IssueComment;
    },
    async deleteComment(id) {
      const path = `${repoPath}/issues/comments/${id}`;
      await call('DELETE', `${options.apiUrl}${path}`, `DELETE ${path}`);
    },
    async minimizeComment(nodeId) {
      const res = await call('POST', options.graphqlUrl, 'GraphQL minimizeComment', {
        query:
          'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
        variables: { id: nodeId },
      });
      const errors = (res.json as { errors?: { message?: string }[] } | null)?.errors;
      if (errors && errors.length > 0) {
        throw new GitHubApiError('GraphQL minimizeComment', res.status, errors[0]?.message ?? 'error');
      }
    },
    async getPull(number) {
      const path = `${repoPath}/pulls/${number}`;
      return (await call('GET', `${options.apiUrl}${path}`, `GET ${path}`)).json as {
        number: number;
        head: { sha: string };
      };
    },
  };
}

/** The `rel="next"` URL of a Link header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
