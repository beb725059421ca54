import { describe, expect, it } from 'vitest';
import { mapCase } from '../../../lib/core/mapping/map-case.ts';
import { districtCodeOf, provinceCodeOf } from '../../../lib/core/mapping/location-codes.ts';
import { humaniseOptionId } from '../../../lib/core/mapping/option-codes.ts';
import type { ReferenceData } from '../../../lib/core/mapping/reference-data.ts';

const ref: ReferenceData = {
  labels: {
    sex: new Map([['male', 'Male'], ['female', 'Female']]),
    disability_type: new Map([['no', 'No'], ['both', 'Both']]),
    protection_concerns: new Map([['disabled', 'At risk of neglect'], ['refugee', 'Separated']]),
    service_type: new Map([['counselling', 'Counselling']]),
  },
  districts: new Map([
    ['1006', { district: 'Chetr Borei', province: 'Kratie', provinceCode: '10' }],
    ['102', { district: 'Mongkol Borei', province: 'Banteay Meanchey', provinceCode: '1' }],
  ]),
};

const base = {
  id: '6f1c8a57-1111-4a2b-9c3d-000000000001',
  case_id_display: 'abc1234',
  last_updated_at: '2024-03-05T06:07:08.123Z',
  record_state: true,
};

function ok(raw: Record<string, unknown>) {
  const r = mapCase(raw, ref);
  if (!r.ok) throw new Error(`rejected: ${r.reject.reason}`);
  return r;
}

describe('location codes', () => {
  it.each([
    ['10060802', '1006', '10'],
    ['100608', '1006', '10'],
    ['1006', '1006', '10'],
    ['1020304', '102', '1'],
    ['10203', '102', '1'],
    ['102', '102', '1'],
    ['10', null, '10'],
    ['1', null, '1'],
  ])('%s -> district %s, province %s', (code, district, province) => {
    expect(districtCodeOf(code)).toBe(district);
    expect(provinceCodeOf(code)).toBe(province);
  });

  it('refuses codes with letters', () => {
    expect(districtCodeOf('KH0102')).toBeNull();
  });
});

describe('option ids', () => {
  it('drops the numeric suffix and turns underscores into spaces', () => {
    expect(humaniseOptionId('children_undergoing_reintegration_55427')).toBe('children undergoing reintegration');
    expect(humaniseOptionId('kinship_care')).toBe('kinship care');
  });
});

