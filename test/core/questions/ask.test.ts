import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { ask } from '../../../src/core/questions/ask.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('ask', () => {
  let store: Store;
  const config = parseConfig({
    teams: { payments: { owners: ['sa-abc', 'sa-def'], budget: { monthly: 10 } } },
  });
  const now = new Date('2026-11-23T15:00:00Z');

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers a team question with the total, breakdown and a chart', async () => {
    const result = await ask(store, '/ccost team Payments october', { config, now });
    expect(result.kind).toBe('answer');
    if (result.kind !== 'answer') return;
    expect(result.text).toContain('Team payments, October 2026: $7.09');
    // A finished month: the forecast is the actual; 7.089844 of a 10.00 budget.
    expect(result.text).toContain('Budget $10.00: $7.09 spent (70.9%), forecast $7.09 (70.9%)');
    expect(result.chart!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('says a partial period is partial', async () => {
    const result = await ask(store, 'team payments mtd', { config, now });
    expect(result.text).toMatch(/not over yet: figures are partial/);
  });

  it('replies helpfully to a misspelt team or command, and to questions it cannot answer yet', async () => {
    expect(await ask(store, 'team paymnts 2026-10', { config, now })).toMatchObject({
      kind: 'reply',
      suggestions: ['team payments'],
    });
    expect((await ask(store, 'tema payments', { config, now })).text).toContain(
      'Did you mean `team payments`?',
    );
    expect((await ask(store, 'cluster lkc-123 yesterday', { config, now })).text).toContain('ccost report');
    expect((await ask(store, 'help', { config, now })).text).toContain('team payments last month');
  });
});
