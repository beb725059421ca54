import { labelOf, type PrimeroLocation } from './schemas.ts';
import { isDistrictCode } from './location-levels.ts';

export { isDistrictCode } from './location-levels.ts';

/**
 * Pure: Primero locations (hierarchy=true) -> rows of `locations_lookup`.
 * Cambodian codes: a province has 1 (1-9) or 2 (10-25) digits, a district
 * adds 2, so a district code has 3 or 4 digits and its province is the code
 * without its last two.
 */
export interface LocationRow {
  code: string;
  district: string | null;
  district_km: string | null;
  province: string | null;
  province_km: string | null;
  province_code: string;
  admin_level: number | null;
  disabled: boolean;
}

export const provinceCodeOfDistrict = (code: string): string => code.slice(0, code.length - 2);

/** The last segment of a "Province::District" name. */
const lastSegment = (name: string | null): string | null => (name ? (name.split('::').pop()?.trim() ?? null) || null : null);
const firstSegment = (name: string | null): string | null => (name ? name.split('::')[0]?.trim() || null : null);

export function buildLocationRows(locations: readonly PrimeroLocation[]): LocationRow[] {
  const byCode = new Map(locations.map((l) => [l.code, l]));
  const rows = new Map<string, LocationRow>();
  for (const l of locations) {
    if (!isDistrictCode(l.code)) continue;
    // The hierarchy names the province; the code shape is the fallback.
    const provinceCode = l.hierarchy?.find((h) => h !== l.code && /^\d{1,2}$/.test(h) && l.code.startsWith(h)) ?? provinceCodeOfDistrict(l.code);
    const province = byCode.get(provinceCode);
    const place = labelOf(l.placename);
    const full = labelOf(l.name);
    const provincePlace = province ? labelOf(province.placename) : { en: null, km: null };
    const provinceFull = province ? labelOf(province.name) : { en: null, km: null };
    rows.set(l.code, {
      code: l.code,
      district: place.en ?? lastSegment(full.en),
      district_km: place.km ?? lastSegment(full.km),
      province: provincePlace.en ?? provinceFull.en ?? firstSegment(full.en),
      province_km: provincePlace.km ?? provinceFull.km ?? firstSegment(full.km),
      province_code: provinceCode,
      admin_level: l.admin_level ?? null,
      disabled: l.disabled ?? false,
    });
  }
  return [...rows.values()];
}
