import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { insertRows } from '../support/rows.ts';
import { renderIndicator } from '../../lib/cli/commands/report/render-table.ts';
import { readIndicator } from '../../lib/cli/commands/report/read-indicator.ts';
import { INDICATORS } from '../../lib/core/indicators/declared.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

const REINTEGRATION = { type_of_case: 'children undergoing reintegration', type_of_case_code: 'children_undergoing_reintegration_55427' };
const OTHER = { type_of_case: 'other child protection case', type_of_case_code: 'other_child_protection_case_11111' };
const KRATIE = { location_code: '10060802', district_current_code: '1006', province_current_code: '10', district_current: 'Chetr Borei', province_current: 'Kratie' };

/** A small hand-built data set whose counts are worked out in the comments. */
const CASES = [
  // 4.8 and 4.11a, 2024-Q1 only.
  { case_id: 'R1', ...REINTEGRATION, ...KRATIE, age: 3, sex: 'Female', sex_code: 'female', case_source: 'primero', registration_date: '2024-01-10', last_updated_date: '2024-01-20T00:00:00Z' },
  // Active Jan -> May: counted in Q1 and Q2.
  { case_id: 'R2', ...REINTEGRATION, ...KRATIE, age: 16, sex: 'Male', sex_code: 'male', case_source: 'primero', registration_date: '2024-02-01', last_updated_date: '2024-05-03T00:00:00Z' },
  // 19: 4.8 (band 18+) but not 4.11a.
  { case_id: 'R3', ...REINTEGRATION, ...KRATIE, age: 19, sex: 'Female', sex_code: 'female', case_source: 'primero', registration_date: '2024-03-01', last_updated_date: '2024-03-02T00:00:00Z' },
  // Disabled in Primero: nowhere.
  { case_id: 'R4', ...REINTEGRATION, ...KRATIE, age: 5, sex: 'Female', sex_code: 'female', case_source: 'primero', registration_date: '2024-01-01', last_updated_date: '2024-01-02T00:00:00Z', record_state: false },
  // 4.11a only, from OSCaR.
  { case_id: 'N1', ...OTHER, ...KRATIE, age: 3, sex: 'Female', sex_code: 'female', case_source: 'oscar', registration_date: '2024-01-05', last_updated_date: '2024-01-06T00:00:00Z' },
  // No location; 2024-03-31 20:00 UTC is 2024-04-01 in Cambodia: 2023-Q4, 2024-Q1, 2024-Q2.
  { case_id: 'N2', ...OTHER, age: 12, sex: 'Female', sex_code: 'female', case_source: 'primero', registration_date: '2023-12-31', last_updated_date: '2024-03-31T20:00:00Z' },
];

describe.each(databaseTargets())('indicator views on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
    await withClient(db.url, async (c) => {
      await insertRows(c, 'locations_lookup', [
        { code: '1006', district: 'Chetr Borei', district_km: 'ចិត្របុរី', province: 'Kratie', province_km: 'ក្រចេះ', province_code: '10', admin_level: 1 },
      ]);
      await insertRows(c, 'data_dictionary', [
        { table_name: 'cases', column_name: 'sex', primero_field: 'sex', option_id: 'female', label_en: 'Female', label_km: 'ស្រី', source: 'primero' },
        { table_name: 'cases', column_name: 'sex', primero_field: 'sex', option_id: 'male', label_en: 'Male', label_km: 'ប្រុស', source: 'primero' },
      ]);
      await insertRows(c, 'cases', CASES);
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const brief = (r: Record<string, unknown>, withSource = false) =>
    `${r.quarter} ${r.district_code ?? '-'} ${r.sex_code} ${r.age_band}${withSource ? ` ${r.case_source}` : ''} = ${r.children}`;

  it('4.8 counts distinct reintegration children per quarter, place, sex and age band', async () => {
    const rows = await withClient(db.url, (c) => readIndicator(c, INDICATORS[0]!));
    expect(rows.map((r) => brief(r))).toEqual([
      '2024-Q1 1006 female 0-4 = 1',
      '2024-Q1 1006 female 18+ = 1',
      '2024-Q1 1006 male 15-17 = 1',
      '2024-Q2 1006 male 15-17 = 1',
    ]);
    expect(rows[0]).toMatchObject({
      province_code: '10', province_en: 'Kratie', province_km: 'ក្រចេះ', district_en: 'Chetr Borei', district_km: 'ចិត្របុរី',
      sex_en: 'Female', sex_km: 'ស្រី', age_band_km: '០-៤', quarter_start: expect.anything(),
    });
  });

  it('4.11a counts distinct children 0-17 by case source as well, excluding disabled cases', async () => {
    const rows = await withClient(db.url, (c) => readIndicator(c, INDICATORS[1]!));
    expect(rows.map((r) => brief(r, true))).toEqual([
      '2023-Q4 - female 10-14 primero = 1',
      '2024-Q1 1006 female 0-4 oscar = 1',
      '2024-Q1 1006 female 0-4 primero = 1',
      '2024-Q1 1006 male 15-17 primero = 1',
      '2024-Q1 - female 10-14 primero = 1',
      '2024-Q2 1006 male 15-17 primero = 1',
      '2024-Q2 - female 10-14 primero = 1',
    ]);
    const unknown = rows.find((r) => r.district_code === null)!;
    expect(unknown).toMatchObject({ province_en: 'Unknown', province_km: 'មិនស្គាល់' });
  });

  it('a case disabled later drops out; a re-enabled one comes back', async () => {
    await withClient(db.url, (c) => c.query(`UPDATE cases SET record_state = false WHERE case_id = 'R1'`));
    const rows = await withClient(db.url, (c) => readIndicator(c, INDICATORS[0]!));
    expect(rows.map((r) => brief(r))).not.toContain('2024-Q1 1006 female 0-4 = 1');
    await withClient(db.url, (c) => c.query(`UPDATE cases SET record_state = true WHERE case_id = 'R1'`));
  });

  it('renders as a terminal table in English and Khmer', async () => {
    const rows = await withClient(db.url, (c) => readIndicator(c, INDICATORS[0]!));
    const en = renderIndicator(INDICATORS[0]!, rows, 'en');
    expect(en).toContain('Chetr Borei');
    expect(en).toContain('Sum of rows: 4');
    const km = renderIndicator(INDICATORS[0]!, rows, 'km');
    expect(km).toContain('ចិត្របុរី');
    expect(km).toContain('ស្រី');
    expect(renderIndicator(INDICATORS[1]!, [], 'en')).toContain('(no cases)');
  });
});
