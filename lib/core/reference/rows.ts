import bundled from '../../../db/reference/option-labels.json' with { type: 'json' };
import { OPTION_TABLES, type District, type OptionTable, type ReferenceData } from '../mapping/reference-data.ts';

/**
 * The mapping's reference data from the rows of data_dictionary and
 * locations_lookup. An option table the dictionary does not have (Primero
 * refused its lookups, or lacks the field) comes from the bundled copy of the
 * deployment's tables, so labels never silently disappear.
 */
export interface OptionRow {
  primero_field: string | null;
  option_id: string | null;
  label_en: string | null;
}

export interface DistrictRow {
  code: string;
  district: string | null;
  province: string | null;
  province_code: string | null;
}

export const BUNDLED_LABELS = bundled as Record<OptionTable, Record<string, string>>;

export function referenceFromRows(options: readonly OptionRow[], districts: readonly DistrictRow[]): { ref: ReferenceData; bundledTables: OptionTable[] } {
  const labels = Object.fromEntries(OPTION_TABLES.map((t) => [t, new Map<string, string>()])) as Record<OptionTable, Map<string, string>>;
  for (const row of options) {
    const table = row.primero_field as OptionTable;
    if (!row.option_id || !row.label_en || !labels[table]) continue;
    labels[table].set(row.option_id, row.label_en);
  }
  const bundledTables: OptionTable[] = [];
  for (const table of OPTION_TABLES) {
    if (labels[table].size > 0) continue;
    bundledTables.push(table);
    for (const [code, label] of Object.entries(BUNDLED_LABELS[table] ?? {})) labels[table].set(code, label);
  }
  const byCode = new Map<string, District>();
  for (const d of districts) {
    if (!d.district || !d.province) continue;
    byCode.set(d.code, { district: d.district, province: d.province, provinceCode: d.province_code ?? '' });
  }
  return { ref: { labels, districts: byCode }, bundledTables };
}
