import { describe, expect, it } from 'vitest';
import { currentQuarter, nextQuarter, nextQuarterStart, quarterStart, startOfQuarter } from '../../lib/core/quarters.ts';

/** One quarter rule for the run, the status and the indicators: Cambodian local midnight (UTC+7). */
describe('quarters', () => {
  it('a quarter begins at local midnight, and the name and the instant agree', () => {
    expect(startOfQuarter('2026-Q1').toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(startOfQuarter('2026-Q3').toISOString()).toBe('2026-06-30T17:00:00.000Z');
    for (const q of ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'] as const) {
      expect(currentQuarter(startOfQuarter(q))).toBe(q);
      expect(currentQuarter(new Date(startOfQuarter(q).getTime() - 1))).not.toBe(q);
      expect(quarterStart(new Date(startOfQuarter(q).getTime() + 86_400_000))).toEqual(startOfQuarter(q));
    }
  });

  it('the next quarter, across a year', () => {
    expect(nextQuarter('2025-Q4')).toBe('2026-Q1');
    expect(nextQuarterStart(new Date('2025-12-31T16:59:59Z')).toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(nextQuarterStart(new Date('2025-12-31T17:00:00Z')).toISOString()).toBe('2026-03-31T17:00:00.000Z');
  });
});