describe('mapCase', () => {
  it('maps a complete case as the deployment did, with the known defects fixed', () => {
    const r = ok({
      ...base,
      registration_date: '2024-01-02',
      status: 'closed',
      date_closure: '2024-02-20',
      oscar_number: 'OS-1',
      disability_type: 'both',
      type_of_case: 'children_undergoing_reintegration_55427',
      sex: 'female',
      age: 12,
      protection_concerns: ['disabled', 'refugee'],
      type_of_placement: 'kinship_care_12345',
      consent_reporting: 'true',
      location_current: '10060802',
      location_caregiver: '1020304',
      services_section: [
        { unique_id: 's1', service_type: 'counselling', service_implemented_day_time: '2024-02-02T10:00:00.000Z' },
        { unique_id: 's2', service_type: 'counselling', service_implemented_day_time: 'not implemented' },
      ],
      name: 'must not matter',
    });
    expect(r.row).toEqual({
      case_id: 'abc1234',
      primero_id: base.id,
      record_state: true,
      last_updated_date: '2024-03-05T06:07:08.123Z',
      registration_date: '2024-01-02',
      status: 'closed',
      date_closure: '2024-02-20',
      case_source: 'oscar',
      disabled: 'Both',
      disability_type_code: 'both',
      type_of_case: 'children undergoing reintegration',
      type_of_case_code: 'children_undergoing_reintegration_55427',
      sex: 'Female',
      sex_code: 'female',
      age: 12,
      protection_concerns: 'At risk of neglect, Separated',
      protection_concerns_codes: ['disabled', 'refugee'],
      placement_type: 'kinship care',
      placement_type_code: 'kinship_care_12345',
      consent_for_reporting: 'true',
      location_code: '10060802',
      province_current: 'Kratie',
      province_current_code: '10',
      district_current: 'Chetr Borei',
      district_current_code: '1006',
      location_caregiver_code: '1020304',
      province_caregiver: 'Banteay Meanchey',
      province_caregiver_code: '1',
      district_caregiver: 'Mongkol Borei',
      district_caregiver_code: '102',
    });
    expect(r.services).toEqual([
      { unique_id: 's1', case_id: 'abc1234', service_type: 'Counselling', service_type_code: 'counselling', service_date: '2024-02-02T10:00:00.000Z' },
      { unique_id: 's2', case_id: 'abc1234', service_type: 'Counselling', service_type_code: 'counselling', service_date: null },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('defaults what the deployment defaulted: consent false, source primero', () => {
    const r = ok(base);
    expect(r.row.consent_for_reporting).toBe('false');
    expect(r.row.case_source).toBe('primero');
    expect(r.services).toEqual([]);
  });

  it('marks a case Primero disabled (the batch then removes it: lib/indicators/removals.ts)', () => {
    expect(ok({ ...base, record_state: false }).row.record_state).toBe(false);
    expect(ok({ ...base, enabled: false }).row.record_state).toBe(false);
  });

  it('keeps status and date_closure; a closure date-time becomes its Cambodian day', () => {
    expect(ok({ ...base, status: 'duplicate' }).row).toMatchObject({ status: 'duplicate', date_closure: null });
    expect(ok({ ...base, status: 'closed', date_closure: '2024-03-31T18:30:00.000Z' }).row.date_closure).toBe('2024-04-01');
    const bad = ok({ ...base, status: 'closed', date_closure: '31/03/2024' });
    expect(bad.row.date_closure).toBeNull();
    expect(bad.notes).toEqual([expect.objectContaining({ field: 'date_closure', kind: 'nulled' })]);
    expect(JSON.stringify(bad.notes)).not.toContain('31/03');
  });

  it('keeps unknown option codes as they are and reports them', () => {
    const r = ok({ ...base, sex: 'intersex_999', protection_concerns: ['new_concern_1'], services_section: [{ unique_id: 's', service_type: 'brand_new' }] });
    expect(r.row.sex).toBe('intersex_999');
    expect(r.row.protection_concerns).toBe('new_concern_1');
    expect(r.services[0]!.service_type).toBe('brand_new');
    expect(r.notes.map((n) => [n.field, n.kind, n.code])).toEqual([
      ['protection_concerns', 'unknown_code', 'new_concern_1'],
      ['sex', 'unknown_code', 'intersex_999'],
      ['services_section.service_type', 'unknown_code', 'brand_new'],
    ]);
  });

  it('never reports free text typed where an option code belongs', () => {
    const r = ok({ ...base, sex: 'Sokha said she is a girl' });
    expect(r.row.sex).toBe('Sokha said she is a girl');
    expect(r.notes).toEqual([expect.objectContaining({ field: 'sex', kind: 'unknown_code', code: '(not an option id)' })]);
    expect(JSON.stringify(r.notes)).not.toContain('Sokha');
  });

  it.each([
    ['missing case_id_display', { case_id_display: undefined }, 'case_id_display'],
    ['empty case_id_display', { case_id_display: '   ' }, 'case_id_display'],
    ['missing id', { id: undefined }, 'id'],
    ['numeric id', { id: 42 }, 'id'],
    ['a 1 MB case_id_display', { case_id_display: 'x'.repeat(1_000_000) }, 'case_id_display'],
    ['missing last_updated_at', { last_updated_at: undefined }, 'last_updated_at'],
    ['last_updated_at in another format', { last_updated_at: '05/03/2024 06:07' }, 'last_updated_at'],
  ])('rejects a record with %s, naming the field', (_n, patch, field) => {
    const r = mapCase({ ...base, ...patch }, ref);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reject.field).toBe(field);
      expect(r.reject.kind).toBe('rejected');
      expect(r.reject.reason).not.toContain('xxxxxxxx');
    }
  });

  it.each([
    ['age as text', { age: 'twelve' }, 'age'],
    ['negative age', { age: -3 }, 'age'],
    ['fractional age', { age: 4.5 }, 'age'],
    ['registration_date in another format', { registration_date: '02/01/2024' }, 'registration_date'],
    ['an impossible date', { registration_date: '2024-02-31' }, 'registration_date'],
    ['location code with letters', { location_current: 'KH1006' }, 'location_current'],
    ['location code too long', { location_current: '100608021234' }, 'location_current'],
    ['protection_concerns not an array', { protection_concerns: 42 }, 'protection_concerns'],
    ['consent neither true nor false', { consent_reporting: 'maybe' }, 'consent_reporting'],
  ])('loads a record with %s, with that field NULL and a note', (_n, patch, field) => {
    const r = ok({ ...base, ...patch });
    expect(r.notes.map((n) => n.field)).toContain(field);
    expect(r.notes.every((n) => n.kind === 'nulled')).toBe(true);
  });

  it('reads a numeric-looking text age and a numeric location code', () => {
    const r = ok({ ...base, age: '7', location_current: 1006 });
    expect(r.row.age).toBe(7);
    expect(r.row.district_current).toBe('Chetr Borei');
  });

  it('reads a protection_concerns string as one concern and reports it', () => {
    const r = ok({ ...base, protection_concerns: 'refugee' });
    expect(r.row.protection_concerns).toBe('Separated');
    expect(r.notes[0]).toMatchObject({ field: 'protection_concerns', kind: 'nulled' });
  });

  it('loads the case but not a services_section that is not an array', () => {
    const r = ok({ ...base, services_section: 'lots' });
    expect(r.services).toEqual([]);
    expect(r.notes).toEqual([expect.objectContaining({ field: 'services_section', kind: 'rejected' })]);
  });

  it('rejects a service without unique_id and loads its siblings', () => {
    const r = ok({ ...base, services_section: [{ service_type: 'counselling' }, { unique_id: 'ok1', service_type: 'counselling' }, null] });
    expect(r.services.map((s) => s.unique_id)).toEqual(['ok1']);
    expect(r.notes.map((n) => n.field)).toEqual(['services_section.unique_id', 'services_section']);
  });

  it('reports a district missing from locations_lookup by its code, keeps the location code, leaves the names empty', () => {
    const r = ok({ ...base, location_current: '250101' });
    expect(r.row).toMatchObject({ location_code: '250101', district_current_code: null, province_current_code: null, district_current: null, province_current: null });
    expect(r.notes).toEqual([expect.objectContaining({ field: 'location_current', kind: 'unknown_code', code: '2501' })]);
  });

  it.each([
    ['province', '10', { province_current: 'Kratie', province_current_code: '10', district_current: null, district_current_code: null }],
    ['province (one digit)', '1', { province_current: 'Banteay Meanchey', province_current_code: '1', district_current: null, district_current_code: null }],
    ['district', '1006', { province_current: 'Kratie', province_current_code: '10', district_current: 'Chetr Borei', district_current_code: '1006' }],
    ['commune', '100608', { province_current: 'Kratie', province_current_code: '10', district_current: 'Chetr Borei', district_current_code: '1006' }],
    ['village', '10060802', { province_current: 'Kratie', province_current_code: '10', district_current: 'Chetr Borei', district_current_code: '1006' }],
    ['village (one-digit province)', '1020304', { province_current: 'Banteay Meanchey', province_current_code: '1', district_current: 'Mongkol Borei', district_current_code: '102' }],
    ['district unknown, province known', '1099', { province_current: 'Kratie', province_current_code: '10', district_current: null, district_current_code: null }],
    ['unknown province', '26', { province_current: null, province_current_code: null, district_current: null, district_current_code: null }],
  ])('a location at %s level (%s) fills the right province and district columns', (_level, code, expected) => {
    const r = ok({ ...base, location_current: code, location_caregiver: code });
    expect(r.row).toMatchObject({ location_code: code, ...expected });
    expect(r.row).toMatchObject({
      location_caregiver_code: code,
      province_caregiver: expected.province_current,
      province_caregiver_code: expected.province_current_code,
      district_caregiver: expected.district_current,
      district_caregiver_code: expected.district_current_code,
    });
    const unknown = r.notes.filter((n) => n.kind === 'unknown_code').map((n) => [n.field, n.code]);
    if (expected.district_current === null && expected.province_current !== null && code.length > 2) expect(unknown).toEqual([['location_current', code.slice(0, 4)], ['location_caregiver', code.slice(0, 4)]]);
    else if (expected.province_current === null) expect(unknown).toEqual([['location_current', code], ['location_caregiver', code]]);
    else expect(r.notes).toEqual([]);
  });

  it('keeps Khmer, emoji and SQL metacharacters as text', () => {
    const r = ok({ ...base, case_id_display: "ក'; DROP TABLE cases;--😀" });
    expect(r.row.case_id).toBe("ក'; DROP TABLE cases;--😀");
  });

  it('never copies personal values into notes', () => {
    const r = mapCase({ ...base, age: 'Sokha Chan', registration_date: 'born 2012-03-04' }, ref);
    const text = JSON.stringify(r);
    expect(text).not.toContain('Sokha');
    expect(text).not.toContain('born');
  });
});
