import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerExport } from '../../src/cli/commands/export.ts';
import type { CliIo } from '../../src/cli/context.ts';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { loadConfig } from '../../src/core/config/load.ts';
import { CcostError, ErrorCode } from '../../src/core/errors/index.ts';
import { openStoreFromEnv } from '../../src/core/storage/database.ts';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';
import { loadSeedExample, ORG } from '../helpers/seed-example.ts';

describe('ccost export', () => {
  let cli: CliHarness;
  let configFile: string;

  /** Runs `ccost --config FILE export …` on a fresh program; a failure is the error it threw. */
  async function run(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      env: cli.env,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    };
    const program = new Command('ccost')
      .option('-c, --config <file>')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    registerExport(program, io);
    let error: unknown;
    try {
      await program.parseAsync(['--config', configFile, 'export', ...argv], { from: 'user' });
    } catch (err) {
      error = err;
    }
    return { stdout, stderr, error };
  }

  beforeAll(async () => {
    cli = createCliHarness();
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    writeFileSync(
      configFile,
      'currency: USD\nteams:\n  platform:\n    owners:\n      - environment: env-xxx\n',
    );
    const store = await openStoreFromEnv(cli.env);
    try {
      await loadSeedExample(store);
      await allocateMonth(store, { orgId: ORG, month: '2026-10', config: loadConfig(configFile) });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await cli.cleanup();
  });

  it('prints only the FOCUS CSV to stdout, and writes FILE plus FILE.metadata.json with --out', async () => {
    const printed = await run('focus', '--org', ORG, '--month', '2026-10');
    expect(printed.error).toBeUndefined();
    expect(printed.stderr).toBe('');
    expect(printed.stdout.startsWith('AllocatedMethodDetails,AllocatedMethodId,')).toBe(true);
    expect(printed.stdout.trimEnd().split('\r\n')).toHaveLength(19);
    const file = path.join(cli.env.CCOST_HOME!, 'focus.csv');
    const written = await run('focus', '--org', ORG, '--month', '2026-10', '--out', file);
    expect(written.stdout).toContain(`Wrote 18 FOCUS 1.3 rows (8 billing lines) of ${ORG} 2026-10`);
    expect(written.stdout).toContain('Reconciliation passed: BilledCost 33 vs billing lines 33.');
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(JSON.parse(readFileSync(`${file}.metadata.json`, 'utf8')).FocusVersion).toBe('1.3');
  });

  it('writes the native-format export to stdout or a file', async () => {
    const printed = await run('allocation', '--org', ORG, '--month', '2026-10', '--granularity', 'monthly');
    expect(printed.stdout.split('\r\n')[0]).toBe(
      'timestamp,owner_id,environment_id,resource_id,product,metric,unit,chargeback_cost,original_amount,usage_share,org_id',
    );
    const file = path.join(cli.env.CCOST_HOME!, 'allocation.csv');
    const written = await run(
      'allocation',
      '--org',
      ORG,
      '--month',
      '2026-10',
      '--granularity',
      'daily',
      '--out',
      file,
    );
    expect(written.stdout).toContain('Wrote 19 rows (1 daily bucket(s), $33.00, exact 33)');
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a bad granularity as usage, and a month without a run naming what to run first', async () => {
    const bad = await run('allocation', '--org', ORG, '--month', '2026-10', '--granularity', 'hourly');
    expect(bad.error).toBeInstanceOf(CcostError);
    expect((bad.error as CcostError).code).toBe(ErrorCode.UsageError);
    const missing = await run('focus', '--org', ORG, '--month', '2026-09');
    expect((missing.error as CcostError).message).toContain(
      `then \`ccost allocate --org ${ORG} --month 2026-09\``,
    );
    expect(missing.stdout).toBe('');
  });
});
