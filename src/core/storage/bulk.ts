import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Db, Store } from './database.ts';

/** A column of a bulk insert: its name and its PostgreSQL type for `unnest`. */
export interface BulkColumn {
  name: string;
  type: 'text' | 'numeric' | 'date' | 'integer' | 'bigint' | 'timestamptz' | 'jsonb';
}

export type BulkValue = string | number | bigint | null;

const CHUNK_ROWS = 25_000;
/** Rows per piece of COPY text: big enough to stream efficiently, small enough to stay cheap. */
const COPY_PIECE_ROWS = 2_000;
/** Rows per COPY statement on PGlite, which takes its input as one in-memory blob. */
const PGLITE_COPY_ROWS = 100_000;

/**
 * Inserts many rows. Plain inserts (no `suffix`) use `COPY … FROM STDIN` in text format, the
 * fastest way into PostgreSQL (streamed on the postgres driver, as in-memory blobs on PGlite).
 * With a suffix (`on conflict …`), which COPY cannot take, it runs one
 * `insert … select from unnest(…)` per chunk: one array parameter per column instead of one
 * parameter per value, so it never hits the 65,535-parameter limit. Either way values travel as
 * text and PostgreSQL parses them into the column types, so numerics never pass through a JS
 * number. Works on the store's database or inside a transaction of it (`db` is then the
 * transaction).
 */
export async function bulkInsert(
  store: Store,
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly BulkValue[])[],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return;
  if (suffix.trim() === '') return copyInto(store, db, table, columns, rows);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const chunk = rows.slice(start, start + CHUNK_ROWS);
    const arrays = columns.map((col, c) => {
      const literal = arrayLiteral(chunk, c);
      return sql`${literal}::${sql.raw(col.type)}[]`;
    });
    const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
    await store.query(
      sql`insert into ${sql.raw(`"${table}"`)} (${names}) select * from unnest(${sql.join(arrays, sql`, `)}) ${sql.raw(suffix)}`,
      db,
    );
  }
}

/** The driver's client under a drizzle database or transaction. */
function clientOf(db: Db): unknown {
  return (db._.session as unknown as { client: unknown }).client;
}

interface PostgresJsClient {
  unsafe(query: string): { writable(): Promise<Writable> };
}

interface PgliteClient {
  query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

async function copyInto(
  store: Store,
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly BulkValue[])[],
): Promise<void> {
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  if (store.driver === 'postgres') {
    const client = clientOf(db) as PostgresJsClient;
    const writable = await client.unsafe(`copy "${table}" (${names}) from stdin`).writable();
    await pipeline(Readable.from(copyPieces(rows, 0, rows.length, columns.length)), writable);
    return;
  }
  const client = clientOf(db) as PgliteClient;
  for (let start = 0; start < rows.length; start += PGLITE_COPY_ROWS) {
    const end = Math.min(rows.length, start + PGLITE_COPY_ROWS);
    const blob = new Blob([...copyPieces(rows, start, end, columns.length)]);
    await client.query(`copy "${table}" (${names}) from '/dev/blob'`, [], { blob });
  }
}

/** Rows [start, end) as COPY text, in pieces of COPY_PIECE_ROWS rows. */
function* copyPieces(
  rows: readonly (readonly BulkValue[])[],
  start: number,
  end: number,
  width: number,
): Generator<string> {
  for (let from = start; from < end; from += COPY_PIECE_ROWS) {
    const to = Math.min(end, from + COPY_PIECE_ROWS);
    let text = '';
    for (let i = from; i < to; i++) {
      const row = rows[i]!;
      for (let c = 0; c < width; c++) {
        if (c > 0) text += '\t';
        text += copyField(row[c]);
      }
      text += '\n';
    }
    yield text;
  }
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY text format: `\N` for NULL; backslash, newline, CR and tab escaped. */
function copyField(v: BulkValue | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (ch) => COPY_ESCAPES[ch]!) : v;
}

/** A PostgreSQL array literal of column `c`: `{"a","b",NULL}`. */
function arrayLiteral(rows: readonly (readonly BulkValue[])[], c: number): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![c];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else {
      const s = String(v);
      parts[i] = /["\\]/.test(s) ? `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${s}"`;
    }
  }
  return `{${parts.join(',')}}`;
}
