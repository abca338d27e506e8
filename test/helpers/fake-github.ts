/**
 * A fake GitHub on 127.0.0.1 (port 0) for the action's tests: the REST endpoints the action calls
 * (list, create, update and delete issue comments with Link-header pagination; get a pull request)
 * and GraphQL `minimizeComment`. Keeps comments in memory, records every call, checks the bearer
 * token and refuses bodies above 65,536 characters with a 422 as GitHub does.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A comment as the fake stores it. */
export interface FakeComment {
  id: number;
  node_id: string;
  issue: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  minimized: boolean;
}

/** One call as the fake saw it. */
export interface FakeCall {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  /** `owner/name` served. */
  repository?: string;
  /** The token the fake accepts (401 for others). */
  token?: string;
  /** Comments per page at most, whatever `per_page` asks (to exercise pagination). */
  pageSize?: number;
  /** Pull requests: number → head sha. */
  pulls?: Record<number, string>;
}

/** A running fake GitHub. */
export interface FakeGitHub {
  /** REST base URL (`GITHUB_API_URL`). */
  url: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`). */
  graphqlUrl: string;
  calls: FakeCall[];
  comments: FakeComment[];
  /** Answer every write (create, update, delete, minimize) with 403, as for a read-only token. */
  readOnly: boolean;
  /** Adds a comment directly (as if posted earlier); returns it. */
  seed(issue: number, body: string, login?: string): FakeComment;
  /** Calls other than the listing reads, as `METHOD path` (GraphQL as `GRAPHQL minimizeComment`). */
  writes(): string[];
  close(): Promise<void>;
}

/**
 * Starts the fake.
 *
 * @param options - repository, token, page size and pull requests
 * @returns the running fake
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const repository = options.repository ?? 'acme/infra';
  const token = options.token ?? 'ghs_test_token';
  const pageSize = options.pageSize ?? 100;
  const pulls = options.pulls ?? {};
  let nextId = 1000;
  let base = '';
  const fake: FakeGitHub = {
    url: '',
    graphqlUrl: '',
    calls: [],
    comments: [],
    readOnly: false,
    seed(issue, body, login = 'github-actions[bot]') {
      const id = nextId++;
      const comment: FakeComment = {
        id,
        node_id: `IC_${id}`,
        issue,
        body,
        user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
        html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${id}`,
        created_at: new Date(Date.UTC(2026, 9, 1, 0, 0, id - 1000)).toISOString(),
        minimized: false,
      };
      fake.comments.push(comment);
      return comment;
    },
    writes() {
      return fake.calls
        .filter((c) => c.method !== 'GET')
        .map((c) => (c.path === '/graphql' ? 'GRAPHQL minimizeComment' : `${c.method} ${c.path}`));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const prefix = `/repos/${repository}`;
  const view = (c: FakeComment) => ({
    id: c.id,
    node_id: c.node_id,
    body: c.body,
    user: c.user,
    html_url: c.html_url,
    created_at: c.created_at,
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      fake.calls.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: 'Bad credentials' });
      const forbidden = () => send(403, { message: 'Resource not accessible by integration' });
      const bodyText = (body as { body?: unknown } | undefined)?.body;
      const tooLong = () =>
        send(422, {
          message: 'Validation Failed',
          errors: [{ message: 'Body is too long (maximum is 65536 characters)' }],
        });

      if (req.method === 'POST' && url.pathname === '/graphql') {
        if (fake.readOnly) return forbidden();
        const { query, variables } = (body ?? {}) as { query?: string; variables?: { id?: string } };
        if (!query?.includes('minimizeComment'))
          return send(200, { errors: [{ message: 'unsupported query' }] });
        const target = fake.comments.find((c) => c.node_id === variables?.id);
        if (!target)
          return send(200, {
            errors: [{ message: `Could not resolve to a node with the global id of '${variables?.id}'` }],
          });
        target.minimized = true;
        return send(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
      }
      let m = new RegExp(`^${prefix}/issues/(\\d+)/comments$`).exec(url.pathname);
      if (m) {
        const issue = Number(m[1]);
        if (req.method === 'GET') {
          const all = fake.comments.filter((c) => c.issue === issue);
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), pageSize);
          const page = Number(url.searchParams.get('page') ?? 1);
          const slice = all.slice((page - 1) * perPage, page * perPage);
          const last = Math.max(1, Math.ceil(all.length / perPage));
          const link = (p: number) =>
            `<${base}${prefix}/issues/${issue}/comments?per_page=${perPage}&page=${p}>`;
          const links = page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [];
          return send(200, slice.map(view), links.length ? { link: links.join(', ') } : {});
        }
        if (req.method === 'POST') {
          if (fake.readOnly) return forbidden();
          if (typeof bodyText !== 'string') return send(422, { message: 'body is required' });
          if (bodyText.length > 65_536) return tooLong();
          return send(201, view(fake.seed(issue, bodyText)));
        }
      }
      m = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (m) {
        const target = fake.comments.find((c) => c.id === Number(m![1]));
        if (!target) return send(404, { message: 'Not Found' });
        if (req.method === 'PATCH') {
          if (fake.readOnly) return forbidden();
          if (typeof bodyText !== 'string') return send(422, { message: 'body is required' });
          if (bodyText.length > 65_536) return tooLong();
          target.body = bodyText;
          return send(200, view(target));
        }
        if (req.method === 'DELETE') {
          if (fake.readOnly) return forbidden();
          fake.comments.splice(fake.comments.indexOf(target), 1);
          return send(204);
        }
      }
      m = new RegExp(`^${prefix}/pulls/(\\d+)$`).exec(url.pathname);
      if (m && req.method === 'GET') {
        const sha = pulls[Number(m[1])];
        if (!sha) return send(404, { message: 'Not Found' });
        return send(200, { number: Number(m[1]), head: { sha } });
      }
      return send(404, { message: `fake GitHub has no ${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  fake.graphqlUrl = `${base}/graphql`;
  return fake;
}
