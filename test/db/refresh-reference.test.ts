import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { REFRESH_REFERENCE } from '../../lib/sql/writes.ts';
import { provincesAndDistricts } from '../../lib/core/reference/location-levels.ts';
import { locationTree } from '../../dev/sim/locations.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * The reference refresh (migration 016's refresh_reference), on both
 * databases: data_dictionary from Primero's forms and lookups with the bundled
 * labels where Primero has none, locations_lookup from Primero's districts.
 */
const bundled = JSON.parse(readFileSync(new URL('../../db/reference/option-labels.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;

const forms = [
  {
    unique_id: 'basic_identity',
    name: { en: 'Basic Identity' },
    fields: [
      { name: 'sex', type: 'select_box', display_name: { en: 'Sex', km: 'ភេទ' }, option_strings_source: 'lookup lookup-gender' },
      { name: 'age', type: 'numeric_field', display_name: { en: 'Age', km: '' } },
      { name: 'type_of_placement', type: 'select_box', display_name: { en: 'Placement' }, option_strings_text: [{ id: 'kinship_care_1', display_text: { en: 'Kinship care', km: 'ការថែទាំដោយសាច់ញាតិ' } }] },
    ],
  },
  { unique_id: 'services', name: { en: 'Services' }, fields: [{ name: 'services_section', type: 'subform', display_name: { en: 'Services' }, subform_section_unique_id: 'services_section' }] },
  { unique_id: 'services_section', name: { en: 'Services' }, fields: [{ name: 'service_type', type: 'select_box', display_name: { en: 'Type of Service', km: 'ប្រភេទសេវា' }, option_strings_source: 'lookup lookup-service-type' }] },
];
const lookups = [
  { unique_id: 'lookup-gender', name: { en: 'Sex' }, values: [{ id: 'male', display_text: { en: 'Male', km: 'ប្រុស' } }, { id: 'female', display_text: { en: '', km: 'ស្រី' } }] },
  { unique_id: 'lookup-service-type', name: { en: 'Service Type' }, values: [{ id: 'counselling', display_text: { en: 'Counselling', km: 'ការប្រឹក្សា' } }] },
];
const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

interface Row {
  table_name: string;
  column_name: string;
  primero_field: string | null;
  option_id: string | null;
  label_en: string | null;
  label_km: string | null;
  source: string;
}

describe.each(databaseTargets())('the reference refresh in SQL (%s database)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
  }, 120_000);
  afterAll(() => db.drop());

  const refresh = (l: unknown, f: unknown, locations: unknown) =>
    withClient(db.url, async (c) => (await c.query<{ warning: string }>(REFRESH_REFERENCE, [json(l), json(f), json(locations)])).rows.map((r) => r.warning));
  const dictionary = () =>
    withClient(db.url, async (c) => (await c.query<Row>('SELECT table_name, column_name, primero_field, option_id, label_en, label_km, source FROM data_dictionary')).rows);

  it('takes column and option labels from Primero in both languages, and says what it took from the bundle', async () => {
    const warnings = await refresh(lookups, forms, null);
    const rows = await dictionary();
    const row = (table: string, column: string, option: string | null) => rows.find((r) => r.table_name === table && r.column_name === column && r.option_id === option);
    expect(row('cases', 'sex', null)).toMatchObject({ label_en: 'Sex', label_km: 'ភេទ', primero_field: 'sex', source: 'primero' });
    expect(row('cases', 'sex', 'male')).toMatchObject({ label_en: 'Male', label_km: 'ប្រុស', source: 'primero' });
    // Primero lacks the English label: the bundled one, said so.
    expect(row('cases', 'sex', 'female')).toMatchObject({ label_en: 'Female', label_km: 'ស្រី', source: 'bundled' });
    expect(warnings.some((w) => w.includes('cases.sex') && w.includes('without an English label'))).toBe(true);
    expect(row('cases', 'placement_type', 'kinship_care_1')).toMatchObject({ label_en: 'Kinship care', primero_field: 'type_of_placement' });
    // The services subform's field, found in the nested form.
    expect(row('services', 'service_type', 'counselling')).toMatchObject({ label_km: 'ការប្រឹក្សា', source: 'primero' });
    expect(row('services', 'service_type', null)).toMatchObject({ label_en: 'Type of Service', source: 'primero' });
    // Derived columns carry the project's own labels.
    expect(row('cases', 'province_current', null)).toMatchObject({ source: 'bundled', primero_field: null, label_km: expect.stringContaining('ខេត្ត') });
    // Bundled options missing from Primero are kept (old cases may carry them) and reported.
    expect(row('cases', 'protection_concerns', 'disabled')).toMatchObject({ label_en: 'At risk of neglect', source: 'bundled' });
    expect(warnings.some((w) => w.includes('protection_concerns') && w.includes('bundled'))).toBe(true);
    expect(warnings).toContain('keeping the current locations_lookup');
    // Every column of cases and services is described once.
    const columns = rows.filter((r) => r.option_id === null).map((r) => `${r.table_name}.${r.column_name}`);
    expect(new Set(columns).size).toBe(columns.length);
  });

  it('falls back to the bundled tables entirely when Primero refused, or sent an unexpected shape', async () => {
    for (const [l, f] of [[null, null], [[{ nonsense: true }], []]] as const) {
      const warnings = await refresh(l, f, null);
      const rows = await dictionary();
      const options = rows.filter((r) => r.option_id !== null);
      expect(options.every((r) => r.source === 'bundled')).toBe(true);
      expect(options.filter((r) => r.primero_field === 'service_type')).toHaveLength(Object.keys(bundled.service_type!).length);
      expect(warnings.join('\n')).toMatch(/bundled copy of the deployment's tables/);
      const keys = rows.map((r) => `${r.table_name}.${r.column_name}.${r.option_id}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('keeps districts with their province names in English and Khmer, and only districts', async () => {
    const warnings = await refresh(null, null, [
      { code: '10', type: 'province', admin_level: 0, name: { en: 'Kratie', km: 'ក្រចេះ' }, placename: { en: 'Kratie', km: 'ក្រចេះ' }, hierarchy: ['10'], disabled: false },
      { code: 1006, type: 'district', admin_level: 1, name: { en: 'Kratie::Chetr Borei', km: 'ក្រចេះ::ចិត្របុរី' }, placename: { en: 'Chetr Borei', km: 'ចិត្របុរី' }, hierarchy: ['10', '1006'], disabled: false },
      { code: '102', type: 'district', admin_level: 1, name: { en: 'Banteay Meanchey::Somewhere', km: '' }, placename: null, hierarchy: ['1', '102'], disabled: true },
      { code: '100608', type: 'commune', admin_level: 2, name: { en: 'x' }, placename: { en: 'x' }, hierarchy: ['10', '1006', '100608'] },
    ]);
    expect(warnings).not.toContain('keeping the current locations_lookup');
    const rows = await withClient(db.url, async (c) => (await c.query('SELECT code, district, district_km, province, province_km, province_code, admin_level, disabled FROM locations_lookup ORDER BY code')).rows);
    expect(rows).toEqual([
      { code: '1006', district: 'Chetr Borei', district_km: 'ចិត្របុរី', province: 'Kratie', province_km: 'ក្រចេះ', province_code: '10', admin_level: 1, disabled: false },
      { code: '102', district: 'Somewhere', district_km: null, province: 'Banteay Meanchey', province_km: null, province_code: '1', admin_level: 1, disabled: true },
    ]);
    // A list that is not Primero's shape, or without a district, keeps the table.
    expect(await refresh(null, null, [{ nonsense: true }])).toContain('Primero locations do not have the expected shape: keeping the current locations_lookup');
    expect(await refresh(null, null, [{ code: '10' }])).toContain('Primero returned no district locations: keeping the current locations_lookup');
    expect((await withClient(db.url, (c) => c.query('SELECT count(*)::int AS n FROM locations_lookup'))).rows[0].n).toBe(2);
  });

  it('builds the same lookup from the provinces and districts fetch hands on as from every location', async () => {
    const tree = locationTree();
    const all = [...tree.all];
    const kept = provincesAndDistricts(all);
    expect(kept.length).toBeLessThan(all.length / 10);
    const lookup = async (list: unknown[]) => {
      await withClient(db.url, (c) => c.query('DELETE FROM locations_lookup'));
      await refresh(null, null, list);
      return withClient(db.url, async (c) => (await c.query('SELECT code, district, district_km, province, province_km, province_code FROM locations_lookup ORDER BY code')).rows);
    };
    expect(await lookup(kept)).toEqual(await lookup(all));
  });
});
