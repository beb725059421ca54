import { describe, expect, it } from 'vitest';
import { currentQuarter, latestCompleteQuarter, previousQuarter } from '../../lib/core/quarters.ts';
import { resolveQuarter } from '../../lib/report/quarter-choice.ts';
import { change, suppressGroup, suppressOne } from '../../lib/report/suppress.ts';
import { genericReason } from '../../lib/report/model.ts';

describe('quarters in Cambodian time (UTC+7)', () => {
  it('takes the last complete quarter: on 1 January it is Q4 of the year before', () => {
    expect(latestCompleteQuarter(new Date('2026-01-01T00:00:00+07:00'))).toBe('2025-Q4');
    expect(latestCompleteQuarter(new Date('2026-03-31T23:59:00+07:00'))).toBe('2025-Q4');
    expect(latestCompleteQuarter(new Date('2026-11-30T10:00:00Z'))).toBe('2026-Q3');
  });

  it('puts 31 December 17:00 UTC in the next year, the way Cambodia sees it', () => {
    expect(currentQuarter(new Date('2025-12-31T17:00:00Z'))).toBe('2026-Q1');
    expect(currentQuarter(new Date('2025-12-31T16:59:59Z'))).toBe('2025-Q4');
  });

  it('resolves each --quarter choice', () => {
    const now = new Date('2026-05-10T00:00:00Z');
    expect(resolveQuarter('current', now)).toBe('2026-Q2');
    expect(resolveQuarter('latest-complete', now)).toBe('2026-Q1');
    expect(resolveQuarter('all', now)).toBeNull();
    expect(resolveQuarter('2024-Q3', now)).toBe('2024-Q3');
    expect(previousQuarter('2024-Q1')).toBe('2023-Q4');
  });
});

describe('small-cell suppression', () => {
  it('shows 1 to 4 as "<5", and 0 and 5 as they are', () => {
    expect([0, 1, 4, 5, 120].map((n) => suppressOne(n, 5))).toEqual([0, '<5', '<5', 5, 120]);
    expect(suppressOne(3, 10)).toBe('<10');
  });

  it('hides the next smallest cell when one small cell could be recovered from the total', () => {
    // 50 = 30 + 17 + 3: without the second hiding, 3 = 50 - 30 - 17.
    expect(suppressGroup([30, 17, 3], 50, 5)).toEqual([30, '*', '<5']);
    // Two small cells already protect each other.
    expect(suppressGroup([30, 2, 3, 0], 35, 5)).toEqual([30, '<5', '<5', 0]);
    // A small total hides every non-zero part.
    expect(suppressGroup([3, 0], 3, 5)).toEqual(['<5', 0]);
    expect(suppressGroup([30, 3], 33, 1)).toEqual([30, 3]);
  });

  it('gives no change when either side is suppressed', () => {
    expect(change(12, 10)).toBe(2);
    expect(change('<5', 10)).toBeNull();
    expect(change(10, '*')).toBeNull();
  });

  it('cuts identifiers out of reject reasons', () => {
    expect(genericReason('case_id_display already loaded for Primero record 0b7e2f52-8c1a-4d0e-9a43-5f1e6c2d7a10')).toBe('case_id_display already loaded for Primero record …');
    expect(genericReason('service entry 3 is not an object')).toBe('service entry 3 is not an object');
    expect(genericReason('district 1006 not in locations_lookup')).toBe('district 1006 not in locations_lookup');
    expect(genericReason('service abc-12345: not a date-time')).toBe('service … not a date-time');
  });
});
