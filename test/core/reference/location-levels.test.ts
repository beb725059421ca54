import { describe, expect, it } from 'vitest';
import { provincesAndDistricts } from '../../../lib/core/reference/location-levels.ts';
import { locationTree } from '../../../dev/sim/locations.ts';

describe('the locations the fetch job hands on', () => {
  it('keeps provinces and districts only (the lookup built from them equals the one from every location: test/db/refresh-reference)', () => {
    const all = [...locationTree().all];
    const kept = provincesAndDistricts(all);
    expect(kept.length).toBeLessThan(all.length / 10);
    expect(kept.every((l) => /^\d{1,4}$/.test(String((l as { code: unknown }).code)))).toBe(true);
  });

  it('drops what has no usable code', () => {
    expect(provincesAndDistricts([{ code: 12 }, { code: '1203' }, { code: 'x1' }, { name: 'no code' }, null, { code: '120301' }])).toEqual([{ code: 12 }, { code: '1203' }]);
  });
});
