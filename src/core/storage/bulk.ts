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
/** Rows per piece of COPY text streamed to the server. */
const COPY_PIECE_ROWS = 2_000;

/**
 * Inserts many rows, on the store's database or inside a transaction of it (`db` is then the
 * transaction). On PostgreSQL, plain inserts (no `suffix`) stream `COPY … FROM STDIN` in text
 * format, the fastest way in; rows are pulled from `rows` as the server takes them, so a lazy
 * iterable is produced while earlier rows are being stored. Otherwise (PGlite, where COPY is
 * slower on its in-memory file system, or a suffix such as `on conflict …`, which COPY cannot
 * take) it runs one `insert … select from unnest(…)` per chunk: one array parameter per column
 * instead of one parameter per value, so it never hits the 65,535-parameter limit. Either way
 * values travel as text and PostgreSQL parses them into the column types, so numerics never
 * pass through a JS number.
 */
export async function bulkInsert(
  store: Store,
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: Iterable<readonly BulkValue[]>,
  suffix = '',
): Promise<void> {
  if (store.driver === 'postgres' && suffix.trim() === '') return copyInto(db, table, columns, rows);
  const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
  for (const chunk of chunksOf(rows, CHUNK_ROWS)) {
    const arrays = columns.map((col, c) => {
      const literal = arrayLiteral(chunk, c);
      return sql`${literal}::${sql.raw(col.type)}[]`;
    });
    await store.query(
      sql`insert into ${sql.raw(`"${table}"`)} (${names}) select * from unnest(${sql.join(arrays, sql`, `)}) ${sql.raw(suffix)}`,
      db,
    );
  }
}

/** Consecutive non-empty chunks of at most `size` rows. */
function* chunksOf<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The driver's client under a drizzle database or transaction. */
function clientOf(db: Db): unknown {
  return (db._.session as unknown as { client: unknown }).client;
}

/** The parts of a postgres.js query this module uses; `reject` is how the driver reports errors. */
interface PostgresJsCopy {
  writable(): Promise<Writable>;
  reject: (err: unknown) => void;
}

interface PostgresJsClient {
  unsafe(query: string): PostgresJsCopy;
}

/** `COPY … FROM STDIN` on the postgres driver, streamed piece by piece with backpressure. */
async function copyInto(
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: Iterable<readonly BulkValue[]>,
): Promise<void> {
  const pieces = copyPieces(chunksOf(rows, COPY_PIECE_ROWS), columns.length);
  const first = pieces.next();
  if (first.done) return;
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const query = (clientOf(db) as PostgresJsClient).unsafe(`copy "${table}" (${names}) from stdin`);
  const writable = await query.writable();
  // postgres.js 3.4 never settles the writable when the server rejects the data after the end
  // of the copy (porsager/postgres#1173): it hands the error only to the query, whose promise
  // has already resolved to the writable. Catch it there, so the caller's transaction sees the
  // server's error and rolls back instead of waiting forever.
  let serverError!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => {
    serverError = reject;
  });
  const driverReject = query.reject;
  query.reject = (err) => {
    driverReject(err);
    serverError(err);
  };
  const written = pipeline(Readable.from(prepend(first.value, pieces)), writable);
  failed.catch(() => {});
  written.catch(() => {});
  await Promise.race([written, failed]);
}

function* prepend<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/**
 * Each chunk of rows as one piece of COPY text, encoded straight into bytes: `\N` for NULL;
 * backslash, newline, CR and tab escaped. Written character by character rather than built from
 * strings, since this runs for every field of every row of a month.
 */
function* copyPieces(chunks: Iterable<readonly (readonly BulkValue[])[]>, width: number): Generator<Buffer> {
  for (const chunk of chunks) {
    let buf = Buffer.allocUnsafe(Math.max(4096, 12 * width * chunk.length));
    let pos = 0;
    for (const row of chunk) {
      for (let c = 0; c < width; c++) {
        const v = row[c];
        const text = v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
        // Room for a tab, the value at worst (every character escaped, or 3 bytes of UTF-8), a newline.
        const need = pos + 2 + (text === null ? 2 : 6 * text.length);
        if (need > buf.length) {
          const bigger = Buffer.allocUnsafe(2 * need);
          buf.copy(bigger, 0, 0, pos);
          buf = bigger;
        }
        if (c > 0) buf[pos++] = TAB;
        if (text === null) {
          buf[pos++] = BACKSLASH;
          buf[pos++] = 0x4e; // N
          continue;
        }
        for (let k = 0; k < text.length; k++) {
          const ch = text.charCodeAt(k);
          if (ch >= 0x80) {
            // Not ASCII: the rest of the value goes through the UTF-8 encoder.
            pos += buf.write(
              text.slice(k).replace(COPY_SPECIALS, (x) => COPY_ESCAPES[x]!),
              pos,
              'utf8',
            );
            break;
          }
          const escaped = ch < 0x60 ? COPY_ESCAPE_BYTES[ch]! : 0;
          if (escaped === 0) buf[pos++] = ch;
          else {
            buf[pos++] = BACKSLASH;
            buf[pos++] = escaped;
          }
        }
      }
      if (pos + 1 > buf.length) {
        const bigger = Buffer.allocUnsafe(2 * buf.length);
        buf.copy(bigger, 0, 0, pos);
        buf = bigger;
      }
      buf[pos++] = NEWLINE;
    }
    yield buf.subarray(0, pos);
  }
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
/** By ASCII code below 0x60: the letter after the backslash that escapes it, or 0. */
const COPY_ESCAPE_BYTES = new Uint8Array(0x60);
COPY_ESCAPE_BYTES[BACKSLASH] = BACKSLASH;
COPY_ESCAPE_BYTES[TAB] = 0x74; // t
COPY_ESCAPE_BYTES[NEWLINE] = 0x6e; // n
COPY_ESCAPE_BYTES[0x0d] = 0x72; // r
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const ARRAY_SPECIAL = /["\\]/;

/** A PostgreSQL array literal of column `c`: `{"a","b",NULL}`. */
function arrayLiteral(rows: readonly (readonly BulkValue[])[], c: number): string {
  let literal = '{';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) literal += ',';
    const v = rows[i]![c];
    if (v === null || v === undefined) literal += 'NULL';
    else if (typeof v !== 'string') literal += `"${v}"`;
    else literal += ARRAY_SPECIAL.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${literal}}`;
}
