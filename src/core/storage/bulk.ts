import { sql } from 'drizzle-orm';
import type { Db, Store } from './database.ts';

/** A column of a bulk insert: its name and its PostgreSQL type for `unnest`. */
export interface BulkColumn {
  name: string;
  type: 'text' | 'numeric' | 'date' | 'integer' | 'bigint' | 'timestamptz' | 'jsonb';
}

export type BulkValue = string | number | bigint | null;

const CHUNK_ROWS = 25_000;

/**
 * Inserts many rows with one `insert … select from unnest(…)` per chunk: one array parameter per
 * column instead of one parameter per value, so it is fast on PostgreSQL and PGlite alike and
 * never hits the 65,535-parameter limit. Values are passed as text; PostgreSQL parses them into
 * the column types, so numerics never pass through a JS number.
 */
export async function bulkInsert(
  store: Store,
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly BulkValue[])[],
  suffix = '',
): Promise<void> {
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
