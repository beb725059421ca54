import { describe, expect, it } from 'vitest';
import { normaliseDatetime, validDate } from '../../../lib/core/mapping/dates.ts';

describe('dates as Primero sends them', () => {
  it('keeps a canonical UTC date-time as it is', () => {
    expect(normaliseDatetime('2024-03-05T06:07:08.123Z')).toBe('2024-03-05T06:07:08.123Z');
    expect(normaliseDatetime('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
  });

  it('turns other ISO 8601 forms with an offset into canonical UTC', () => {
    expect(normaliseDatetime('2024-03-05T13:07:08+07:00')).toBe('2024-03-05T06:07:08.000Z');
    expect(normaliseDatetime('2024-03-05T06:07:08.5Z')).toBe('2024-03-05T06:07:08.500Z');
    expect(normaliseDatetime('2024-01-01T02:00:00+0700')).toBe('2023-12-31T19:00:00.000Z');
  });

  it('refuses days and times that do not exist, instead of rolling them over', () => {
    for (const s of ['2024-02-30T00:00:00.000Z', '2023-02-29T10:00:00.000Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00.000Z', '2024-00-10T00:00:00.000Z']) {
      expect(normaliseDatetime(s), s).toBeNull();
    }
    for (const s of ['2024-03-05T24:00:00.000Z', '2024-03-05T06:60:00.000Z', '2024-03-05T06:07:61+07:00']) expect(normaliseDatetime(s), s).toBeNull();
  });

  it('refuses what is not a date-time with an offset', () => {
    for (const s of ['2024-03-05', '2024-03-05T06:07:08', '05/03/2024 06:07', 'yesterday', '', '2024-03-05T06:07:08.123Zjunk']) {
      expect(normaliseDatetime(s), s).toBeNull();
    }
  });

  it('checks YYYY-MM-DD dates against the calendar, leap years included', () => {
    expect(validDate('2024-02-29')).toBe(true);
    expect(validDate('2000-02-29')).toBe(true);
    expect(validDate('1900-02-29')).toBe(false);
    expect(validDate('2023-02-29')).toBe(false);
    expect(validDate('2024-04-31')).toBe(false);
    expect(validDate('2024-12-31')).toBe(true);
    expect(validDate('2024-1-31')).toBe(false);
    expect(validDate('2024-01-31T00:00:00Z')).toBe(false);
  });
});
