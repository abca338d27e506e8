import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkColumn, bulkInsert } from '../../../src/core/storage/bulk.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { usageFetches } from '../../../src/core/storage/schema.ts';
import { createTestStore } from '../../helpers/store.ts';

const COLUMNS: BulkColumn[] = [
  { name: 'org_id', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'day', type: 'date' },
  { name: 'status', type: 'text' },
  { name: 'detail', type: 'text' },
];

/** Text that COPY and array literals must escape. */
const TRICKY = [
  'tab\there',
  'é\t✓\\🦆\nafter',
  'line\nbreak',
  'cr\rhere',
  'back\\slash',
  'quote"d',
  '{a,b}',
  '\\N',
  'NULL',
  '',
  'é ✓ 日本',
];

describe('bulkInsert', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  const details = async (orgId: string) =>
    (await store.db.select().from(usageFetches).where(eq(usageFetches.orgId, orgId)))
      .sort((a, b) => a.resourceId.localeCompare(b.resourceId))
      .map((r) => [r.resourceId, r.day, r.status, r.detail]);

  it('stores every value exactly, NULL as NULL, from an array or lazily from a generator, in a transaction', async () => {
    const rows: (string | null)[][] = TRICKY.map((detail, i) => [
      'org-bulk',
      `r-${i}`,
      '2026-10-01',
      'ok',
      detail,
    ]);
    rows.push(['org-bulk', 'r-null', '2026-10-02', 'failed', null]);
    await store.db.transaction(async (tx) => {
      await bulkInsert(store, tx, 'usage_fetches', COLUMNS, rows.slice(0, 4));
      await bulkInsert(
        store,
        tx,
        'usage_fetches',
        COLUMNS,
        (function* () {
          yield* rows.slice(4);
        })(),
      );
      await bulkInsert(store, tx, 'usage_fetches', COLUMNS, []);
    });
    const expected = rows
      .map(([, resourceId, day, status, detail]) => [resourceId, day, status, detail])
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(await details('org-bulk')).toEqual(expected);
  });

  it('writes nothing when the rows fail half way through the transaction', async () => {
    function* failing() {
      for (let i = 0; i < 5000; i++) yield ['org-fail', `r-${i}`, '2026-10-01', 'ok', null];
      throw new Error('source broke');
    }
    await expect(
      store.db.transaction(async (tx) => {
        await bulkInsert(store, tx, 'usage_fetches', COLUMNS, failing());
      }),
    ).rejects.toThrow('source broke');
    expect(await details('org-fail')).toEqual([]);
    // The connection is still usable afterwards.
    await bulkInsert(store, store.db, 'usage_fetches', COLUMNS, [
      ['org-fail', 'r-ok', '2026-10-01', 'ok', null],
    ]);
    expect(await details('org-fail')).toEqual([['r-ok', '2026-10-01', 'ok', null]]);
  });

  it('rejects rows the table refuses with the database error, at the end or half way, and stays usable', async () => {
    const duplicateAtEnd = [
      ['org-dup', 'r-1', '2026-10-01', 'ok', null],
      ['org-dup', 'r-1', '2026-10-01', 'ok', null],
    ];
    function* duplicateEarly() {
      yield ['org-dup', 'r-0', '2026-10-01', 'ok', null];
      for (let i = 0; i < 50_000; i++) yield ['org-dup', `r-${i}`, '2026-10-01', 'ok', 'x'.repeat(100)];
    }
    for (const rows of [duplicateAtEnd, duplicateEarly()]) {
      const error = await store.db
        .transaction(async (tx) => {
          await bulkInsert(store, tx, 'usage_fetches', COLUMNS, rows);
        })
        .then(
          () => null,
          (err: Error) => err,
        );
      // drizzle wraps the database's error as the cause on PGlite.
      expect(`${error?.message} ${(error?.cause as Error | undefined)?.message}`).toMatch(/duplicate key/);
      expect(await details('org-dup')).toEqual([]);
    }
    await bulkInsert(store, store.db, 'usage_fetches', COLUMNS, [
      ['org-dup', 'r-ok', '2026-10-01', 'ok', null],
    ]);
    expect(await details('org-dup')).toEqual([['r-ok', '2026-10-01', 'ok', null]]);
  });
});
