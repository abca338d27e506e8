/** Hand-built {@link Answer}s for the Slack tests (the answer engine is tested on its own). */
import type { Answer, AnswerRow } from '../../src/core/questions/answer.ts';
import { parseQuestion } from '../../src/core/questions/grammar.ts';

const NOW = new Date('2026-11-10T12:00:00Z');

/** "Team payments, October 2026": $1,234.567890 by product, with movers, budget and trust. */
export function teamAnswer(overrides: Partial<Answer> = {}): Answer {
  const question = parseQuestion('team payments last month', NOW);
  if (question.kind === 'error') throw new Error(question.message);
  return {
    question,
    title: 'Team payments',
    period: {
      from: '2026-10-01',
      to: '2026-11-01',
      label: 'October 2026',
      complete: true,
      state: 'provisional',
      months: [{ month: '2026-10', state: 'provisional' }],
    },
    total: '1234.56789',
    previous: { period: { from: '2026-09-01', to: '2026-10-01', label: 'September 2026' }, total: '1000' },
    breakdown: {
      dimension: 'product',
      rows: [
        { key: 'KAFKA', name: 'Kafka', amount: '1000.333333', percent: '81.0' },
        { key: 'CONNECT', name: 'Connect', amount: '200.111111', percent: '16.2' },
        { key: 'FLINK', name: 'Flink', amount: '34.123446', percent: '2.8' },
      ],
      other: null,
    },
    movers: [
      {
        key: 'sa-abc',
        name: 'orders-writer',
        dimension: 'principal',
        current: '600.5',
        previous: '400.25',
        delta: '200.25',
      },
    ],
    budget: {
      monthly: '1500',
      actual: '1234.56789',
      forecast: '1234.56789',
      percentOfBudget: '82.3',
      status: 'at_risk',
      month: '2026-10',
    },
    trust: {
      collectedAt: '2026-11-10T06:00:00.000Z',
      dataThrough: '2026-11-09',
      unallocated: '12.5',
      unallocatedPercent: '1.0',
      highConfidencePercent: '97.5',
    },
    series: null,
    reconciliation: null,
    notes: [],
    ...overrides,
  };
}

/** A breakdown of `n` rows with long names and odd cents, summing exactly to the returned total. */
export function hugeBreakdown(n: number): { rows: AnswerRow[]; total: string } {
  const rows: AnswerRow[] = [];
  let micros = 0n;
  for (let i = 0; i < n; i++) {
    const amount = BigInt(1_000_000 + i * 3_333_337);
    micros += amount;
    rows.push({
      key: `sa-${String(i).padStart(6, '0')}`,
      name: `a very long service account name <&> number ${i} ${'x'.repeat(80)}`,
      amount: microsText(amount),
      percent: null,
    });
  }
  rows.reverse();
  return { rows, total: microsText(micros) };
}

function microsText(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const frac = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${frac}`;
}
