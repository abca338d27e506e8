import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { ask } from '../../../src/core/questions/ask.ts';
import { HELP_EXAMPLES } from '../../../src/core/questions/help.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('ask', () => {
  let store: Store;
  const config = parseConfig({
    teams: {
      payments: { owners: ['sa-abc', 'sa-def'], budget: { monthly: 10 } },
      search: { owners: ['sa-ghi'] },
    },
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

  it('answers a team question with the answer, its text and a chart', async () => {
    const result = await ask(store, '/ccost team Payments october', { config, now });
    expect(result.kind).toBe('answer');
    if (result.kind !== 'answer') return;
    expect(result.answer.total).toBe('7.089844');
    expect(result.text).toContain('Team payments, October 2026: $7.09');
    // A finished month: the forecast is the actual; 7.089844 of a 10.00 budget.
    expect(result.text).toContain(
      'Budget $10.00 a month (2026-10): $7.09 spent, forecast $7.09 (70.9% of budget) — under budget',
    );
    expect(result.text).toMatch(/provisional · complete · data through 2026-10-01 · never collected/);
    expect(result.chart!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows cents that add up to the shown total, with the rest as "others"', async () => {
    const result = await ask(store, 'top 2 principals 2026-10', { config, now });
    if (result.kind !== 'answer') throw new Error(result.text);
    const table = result.text.split('\n').filter((l) => /^ {4}\S/.test(l));
    const amounts = table.map((l) => /\$([\d,.]+)/.exec(l)![1]!.replace(/,/g, ''));
    expect(table.at(-1)).toMatch(/^ {4}Total/);
    expect(table.at(-2)).toMatch(/^ {4}\d+ others/);
    const parts = amounts.slice(0, -1).reduce((s, a) => s.plus(a), new Decimal(0));
    expect(parts.toFixed(2)).toBe(amounts.at(-1));
    expect(amounts.at(-1)).toBe('33.00');
  });

  it('says a partial period is partial', async () => {
    const result = await ask(store, 'team payments mtd', { config, now });
    expect(result.text).toContain('partial (period not over)');
    expect(result.text).toContain('No allocation for 2026-11 yet');
  });

  it('replies helpfully to misspellings, refusals, help and questions answered later', async () => {
    expect(await ask(store, 'team paymnts 2026-10', { config, now })).toMatchObject({
      kind: 'reply',
      suggestions: ['team payments'],
      code: 'unknown_name',
    });
    expect((await ask(store, 'tema payments', { config, now })).text).toContain(
      'Did you mean `team payments`?',
    );
    expect(await ask(store, 'team payments', { config, now, viewer: { teams: ['search'] } })).toMatchObject({
      kind: 'reply',
      code: 'forbidden',
      suggestions: ['team search'],
    });
    const help = await ask(store, 'help', { config, now });
    expect(help).toMatchObject({ kind: 'reply', code: 'help' });
    expect(help.text).toContain('team payments last month');
    expect(await ask(store, 'explain team payments', { config, now })).toMatchObject({
      kind: 'explanation',
      explanation: { level: 'team', state: { team: 'payments' } },
    });
    const cluster = await ask(store, 'cluster lkc-123 2026-10', { config, now });
    expect(cluster.kind === 'answer' && cluster.answer.title).toBe('Cluster lkc-123 (orders)');
  });

  it('never throws, whatever it is asked', async () => {
    const nonsense = [
      '',
      ' ',
      '/ccost',
      'share',
      '🙂',
      'team',
      'team ""',
      'team " "',
      'top 0 teams',
      'top 1000 principals',
      'top bananas',
      'cluster',
      'cluster lkc-123 by nothing',
      'reconcile 1999-13',
      'reconcile q9',
      'principal sa-abc 2026-10-01..2026-09-01',
      'env "" q3',
      'product "DROP TABLE allocations;" last month',
      "team payments'; select 1; -- last month",
      'unallocated 2999',
      'x'.repeat(5000),
      'top teams last 3660 days by team',
      'insights payments last month',
      ...HELP_EXAMPLES,
    ];
    for (const text of nonsense) {
      const result = await ask(store, text, { config, now, viewer: { teams: ['payments'] } });
      expect(['answer', 'explanation', 'reply']).toContain(result.kind);
      expect(result.text.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
