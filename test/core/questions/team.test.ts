import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { chartTeamAnswer } from '../../../src/core/questions/chart.ts';
import { changeText, formatTeamAnswer, productLabel } from '../../../src/core/questions/format.ts';
import { answerTeam, previousRange } from '../../../src/core/questions/team.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadSeedExample, ORG } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

describe('team answers', () => {
  let store: Store;
  const october = { from: '2026-10-01', to: '2026-11-01', label: 'October 2026' };

  beforeAll(async () => {
    store = await createTestStore();
    await loadSeedExample(store);
    const config = parseConfig({ teams: { payments: { owners: ['sa-abc', 'sa-def'] } } });
    await allocateMonth(store, { orgId: ORG, month: '2026-10', config });
  });
  afterAll(async () => {
    await store.close();
  });

  it("answers a team's month: total, products, top principals, daily series", async () => {
    const answer = await answerTeam(store, { team: 'payments', period: october });
    expect(answer.total).toBe('7.089844');
    expect(answer.previousTotal).toBe('0');
    expect(answer.previous).toEqual({ from: '2026-09-01', to: '2026-10-01', label: 'September 2026' });
    expect(answer.byProduct).toEqual([
      { key: 'KAFKA', amount: '6.875' },
      { key: 'SUPPORT_CLOUD_BUSINESS', amount: '0.214844' },
    ]);
    expect(answer.topPrincipals.map((p) => [p.key, p.amount])).toEqual([
      ['sa-abc', '4.640625'],
      ['sa-def', '2.449219'],
    ]);
    expect(answer.daily.days).toHaveLength(31);
    expect(answer.daily.series.find((s) => s.product === 'KAFKA')!.values[0]).toBe('6.875');
    const text = formatTeamAnswer(answer);
    expect(text).toContain('Team payments, October 2026: $7.09');
    expect(text).toMatch(/sa-abc\s+\$4\.64\s+65\.5%/);
    const png = chartTeamAnswer(answer, { monthlyBudget: '10' });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('compares with the previous equal period', () => {
    expect(previousRange({ from: '2026-10-10', to: '2026-10-17', label: '' })).toMatchObject({
      from: '2026-10-03',
      to: '2026-10-10',
    });
    expect(changeText('110', '100')).toBe('+$10.00 (+10.0%)');
    expect(changeText('90', '100')).toBe('-$10.00 (-10.0%)');
    expect(changeText('5', '0')).toBe('+$5.00 (no cost before)');
    expect(productLabel('STREAM_GOVERNANCE')).toBe('Stream Governance');
  });
});
