import { silentLogger, type Logger } from '../log/logger.ts';
import { bundledLabels, type BundledLabels } from './bundled.ts';
import { buildDictionary, type PrimeroMetadata } from './dictionary.ts';
import { buildLocationRows } from './locations.ts';
import type { ReferenceSource } from './source.ts';
import { inTransaction, insertRows, upsertRows, type Db } from './write.ts';

/**
 * Refreshes `data_dictionary` and `locations_lookup` from Primero. When
 * Primero refuses (403) or fails, the dictionary falls back to the bundled
 * option tables and the locations keep their current rows; a warning says so.
 */
export interface RefreshOptions {
  logger?: Logger;
  bundled?: BundledLabels;
}

export interface DictionaryRefresh {
  rows: number;
  /** 'primero' when Primero's forms and lookups were read (bundled labels may still fill gaps). */
  source: 'primero' | 'bundled';
  warnings: string[];
}

export interface LocationsRefresh {
  rows: number;
  refreshed: boolean;
  warnings: string[];
}

/** Short reason for a failed read, with the HTTP status when there is one. */
function reason(e: unknown): string {
  const status = (e as { status?: unknown; statusCode?: unknown })?.status ?? (e as { statusCode?: unknown })?.statusCode;
  const message = e instanceof Error ? e.message : String(e);
  return typeof status === 'number' ? `${status === 403 ? 'refused' : 'failed'} with HTTP ${status}` : `failed: ${message}`;
}

export async function refreshDataDictionary(db: Db, source: ReferenceSource, options: RefreshOptions = {}): Promise<DictionaryRefresh> {
  const logger = options.logger ?? silentLogger;
  const warnings: string[] = [];
  let metadata: PrimeroMetadata | null = null;
  try {
    const [lookups, forms] = await Promise.all([source.lookups(), source.forms()]);
    metadata = { lookups, forms };
  } catch (e) {
    warnings.push(`Primero ${reason(e)} when reading forms and lookups: using the bundled option labels (English only)`);
  }
  const { rows: columns } = await db.query(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name IN ('cases', 'services') ORDER BY table_name, ordinal_position`,
  );
  const dictionary = buildDictionary({ metadata, bundled: options.bundled ?? bundledLabels(), tableColumns: columns });
  warnings.push(...dictionary.warnings);
  // Replaced as a whole: an option removed in Primero disappears from the dictionary.
  await inTransaction(db, async () => {
    await db.query('DELETE FROM data_dictionary');
    await insertRows(db, 'data_dictionary', dictionary.rows.map((r) => ({ ...r, updated_at: new Date() })));
  });
  for (const w of warnings) logger.warn(w);
  logger.info(`data_dictionary: ${dictionary.rows.length} rows (${metadata ? 'from Primero' : 'bundled'})`);
  return { rows: dictionary.rows.length, source: metadata ? 'primero' : 'bundled', warnings };
}

export async function refreshLocations(db: Db, source: ReferenceSource, options: RefreshOptions = {}): Promise<LocationsRefresh> {
  const logger = options.logger ?? silentLogger;
  let rows;
  try {
    rows = buildLocationRows(await source.locations());
  } catch (e) {
    const w = `Primero ${reason(e)} when reading locations: keeping the current locations_lookup`;
    logger.warn(w);
    return { rows: 0, refreshed: false, warnings: [w] };
  }
  if (rows.length === 0) {
    const w = 'Primero returned no district locations: keeping the current locations_lookup';
    logger.warn(w);
    return { rows: 0, refreshed: false, warnings: [w] };
  }
  // Upserted, not replaced: old cases may still point at a district Primero dropped.
  await inTransaction(db, () => upsertRows(db, 'locations_lookup', 'code', rows.map((r) => ({ ...r, updated_at: new Date() }))));
  logger.info(`locations_lookup: ${rows.length} districts from Primero`);
  return { rows: rows.length, refreshed: true, warnings: [] };
}

export async function refreshReferenceData(
  db: Db,
  source: ReferenceSource,
  options: RefreshOptions = {},
): Promise<{ dictionary: DictionaryRefresh; locations: LocationsRefresh }> {
  const dictionary = await refreshDataDictionary(db, source, options);
  const locations = await refreshLocations(db, source, options);
  return { dictionary, locations };
}
