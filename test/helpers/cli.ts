import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { main } from '../../src/cli/main.ts';
import { testDatabaseUrl } from './store.ts';

/** Runs the CLI in-process against an isolated database; collects its output. */
export interface CliHarness {
  env: NodeJS.ProcessEnv;
  run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

/** A fresh CCOST_HOME (PGlite) or PostgreSQL schema for one test file. */
export function createCliHarness(extraEnv: NodeJS.ProcessEnv = {}): CliHarness {
  const home = mkdtempSync(path.join(tmpdir(), 'ccost-cli-'));
  const url = testDatabaseUrl();
  const schema = `cli_${randomBytes(5).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    CCOST_HOME: home,
    ...(url ? { DATABASE_URL: url, CCOST_DB_SCHEMA: schema } : {}),
    ...extraEnv,
  };
  return {
    env,
    async run(...argv: string[]) {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, {
        env,
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
      });
      return { code, stdout, stderr };
    },
    async cleanup() {
      rmSync(home, { recursive: true, force: true });
      if (url) {
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      }
    },
  };
}
