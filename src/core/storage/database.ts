import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { CcostError, ErrorCode } from '../errors/index.ts';
import * as schema from './schema.ts';

/** Drizzle database over either driver; transactions have the same type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open ccost database: the drizzle handle plus what differs between drivers. */
export interface Store {
  readonly db: Db;
  readonly driver: 'pglite' | 'postgres';
  /** Where the data lives, without credentials: a directory or host/database. */
  readonly location: string;
  /** Runs raw SQL and returns its rows, whichever driver is underneath. */
  query<T = Record<string, unknown>>(query: SQL, db?: Db): Promise<T[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Directory for PGlite data; `memory://` keeps it in memory. Default `$CCOST_HOME/db` or `./.ccost/db`. */
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate themselves with one). */
  schemaName?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** PGlite only: start from this data directory dump (`dumpPglite`), e.g. an already migrated one. */
  loadDataDir?: Blob;
}

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Opens the database the environment asks for: PostgreSQL when DATABASE_URL is set, else PGlite. */
export async function openStore(options: OpenOptions = {}): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options)
    : await openPglite(options);
  if (options.migrate !== false) await migrateStore(store, options.schemaName);
  return store;
}

/** Default PGlite directory: `$CCOST_HOME/db`, or `./.ccost/db`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.CCOST_HOME ?? '.ccost', 'db');
}

async function openPglite(options: OpenOptions): Promise<Store> {
  const dataDir = options.dataDir ?? defaultDataDir();
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(
    dataDir,
    options.loadDataDir ? { loadDataDir: options.loadDataDir } : {},
  );
  if (options.schemaName) {
    await client.exec(
      `create schema if not exists "${options.schemaName}"; set search_path to "${options.schemaName}"`,
    );
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    location: dataDir,
    async query<T>(query: SQL, on: Db = db) {
      const result = (await on.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const client = postgres(url, {
    max: 4,
    onnotice: () => {},
    connection: options.schemaName ? { search_path: options.schemaName } : {},
  });
  if (options.schemaName) await client.unsafe(`create schema if not exists "${options.schemaName}"`);
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    location: describeUrl(url),
    async query<T>(query: SQL, on: Db = db) {
      return (await on.execute(query)) as unknown as T[];
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** host:port/database of a URL, never its password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgresql (unparsable DATABASE_URL)';
  }
}

/** A PGlite store's whole data directory as a tarball, to open copies of it with `loadDataDir`. */
export async function dumpPglite(store: Store): Promise<Blob> {
  if (store.driver !== 'pglite')
    throw new CcostError(ErrorCode.DatabaseError, 'only a PGlite store can be dumped');
  return (store.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
}

/** Applies the drizzle-kit migrations in `migrations/`. Safe to call on every start. */
export async function migrateStore(store: Store, schemaName?: string): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR, migrationsSchema: schemaName ?? 'drizzle' };
  try {
    if (store.driver === 'pglite') {
      // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete driver type
      await migratePglite(store.db as any, config);
    } else {
      // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete driver type
      await migratePostgres(store.db as any, config);
    }
  } catch (err) {
    throw new CcostError(
      ErrorCode.DatabaseError,
      `could not migrate the database at ${store.location}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Opens the store configured by the environment (DATABASE_URL, CCOST_HOME). */
export function openStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  // CCOST_DB_SCHEMA puts ccost's tables in their own PostgreSQL schema (shared databases, tests).
  const schemaName = env.CCOST_DB_SCHEMA || undefined;
  return openStore(
    env.DATABASE_URL
      ? { databaseUrl: env.DATABASE_URL, schemaName }
      : { dataDir: defaultDataDir(env), schemaName },
  );
}

/** `select 1`, to check a connection. */
export async function ping(store: Store): Promise<void> {
  await store.query(sql`select 1`);
}
