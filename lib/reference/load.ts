import { bundledLabels, type BundledLabels } from './bundled.ts';
import type { Db } from './write.ts';

/**
 * What the mapping reads from the reference tables, once per run: option
 * labels per Primero field (code -> {en, km}) and districts.
 */
export interface OptionLabel {
  en: string | null;
  km: string | null;
}
export type LabelMap = Map<string, OptionLabel>;

export interface Labels {
  protection_concerns: LabelMap;
  service_type: LabelMap;
  disability_type: LabelMap;
  sex: LabelMap;
  /** Every other option field in data_dictionary (type_of_case, type_of_placement, consent_reporting, ...). */
  [primeroField: string]: LabelMap;
}

export interface LoadLabelsOptions {
  /** Fields with no option rows in the database fall back to these (default: the bundled tables). */
  bundled?: BundledLabels | false;
}

export async function loadLabels(db: Db, options: LoadLabelsOptions = {}): Promise<Labels> {
  const { rows } = await db.query(
    `SELECT primero_field, option_id, label_en, label_km FROM data_dictionary
     WHERE option_id IS NOT NULL AND primero_field IS NOT NULL ORDER BY primero_field, option_id`,
  );
  const labels: Record<string, LabelMap> = { protection_concerns: new Map(), service_type: new Map(), disability_type: new Map(), sex: new Map() };
  for (const r of rows as Array<{ primero_field: string; option_id: string; label_en: string | null; label_km: string | null }>) {
    (labels[r.primero_field] ??= new Map()).set(r.option_id, { en: r.label_en, km: r.label_km });
  }
  // A database whose dictionary was never refreshed still maps with the deployment's tables.
  const bundle = options.bundled === false ? {} : (options.bundled ?? bundledLabels());
  for (const [field, table] of Object.entries(bundle)) {
    const map = (labels[field] ??= new Map());
    if (map.size === 0) for (const [id, en] of Object.entries(table)) map.set(id, { en, km: null });
  }
  return labels as Labels;
}

export interface DistrictInfo {
  district: string | null;
  province: string | null;
  province_code: string | null;
  district_km: string | null;
  province_km: string | null;
}

export async function loadLocations(db: Db): Promise<Map<string, DistrictInfo>> {
  const { rows } = await db.query('SELECT code, district, province, province_code, district_km, province_km FROM locations_lookup ORDER BY code');
  return new Map(
    (rows as Array<DistrictInfo & { code: string }>).map(({ code, ...rest }) => [code, rest]),
  );
}
