/**
 * A second connection to a test store's data, as a second replica would have: on PostgreSQL a new
 * pool on the same schema; on PGlite (one process, one connection) the same store.
 */
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../../src/core/storage/database.ts';
import { testDatabaseUrl } from './store.ts';

/** Opens another Store on `store`'s schema; closing it leaves `store` open. */
export async function openSecondStore(store: Store): Promise<Store> {
  const url = testDatabaseUrl();
  if (store.driver === 'pglite' || !url) return { ...store, close: async () => {} };
  const [row] = await store.query<{ schema: string }>(sql`select current_schema() as schema`);
  return openStore({ databaseUrl: url, schemaName: row!.schema, migrate: false });
}
