/**
 * One job at a time across every replica: a PostgreSQL advisory lock per job name, taken without
 * waiting. A replica that does not get it skips the run. The lock key includes the schema, so
 * ccost deployments (and test schemas) sharing one database never block each other.
 */
import { sql } from 'drizzle-orm';
import type { Db, Store } from '../storage/database.ts';

/** The work's result when the lock was taken; `acquired: false` when another holder has it. */
export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Names held in this process, per database handle. PGlite is one session, where advisory locks
 * are re-entrant: two schedulers on one PGlite store would both "get" it. This guard makes them
 * exclude each other as two PostgreSQL connections do.
 */
const heldHere = new WeakMap<Db, Set<string>>();

const lockKey = (name: string) => sql`hashtext(current_schema() || ':' || ${name})`;

/**
 * Runs `work` while holding the advisory lock `name`, or returns `{ acquired: false }` at once.
 *
 * On PostgreSQL the lock is `pg_try_advisory_xact_lock` in a transaction kept open on one pooled
 * connection for the work's duration: it is released by commit, rollback, or the connection
 * dying with the process, so a crashed replica never leaves a job locked. The work itself uses
 * the store's other connections (its writes are not part of that transaction). PGlite has one
 * connection that a transaction would monopolise, so there the session lock is taken and released
 * around the work.
 */
export async function withJobLock<T>(
  store: Store,
  name: string,
  work: () => Promise<T>,
): Promise<LockResult<T>> {
  const held = heldHere.get(store.db) ?? new Set<string>();
  heldHere.set(store.db, held);
  if (held.has(name)) return { acquired: false };
  held.add(name);
  try {
    return store.driver === 'postgres'
      ? await withTransactionLock(store, name, work)
      : await withSessionLock(store, name, work);
  } finally {
    held.delete(name);
  }
}

async function withTransactionLock<T>(
  store: Store,
  name: string,
  work: () => Promise<T>,
): Promise<LockResult<T>> {
  let result: LockResult<T> = { acquired: false };
  await store.db.transaction(async (tx) => {
    const [row] = await store.query<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(${lockKey(name)}) as locked`,
      tx,
    );
    if (!row?.locked) return;
    result = { acquired: true, value: await work() };
  });
  return result;
}

async function withSessionLock<T>(
  store: Store,
  name: string,
  work: () => Promise<T>,
): Promise<LockResult<T>> {
  const [row] = await store.query<{ locked: boolean }>(
    sql`select pg_try_advisory_lock(${lockKey(name)}) as locked`,
  );
  if (!row?.locked) return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    await store.query(sql`select pg_advisory_unlock(${lockKey(name)})`);
  }
}
