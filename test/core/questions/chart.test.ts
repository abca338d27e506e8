import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/questions/answer-query.ts';
import { chartAnswer } from '../../../src/core/questions/chart.ts';
import { parseQuestion, type Question } from '../../../src/core/questions/grammar.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadQuestionsOrg, Q_NOW, questionsConfig } from '../../helpers/questions-seed.ts';
import { createTestStore } from '../../helpers/store.ts';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('chartAnswer', () => {
  let store: Store;
  const parsed = (text: string) => parseQuestion(text, Q_NOW) as Question;

  beforeAll(async () => {
    store = await createTestStore();
    await loadQuestionsOrg(store);
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  it.each([
    'team payments last month',
    'compare team payments last month by principal',
    'budget team payments',
    'top teams this month',
    'top principals in team payments last 7 days',
    'cluster lkc-abc12 yesterday',
    'principal sa-123 2026-10',
    'env production q3',
    'product flink last month',
    'unallocated last month',
    'team payments last month by day',
  ])('draws %s as a 1000×500 PNG', async (text) => {
    const a = await answer(store, parsed(text), { config: questionsConfig, now: Q_NOW });
    const png = chartAnswer(a)!;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual({ width: 1000, height: 500 });
    // A drawn chart, not a blank canvas.
    expect(png.length).toBeGreaterThan(15_000);
  });

  it('stacks at most 8 series and an Other', async () => {
    const a = await answer(store, parsed('top 2 principals 2026-10'), {
      config: questionsConfig,
      now: Q_NOW,
    });
    expect(a.series!.series.map((s) => s.key)).toEqual(['sa-123', 'sa-789', 'other']);
    const day = 0;
    const stacked = a.series!.series.reduce((s, x) => s.plus(x.values[day]!), new Decimal(0));
    // Oct 1: 12 + 8 + 2.333333 + 3 + 1.5, every owner included.
    expect(stacked.toFixed()).toBe('26.833333');
  });

  it('has no chart for a reconciliation', async () => {
    const a = await answer(store, parsed('reconcile 2026-10'), { config: questionsConfig, now: Q_NOW });
    expect(chartAnswer(a)).toBeUndefined();
  });
});
