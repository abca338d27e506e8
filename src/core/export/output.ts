/**
 * Writing exports: RFC 4180 CSV records, a buffered writer that respects the stream's
 * backpressure, and files that appear complete or not at all.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** A CSV cell: text as is, null (or undefined) as the empty cell. */
export type CsvCell = string | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/** One cell quoted per RFC 4180: in double quotes (inner quotes doubled) when it holds `,` `"` CR or LF. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record with its CRLF line break (RFC 4180). */
export function csvRecord(values: readonly CsvCell[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(values[i]);
  }
  return `${line}\r\n`;
}

/** Characters gathered before one write to the stream. */
const FLUSH_AT = 1 << 16;

/**
 * Gathers text into chunks of about 64 KiB and writes them to a stream, waiting for `drain`
 * whenever the stream's buffer is full, so memory stays bounded however slow the reader is.
 */
export class ChunkWriter {
  private buffer: string[] = [];
  private length = 0;
  private failure: Error | undefined;
  /** Bytes written so far (UTF-8). */
  bytes = 0;

  constructor(private readonly stream: Writable) {
    // Recorded and thrown by the next write, never an uncaught 'error' event.
    stream.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Appends text; writes a chunk when enough has gathered. */
  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.length += text.length;
    if (this.length >= FLUSH_AT) await this.flush();
  }

  /** Writes what has gathered, waiting while the stream is full. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.length === 0) return;
    // Encoded once here: the stream then copies bytes instead of encoding the text again.
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.length = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/**
 * Writes a file through `work`, all or nothing: the text goes to `FILE.partial` and is renamed
 * to FILE once `work` has finished and the data is flushed; on failure the partial file is removed.
 */
export async function writeFileAtomically<T>(
  file: string,
  work: (stream: Writable) => Promise<T>,
): Promise<T> {
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  // Errors surface through `finished` or the writer; none may go unhandled.
  stream.on('error', () => {});
  try {
    await once(stream, 'open');
    const result = await work(stream);
    stream.end();
    await finished(stream);
    await rename(partial, file);
    return result;
  } catch (err) {
    stream.destroy();
    await finished(stream).catch(() => {});
    await rm(partial, { force: true });
    throw err;
  }
}
