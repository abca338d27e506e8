import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const BILLING = path.join(FIXTURES, 'billing/costs-2026-10-01.json');

describe('ccost CLI', () => {
  let cli: CliHarness;
  let configFile: string;

  beforeAll(async () => {
    cli = createCliHarness();
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    writeFileSync(configFile, 'teams:\n  platform:\n    owners:\n      - lkc-123\n');
  });
  afterAll(async () => {
    await cli.cleanup();
  });

  it('imports billing JSON idempotently', async () => {
    const first = await cli.run('import', 'billing', BILLING, '--org', 'org-a');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('9 new, 0 changed, 0 unchanged');
    const again = await cli.run('import', 'billing', BILLING, '--org', 'org-a');
    expect(again.stdout).toContain('0 new, 0 changed, 9 unchanged');
  });

  it('rejects a malformed billing file with its name and field, exit 1, and writes nothing', async () => {
    const bad = path.join(cli.env.CCOST_HOME!, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        data: [{ start_date: '2026-10-02', end_date: '2026-10-03', original_amount: '12,5' }],
      }),
    );
    const result = await cli.run('import', 'billing', BILLING, bad, '--org', 'org-a');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${bad}: data[0].original_amount: must be a decimal number\n`);
    const again = await cli.run('import', 'billing', BILLING, '--org', 'org-a');
    expect(again.stdout).toContain('0 new, 0 changed, 9 unchanged');
  });

  it('allocates the month and reports it by team, exactly, in table, csv and json', async () => {
    const allocate = await cli.run(
      '--config',
      configFile,
      'allocate',
      '--org',
      'org-a',
      '--month',
      '2026-10',
    );
    expect(allocate.code).toBe(0);
    expect(allocate.stdout).toContain('total $27.75 (exact 27.75)');

    const json = await cli.run('report', '--month', '2026-10', '--by', 'team', '--format', 'json');
    const report = JSON.parse(json.stdout);
    expect(report.total).toBe('27.75');
    expect(report.unallocated).toBe('-5.25');
    const sum = report.rows.reduce((s: Decimal, r: { amount: string }) => s.plus(r.amount), new Decimal(0));
    expect(sum.toFixed()).toBe('27.75');
    expect(report.rows.map((r: { key: string }) => r.key).sort()).toEqual([
      'platform',
      'unallocated',
      'unowned',
    ]);

    const csv = await cli.run('report', '--month', '2026-10', '--by', 'product', '--format', 'csv');
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('product,amount_usd,exact_amount_usd,share');
    const shown = lines.slice(1, -1).reduce((s, l) => s.plus(l.split(',')[1]!), new Decimal(0));
    expect(shown.toFixed(2)).toBe(lines.at(-1)!.split(',')[1]);

    const table = await cli.run('report', '--month', '2026-10', '--by', 'principal');
    expect(table.stdout).toMatch(/Total\s+\$27\.75\s+100\.0%/);
    const unmapped = report.unmapped.map((u: { ownerId: string }) => u.ownerId);
    expect([...unmapped].sort()).toEqual(['env-xxx', 'lcc-456', 'link-1', 'lsrc-1']);
    expect(table.stdout).toContain(`Unowned: ${unmapped.length} owner(s) map to no team: ${unmapped[0]}`);
  });

  it('names the key of an invalid ccost.yaml', async () => {
    const badConfig = path.join(cli.env.CCOST_HOME!, 'bad.yaml');
    writeFileSync(badConfig, 'allocation:\n  flink: sideways\n');
    const result = await cli.run('--config', badConfig, 'allocate', '--org', 'org-a', '--month', '2026-10');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml: allocation\.flink: .*environment.*compute_pool/);
  });

  it('exits 2 on wrong usage', async () => {
    const result = await cli.run('report', '--month', '2026-10', '--by', 'planet');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--by must be one of team, principal, product');
    expect((await cli.run('frobnicate')).code).toBe(2);
  });
});

describe('bin/ccost.js', () => {
  const run = promisify(execFile);
  const bin = path.resolve(import.meta.dirname, '../../bin/ccost.js');
  const env = { ...process.env, CCOST_HOME: mkdtempSync(path.join(tmpdir(), 'ccost-bin-')) };

  it('prints help for every command and exits 0', async () => {
    for (const args of [['--help'], ['report', '--help'], ['import', 'billing', '--help']]) {
      const { stdout } = await run(process.execPath, [bin, ...args], { env });
      expect(stdout).toContain('Usage: ccost');
    }
  });

  it('prints one clear line and exits non-zero on bad input', async () => {
    const error = await run(process.execPath, [bin, 'allocate', '--org', 'o', '--month', 'October'], {
      env,
    }).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toBe(
      'error: --month: "October" is not a month; write it as YYYY-MM, e.g. 2026-10\n',
    );
  });
});
