/**
 * Drives the action in-process the way the runner does: INPUT_* and GITHUB_* variables, an event
 * payload file, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files in a temp dir; captures the
 * workflow commands written to stdout (::warning::, ::notice::, ::error::) and the exit code.
 * Also a fake ccost API on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/terraform/estimate/ */
export const FIXTURE = fileURLToPath(new URL('../fixtures/terraform/estimate/', import.meta.url));

/** What one run left behind. */
export interface RunResult {
  outputs: Record<string, string>;
  summary: string;
  warnings: string[];
  notices: string[];
  errors: string[];
  failed: boolean;
  stdout: string;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` … `delimiter` blocks). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/** Workflow commands of one kind from captured stdout (`::warning::msg`), unescaped. */
export function commands(stdout: string, kind: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) =>
      l
        .slice(l.indexOf('::', 2) + 2)
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%'),
    );
}

/** A temp dir with the runner's files, shared by a test file (core.summary keeps its path). */
export class Runner {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'ccost-action-'));
  readonly outputFile = path.join(this.dir, 'output');
  readonly summaryFile = path.join(this.dir, 'summary.md');
  readonly eventFile = path.join(this.dir, 'event.json');

  /** The environment of a run: GITHUB_* defaults, the event, and inputs by their action.yml names. */
  env(options: {
    inputs: Record<string, string>;
    event?: unknown;
    runId?: number;
    attempt?: number;
    github?: { url: string; graphqlUrl: string };
  }): NodeJS.ProcessEnv {
    writeFileSync(this.eventFile, JSON.stringify(options.event ?? pullRequestEvent(7)));
    const env: NodeJS.ProcessEnv = {
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: this.eventFile,
      GITHUB_RUN_ID: String(options.runId ?? 100),
      GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_OUTPUT: this.outputFile,
      GITHUB_STEP_SUMMARY: this.summaryFile,
      ...(options.github
        ? { GITHUB_API_URL: options.github.url, GITHUB_GRAPHQL_URL: options.github.graphqlUrl }
        : {}),
    };
    for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    return env;
  }

  /** Runs `run()` with `env` set on process.env (restored after), capturing stdout. */
  async run(runFn: () => Promise<void>, env: NodeJS.ProcessEnv): Promise<RunResult> {
    writeFileSync(this.outputFile, '');
    writeFileSync(this.summaryFile, '');
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) {
      if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) delete process.env[key];
    }
    Object.assign(process.env, env);
    const write = process.stdout.write.bind(process.stdout);
    let stdout = '';
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    process.exitCode = 0;
    try {
      await runFn();
    } finally {
      process.stdout.write = write;
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const failed = process.exitCode === 1;
    process.exitCode = 0;
    return result(
      stdout,
      readFileSync(this.outputFile, 'utf8'),
      readFileSync(this.summaryFile, 'utf8'),
      failed,
    );
  }

  /** Removes the temp dir. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A file in the temp dir (created with `text`). */
  file(name: string, text: string): string {
    const file = path.join(this.dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }
}

/** Builds a run result from a run's stdout and files. */
export function result(stdout: string, outputText: string, summary: string, failed: boolean): RunResult {
  return {
    outputs: parseOutputFile(outputText),
    summary,
    warnings: commands(stdout, 'warning'),
    notices: commands(stdout, 'notice'),
    errors: commands(stdout, 'error'),
    failed,
    stdout,
  };
}

/** A `pull_request` event payload; `fork` makes the head another repository. */
export function pullRequestEvent(number: number, fork = false): unknown {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { sha: 'headsha', repo: { full_name: fork ? 'someone/infra' : 'acme/infra' } },
      base: { sha: 'basesha', repo: { full_name: 'acme/infra' } },
    },
  };
}

/** A fake ccost API: the prices and team budget routes, with a bearer token. */
export interface FakeCcost {
  url: string;
  token: string;
  prices: unknown[];
  budgets: Record<string, { monthly: string | null; actual: string; forecast: string }>;
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

/**
 * Starts a fake `ccost serve` API answering `GET /api/v1/prices` and
 * `GET /api/v1/teams/{team}/budget` in the real API's shapes.
 */
export async function startFakeCcost(token = 'ccost-secret-token'): Promise<FakeCcost> {
  const fake: FakeCcost = {
    url: '',
    token,
    prices: [],
    budgets: {},
    requests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    fake.requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, { error: { code: 'unauthorized', message: 'send a token from api.tokens' } });
    if (url.pathname === '/api/v1/prices')
      return send(200, { currency: 'USD', from: '2026-09-01', to: '2026-10-01', prices: fake.prices });
    const m = /^\/api\/v1\/teams\/([^/]+)\/budget$/.exec(url.pathname);
    if (m) {
      const team = decodeURIComponent(m[1]!);
      const b = fake.budgets[team];
      if (!b) return send(404, { error: { code: 'not_found', message: `no team ${team} in ccost.yaml` } });
      const month = url.searchParams.get('month') ?? '2026-10';
      const over = b.monthly === null ? null : Number(b.forecast) > Number(b.monthly);
      return send(200, { team, month, ...b, forecastPercent: null, over, currency: 'USD' });
    }
    return send(404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** ccost.yaml of the tests: three teams owning the fixture's resources by name. */
export const CONFIG_YAML = `
teams:
  payments:
    owners:
      - pattern: "payments*"
    budget:
      monthly: 2000
  orders:
    owners:
      - pattern: "orders"
      - pattern: "sink"
    budget:
      monthly: 3000
  analytics:
    owners:
      - pattern: "analytics"
      - pattern: "main"
`;
