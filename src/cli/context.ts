import { loadConfig } from '../core/config/load.ts';
import type { Config } from '../core/config/schema.ts';
import { openStoreFromEnv, type Store } from '../core/storage/database.ts';

/** Where a command writes, and what it reads from its environment; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal (progress bars instead of JSON log lines). */
  isTTY?: boolean;
}

/** The default io: the process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** Loads ccost.yaml from --config, CCOST_CONFIG or ./ccost.yaml. */
export function readConfig(io: CliIo, file?: string): Config {
  return loadConfig(file, io.env);
}

/** Opens the database (PGlite under CCOST_HOME, or DATABASE_URL), runs `work`, and closes it. */
export async function withStore<T>(io: CliIo, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStoreFromEnv(io.env);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
