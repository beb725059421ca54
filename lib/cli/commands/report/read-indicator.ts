import type { Db } from '../../../db/queryable.ts';

import type { IndicatorDeclaration } from '../../../core/indicators/indicator.ts';
import { bySource } from '../../../report/indicators.ts';

export type IndicatorRow = Record<string, string | number | null>;

const AGE_ORDER = `CASE age_band WHEN '0-4' THEN 1 WHEN '5-9' THEN 2 WHEN '10-14' THEN 3 WHEN '15-17' THEN 4 WHEN '18+' THEN 5 ELSE 6 END`;

/** `quarter`: one quarter such as 2025-Q1, or every quarter when omitted. */
export async function readIndicator(db: Db, indicator: IndicatorDeclaration, quarter?: string): Promise<IndicatorRow[]> {
  // The view name comes from the declarations, never from input; the quarter is a parameter.
  const { rows } = await db.query(
    `SELECT * FROM ${indicator.id} ${quarter ? 'WHERE quarter = $1' : ''}
     ORDER BY quarter_start, province_code NULLS LAST, district_code NULLS LAST, sex_code NULLS LAST, ${AGE_ORDER}${bySource(indicator) ? ', case_source' : ''}`,
    quarter ? [quarter] : [],
  );
  return rows as IndicatorRow[];
}

/** The most recent quarter any enabled case counts in, or null on an empty database. */
export async function latestQuarter(db: Db): Promise<string | null> {
  const { rows } = await db.query('SELECT quarter FROM indicator_case_quarters ORDER BY quarter_start DESC LIMIT 1');
  return (rows[0] as { quarter?: string } | undefined)?.quarter ?? null;
}
