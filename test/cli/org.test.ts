import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Confirmer, registerOrg } from '../../src/cli/commands/org.ts';
import type { CliIo } from '../../src/cli/context.ts';
import { allocateMonth } from '../../src/core/allocation/run.ts';
import { loadConfig } from '../../src/core/config/load.ts';
import { isCcostError } from '../../src/core/errors/index.ts';
import { openStoreFromEnv } from '../../src/core/storage/database.ts';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';
import { loadSeedExample } from '../helpers/seed-example.ts';

describe('ccost org', () => {
  let cli: CliHarness;
  let configFile: string;
  const asked: string[] = [];

  /** Runs `ccost --config FILE org …` with `answer` typed at the prompt (null: no terminal). */
  async function run(argv: string[], answer: string | null = null) {
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
    const confirmer: Confirmer = {
      interactive: answer !== null,
      ask: async (question) => {
        asked.push(question);
        return answer ?? '';
      },
    };
    const program = new Command('ccost')
      .option('-c, --config <file>')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    registerOrg(program, io, confirmer);
    let error: unknown;
    try {
      await program.parseAsync(['--config', configFile, 'org', ...argv], { from: 'user' });
    } catch (err) {
      error = err;
    }
    return { stdout, stderr, error };
  }

  const billingLinesOf = async (orgId: string) => {
    const store = await openStoreFromEnv(cli.env);
    try {
      const [row] = await store.query<{ n: number }>(
        sql`select count(*)::int as n from billing_lines where org_id = ${orgId}`,
      );
      return Number(row!.n);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    cli = createCliHarness();
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    writeFileSync(
      configFile,
      'organizations:\n  - id: org-a\nteams:\n  platform:\n    owners:\n      - environment: env-xxx\n',
    );
    const store = await openStoreFromEnv(cli.env);
    try {
      for (const org of ['org-a', 'org-b', 'org-c']) {
        await loadSeedExample(store, org);
        await allocateMonth(store, { orgId: org, month: '2026-10', config: loadConfig(configFile) });
      }
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await cli.cleanup();
  });

  it('lists the stored organizations', async () => {
    const { stdout, error } = await run(['list']);
    expect(error).toBeUndefined();
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^organization\s+name\s+billing lines\s+billed days\s+runs\s+closed\s+in ccost.yaml$/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual([
      ['org-a', '8', '2026-10-01..2026-10-01', '1', '-', 'yes'],
      ['org-b', '8', '2026-10-01..2026-10-01', '1', '-', 'no'],
      ['org-c', '8', '2026-10-01..2026-10-01', '1', '-', 'no'],
    ]);
    const json = JSON.parse((await run(['list', '--format', 'json'])).stdout);
    expect(json.map((o: { id: string }) => o.id)).toEqual(['org-a', 'org-b', 'org-c']);
  });

  it('counts without removing on --dry-run', async () => {
    const { stdout, error } = await run(['remove', 'org-b', '--dry-run']);
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/^org-b: would remove \d+ rows from \d+ tables \(nothing changed yet\)\n/);
    expect(stdout).toMatch(/\n {2}billing_lines\s+8\n/);
    expect(await billingLinesOf('org-b')).toBe(8);
  });

  it('refuses without --yes when nobody can confirm', async () => {
    const { error, stdout } = await run(['remove', 'org-b']);
    expect(isCcostError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'not removing org-b: confirmation is needed and stdin is not a terminal; run `ccost org remove org-b --yes` to remove it without asking',
    );
    expect(stdout).toBe('');
    expect(await billingLinesOf('org-b')).toBe(8);
  });

  it('refuses when the typed answer is not the organization id', async () => {
    const { error, stderr } = await run(['remove', 'org-b'], 'org-c');
    expect((error as Error).message).toBe(
      'not removing org-b: the answer "org-c" is not the organization id; nothing was changed',
    );
    expect(stderr).toMatch(/^org-b: would remove/);
    expect(asked.at(-1)).toBe('Type org-b to remove it for good: ');
    expect(await billingLinesOf('org-b')).toBe(8);
  });

  it('removes after the organization id is typed, and prints what was removed', async () => {
    const { error, stdout, stderr } = await run(['remove', 'org-b'], 'org-b');
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/^org-b: removed \d+ rows from \d+ tables\n/);
    expect(stdout).toMatch(/\n {2}allocations\s+\d+\n/);
    expect(stderr).not.toMatch(/still listed/);
    expect(await billingLinesOf('org-b')).toBe(0);
    expect(await billingLinesOf('org-c')).toBe(8);
  });

  it('removes with --yes without asking, and warns when the organization is still in ccost.yaml', async () => {
    const before = asked.length;
    const { error, stdout, stderr } = await run(['remove', 'org-a', '--yes', '--format', 'json']);
    expect(error).toBeUndefined();
    expect(asked.length).toBe(before);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ orgId: 'org-a', dryRun: false, closedMonths: [] });
    expect(report.tables.find((t: { table: string }) => t.table === 'billing_lines').rows).toBe(8);
    expect(stderr).toMatch(/org-a is still listed under organizations in ccost.yaml/);
    expect((await run(['list'])).stdout).not.toMatch(/org-a/);
  });

  it('says so for an organization with no data', async () => {
    const { error } = await run(['remove', 'org-b', '--yes']);
    expect((error as Error).message).toMatch(/^no data of organization org-b is stored/);
  });

  it('is registered in the ccost command', async () => {
    const { code, stdout } = await cli.run('--config', configFile, 'org', 'remove', 'org-c', '--yes');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^org-c: removed/);
    const missing = await cli.run('--config', configFile, 'org', 'remove', 'org-c', '--yes');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no data of organization org-c is stored/);
  });
});
