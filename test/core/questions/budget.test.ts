import { describe, expect, it } from 'vitest';
import { budgetStatus, formatBudget } from '../../../src/core/questions/budget.ts';

const november = { from: '2026-11-01', to: '2026-12-01', label: 'November 2026' };

describe('budgetStatus', () => {
  it('forecasts the month from the run rate of its complete days', () => {
    // 22 complete days (Nov 1–22) cost 2,200: 100 a day, 3,000 over 30 days, against 2,500.
    const status = budgetStatus({
      monthly: '2500',
      actual: '2200',
      period: november,
      now: new Date('2026-11-23T10:00:00Z'),
    });
    expect(status).toMatchObject({
      budget: '2500',
      forecast: '3000.000000',
      actualPercent: '88.0',
      forecastPercent: '120.0',
      over: true,
    });
    expect(formatBudget(status)).toBe(
      'Budget $2,500.00: $2,200.00 spent (88.0%), forecast $3,000.00 (120.0%) — forecast over budget',
    );
  });

  it('uses the actual for a finished month and prorates the budget for part of a month', () => {
    const done = budgetStatus({
      monthly: '3100',
      actual: '1000',
      period: november,
      now: new Date('2026-12-05T00:00:00Z'),
    });
    expect(done).toMatchObject({ forecast: '1000.000000', over: false });
    const week = budgetStatus({
      monthly: '3100',
      actual: '700',
      period: { from: '2026-10-05', to: '2026-10-12', label: 'a week' },
      now: new Date('2026-11-01T00:00:00Z'),
    });
    expect(week.budget).toBe('700');
    expect(week.over).toBe(false);
  });
});
