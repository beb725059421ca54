import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/report/model.ts';
import type { ViewCell } from '../../lib/report/queries.ts';
import { renderSummary, renderTrend } from '../../lib/cli/commands/report/render-summary.ts';
import { mapCase } from '../../lib/core/mapping/map-case.ts';
import type { ReferenceData } from '../../lib/core/mapping/reference-data.ts';
import { fieldLabel, hasKhmerReason, reasonLabel } from '../../lib/report/reject-labels.ts';
import { genericReason } from '../../lib/report/model.ts';

/**
 * Beside the figures: the quarter in progress is marked, an indicator of any
 * age (4.8) says how many adults and unknown ages its figure holds, and the
 * rejects' fields and reasons read in Khmer on the Khmer page.
 */
const cell = (quarter: ViewCell['quarter'], ageBand: string, children: number): ViewCell => ({
  quarter,
  province_code: '23',
  province_en: 'Kep',
  province_km: 'កែប',
  district_code: '2301',
  district_en: 'Kep town',
  district_km: 'ក្រុងកែប',
  sex_code: 'female',
  sex_en: 'Female',
  sex_km: 'ស្រី',
  age_band: ageBand,
  age_band_km: ageBand,
  case_source: null,
  children,
});

function model(now: string) {
  return buildModel({
    quarter: '2026-Q2',
    previous: '2026-Q1',
    now: new Date(now),
    threshold: 5,
    indicators: [
      {
        id: '4.8',
        view: 'indicator_4_8',
        title: { en: '4.8 Reunified', km: '៤.៨' },
        bySource: false,
        anyAge: true,
        cells: [cell('2026-Q2', '5-9', 40), cell('2026-Q2', '18+', 12), cell('2026-Q2', 'unknown', 6), cell('2026-Q1', '5-9', 30)],
        trend: [
          { quarter: '2026-Q1', children: 30 },
          { quarter: '2026-Q2', children: 55 },
        ],
      },
      {
        id: '4.11a',
        view: 'indicator_4_11a',
        title: { en: '4.11a Case management', km: '៤.១១ក' },
        bySource: false,
        cells: [cell('2026-Q2', '5-9', 70)],
        trend: [{ quarter: '2026-Q2', children: 70 }],
      },
    ],
    runs: [],
    notes: [
      { kind: 'nulled', field: 'age', reason: 'age is not a whole number', count: 4 },
      { kind: 'rejected', field: 'services_section.unique_id', reason: 'service entry 2 has no valid unique_id; not loaded', count: 1 },
      { kind: 'nulled', field: 'made_up_field', reason: 'a reason nobody wrote', count: 1 },
    ],
    unknownCodes: [{ field: 'disability_type', code: 'new_disability_1', cases: 2 }],
    columnLabels: [],
  });
}

