import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ChunkWriter, csvCell, csvRecord, writeFileAtomically } from '../../../src/core/export/output.ts';

describe('CSV records', () => {
  it('quotes per RFC 4180 only when needed and round-trips through a strict parser', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('{"x_Team":"a"}')).toBe('"{""x_Team"":""a""}"');
    const values = ['a,b', 'say "hi"', 'line\nbreak', '', 'ü'];
    const record = csvRecord(values);
    expect(record.endsWith('\r\n')).toBe(true);
    expect(parse(record)).toEqual([values]);
  });
});

describe('ChunkWriter', () => {
  it('waits for drain when the stream is full, holding at most a chunk in memory', async () => {
    let pending = 0;
    let maxPending = 0;
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        pending++;
        maxPending = Math.max(maxPending, pending);
        received.push(chunk.toString());
        setTimeout(() => {
          pending--;
          done();
        }, 1);
      },
    });
    const writer = new ChunkWriter(slow);
    const line = `${'x'.repeat(999)}\n`;
    for (let i = 0; i < 300; i++) await writer.write(line);
    await writer.flush();
    expect(received.join('')).toBe(line.repeat(300));
    expect(maxPending).toBe(1);
    expect(writer.bytes).toBe(300_000);
  });

  it('throws the stream’s error on the next write instead of crashing', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    const writer = new ChunkWriter(broken);
    await expect(
      (async () => {
        for (let i = 0; i < 10; i++) await writer.write('y'.repeat(70_000));
      })(),
    ).rejects.toThrow('disk full');
  });
});

describe('writeFileAtomically', () => {
  it('renames the finished file into place, or removes the partial file on failure', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccost-out-'));
    try {
      const file = path.join(dir, 'out.csv');
      await writeFileAtomically(file, async (stream) => {
        stream.write('done\n');
      });
      expect(readFileSync(file, 'utf8')).toBe('done\n');
      const failing = path.join(dir, 'failing.csv');
      await expect(
        writeFileAtomically(failing, async (stream) => {
          stream.write('half');
          throw new Error('query failed');
        }),
      ).rejects.toThrow('query failed');
      expect(existsSync(failing) || existsSync(`${failing}.partial`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
