import type { Lang } from '../../../report/labels.ts';
import type { ViewCell } from '../../../report/queries.ts';

/**
 * Pure: the views' cells -> CSV (RFC 4180, a header row, one row per cell of
 * either indicator) for a spreadsheet. Labels in the chosen language, codes beside them.
 */
const HEADER = ['indicator', 'quarter', 'province_code', 'province', 'district_code', 'district', 'sex_code', 'sex', 'age_band', 'case_source', 'children'];

function field(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A label starting with = + - @ would run as a formula in a spreadsheet.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(indicators: readonly { id: string; cells: readonly ViewCell[] }[], lang: Lang): string {
  const lines = [HEADER.join(',')];
  for (const ind of indicators) {
    for (const c of ind.cells) {
      const row = [
        ind.id,
        c.quarter,
        c.province_code,
        lang === 'km' ? c.province_km : c.province_en,
        c.district_code,
        lang === 'km' ? c.district_km : c.district_en,
        c.sex_code,
        lang === 'km' ? c.sex_km : c.sex_en,
        lang === 'km' ? c.age_band_km : c.age_band,
        c.case_source,
        c.children,
      ];
      lines.push(row.map(field).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
