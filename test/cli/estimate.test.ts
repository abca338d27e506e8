import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/terraform/estimate');
const scratch = mkdtempSync(path.join(tmpdir(), 'ccost-estimate-'));
const cli: CliHarness = createCliHarness();

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await cli.cleanup();
});

describe('ccost estimate', () => {
  it('prints a table of a PR against its base', async () => {
    const { code, stdout } = await cli.run(
      'estimate',
      '--path',
      path.join(FIXTURE, 'head'),
      '--compare-to',
      path.join(FIXTURE, 'base'),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^before {2}\$2,737\.50$/m);
    expect(stdout).toContain('max_ecku 2 → 4');
    expect(stdout).toMatch(/confluent_connector\.sink\["orders"\].*not estimated/);
    expect(stdout).toContain('monthly = 730 hours');
  });

  it('prices with the overrides of ccost.yaml', async () => {
    const config = path.join(scratch, 'pricing.yaml');
    writeFileSync(config, 'pricing:\n  overrides:\n    connect.task_hour: "0.1"\n');
    const { code, stdout } = await cli.run(
      '--config',
      config,
      'estimate',
      '--path',
      path.join(FIXTURE, 'head'),
      '--compare-to',
      path.join(FIXTURE, 'base'),
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const estimate = JSON.parse(stdout) as {
      resources: { address: string; status: string; delta: string }[];
    };
    const sink = estimate.resources.find((r) => r.address === 'confluent_connector.sink["orders"]')!;
    expect(sink.status).toBe('priced');
    expect(stdout).toContain('override');
  });

  it('prints markdown and json with the same numbers', async () => {
    const args = [
      'estimate',
      '--path',
      path.join(FIXTURE, 'head'),
      '--compare-to',
      path.join(FIXTURE, 'base'),
    ];
    const md = await cli.run(...args, '--format', 'markdown');
    const json = await cli.run(...args, '--format', 'json');
    expect(md.code).toBe(0);
    expect(json.code).toBe(0);
    const estimate = JSON.parse(json.stdout) as { before: string; after: string; delta: string };
    expect(estimate.before).toBe('2737.5');
    expect(md.stdout).toContain('<details>');
    expect(md.stdout).toContain(
      `| after | $${Number(estimate.after).toLocaleString('en-US', { minimumFractionDigits: 2 })} |`,
    );
  });

  it('reads a plan and never prints its secrets', async () => {
    for (const format of ['table', 'markdown', 'json']) {
      const { code, stdout, stderr } = await cli.run(
        'estimate',
        '--plan',
        path.join(FIXTURE, 'plan.json'),
        '--format',
        format,
      );
      expect(code, format).toBe(0);
      expect(stdout + stderr, format).not.toMatch(/SECRET/);
    }
  });

  it('takes --var for root variables', async () => {
    const { stdout } = await cli.run(
      'estimate',
      '--path',
      path.join(FIXTURE, 'head'),
      '--var',
      'connector_tasks=8',
      '--format',
      'json',
    );
    const estimate = JSON.parse(stdout) as { resources: { address: string; reason?: string }[] };
    const connector = estimate.resources.find((r) => r.address === 'confluent_connector.sink["orders"]');
    expect(connector?.reason).toMatch(/connect\.task_hour/);
  });

  it('names the file and line of bad HCL and exits 1', async () => {
    const dir = path.join(scratch, 'bad-hcl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'main.tf'), 'resource "confluent_kafka_cluster" "x" {\n  basic {\n}\n');
    const { code, stderr } = await cli.run('estimate', '--path', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .*main\.tf:\d+:\d+: /);
  });

  it('names the line of a bad plan without quoting it, and exits 1', async () => {
    const file = path.join(scratch, 'bad-plan.json');
    writeFileSync(file, '{\n  "resource_changes": [\n    {"after": {"secret": "SECRET-1"}},,\n  ]\n}\n');
    const { code, stderr } = await cli.run('estimate', '--plan', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad-plan\.json:3:\d+: not valid JSON/);
    expect(stderr).not.toContain('SECRET');
  });

  it('is a usage error without --path or --plan, or with a bad format', async () => {
    expect((await cli.run('estimate')).code).toBe(2);
    expect((await cli.run('estimate', '--path', FIXTURE, '--format', 'xml')).code).toBe(2);
  });
});
