import { OPTION_TABLES, type District, type OptionTable, type ReferenceData } from '../mapping/reference-data.ts';

/**
 * The mapping's reference data from what lib/sql/writes.ts LOAD_REFERENCE
 * answers: option labels as [field, option id, English label] (data_dictionary,
 * or the bundled table for a field it has no option of) and districts as
 * [code, district, province, province code] (locations_lookup).
 */
export type OptionRow = [field: string, optionId: string, labelEn: string];
export type DistrictRow = [code: string, district: string, province: string, provinceCode: string | null];

export function referenceFromRows(options: readonly OptionRow[], districts: readonly DistrictRow[]): ReferenceData {
  const labels = Object.fromEntries(OPTION_TABLES.map((t) => [t, new Map<string, string>()])) as Record<OptionTable, Map<string, string>>;
  for (const [field, id, label] of options) labels[field as OptionTable]?.set(id, label);
  const byCode = new Map<string, District>();
  for (const [code, district, province, provinceCode] of districts) byCode.set(code, { district, province, provinceCode: provinceCode ?? '' });
  return { labels, districts: byCode };
}
