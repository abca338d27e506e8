import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { ExplainNotFound, ExplainStateInvalid } from '../../../src/core/explain/errors.ts';
import { type ExplainOptions, explain } from '../../../src/core/explain/explain.ts';
import { formatExplanation } from '../../../src/core/explain/format.ts';
import { decodeState, encodeState, periodLabel } from '../../../src/core/explain/state.ts';
import type { Explanation } from '../../../src/core/explain/types.ts';
import { answer } from '../../../src/core/questions/answer-query.ts';
import { parseQuestion } from '../../../src/core/questions/grammar.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { loadQuestionsOrg, Q_NOW, Q_ORG, questionsConfig } from '../../helpers/questions-seed.ts';
import { createTestStore } from '../../helpers/store.ts';

const OCTOBER = { from: '2026-10-01', to: '2026-11-01' };
const base = (team: string): ExplainOptions => ({
  scope: { team },
  period: OCTOBER,
  config: questionsConfig,
  now: Q_NOW,
});
const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0)).toFixed();
const childSum = (e: Explanation) => sum(e.children.map((c) => c.amount));

describe('explain', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createTestStore();
    await loadQuestionsOrg(store);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('explains exactly the figure answer() and ccost report give, for every team', async () => {
    const report = await buildReport(store, { month: '2026-10', by: 'team' });
    for (const row of report.rows) {
      const e = await explain(store, base(row.key));
      const question = parseQuestion(`team ${row.key} 2026-10`, Q_NOW);
      if (question.kind !== 'team') throw new Error('not a team question');
      const answered = await answer(store, question, { config: questionsConfig, now: Q_NOW });
      expect(e.total).toBe(row.amount);
      expect(e.total).toBe(answered.total);
      expect(childSum(e)).toBe(e.total);
      expect(sum(e.sections.map((s) => s.amount))).toBe(e.total);
      expect(sum(e.methods.map((m) => m.amount))).toBe(e.total);
      expect(sum(Object.values(e.confidence))).toBe(e.total);
    }
    expect((await explain(store, base('payments'))).total).toBe('336');
  });

  it("walks payments' October down team → resource → line → day and back up, exact at every level", async () => {
    const team = await explain(store, base('payments'));
    expect(team.level).toBe('team');
    expect(team.childKind).toBe('resource');
    let resources = new Decimal(0);
    for (const r of team.children) {
      const resource = await explain(store, { ...base('payments'), drill: { resource: r.key } });
      expect(resource.level).toBe('resource');
      expect(resource.total).toBe(r.amount);
      expect(resource.billed).toEqual({ lines: r.lines, amount: r.billed });
      expect(childSum(resource)).toBe(resource.total);
      const byDay = new Map<string, string[]>();
      for (const l of resource.children) {
        const line = await explain(store, { ...base('payments'), drill: l.next! });
        expect(line.level).toBe('line');
        expect(line.total).toBe(l.amount);
        expect(childSum(line)).toBe(line.total);
        expect(line.children.every((o) => o.kind === 'owner' && o.next === null)).toBe(true);
        expect(sum(line.line!.teams.map((t) => t.amount))).toBe(line.line!.billed);
        expect(line.line!.billed).toBe(l.billed);
        expect(line.dayState).toMatchObject({ resource: r.key, day: l.day });
        byDay.set(l.day!, [...(byDay.get(l.day!) ?? []), l.amount]);
      }
      let days = new Decimal(0);
      for (const [d, amounts] of byDay) {
        const day = await explain(store, { ...base('payments'), drill: { resource: r.key, day: d } });
        expect(day.level).toBe('day');
        expect(day.total).toBe(sum(amounts));
        expect(childSum(day)).toBe(day.total);
        expect(day.parent).toEqual({ team: 'payments', ...OCTOBER, resource: r.key });
        days = days.plus(day.total);
      }
      expect(days.toFixed()).toBe(resource.total);
      resources = resources.plus(resource.total);
    }
    expect(resources.toFixed()).toBe(team.total);
  }, 120_000);

  it('shows the usage figures and shares behind a usage-split line', async () => {
    const resource = await explain(store, { ...base('payments'), drill: { resource: 'lkc-abc12' } });
    const write = resource.children.find(
      (c) => c.lineType === 'KAFKA_NETWORK_WRITE' && c.day === '2026-10-01',
    )!;
    const line = await explain(store, { ...base('payments'), drill: { line: Number(write.key) } });
    expect(line.line).toMatchObject({ billed: '12', metrics: 'ok', rule: 'default: usage (write bytes)' });
    expect(line.children).toEqual([
      expect.objectContaining({
        key: 'sa-123',
        name: 'payments-api',
        amount: '7.2',
        usageShare: '0.6',
        method: 'usage',
      }),
    ]);
    expect(line.children[0]!.usage).toMatchObject({ writeBytes: '3000000000', readBytes: '0' });
    expect(line.usage.map((u) => u.principal)).toEqual(['sa-123', 'sa-456', 'sa-789', 'sa-999']);
    expect(line.runs[0]).toMatchObject({ orgId: Q_ORG, period: '2026-10', rulesCurrent: true });
    expect(line.runs[0]!.ruleSetHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names fallbacks and why, and what would change the figure', async () => {
    const data = await explain(store, base('data'));
    const write = data.sections.find((s) => s.lineType === 'KAFKA_NETWORK_WRITE')!;
    expect(write.methods).toContainEqual(
      expect.objectContaining({
        method: 'resource',
        confidence: 'low',
        fallbackReason: 'metrics not collected',
        amount: '12',
        lines: 1,
      }),
    );
    expect(data.confidence.low).toBe('20');
    const payments = await explain(store, base('payments'));
    expect(payments.changes).toContainEqual({
      kind: 'metrics_missing',
      amount: '20',
      text: 'metrics not collected for lkc-abc12 on 1 day: $20.00 allocated by fallback (to data); with metrics it would be split by usage',
    });
    const text = formatExplanation(data);
    expect(text).toContain('Team data, October 2026: $185.00');
    expect(text).toContain('resource (low), fallback: metrics not collected: $12.00 on 1 line');
    expect(text).toContain('What would change it');
  });

  it('refuses steps that point at nothing, and bad states, with typed errors', async () => {
    await expect(explain(store, { ...base('payments'), drill: { resource: 'lkc-dev01' } })).rejects.toThrow(
      new ExplainNotFound('team payments has no allocated cost on lkc-dev01 in October 2026'),
    );
    await expect(
      explain(store, { ...base('payments'), drill: { resource: 'lkc-abc12', day: '2026-10-15' } }),
    ).rejects.toBeInstanceOf(ExplainNotFound);
    await expect(explain(store, { ...base('payments'), drill: { line: -3 } })).rejects.toBeInstanceOf(
      ExplainStateInvalid,
    );
    await expect(explain(store, { ...base('payments'), drill: { day: '2026-10-02' } })).rejects.toThrow(
      'day: needs a resource',
    );
    const empty = await explain(store, {
      ...base('payments'),
      period: { from: '2026-01-01', to: '2026-02-01' },
    });
    expect(empty).toMatchObject({
      total: '0',
      children: [],
      notes: ['Team payments has no allocated cost in January 2026.'],
    });
  });

  it('says rules changed and unmapped owners would move the figure', async () => {
    const other = await createTestStore();
    try {
      await loadQuestionsOrg(other);
      // Without the environment mapping, sa-999 (orphan) on lkc-abc12 belongs to no team.
      const narrow = parseConfig({
        organizations: [{ id: Q_ORG }],
        teams: { payments: { owners: ['sa-123', 'sa-456'] }, search: { owners: ['sa-789'] } },
      });
      await allocateMonth(other, { orgId: Q_ORG, month: '2026-10', config: narrow, now: Q_NOW });
      const e = await explain(other, { ...base('payments'), config: questionsConfig });
      expect(e.changes.find((c) => c.kind === 'unmapped_owners')).toMatchObject({
        text: expect.stringMatching(
          /^2 owners unmapped on the same resources: \$92\.00 \(sa-999 \$72\.00, lkc-abc12 \$20\.00\)/,
        ),
      });
      expect(e.changes.find((c) => c.kind === 'rules_changed')?.text).toContain(
        `ccost allocate --org ${Q_ORG} --month 2026-10`,
      );
      expect(e.runs[0]!.rulesCurrent).toBe(false);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('carries drill-down states as compact JSON and labels periods', () => {
    const state = { team: 'payments', from: '2026-10-01', to: '2026-11-01', resource: 'lkc-abc12', line: 42 };
    const text = encodeState(state);
    expect(text).toBe('{"t":"payments","f":"2026-10-01","u":"2026-11-01","r":"lkc-abc12","l":42}');
    expect(decodeState(text)).toEqual(state);
    expect(() => decodeState('{"t":"x","f":"2026-10-01","u":"2026-09-01"}')).toThrow(
      'to: must be after from',
    );
    expect(() => decodeState('nope')).toThrow(ExplainStateInvalid);
    expect(periodLabel('2026-10-01', '2026-11-01')).toBe('October 2026');
    expect(periodLabel('2026-12-01', '2027-01-01')).toBe('December 2026');
    expect(periodLabel('2026-10-01', '2026-10-15')).toBe('2026-10-01 – 2026-10-14');
  });
});
