import { describe, expect, it } from 'vitest';
import { changeText, productLabel } from '../../../src/core/questions/format.ts';
import { previousRange } from '../../../src/core/questions/range.ts';

describe('comparison ranges', () => {
  it('takes the previous calendar month before a whole month, else the equal span before', () => {
    expect(previousRange({ from: '2026-10-01', to: '2026-11-01', label: 'October 2026' })).toEqual({
      from: '2026-09-01',
      to: '2026-10-01',
      label: 'September 2026',
    });
    expect(previousRange({ from: '2026-03-01', to: '2026-04-01', label: '' }).from).toBe('2026-02-01');
    expect(previousRange({ from: '2026-07-01', to: '2026-10-01', label: 'Q3 2026' })).toEqual({
      from: '2026-04-01',
      to: '2026-07-01',
      label: 'Q2 2026',
    });
    expect(previousRange({ from: '2026-01-01', to: '2026-06-01', label: '' })).toMatchObject({
      from: '2025-08-01',
      label: 'the previous 5 months',
    });
    expect(previousRange({ from: '2026-10-10', to: '2026-10-17', label: '' })).toMatchObject({
      from: '2026-10-03',
      to: '2026-10-10',
    });
  });

  it('writes changes in dollars and percent', () => {
    expect(changeText('110', '100')).toBe('+$10.00 (+10.0%)');
    expect(changeText('90', '100')).toBe('-$10.00 (-10.0%)');
    expect(changeText('5', '0')).toBe('+$5.00 (no cost before)');
    expect(productLabel('STREAM_GOVERNANCE')).toBe('Stream Governance');
  });
});
