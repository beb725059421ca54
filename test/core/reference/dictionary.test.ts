import { describe, expect, it } from 'vitest';
import { bundledLabels } from '../../../lib/core/reference/bundled.ts';
import { buildDictionary } from '../../../lib/core/reference/dictionary.ts';
import { buildLocationRows, isDistrictCode, provinceCodeOfDistrict } from '../../../lib/core/reference/locations.ts';
import { staticReferenceSource } from '../../../lib/core/reference/source.ts';

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

describe('buildDictionary', () => {
  it('takes column and option labels from Primero in both languages', async () => {
    const src = staticReferenceSource({ forms, lookups });
    const { rows, warnings } = buildDictionary({ metadata: { forms: await src.forms(), lookups: await src.lookups() }, bundled: bundledLabels() });
    const row = (table: string, column: string, option: string | null) => rows.find((r) => r.table_name === table && r.column_name === column && r.option_id === option);
    expect(row('cases', 'sex', null)).toMatchObject({ label_en: 'Sex', label_km: 'ភេទ', primero_field: 'sex', source: 'primero' });
    expect(row('cases', 'sex', 'male')).toMatchObject({ label_en: 'Male', label_km: 'ប្រុស', source: 'primero' });
    // Primero lacks the English label: bundled one, said so.
    expect(row('cases', 'sex', 'female')).toMatchObject({ label_en: 'Female', label_km: 'ស្រី', source: 'bundled' });
    expect(warnings.some((w) => w.includes('cases.sex') && w.includes('without an English label'))).toBe(true);
    expect(row('cases', 'placement_type', 'kinship_care_1')).toMatchObject({ label_en: 'Kinship care', primero_field: 'type_of_placement' });
    expect(row('services', 'service_type', 'counselling')).toMatchObject({ label_km: 'ការប្រឹក្សា', source: 'primero' });
    expect(row('services', 'service_type', null)).toMatchObject({ label_en: 'Type of Service', source: 'primero' });
    // Derived columns carry the project's own labels.
    expect(row('cases', 'province_current', null)).toMatchObject({ source: 'bundled', primero_field: null, label_km: expect.stringContaining('ខេត្ត') });
    // Bundled options missing from Primero are kept (old cases may carry them) and reported.
    expect(row('cases', 'protection_concerns', 'disabled')).toMatchObject({ label_en: 'At risk of neglect', source: 'bundled' });
    expect(warnings.some((w) => w.includes('protection_concerns') && w.includes('bundled'))).toBe(true);
  });

  it('falls back to the bundled tables entirely when there is no metadata', () => {
    const { rows } = buildDictionary({ metadata: null, bundled: bundledLabels(), tableColumns: [{ table: 'cases', column: 'extra_col' }] });
    const options = rows.filter((r) => r.option_id !== null);
    expect(options.every((r) => r.source === 'bundled')).toBe(true);
    expect(options.filter((r) => r.primero_field === 'service_type')).toHaveLength(Object.keys(bundledLabels().service_type!).length);
    expect(rows.find((r) => r.column_name === 'extra_col')).toMatchObject({ label_en: 'extra_col', source: 'bundled' });
    const keys = rows.map((r) => `${r.table_name}.${r.column_name}.${r.option_id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('buildLocationRows', () => {
  it('keeps districts with their province names in English and Khmer', () => {
    const rows = buildLocationRows([
      { code: '10', type: 'province', admin_level: 0, name: { en: 'Kratie', km: 'ក្រចេះ' }, placename: { en: 'Kratie', km: 'ក្រចេះ' }, hierarchy: ['10'], disabled: false },
      { code: '1006', type: 'district', admin_level: 1, name: { en: 'Kratie::Chetr Borei', km: 'ក្រចេះ::ចិត្របុរី' }, placename: { en: 'Chetr Borei', km: 'ចិត្របុរី' }, hierarchy: ['10', '1006'], disabled: false },
      { code: '102', type: 'district', admin_level: 1, name: { en: 'Banteay Meanchey::Somewhere', km: '' }, placename: null, hierarchy: ['1', '102'], disabled: true },
      { code: '100608', type: 'commune', admin_level: 2, name: { en: 'x' }, placename: { en: 'x' }, hierarchy: ['10', '1006', '100608'] },
    ]);
    expect(rows).toEqual([
      { code: '1006', district: 'Chetr Borei', district_km: 'ចិត្របុរី', province: 'Kratie', province_km: 'ក្រចេះ', province_code: '10', admin_level: 1, disabled: false },
      { code: '102', district: 'Somewhere', district_km: null, province: 'Banteay Meanchey', province_km: null, province_code: '1', admin_level: 1, disabled: true },
    ]);
    expect(isDistrictCode('1006') && isDistrictCode('102') && !isDistrictCode('10') && !isDistrictCode('100608')).toBe(true);
    expect(provinceCodeOfDistrict('102')).toBe('1');
  });
});
