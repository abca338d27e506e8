import { describe, expect, it } from 'vitest';
import {
  MAX_DAYS,
  type PeriodSpec,
  parsePeriod,
  parsePeriodResult,
} from '../../../src/core/questions/time.ts';

/** Monday 2026-11-23, mid-afternoon UTC. */
const NOW = new Date('2026-11-23T15:00:00Z');

function spec(text: string, now = NOW): PeriodSpec {
  const period = parsePeriod(text, now);
  if (!period) throw new Error(`"${text}" did not parse`);
  return period;
}

function reason(text: string, now = NOW): string {
  const result = parsePeriodResult(text, now);
  if (result.ok) throw new Error(`"${text}" parsed`);
  return result.reason;
}

describe('parsePeriod', () => {
  it.each([
    ['today', '2026-11-23', '2026-11-24', 'today (Nov 23)', false, 'day'],
    ['yesterday', '2026-11-22', '2026-11-23', 'yesterday (Nov 22)', true, 'day'],
    ['this week', '2026-11-23', '2026-11-30', 'this week (Nov 23–29)', false, 'week'],
    ['last week', '2026-11-16', '2026-11-23', 'last week (Nov 16–22)', true, 'week'],
    ['mtd', '2026-11-01', '2026-12-01', 'November 2026 (to date)', false, 'month'],
    ['this month', '2026-11-01', '2026-12-01', 'November 2026 (to date)', false, 'month'],
    ['last month', '2026-10-01', '2026-11-01', 'October 2026', true, 'month'],
    ['last 7 days', '2026-11-17', '2026-11-24', 'last 7 days', false, 'range'],
    ['last 1 day', '2026-11-23', '2026-11-24', 'last 1 day', false, 'range'],
    ['past 30 days', '2026-10-25', '2026-11-24', 'last 30 days', false, 'range'],
    ['2026-10', '2026-10-01', '2026-11-01', 'October 2026', true, 'month'],
    ['october', '2026-10-01', '2026-11-01', 'October 2026', true, 'month'],
    ['November', '2026-11-01', '2026-12-01', 'November 2026', false, 'month'],
    ['dec', '2025-12-01', '2026-01-01', 'December 2025', true, 'month'],
    ['oct 2026', '2026-10-01', '2026-11-01', 'October 2026', true, 'month'],
    ['Sept 2025', '2025-09-01', '2025-10-01', 'September 2025', true, 'month'],
    ['q3', '2026-07-01', '2026-10-01', 'Q3 2026', true, 'quarter'],
    ['q4', '2026-10-01', '2027-01-01', 'Q4 2026', false, 'quarter'],
    ['q1 2026', '2026-01-01', '2026-04-01', 'Q1 2026', true, 'quarter'],
    ['q3 2026', '2026-07-01', '2026-10-01', 'Q3 2026', true, 'quarter'],
    ['2026-q3', '2026-07-01', '2026-10-01', 'Q3 2026', true, 'quarter'],
    ['this quarter', '2026-10-01', '2027-01-01', 'Q4 2026', false, 'quarter'],
    ['last quarter', '2026-07-01', '2026-10-01', 'Q3 2026', true, 'quarter'],
    ['ytd', '2026-01-01', '2027-01-01', '2026 (to date)', false, 'year'],
    ['this year', '2026-01-01', '2027-01-01', '2026 (to date)', false, 'year'],
    ['last year', '2025-01-01', '2026-01-01', '2025', true, 'year'],
    ['2025', '2025-01-01', '2026-01-01', '2025', true, 'year'],
    ['2026-10-15', '2026-10-15', '2026-10-16', 'Oct 15, 2026', true, 'day'],
    ['2026-10-01..2026-10-15', '2026-10-01', '2026-10-16', 'Oct 1–15, 2026', true, 'range'],
    ['2026-10-25 .. 2026-11-23', '2026-10-25', '2026-11-24', 'Oct 25–Nov 23, 2026', false, 'range'],
    ['2025-12-28..2026-01-03', '2025-12-28', '2026-01-04', 'Dec 28, 2025–Jan 3, 2026', true, 'range'],
  ] as const)('%s', (text, from, to, label, complete, kind) => {
    expect(spec(text)).toEqual({ from, to, label, complete, kind });
  });

  it('is case- and space-insensitive', () => {
    expect(spec('  LAST   Month ')).toEqual(spec('last month'));
    expect(spec('Q3')).toEqual(spec('q3'));
  });

  it('uses ISO weeks across a year boundary (Saturday 2027-01-02)', () => {
    const saturday = new Date('2027-01-02T23:59:59Z');
    expect(spec('this week', saturday)).toMatchObject({ from: '2026-12-28', to: '2027-01-04' });
    expect(spec('this week', saturday).label).toBe('this week (Dec 28–Jan 3)');
    expect(spec('last week', saturday)).toMatchObject({
      from: '2026-12-21',
      to: '2026-12-28',
      complete: true,
    });
  });

  it('starts weeks on Monday even when today is Sunday', () => {
    const sunday = new Date('2026-11-29T00:00:00Z');
    expect(spec('this week', sunday)).toMatchObject({ from: '2026-11-23', to: '2026-11-30' });
    expect(spec('last week', sunday)).toMatchObject({ from: '2026-11-16', to: '2026-11-23' });
  });

  it('handles month ends and leap years', () => {
    expect(spec('2028-02')).toMatchObject({ from: '2028-02-01', to: '2028-03-01', complete: false });
    expect(spec('2028-02-29')).toMatchObject({ from: '2028-02-29', to: '2028-03-01' });
    expect(spec('2024-02-29..2024-03-01')).toMatchObject({ to: '2024-03-02' });
    expect(spec('2026-12')).toMatchObject({ from: '2026-12-01', to: '2027-01-01' });
    const march31 = new Date('2026-03-31T12:00:00Z');
    expect(spec('last month', march31)).toMatchObject({ from: '2026-02-01', to: '2026-03-01' });
    expect(spec('last 31 days', march31)).toMatchObject({ from: '2026-03-01', to: '2026-04-01' });
  });

  it('crosses year boundaries for last month, last quarter and month names', () => {
    const january = new Date('2027-01-05T00:00:00Z');
    expect(spec('last month', january)).toMatchObject({ from: '2026-12-01', to: '2027-01-01' });
    expect(spec('last quarter', january).label).toBe('Q4 2026');
    expect(spec('dec', january).label).toBe('December 2026');
    expect(spec('q2', january).label).toBe('Q2 2026');
    expect(spec('yesterday', january)).toMatchObject({ from: '2027-01-04', complete: true });
  });

  it('treats quarter boundaries exactly', () => {
    const firstOfQ4 = new Date('2026-10-01T00:00:00Z');
    expect(spec('q4', firstOfQ4).label).toBe('Q4 2026');
    expect(spec('this quarter', firstOfQ4).label).toBe('Q4 2026');
    expect(spec('q3', firstOfQ4)).toMatchObject({ complete: true });
    const lastOfQ3 = new Date('2026-09-30T23:59:59Z');
    expect(spec('q4', lastOfQ3).label).toBe('Q4 2025');
  });

  it('marks a period complete only once it has ended', () => {
    expect(spec('2026-11-22').complete).toBe(true);
    expect(spec('2026-11-23').complete).toBe(false);
    expect(spec('2027-03').complete).toBe(false);
  });

  it.each([
    ['2026-02-30', 'February 2026 has days 1 to 28'],
    ['2027-02-29', 'February 2027 has days 1 to 28'],
    ['2026-13', 'no month 13'],
    ['2026-00', 'no month 0'],
    ['2026-04-31..2026-05-01', 'April 2026 has days 1 to 30'],
    ['2026-10-15..2026-10-01', 'ends before it starts'],
    ['last 0 days', 'at least 1'],
    [`last ${MAX_DAYS + 1} days`, 'too long'],
    ['q5', 'q1 to q4'],
    ['1999-10', 'years run 2000 to 2999'],
    ['fortnight', 'not a period'],
    ['', 'no period'],
  ])('refuses %s saying what is wrong', (text, why) => {
    expect(reason(text)).toContain(why);
    expect(parsePeriod(text, NOW)).toBeNull();
  });

  it('refuses garbage and an invalid now without throwing', () => {
    expect(parsePeriod('x'.repeat(10_000), NOW)).toBeNull();
    expect(parsePeriod('today', new Date(Number.NaN))).toBeNull();
    expect(parsePeriod('ju', NOW)).toBeNull();
  });
});