describe('the quarter in progress', () => {
  it('is named in the model and marked in the summary and the trend; a quarter that ended is not', () => {
    const during = model('2026-05-10T00:00:00Z');
    expect(during.inProgress).toBe('2026-Q2');
    expect(renderSummary(during, 'en')).toMatch(/^Quarter 2026-Q2, in progress \(previous quarter 2026-Q1 in brackets\)$/m);
    expect(renderTrend(during, 'en')).toMatch(/^2026-Q2 .*\(in progress\)$/m);
    expect(renderTrend(during, 'en')).not.toMatch(/^2026-Q1 .*in progress/m);
    expect(renderTrend(during, 'km')).toMatch(/^2026-Q2 .*\(កំពុងដំណើរការ\)$/m);
    const after = model('2026-08-01T00:00:00Z');
    expect(after.inProgress).toBe('2026-Q3');
    expect(renderSummary(after, 'en')).toMatch(/^Quarter 2026-Q2 \(previous/m);
  });
});

describe('an indicator of any age', () => {
  it("says beside its figure how many of the quarter's children are adults or of unknown age, suppressed like every count", () => {
    const m = model('2026-05-10T00:00:00Z');
    const [ind48, ind411] = m.indicators;
    expect(ind48!.ageNote!.en).toBe("Any age: a case in reintegration counts whatever the child's age, so this quarter's figure includes 12 aged 18 or over and 6 whose age is not recorded (their own age bands).");
    expect(ind48!.ageNote!.km).toContain('១៨');
    expect(ind411!.ageNote).toBeNull();
    const text = renderSummary(m, 'en').split('\n');
    const total = text.findIndex((l) => l.startsWith('  Total') && text[text.indexOf(l) - 1] === '4.8 Reunified');
    expect(text[total + 1]).toMatch(/^ {2}Any age: .* 12 aged 18 or over and 6 whose age is not recorded/);
    expect(renderSummary(m, 'km')).toContain(ind48!.ageNote!.km);
  });
});

describe('rejects and notes in Khmer', () => {
  it('gives fields their Khmer label beside the Primero name, and known reasons in Khmer; an unknown one stays as written', () => {
    const m = model('2026-05-10T00:00:00Z');
    const [age, service, odd] = m.quality.notes;
    expect(age).toMatchObject({ fieldLabel: { en: 'age', km: 'អាយុ (age)' }, reasonLabel: { en: 'age is not a whole number', km: 'អាយុមិនមែនជាចំនួនគត់' } });
    expect(service!.fieldLabel.km).toBe('លេខសម្គាល់សេវា (services_section.unique_id)');
    expect(service!.reasonLabel.km).toBe('ធាតុសេវាទី 2 គ្មាន unique_id ត្រឹមត្រូវ៖ មិនបានផ្ទុក');
    expect(odd).toMatchObject({ fieldLabel: { en: 'made_up_field', km: 'made_up_field' }, reasonLabel: { km: 'a reason nobody wrote' } });
    expect(m.quality.unknownCodes[0]!.fieldLabel.km).toBe('ប្រភេទពិការភាព (disability_type)');
  });

  it("has Khmer for every reason the mapping writes (a new reason fails here until it has its words)", () => {
    const ref: ReferenceData = { labels: { sex: new Map([['female', 'Female']]), service_type: new Map(), protection_concerns: new Map([['disabled', 'At risk of neglect']]), disability_type: new Map() }, districts: new Map([['102', { district: 'Mongkol Borei', province: 'Banteay Meanchey', provinceCode: '1' }]]) };
    const good = { id: '6f1c8a57-1111-4a2b-9c3d-000000000001', case_id_display: 'abc1234', last_updated_at: '2024-03-05T06:07:08.123Z', record_state: true };
    const bad: Record<string, unknown>[] = [
      { ...good, id: undefined },
      { ...good, id: 'not-a-uuid' },
      { ...good, case_id_display: '' },
      { ...good, last_updated_at: 'yesterday' },
      { ...good, age: 'ten' },
      { ...good, age: -3 },
      { ...good, sex: 'robot_x' },
      { ...good, sex: 'x'.repeat(300) },
      { ...good, sex: 42 },
      { ...good, location_current: '123456789' },
      { ...good, location_current: '0102' },
      { ...good, location_current: '999' },
      { ...good, location_current: '99' },
      { ...good, protection_concerns: 'disabled' },
      { ...good, protection_concerns: 7 },
      { ...good, protection_concerns: ['disabled', { a: 1 }] },
      { ...good, consent_reporting: 'maybe' },
      { ...good, services_section: 'none' },
      { ...good, services_section: [7] },
      { ...good, services_section: [{ service_type: 'x' }] },
      { ...good, services_section: [{ unique_id: 's1', service_implemented_day_time: 'soon' }] },
      { ...good, services_section: [{ unique_id: 's1' }, { unique_id: 's1' }] },
      { ...good, registration_date: '23/02/2026' },
      { ...good, date_closure: '2026-02-30' },
    ];
    const reasons = new Set<string>();
    for (const raw of bad) {
      const r = mapCase(raw, ref);
      if (!r.ok) reasons.add(r.reject.reason);
      for (const n of r.notes) reasons.add(n.reason);
    }
    reasons.add(mapCase('not a record', ref).ok ? '' : (mapCase('not a record', ref) as { reject: { reason: string } }).reject.reason);
    expect(reasons.size).toBeGreaterThan(15);
    const missing = [...reasons].map(genericReason).filter((r) => !hasKhmerReason(r));
    expect(missing).toEqual([]);
    for (const r of reasons) expect(reasonLabel(genericReason(r)).km).not.toBe(genericReason(r));
    expect(fieldLabel(null)).toEqual({ en: '', km: '' });
  });
});
