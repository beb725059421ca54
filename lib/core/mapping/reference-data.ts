/**
 * What the mapping needs from the reference tables, loaded once per run:
 * option labels (code -> English label, from data_dictionary) and districts
 * (district code -> names and province, from locations_lookup).
 */
export type OptionTable = 'protection_concerns' | 'service_type' | 'disability_type' | 'sex';
export const OPTION_TABLES: readonly OptionTable[] = ['protection_concerns', 'service_type', 'disability_type', 'sex'];

export interface District {
  district: string;
  province: string;
  provinceCode: string;
}

export interface ReferenceData {
  labels: Record<OptionTable, ReadonlyMap<string, string>>;
  districts: ReadonlyMap<string, District>;
}
