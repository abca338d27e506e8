import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimMessage,
  markCovered,
  markFailed,
  markSent,
  releaseClaim,
  sentMessage,
  stalePendingMessages,
  takenKeys,
} from '../../../src/core/digests/sent-messages.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { openSecondStore } from '../../helpers/second-store.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('sent messages', () => {
  let store: Store;
  const claim = (key: string) => ({ key, kind: 'weekly_team', channel: '#payments' });

  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('lets one claimer own a key; a sent key is never claimed again', async () => {
    expect(await claimMessage(store, claim('k1'))).toBe(true);
    expect(await claimMessage(store, claim('k1'))).toBe(false);
    await markSent(store, 'k1', '1700000000.000100');
    expect(await claimMessage(store, claim('k1'))).toBe(false);
    expect(await sentMessage(store, 'k1')).toMatchObject({ status: 'sent', messageTs: '1700000000.000100' });
  });

  it('a failed send may be claimed again, by one claimer; a pending one may not', async () => {
    expect(await claimMessage(store, claim('k2'))).toBe(true);
    await markFailed(store, 'k2', 'channel_not_found');
    expect(await sentMessage(store, 'k2')).toMatchObject({ status: 'failed', error: 'channel_not_found' });
    expect(await takenKeys(store, ['k2'])).toEqual(new Set());
    expect(await claimMessage(store, claim('k2'))).toBe(true);
    expect(await claimMessage(store, claim('k2'))).toBe(false);
    expect(await takenKeys(store, ['k2', 'nope'])).toEqual(new Set(['k2']));
    expect((await stalePendingMessages(store, new Date(Date.now() + 60_000))).map((m) => m.key)).toContain(
      'k2',
    );
    await releaseClaim(store, 'k2');
    expect(await sentMessage(store, 'k2')).toBeUndefined();
  });

  it('records covered keys as sent with the covering message', async () => {
    await markCovered(store, claim('k3'), '1.2');
    expect(await claimMessage(store, claim('k3'))).toBe(false);
  });

  it('two connections claiming at once: exactly one owns the key', async () => {
    const other = await openSecondStore(store);
    try {
      for (let i = 0; i < 5; i++) {
        const results = await Promise.all([
          claimMessage(store, claim(`race-${i}`)),
          claimMessage(other, claim(`race-${i}`)),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });
});
