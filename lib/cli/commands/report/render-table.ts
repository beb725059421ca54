import Table from 'cli-table3';
import type { IndicatorRow } from './read-indicator.ts';
import type { IndicatorDeclaration } from '../../../core/indicators/indicator.ts';
import { bySource, indicatorTitle } from '../../../report/indicators.ts';

const HEADERS = {
  en: { quarter: 'Quarter', province: 'Province', district: 'District', sex: 'Sex', age: 'Age', source: 'Source', children: 'Children', none: '(no cases)' },
  km: { quarter: 'ត្រីមាស', province: 'ខេត្ត', district: 'ស្រុក', sex: 'ភេទ', age: 'អាយុ', source: 'ប្រភព', children: 'កុមារ', none: '(គ្មានករណី)' },
} as const;

/** Pure: rows of an indicator view -> a terminal table in one language. */
export function renderIndicator(indicator: IndicatorDeclaration, rows: readonly IndicatorRow[], lang: 'en' | 'km'): string {
  const h = HEADERS[lang];
  const head = [h.quarter, h.province, h.district, h.sex, h.age, ...(bySource(indicator) ? [h.source] : []), h.children];
  const table = new Table({ head, style: { head: [], border: [] } });
  let total = 0;
  for (const r of rows) {
    const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    total += Number(r.children ?? 0);
    table.push([
      s(r.quarter),
      s(r[`province_${lang}`]),
      s(r[`district_${lang}`]),
      s(r[`sex_${lang}`]),
      s(lang === 'km' ? r.age_band_km : r.age_band),
      ...(bySource(indicator) ? [s(r.case_source)] : []),
      s(r.children),
    ]);
  }
  const title = indicatorTitle(indicator)[lang];
  if (rows.length === 0) return `${title}\n${h.none}`;
  return `${title}\n${table.toString()}\n${lang === 'km' ? 'សរុប (ជួរ)' : 'Sum of rows'}: ${total}`;
}
