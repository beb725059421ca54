/**
 * What an indicator is, declared once (lib/core/indicators/declared.ts): its id
 * (the Primero query's id in a batch message, and the name of its view), its
 * name in English and Khmer, the Primero filter that fetches its cases, the
 * same rule on a fetched record (so a case that stops matching leaves
 * `cases`), the SQL predicate of its view over `indicator_case_quarters`, and
 * the dimensions it is broken down by. Everything else — the queries a run
 * pages through, the message's cursors, the merge of the pages, the views'
 * definitions, the report — is derived from the declarations.
 */

/** A Primero filter: top-level values, or a bracketed one such as `not[type_of_case]`. */
export type PrimeroFilter = Record<string, string | Record<string, string>>;

/** What a view and the report break an indicator down by, besides the quarter. */
export type Dimension = 'province' | 'district' | 'sex' | 'age_band' | 'case_source';

/** Every indicator has these (the report and the dashboard show each); `case_source` is optional. */
export const BASE_DIMENSIONS: readonly Dimension[] = ['province', 'district', 'sex', 'age_band'];

/** What a run needs of an indicator. */
export interface IndicatorRule {
  /** `indicator_<code>`: the query id, the message's cursor key, the view's name. */
  id: string;
  /** The Primero filter of its cases, besides the run's window on `last_updated_at`. */
  query: PrimeroFilter;
  /** The same rule on a fetched record, reading only `reads`. */
  includes(record: Record<string, unknown>): boolean;
  /** The Primero fields `includes` reads: the membership query asks for them. */
  reads: readonly string[];
}

export interface IndicatorDeclaration extends IndicatorRule {
  /** The code in the results framework: `4.8`. */
  code: string;
  name: { en: string; km: string };
  /** SQL predicate over `indicator_case_quarters` for its view. */
  viewWhere: string;
  dimensions: readonly Dimension[];
}

/** The columns of `indicator_case_quarters` each dimension brings into a view. */
export const DIMENSION_COLUMNS: Record<Dimension, readonly string[]> = {
  province: ['province_code', 'province_en', 'province_km'],
  district: ['district_code', 'district_en', 'district_km'],
  sex: ['sex_code', 'sex_en', 'sex_km'],
  age_band: ['age_band', 'age_band_km'],
  case_source: ['case_source'],
};

const ID = /^indicator_[a-z0-9_]+$/;

/** The view of an indicator, from its declaration: distinct children per quarter and dimension. */
export function indicatorViewSelect(indicator: IndicatorDeclaration): string {
  if (!ID.test(indicator.id)) throw new Error(`indicator id ${JSON.stringify(indicator.id)} must look like indicator_4_8`);
  const missing = BASE_DIMENSIONS.filter((d) => !indicator.dimensions.includes(d));
  if (missing.length > 0) throw new Error(`indicator ${indicator.id} lacks the dimensions ${missing.join(', ')}: the report and dashboard break every indicator down by them`);
  const columns = ['quarter', 'quarter_start', ...indicator.dimensions.flatMap((d) => DIMENSION_COLUMNS[d])];
  return [
    `SELECT ${columns.join(', ')},`,
    `       count(DISTINCT case_id)::integer AS children`,
    `FROM indicator_case_quarters`,
    `WHERE ${indicator.viewWhere}`,
    `GROUP BY ${columns.join(', ')}`,
  ].join('\n');
}

/** A migration creating an indicator's view (what a new indicator's migration holds). */
export function indicatorViewMigration(indicator: IndicatorDeclaration): string {
  const dims = indicator.dimensions.map((d) => d.replace('_', ' ')).join(', ');
  const comment = `Indicator ${indicator.code}: ${indicator.name.en}; distinct children per quarter in which the case was open, ${dims}.`;
  return `CREATE VIEW ${indicator.id} AS\n${indicatorViewSelect(indicator)};\n\nCOMMENT ON VIEW ${indicator.id} IS '${comment.replace(/'/g, "''")}';\n`;
}

/** A whole number from Primero (the API sends numbers for integer fields). */
export const wholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
