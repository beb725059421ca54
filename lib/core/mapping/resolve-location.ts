import { districtCodeOf, LOCATION_CODE, provinceCodeOf } from './location-codes.ts';
import type { District } from './reference-data.ts';

/**
 * A Primero location code at any level (province, district, commune, village)
 * -> the province and district columns of `cases`, through the districts of
 * `locations_lookup`. Pure.
 *
 * The level comes from the code's length (a province has 1 or 2 digits, each
 * level below adds 2). A province code fills the province columns and leaves the
 * district ones empty; a district, commune or village code fills both. A level
 * whose code is not in the lookup is left empty (name and code) and reported:
 * `unknown` names the code the lookup lacks (a district code, or a province code
 * for a province-level location). Location codes are administrative, not
 * personal, so reporting them is safe.
 */
export type LocationLevel = 'province' | 'district' | 'commune' | 'village';

export interface ResolvedLocation {
  level: LocationLevel;
  province: string | null;
  provinceCode: string | null;
  district: string | null;
  districtCode: string | null;
  /** The code that is not in locations_lookup, or null when every level of the code resolved. */
  unknown: string | null;
}

const LEVELS: readonly LocationLevel[] = ['province', 'district', 'commune', 'village'];

/** The administrative level of a well-formed code (1-8 digits), or null for anything else. */
export function locationLevel(code: string): LocationLevel | null {
  if (!LOCATION_CODE.test(code) || code.startsWith('0')) return null;
  return LEVELS[Math.floor((code.length - 1) / 2)] ?? null;
}

/** Province code -> province name, from the districts (the lookup holds districts, each naming its province). */
const provincesOf = new WeakMap<ReadonlyMap<string, District>, Map<string, string>>();
export function provinceNames(districts: ReadonlyMap<string, District>): ReadonlyMap<string, string> {
  let names = provincesOf.get(districts);
  if (!names) {
    names = new Map();
    for (const d of districts.values()) if (d.provinceCode && d.province && !names.has(d.provinceCode)) names.set(d.provinceCode, d.province);
    provincesOf.set(districts, names);
  }
  return names;
}

/** Resolves a code; null when it is not a location code at all (letters, too long, a leading zero). */
export function resolveLocation(code: string, districts: ReadonlyMap<string, District>): ResolvedLocation | null {
  const level = locationLevel(code);
  if (level === null) return null;
  const provinceCode = provinceCodeOf(code)!;
  const province = provinceNames(districts).get(provinceCode) ?? null;
  if (level === 'province') {
    return { level, province, provinceCode: province ? provinceCode : null, district: null, districtCode: null, unknown: province ? null : provinceCode };
  }
  const districtCode = districtCodeOf(code)!;
  const district = districts.get(districtCode);
  if (district) {
    return { level, province: district.province, provinceCode: district.provinceCode, district: district.district, districtCode, unknown: null };
  }
  // The district is unknown; its province may still be known from the lookup's other districts.
  return { level, province, provinceCode: province ? provinceCode : null, district: null, districtCode: null, unknown: districtCode };
}
