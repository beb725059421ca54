import { describe, expect, it } from 'vitest';
import { mergeById } from '../../lib/core/merge-pages.ts';
import { matchesAnIndicator } from '../../lib/core/indicators/membership.ts';

describe('merging the two indicator pages', () => {
  it('keeps one record per Primero id, the most recently updated', () => {
    const old = { id: 'a', last_updated_at: '2024-01-01T00:00:00.000Z', age: 3 };
    const fresh = { id: 'a', last_updated_at: '2024-02-01T00:00:00.000Z', age: 4 };
    const r = mergeById([[old, { id: 'b', last_updated_at: '2024-01-01T00:00:00.000Z' }], [fresh]]);
    expect(r.cases).toHaveLength(2);
    expect(r.cases.find((c) => c.id === 'a')).toBe(fresh);
    expect(r.duplicates).toBe(1);
    expect(mergeById([[fresh], [old]]).cases[0]).toBe(fresh);
  });

  it('passes records without an id on instead of dropping them', () => {
    const r = mergeById([[{ case_id_display: 'x' }, { id: '' }, 'junk']]);
    expect(r.cases).toEqual([]);
    expect(r.withoutId).toHaveLength(3);
  });
});

describe('indicator membership', () => {
  it.each([
    [{ type_of_case: 'children_undergoing_reintegration_55427', age: 30 }, true],
    [{ age: 0 }, true],
    [{ age: 17 }, true],
    [{ age: 18 }, false],
    [{ age: '12' }, false],
    [{ type_of_case: 'other_123' }, false],
    [{}, false],
  ])('%j -> %s', (c, expected) => {
    expect(matchesAnIndicator(c)).toBe(expected);
  });
});
