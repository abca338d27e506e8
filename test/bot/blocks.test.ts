import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { answerBlocks, breakdownText, changeText, SLACK_LIMITS, textBlocks } from '../../src/bot/blocks.ts';
import { hugeBreakdown, teamAnswer } from './answer-fixture.ts';

/** Every text inside a block list, flattened. */
function texts(blocks: unknown[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

/** Checks Slack's per-message limits. */
function expectWithinLimits(blocks: ReturnType<typeof answerBlocks>['blocks']): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context')
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
}

/** The dollar amounts of a monospace table's lines, and its Total line. */
function tableAmounts(text: string): { parts: string[]; total: string } {
  const lines = text.split('\n').filter((l) => /\$[\d,]+\.\d\d/.test(l));
  const amounts = lines.map((l) => l.match(/\$([\d,]+\.\d\d)/)![1]!.replace(/,/g, ''));
  return { parts: amounts.slice(0, -1), total: amounts.at(-1)! };
}

describe('answerBlocks', () => {
  it('renders the header, figures, a table whose cents add up, movers and the context line', () => {
    const { blocks, text } = answerBlocks(teamAnswer());
    expectWithinLimits(blocks);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Team payments · October 2026' },
    });
    const all = texts(blocks).join('\n');
    expect(all).toContain('*Total*\n$1,234.57');
    expect(all).toContain('+$234.57 (+23.5%)');
    expect(all).toContain('$1,234.57 of $1,500.00');
    expect(all).toContain('at risk');
    const table = tableAmounts(texts([blocks[2]])[0]!);
    expect(table.parts).toEqual(['1000.33', '200.11', '34.13']);
    expect(table.total).toBe('1234.57');
    expect(all).toContain('orders-writer (sa-abc)*: +$200.25 ($400.25 → $600.50)');
    expect(all).toContain('2026-10-01 – 2026-10-31');
    expect(all).toContain('provisional');
    expect(all).toContain('data through 2026-11-09');
    expect(all).toContain('unallocated $12.50 (1.0%)');
    expect(all).toContain('97.5% allocated with high confidence');
    expect(text).toContain('Team payments, October 2026: $1,234.57');
    expect(text).toContain('+$234.57 (+23.5%) vs September 2026');
  });

  it('says partial, open and never collected', () => {
    const answer = teamAnswer();
    answer.period = { ...answer.period, complete: false, state: 'open' };
    answer.trust = { ...answer.trust, collectedAt: null, dataThrough: null };
    const all = texts(answerBlocks(answer).blocks).join('\n');
    expect(all).toContain('*partial*');
    expect(all).toContain('open: billing may still change');
    expect(all).toContain('never collected');
  });

  it('keeps a huge answer within Slack limits, shortening the breakdown into other with exact cents', () => {
    const { rows, total } = hugeBreakdown(5000);
    const answer = teamAnswer({
      title: `Team ${'p'.repeat(300)}`,
      total,
      breakdown: { dimension: 'principal', rows, other: { count: 7, amount: '0' } },
      movers: Array.from({ length: 200 }, (_, i) => ({
        key: `sa-${i}`,
        name: 'n'.repeat(500),
        dimension: 'principal',
        current: '2',
        previous: '1',
        delta: '1',
      })),
      notes: Array.from({ length: 500 }, (_, i) => `note ${i} ${'z'.repeat(100)}`),
    });
    const { blocks, text } = answerBlocks(answer);
    expectWithinLimits(blocks);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    const table = texts([blocks[2]])[0]!;
    expect(table).toMatch(/other \(\d+ more\)/);
    expect(table).not.toContain('<&>');
    const { parts, total: shown } = tableAmounts(table);
    const sum = parts.reduce((s, p) => s.plus(p), new Decimal(0));
    expect(sum.toFixed(2)).toBe(shown);
    expect(shown).toBe(new Decimal(total).toFixed(2, Decimal.ROUND_HALF_EVEN));
  });

  it('folds other rows and the answer’s own other into one line', () => {
    const text = breakdownText(
      {
        dimension: 'team',
        rows: [{ key: 'a', name: null, amount: '1.005', percent: '50.0' }],
        other: { count: 3, amount: '1.005' },
      },
      '2.01',
    );
    expect(text).toContain('other (3 more)');
    expect(tableAmounts(text)).toEqual({ parts: ['1.01', '1.00'], total: '2.01' });
  });
});

describe('changeText', () => {
  it('gives dollars and percent, or says there was nothing before', () => {
    expect(changeText('90', '100')).toBe('-$10.00 (-10.0%)');
    expect(changeText('5', '0')).toBe('+$5.00 (nothing before)');
  });
});

describe('textBlocks', () => {
  it('splits long text into sections of at most 3000 characters', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat(30)}`).join('\n');
    const { blocks } = textBlocks(long, { monospace: true });
    expect(blocks.length).toBeGreaterThan(1);
    expectWithinLimits(blocks);
  });
});
