import { describe, expect, it } from 'vitest';
import { computeWindow, toWholeSecondIso } from '../../lib/core/window.ts';

describe('sync window', () => {
  const now = new Date('2025-04-01T02:00:00.750Z');

  it('starts at the beginning of time on a first run without --since, and ends at the run start in whole seconds', () => {
    expect(computeWindow({ lastCompletedTo: null, now })).toEqual({ from: '1970-01-01T00:00:00Z', to: '2025-04-01T02:00:00Z' });
  });

  it('starts at --since when given, even after completed runs (a backfill)', () => {
    expect(computeWindow({ lastCompletedTo: '2025-01-01T00:00:00Z', since: '2024-06-30T10:20:30.999Z', now }).from).toBe('2024-06-30T10:20:30Z');
  });

  it('starts one overlap before the end of the last completed run', () => {
    expect(computeWindow({ lastCompletedTo: '2025-01-01T00:00:00Z', now, overlapSeconds: 90 }).from).toBe('2024-12-31T23:58:30Z');
  });

  it('never starts after it ends', () => {
    const w = computeWindow({ lastCompletedTo: null, since: '2030-01-01T00:00:00Z', now });
    expect(w.from).toBe(w.to);
  });

  it('rejects an unparsable --since', () => {
    expect(() => computeWindow({ lastCompletedTo: null, since: 'yesterday-ish', now })).toThrow(/not a date-time/);
  });

  it('rounds down to whole seconds because Primero compares last_updated_at at whole seconds', () => {
    expect(toWholeSecondIso(Date.parse('2024-01-01T00:00:59.999Z'))).toBe('2024-01-01T00:00:59Z');
  });
});
