import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth } from '../../../src/core/close/close.ts';
import type { Answer } from '../../../src/core/questions/answer.ts';
import { answer, QuestionReply } from '../../../src/core/questions/answer-query.ts';
import { parseQuestion, type Question } from '../../../src/core/questions/grammar.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadQuestionsOrg, Q_NOW, Q_ORG, questionsConfig } from '../../helpers/questions-seed.ts';
import { createTestStore } from '../../helpers/store.ts';

const config = questionsConfig;
const now = Q_NOW;

function parsed(text: string): Question {
  const q = parseQuestion(text, now);
  if (q.kind === 'error') throw new Error(q.message);
  return q;
}

/** rows + other, exactly. */
function breakdownSum(a: Answer): string {
  const parts = [...(a.breakdown?.rows ?? []).map((r) => r.amount), a.breakdown?.other?.amount ?? '0'];
  return parts.reduce((s, p) => s.plus(p), new Decimal(0)).toFixed();
}

const eq = (a: string, b: string) => new Decimal(a).eq(b);

describe('answer', () => {
  let store: Store;
  const ask = (text: string, viewer?: { teams: 'all' | string[] }) =>
    answer(store, parsed(text), { config, now, viewer });

  /** Direct SQL over the current runs' allocations (not the rollups). */
  async function allocated(where: ReturnType<typeof sql>, from: string, to: string): Promise<string> {
    const [row] = await store.query<{ amount: string }>(sql`
      select coalesce(sum(a.amount), 0)::text as amount from allocations a
      join allocation_runs r on r.id = a.run_id and r.is_current
      where a.bucket >= ${from}::date and a.bucket < ${to}::date and ${where}`);
    return row!.amount;
  }

  beforeAll(async () => {
    store = await createTestStore();
    await loadQuestionsOrg(store);
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  it('team payments last month: the total `ccost report` gives, against September', async () => {
    const a = await ask('team payments last month');
    const report = await buildReport(store, { month: '2026-10', by: 'team' });
    const fromReport = report.rows.find((r) => r.key === 'payments')!.amount;
    // sa-123 takes 3/5 of 12 a day of writes, sa-456 half of 8 a day of reads: 11.20 a day, but
    // the 15th (no metrics) went to the cluster: 30 days.
    expect(a.total).toBe('336');
    expect(eq(a.total, fromReport)).toBe(true);
    expect(eq(a.previous!.total, await allocated(sql`a.team = 'payments'`, '2026-09-01', '2026-10-01'))).toBe(
      true,
    );
    expect(a.previous!.total).toBe('290');
    expect(a.previous!.period).toMatchObject({
      from: '2026-09-01',
      to: '2026-10-01',
      label: 'September 2026',
    });
    expect(a.breakdown!.dimension).toBe('product');
    expect(breakdownSum(a)).toBe(a.total);
    expect(a.period).toMatchObject({
      complete: true,
      state: 'provisional',
      months: [{ month: '2026-10', state: 'provisional' }],
    });
    expect(a.budget).toMatchObject({
      monthly: '700',
      actual: '336',
      percentOfBudget: '48.0',
      status: 'under',
      month: '2026-10',
    });
    expect(a.trust).toMatchObject({
      dataThrough: '2026-11-22',
      unallocated: '0',
      highConfidencePercent: '100.0',
    });
    expect(a.series!.days).toHaveLength(31);
    expect(a.series!.series.map((s) => s.key)).toEqual(['KAFKA']);
    expect(a.series!.series[0]!.values[0]).toBe('11.2');
    expect(a.series!.series[0]!.values[14]).toBe('0');
    expect(a.series!.previous[0]).toBe('10');
    // 700 / 31 a day.
    expect(a.series!.budgetPerDay).toBe('22.580645');
  });

  it('team payments mtd by product: a partial month with a run-rate forecast', async () => {
    const a = await ask('team payments mtd by product');
    // Nov 1–22 billed, the 15th without metrics: 21 × 12.40.
    expect(a.total).toBe('260.4');
    expect(a.period).toMatchObject({ from: '2026-11-01', to: '2026-12-01', complete: false, state: 'open' });
    // 22 complete days so far: 260.40 / 22 × 30.
    expect(a.budget).toMatchObject({ forecast: '355.090909', percentOfBudget: '50.7', status: 'under' });
    expect(a.previous!.total).toBe('336');
    expect(a.movers).toEqual([
      {
        key: 'KAFKA',
        name: 'Kafka',
        dimension: 'product',
        current: '260.4',
        previous: '336',
        delta: '-75.6',
      },
    ]);
  });

  it('top teams this month: every team, equal to the allocations', async () => {
    const a = await ask('top teams this month');
    const rows = await store.query<{ team: string; amount: string }>(sql`
      select a.team, sum(a.amount)::text as amount from allocations a
      join allocation_runs r on r.id = a.run_id and r.is_current
      where a.bucket >= '2026-11-01' group by 1 order by sum(a.amount) desc`);
    expect(a.breakdown!.rows.map((r) => [r.key, r.amount])).toEqual(
      rows.map((r) => [r.team, new Decimal(r.amount).toFixed()]),
    );
    // 22 days × (14 + 8 + 2.333333 + 3 + 1.5).
    expect(a.total).toBe('634.333326');
    expect(a.breakdown!.other).toBeNull();
    expect(a.trust.unallocated).toBe(
      new Decimal(
        await allocated(sql`a.team in ('unallocated', 'unowned')`, '2026-11-01', '2026-12-01'),
      ).toFixed(),
    );
    expect(a.trust.unallocatedPercent).toBe('13.3');
  });

  it('top principals in team payments last 7 days', async () => {
    const a = await ask('top principals in team payments last 7 days');
    expect(a.title).toBe('Top principals in team payments');
    expect(a.period).toMatchObject({ from: '2026-11-17', to: '2026-11-24' });
    expect(a.breakdown!.rows.map((r) => [r.key, r.name, r.amount, r.percent])).toEqual([
      ['sa-123', 'payments-api', '50.4', '67.7'],
      ['sa-456', 'payments-worker', '24', '32.3'],
    ]);
    // Nov 10–16 lost the 15th (no metrics) as Nov 17–23 lost the 23rd (not billed yet).
    expect(a.previous).toMatchObject({ total: '74.4', period: { from: '2026-11-10', to: '2026-11-17' } });
  });

  it('top 2 principals ytd: rows and other add up to the total exactly', async () => {
    const a = await ask('top 2 principals ytd');
    expect(a.breakdown!.rows).toHaveLength(2);
    expect(a.breakdown!.other!.count).toBeGreaterThan(0);
    expect(breakdownSum(a)).toBe(a.total);
    expect(eq(a.total, await allocated(sql`true`, '2026-01-01', '2027-01-01'))).toBe(true);
    expect(a.notes.join(' ')).toMatch(/No allocation for 8 of its months \(2026-01 to 2026-08\)/);
  });

  it('cluster lkc-abc12 yesterday, by owner', async () => {
    const a = await ask('cluster lkc-abc12 yesterday');
    expect(a.title).toBe('Cluster lkc-abc12 (orders-prod)');
    expect(a.total).toBe('22');
    expect(a.breakdown!.rows.map((r) => [r.key, r.amount])).toEqual([
      ['sa-123', '8.4'],
      ['sa-789', '6.8'],
      ['sa-456', '4'],
      ['sa-999', '2.8'],
    ]);
    expect(a.previous).toMatchObject({
      total: '22',
      period: { from: '2026-11-21', label: 'the day before' },
    });
    // By name as well as by id, any case.
    expect((await ask('cluster ORDERS-prod yesterday')).total).toBe('22');
  });

  it('principal sa-123 2026-10 and its previous month', async () => {
    const a = await ask('principal sa-123 2026-10');
    expect(a.total).toBe('216');
    expect(a.previous!.total).toBe('174');
    expect(eq(a.total, await allocated(sql`a.owner_id = 'sa-123'`, '2026-10-01', '2026-11-01'))).toBe(true);
  });

  it('env production q3: only September is allocated, and the answer says so', async () => {
    const a = await ask('env production q3');
    expect(a.title).toBe('Environment production (env-prod)');
    expect(a.period).toMatchObject({ from: '2026-07-01', to: '2026-10-01', label: 'Q3 2026' });
    // 30 days × (10 + 8 + 3).
    expect(a.total).toBe('630');
    expect(a.breakdown!.dimension).toBe('team');
    expect(breakdownSum(a)).toBe('630');
    expect(a.movers).toEqual([]);
    expect(a.notes.join(' ')).toContain('No allocation for 2026-07, 2026-08 yet');
    // Q2 has no allocation at all: no comparison rather than "+100%, all new".
    expect(a.previous).toBeNull();
    expect(a.notes.join(' ')).toContain('Nothing is allocated for Q2 2026, so there is no comparison.');
    // The 15th's cluster rows are low confidence: 18 of 630.
    expect(a.trust.highConfidencePercent).toBe('97.1');
  });

  it('product flink last month', async () => {
    const a = await ask('product flink last month');
    expect(a.title).toBe('Product Flink');
    expect(a.total).toBe('93');
    expect(a.previous!.total).toBe('90');
    expect(a.breakdown!.rows).toEqual([{ key: 'data', name: null, amount: '93', percent: '100.0' }]);
  });

  it('compare team payments last month: the same figures, more movers', async () => {
    const a = await ask('compare team payments last month by principal');
    expect(a.total).toBe('336');
    expect(a.previous!.total).toBe('290');
    expect(a.movers.map((m) => [m.key, m.delta])).toEqual([
      ['sa-123', '42'],
      ['sa-456', '4'],
    ]);
  });

  it('budget team payments: this month against the budget', async () => {
    const a = await ask('budget team payments');
    expect(a.budget).toMatchObject({ actual: '260.4', forecast: '355.090909', month: '2026-11' });
    expect(a.title).toBe('Budget of team payments');
  });

  it('unallocated last month: by product, with reasons and the unmapped owners', async () => {
    const a = await ask('unallocated last month');
    // Tableflow 31 × 1.50 and the unmapped dev cluster 31 × 2.333333.
    expect(a.total).toBe('118.833323');
    expect(a.breakdown!.rows.map((r) => [r.key, r.amount, r.reasons])).toEqual([
      ['KAFKA', '72.333323', ['metrics not collected']],
      ['TABLEFLOW', '46.5', ['Tableflow emits no per-principal usage']],
    ]);
    expect(a.trust.unallocatedPercent).toBe('100.0');
    expect(a.notes.join(' ')).toContain('lkc-dev01 ($72.33)');
  });

  it('reconcile 2026-10: not run, then the stored result; a closed month is closed', async () => {
    const before = await ask('reconcile 2026-10');
    expect(before.reconciliation).toEqual({ month: '2026-10', outcome: 'not_run', checks: [] });
    expect(before.notes.join(' ')).toContain(`ccost reconcile --org ${Q_ORG} --month 2026-10`);
    expect(eq(before.total, await allocated(sql`true`, '2026-10-01', '2026-11-01'))).toBe(true);
    await closeMonth(store, {
      orgId: Q_ORG,
      month: '2026-09',
      config,
      invoiceSubtotal: '1',
      force: true,
      reason: 'test',
      now,
    });
    const september = await ask('reconcile 2026-09');
    expect(september.reconciliation!.outcome).toBe('fail');
    expect(september.reconciliation!.checks.find((c) => c.outcome === 'fail')!.name).toMatch(/invoice/i);
    expect(september.period).toMatchObject({
      state: 'closed',
      months: [{ month: '2026-09', state: 'closed' }],
    });
    const q3 = await ask('team payments 2026-09-20..2026-10-10');
    expect(q3.period.state).toBe('mixed');
  });

  it('answers a viewer of some teams: refuses other teams, restricts org-wide questions', async () => {
    const viewer = { teams: ['search'] };
    const refused = await ask('team payments last month', viewer).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuestionReply);
    expect((refused as QuestionReply).reply).toBe('forbidden');
    expect((refused as QuestionReply).message).toContain('you can see search');
    expect((refused as QuestionReply).suggestions).toEqual(['team search']);
    await expect(ask('compare team payments', viewer)).rejects.toThrow(/cannot see team payments/);
    await expect(ask('top principals in team payments', viewer)).rejects.toThrow(/cannot see team payments/);
    const top = await ask('top teams this month', viewer);
    expect(top.breakdown!.rows.map((r) => r.key)).toEqual(['search']);
    expect(top.total).toBe(top.breakdown!.rows[0]!.amount);
    expect(top.notes).toContain('Only your teams are included (search).');
    const cluster = await ask('cluster lkc-abc12 yesterday', viewer);
    expect(cluster.breakdown!.rows.map((r) => r.key)).toEqual(['sa-789']);
    expect((await ask('unallocated last month', viewer)).total).toBe('0');
    expect((await ask('team search last month', viewer)).total).not.toBe('0');
    expect((await ask('team SEARCH last month', { teams: 'all' })).title).toBe('Team search');
  });

  it('replies with near names for unknown teams, clusters, principals and environments', async () => {
    const reply = async (text: string) => {
      const e = await ask(text).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(QuestionReply);
      return e as QuestionReply;
    };
    expect((await reply('team paymnts')).suggestions).toEqual(['team payments']);
    expect((await reply('cluster lkc-abc13')).suggestions).toEqual(['cluster lkc-abc12']);
    expect((await reply('principal sa-1234')).message).toBe(
      'No principal called "sa-1234". Did you mean `principal sa-123`?',
    );
    expect((await reply('env prodution')).suggestions).toEqual(['env production']);
    expect((await reply('product flonk')).suggestions).toEqual(['product flink']);
    // Several prefixes are ambiguous: each is offered.
    expect((await reply('principal sa-')).suggestions).toHaveLength(4);
    expect((await reply('explain team payments')).reply).toBe('not_supported');
    expect((await reply('insights paymnts')).suggestions).toEqual(['insights payments']);
  });
});
