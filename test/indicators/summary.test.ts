import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/report/model.ts';
import type { ViewCell } from '../../lib/report/queries.ts';
import { renderSummary } from '../../lib/cli/commands/report/render-summary.ts';

const cell = (quarter: ViewCell['quarter'], province: [string, string, string], sex: string, children: number): ViewCell => ({
  quarter,
  province_code: province[0],
  province_en: province[1],
  province_km: province[2],
  district_code: `${province[0]}01`,
  district_en: `${province[1]} town`,
  district_km: `${province[2]} ក្រុង`,
  sex_code: sex,
  sex_en: sex === 'female' ? 'Female' : 'Male',
  sex_km: sex === 'female' ? 'ស្រី' : 'ប្រុស',
  age_band: '5-9',
  age_band_km: '៥-៩',
  case_source: null,
  children,
});

const KEP: [string, string, string] = ['23', 'Kep', 'កែប'];
const PAILIN: [string, string, string] = ['24', 'Pailin', 'ប៉ៃលិន'];
const KRATIE: [string, string, string] = ['10', 'Kratie', 'ក្រចេះ'];

function model() {
  return buildModel({
    quarter: '2026-Q1',
    previous: '2025-Q4',
    now: new Date('2026-04-02T00:00:00Z'),
    threshold: 5,
    indicators: [
      {
        id: '4.8',
        view: 'indicator_4_8',
        title: { en: '4.8 Reunified', km: '៤.៨' },
        bySource: false,
        cells: [
          cell('2026-Q1', KEP, 'female', 20),
          cell('2026-Q1', KEP, 'male', 12),
          cell('2026-Q1', PAILIN, 'female', 3),
          cell('2025-Q4', KEP, 'female', 18),
          cell('2025-Q4', KRATIE, 'male', 9),
        ],
        trend: [
          { quarter: '2025-Q4', children: 27 },
          { quarter: '2026-Q1', children: 35 },
        ],
      },
    ],
    runs: [],
    notes: [],
    columnLabels: [{ column_name: 'province_current', label_en: 'Province (current location)', label_km: 'ខេត្ត (ទីតាំងបច្ចុប្បន្ន)' }],
  });
}

describe('summary of a quarter', () => {
  it('shows totals against the previous quarter, hides small cells and their complement, flags a province that fell to zero', () => {
    const m = model();
    const ind = m.indicators[0]!;
    expect(ind.total).toMatchObject({ current: 35, previous: 27, change: 8 });
    expect(ind.byProvince.map((r) => [r.label.en, r.current, r.previous])).toEqual([
      ['Kep', '*', 18],
      ['Pailin', '<5', 0],
      ['Kratie', 0, 9],
    ]);
    // Pailin is the only small cell of the quarter: Kep is hidden with it, or 35 - 32 would give Pailin's 3 away. Zero is shown.
    expect(ind.byProvince[0]!.change).toBeNull();
    // Nor can Kep's districts add up to it: they are hidden too.
    expect(ind.districts['23']!.map((r) => [r.label.en, r.current, r.previous])).toEqual([['Kep town', '*', 18]]);
    const text = renderSummary(m, 'en');
    expect(text).toContain('Quarter 2026-Q1 (previous quarter 2025-Q4 in brackets)');
    expect(text).toContain('Total       35 (27)  Change +8');
    expect(text).toMatch(/Kratie +0 \(9\)!/);
    expect(text).toContain('Province (current location)');
    expect(text.split('\n').length).toBeLessThan(20);
    expect(renderSummary(m, 'km')).toContain('ខេត្ត (ទីតាំងបច្ចុប្បន្ន)');
  });
});
