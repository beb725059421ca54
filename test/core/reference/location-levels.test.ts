import { describe, expect, it } from 'vitest';
import { provincesAndDistricts } from '../../../lib/core/reference/location-levels.ts';
import { buildLocationRows } from '../../../lib/core/reference/locations.ts';
import { staticReferenceSource } from '../../../lib/core/reference/source.ts';
import { locationTree } from '../../../dev/sim/locations.ts';

describe('the locations the fetch job hands on', () => {
  it('keeps provinces and districts only, and the lookup built from them is the one built from every location', async () => {
    const tree = locationTree();
    const all = [...tree.all];
    const kept = provincesAndDistricts(all);
    expect(kept.length).toBeLessThan(all.length / 10);
    expect(kept.every((l) => /^\d{1,4}$/.test(String((l as { code: unknown }).code)))).toBe(true);
    const rows = async (list: unknown[]) => buildLocationRows(await staticReferenceSource({ locations: list }).locations());
    expect(await rows(kept)).toEqual(await rows(all));
  });

  it('drops what has no usable code', () => {
    expect(provincesAndDistricts([{ code: 12 }, { code: '1203' }, { code: 'x1' }, { name: 'no code' }, null, { code: '120301' }])).toEqual([{ code: 12 }, { code: '1203' }]);
  });
});
