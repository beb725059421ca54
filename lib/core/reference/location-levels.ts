/**
 * Which of Primero's locations the lookup is made of, by the shape of
 * Cambodian codes: a province has 1 or 2 digits, a district 2 more, a commune
 * 2 more, a village 2 more. Pure, and light enough to inline into the fetch job.
 */
export const isDistrictCode = (code: string): boolean => /^\d{3,4}$/.test(code);

/**
 * The locations the lookup is built from: provinces and districts. Communes
 * and villages (most of Cambodia's 4000-odd locations) resolve through their
 * district's code, so the fetch job hands on only these: a first batch's
 * output stays small enough for a platform's step-output (dataclip) limit.
 */
export function provincesAndDistricts(locations: readonly unknown[]): unknown[] {
  return locations.filter((l) => {
    const code = (l as { code?: unknown } | null)?.code;
    return (typeof code === 'string' || typeof code === 'number') && /^\d{1,4}$/.test(String(code));
  });
}
