/**
 * Cambodian administrative codes as Primero stores them: numeric strings without
 * a leading zero. Provinces 1-9 have one digit and 10-25 two; a district adds two
 * digits, a commune two more, a village two more. So a code's length is odd for
 * one-digit provinces and even for two-digit ones.
 */
export const LOCATION_CODE = /^[0-9]{1,8}$/;

/** The deployment's rule: lengths 3, 5, 7 -> first 3 characters; other lengths -> first 4. */
export function districtCodeOf(code: string): string | null {
  if (!LOCATION_CODE.test(code)) return null;
  if (code.length < 3) return null; // a province alone has no district
  return code.length % 2 === 1 ? code.slice(0, 3) : code.slice(0, 4);
}

export function provinceCodeOf(code: string): string | null {
  if (!LOCATION_CODE.test(code)) return null;
  return code.length % 2 === 1 ? code.slice(0, 1) : code.slice(0, 2);
}
