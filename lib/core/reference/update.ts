import { buildDictionary, type DictionaryRow } from './dictionary.ts';
import { buildLocationRows, type LocationRow } from './locations.ts';
import { staticReferenceSource } from './source.ts';
import type { FetchedReference } from '../job-states.ts';
import { BUNDLED_LABELS } from './rows.ts';

/**
 * What the first batch of a run writes to the reference tables, from what
 * fetch read of Primero's lookups, forms and locations. When Primero refused
 * (or sent something unreadable), the dictionary comes from the bundled copy
 * of the deployment's tables and the locations are left as they are; the
 * warnings say so.
 */
export interface ReferenceUpdate {
  dictionary: DictionaryRow[];
  /** null: keep locations_lookup as it is. */
  locations: LocationRow[] | null;
  warnings: string[];
}

export const TABLE_COLUMNS = `
  SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
  WHERE table_schema = current_schema() AND table_name IN ('cases', 'services')
  ORDER BY table_name, ordinal_position`;

export async function referenceUpdate(fetched: FetchedReference, tableColumns: { table: string; column: string }[]): Promise<ReferenceUpdate> {
  const warnings = [...fetched.warnings];
  const source = staticReferenceSource({ lookups: fetched.lookups ?? [], forms: fetched.forms ?? [], locations: fetched.locations ?? [] });
  let metadata = null;
  if (fetched.lookups && fetched.forms) {
    try {
      metadata = { lookups: await source.lookups(), forms: await source.forms() };
    } catch (e) {
      warnings.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (!metadata) warnings.push('option labels come from the bundled copy of the deployment\'s tables (English only)');
  const dictionary = buildDictionary({ metadata, bundled: BUNDLED_LABELS, tableColumns });
  warnings.push(...dictionary.warnings);
  let locations: LocationRow[] | null = null;
  if (fetched.locations) {
    try {
      const rows = buildLocationRows(await source.locations());
      if (rows.length > 0) locations = rows;
      else warnings.push('Primero returned no district locations: keeping the current locations_lookup');
    } catch (e) {
      warnings.push(`${e instanceof Error ? e.message : String(e)}: keeping the current locations_lookup`);
    }
  } else {
    warnings.push('keeping the current locations_lookup');
  }
  return { dictionary: dictionary.rows, locations, warnings };
}
