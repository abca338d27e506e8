/**
 * The committed bundle: it is what the source builds to (byte for byte), it carries no storage,
 * chart, bot or CLI code, action.yml documents exactly the inputs and outputs the code uses, and
 * the bundle itself runs a fixture pull request against the fakes, under Node 24 when
 * CCOST_NODE24 names a Node 24 binary (else under this Node).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAction, FORBIDDEN_INPUTS, ROOT } from '../../scripts/build-action.ts';
import { COMMENT_MARKER } from '../../src/action/render-comment.ts';
import { startFakeGitHub } from '../helpers/fake-github.ts';
import { CONFIG_YAML, FIXTURE, pullRequestEvent, result, startFakeCcost } from './harness.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'ccost-dist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The Node that runs the bundle: CCOST_NODE24 when set (GitHub runs the action on node24). */
const NODE = process.env.CCOST_NODE24 || process.execPath;

describe('dist/', () => {
  it('is up to date: a rebuild gives the committed bytes (run `npm run build:action` if not)', async () => {
    const out = path.join(tmp, 'rebuilt');
    const { files, inputs } = await buildAction(out);
    expect(readdirSync(path.join(ROOT, 'dist')).sort()).toEqual([...files].sort());
    for (const file of files) {
      const fresh = readFileSync(path.join(out, file));
      const committed = readFileSync(path.join(ROOT, 'dist', file));
      expect(
        fresh.equals(committed),
        `dist/${file} is stale: run npm run build:action and commit dist/`,
      ).toBe(true);
    }
    expect(inputs.filter((i) => FORBIDDEN_INPUTS.some((f) => i.includes(f)))).toEqual([]);
    expect(inputs.some((i) => i.includes('@cdktf/hcl2json'))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'dist/index.js'), 'utf8')).not.toMatch(/\/work\/|\/home\/|\/tmp\//);
  });

  it('action.yml documents every input the action reads and every output it sets', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { description: string }>;
      outputs: Record<string, { description: string }>;
      runs: { using: string; main: string };
    };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const source = readdirSync(path.join(ROOT, 'src/action'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(ROOT, 'src/action', f), 'utf8'))
      .join('\n');
    const read = [
      ...source.matchAll(/(?:getInput|getMultilineInput|optional|booleanInput)\('([a-z-]+)'/g),
    ].map((m) => m[1]);
    const set = [...source.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]);
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(read)].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...new Set(set)].sort());
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)])
      expect(spec.description.length).toBeGreaterThan(20);
  });

  it(`runs a fixture pull request as a child process (${path.basename(NODE)} ${execFileSync(NODE, ['--version']).toString().trim()})`, async () => {
    if (process.env.CCOST_NODE24) expect(execFileSync(NODE, ['--version']).toString()).toMatch(/^v24\./);
    const gh = await startFakeGitHub();
    const ccost = await startFakeCcost();
    ccost.budgets = { payments: { monthly: '2000', actual: '100', forecast: '200' } };
    ccost.prices = [
      {
        orgId: 'org-1',
        product: 'FLINK',
        lineType: 'FLINK_NUM_CFUS',
        unit: 'CFU-Hour',
        quantity: '100',
        unitPrice: '0.15',
        from: '2026-09-01',
        to: '2026-10-01',
      },
    ];
    try {
      const dir = mkdtempSync(path.join(tmp, 'run-'));
      const files = {
        GITHUB_OUTPUT: path.join(dir, 'output'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
        GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
      };
      writeFileSync(files.GITHUB_OUTPUT, '');
      writeFileSync(files.GITHUB_STEP_SUMMARY, '');
      writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(pullRequestEvent(12)));
      writeFileSync(path.join(dir, 'ccost.yaml'), CONFIG_YAML);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        ...files,
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_RUN_ID: '555',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_API_URL: gh.url,
        GITHUB_GRAPHQL_URL: gh.graphqlUrl,
        INPUT_PATH: path.join(FIXTURE, 'head'),
        'INPUT_BASE-PATH': path.join(FIXTURE, 'base'),
        INPUT_CONFIG: 'ccost.yaml',
        INPUT_VAR: 'connector_tasks=4',
        'INPUT_GITHUB-TOKEN': 'ghs_test_token',
        'INPUT_CCOST-URL': ccost.url,
        'INPUT_CCOST-TOKEN': ccost.token,
        'INPUT_COMMENT-MODE': 'update',
        'INPUT_FAIL-ABOVE': '$100000',
      };
      const { code, stdout, stderr } = await spawnNode(NODE, [path.join(ROOT, 'dist/index.js')], {
        cwd: dir,
        env,
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const res = result(
        stdout,
        readFileSync(files.GITHUB_OUTPUT, 'utf8'),
        readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        code === 1,
      );
      // List $6,511.60, with Flink at the effective $0.15 instead of $0.21: 10 CFU × 730 h × 0.06 less.
      expect(res.outputs['monthly-delta']).toBe('6073.60');
      expect(res.outputs['monthly-total']).toBe('8811.10');
      expect(res.outputs['over-budget']).toBe('true');
      expect(res.outputs['comment-url']).toBe(gh.comments[0]!.html_url);
      expect(gh.comments).toHaveLength(1);
      const body = gh.comments[0]!.body;
      expect(body.startsWith(`${COMMENT_MARKER}\n<!-- ccost:run=555:1 -->`)).toBe(true);
      expect(body).toContain('**effective** prices');
      expect(body).toContain(
        '| payments | $2,000.00 | $100.00 | $200.00 | +$3,883.60 | $4,083.60 | ❌ over |',
      );
      expect(body).not.toContain('do-not-print-me');
      expect(res.summary).toContain('Monthly cost increases by **+$6,073.60**');
      expect(stdout).not.toMatch(/ghs_test_token(?!\n)|ccost-secret-token(?!\n)/);
    } finally {
      await gh.close();
      await ccost.close();
    }
  });
});

function spawnNode(
  node: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
