import type { Db } from '../db/queryable.ts';
import type { Quarter } from '../core/quarters.ts';

/**
 * Every read of the indicator views and the sync rejects that the summary
 * report, the HTML report and the dashboard make (the runs: lib/status/read-ledger.ts):
 * a change to the views touches this file only. Each query returns aggregates (counts per cell of
 * a view, per quarter, per run, per field): never a case row.
 */
/** A view named by an indicator's declaration (lib/core/indicators/declared.ts), never by input. */
export type IndicatorView = string;

/** One cell of an indicator view: distinct children per quarter, place, sex, age band (and source). */
export interface ViewCell {
  quarter: Quarter;
  province_code: string | null;
  province_en: string;
  province_km: string;
  district_code: string | null;
  district_en: string;
  district_km: string;
  sex_code: string | null;
  sex_en: string;
  sex_km: string;
  age_band: string;
  age_band_km: string;
  case_source: string | null;
  children: number;
}

const CELL_COLUMNS = `quarter, province_code, province_en, province_km, district_code, district_en, district_km,
  sex_code, sex_en, sex_km, age_band, age_band_km`;

const AGE_ORDER = `CASE age_band WHEN '0-4' THEN 1 WHEN '5-9' THEN 2 WHEN '10-14' THEN 3 WHEN '15-17' THEN 4 WHEN '18+' THEN 5 ELSE 6 END`;

/**
 * The view's cells for the given quarters, or for every quarter when null, in
 * time and place order.
 */
export async function readCells(db: Db, view: IndicatorView, quarters: readonly Quarter[] | null, bySource = false): Promise<ViewCell[]> {
  if (quarters?.length === 0) return [];
  const source = bySource ? 'case_source' : 'NULL::text';
  const { rows } = await db.query(
    `SELECT ${CELL_COLUMNS}, ${source} AS case_source, sum(children)::integer AS children
     FROM ${view} ${quarters ? 'WHERE quarter = ANY($1::text[])' : ''}
     GROUP BY quarter_start, ${CELL_COLUMNS}, 13
     ORDER BY quarter_start, province_code NULLS LAST, district_code NULLS LAST, sex_code NULLS LAST, ${AGE_ORDER}, 13`,
    quarters ? [quarters] : [],
  );
  return rows as ViewCell[];
}

/** The quarters any indicator counts a child in, oldest first. */
export async function readQuarters(db: Db): Promise<Quarter[]> {
  const { rows } = await db.query('SELECT quarter FROM indicator_case_quarters GROUP BY quarter, quarter_start ORDER BY quarter_start');
  return rows.map((r) => r.quarter as Quarter);
}

export interface QuarterTotal {
  quarter: Quarter;
  children: number;
}

/**
 * Distinct children per quarter. A case sits in one cell per quarter, so the
 * sum of a quarter's cells is its number of distinct children.
 */
export async function readTrend(db: Db, view: IndicatorView): Promise<QuarterTotal[]> {
  const { rows } = await db.query(`SELECT quarter, sum(children)::integer AS children FROM ${view} GROUP BY quarter, quarter_start ORDER BY quarter_start`);
  return rows as QuarterTotal[];
}

export interface NoteCount {
  kind: 'rejected' | 'unknown_code' | 'nulled';
  field: string | null;
  reason: string;
  count: number;
}

/**
 * Rejects and notes of the given runs, counted by kind, field and reason (no
 * id leaves the query). An unknown_code row stands for case_count cases.
 */
export async function readNoteCounts(db: Db, runIds: readonly string[]): Promise<NoteCount[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT kind, field, reason, sum(CASE WHEN kind = 'unknown_code' THEN coalesce(case_count, 1) ELSE 1 END)::integer AS count
     FROM sync_rejects WHERE run_id = ANY($1::text[])
     GROUP BY kind, field, reason ORDER BY 4 DESC, kind, field, reason`,
    [runIds],
  );
  return rows as NoteCount[];
}

export interface UnknownCode {
  field: string;
  code: string;
  cases: number;
}

/**
 * Option and location codes the dictionary and lookup lack, by field, with the
 * cases carrying them, most first (codes, never free text; no case id). The
 * one reader of them: the sync's summary, the report and the dashboard.
 */
export async function readUnknownCodeCounts(db: Db, runIds: readonly string[], limit: number | null = 50): Promise<UnknownCode[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT field, code, sum(coalesce(case_count, 1))::integer AS cases FROM sync_rejects
     WHERE kind = 'unknown_code' AND run_id = ANY($1::text[]) AND field IS NOT NULL AND code IS NOT NULL
     GROUP BY field, code ORDER BY 3 DESC, field, code ${limit === null ? '' : 'LIMIT $2'}`,
    limit === null ? [runIds] : [runIds, limit],
  );
  return rows.map((r) => ({ field: String(r.field), code: String(r.code), cases: Number(r.cases) }));
}

export interface ColumnLabel {
  column_name: string;
  label_en: string | null;
  label_km: string | null;
}

/** The data dictionary's labels of the columns the breakdowns are by. */
export async function readColumnLabels(db: Db): Promise<ColumnLabel[]> {
  const { rows } = await db.query(
    `SELECT column_name, label_en, label_km FROM data_dictionary
     WHERE table_name = 'cases' AND option_id IS NULL AND column_name = ANY($1::text[])`,
    [['sex', 'age', 'case_source', 'province_current', 'district_current']],
  );
  return rows as ColumnLabel[];
}
