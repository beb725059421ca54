import { wholeNumber, type IndicatorDeclaration } from './indicator.ts';

/**
 * UNICEF Cambodia's indicators, each declared once. To add one: declare it
 * here, write its view's migration from `indicatorViewMigration` (the test
 * test/indicators/declared-views.test.ts prints it and fails until the view
 * matches), and add its tests. Nothing else changes.
 */
export const REINTEGRATION_TYPE = 'children_undergoing_reintegration_55427';

export const INDICATOR_4_8: IndicatorDeclaration = {
  id: 'indicator_4_8',
  code: '4.8',
  name: {
    en: 'Children provided with family reunification or kinship, or community-based care placements',
    km: 'កុមារដែលទទួលបានការបង្រួបបង្រួមគ្រួសារ ឬការថែទាំដោយសាច់ញាតិ ឬការថែទាំផ្អែកលើសហគមន៍',
  },
  query: { type_of_case: REINTEGRATION_TYPE },
  includes: (c) => c.type_of_case === REINTEGRATION_TYPE,
  reads: ['type_of_case'],
  viewWhere: "type_of_case = 'children undergoing reintegration' OR type_of_case_code LIKE 'children\\_undergoing\\_reintegration%'",
  dimensions: ['province', 'district', 'sex', 'age_band'],
};

export const INDICATOR_4_11A: IndicatorDeclaration = {
  id: 'indicator_4_11a',
  code: '4.11a',
  name: { en: 'Children receiving case management support', km: 'កុមារដែលទទួលបានការគាំទ្រការគ្រប់គ្រងករណី' },
  // Primero ranges include both ends: 0..17 is "under 18" (the deployment's 0..18 was one year too wide).
  // Children in reintegration come with 4.8 already: leaving them out here fetches and writes each case once
  // (Primero's `not` filter keeps cases without a type_of_case).
  query: { age: '0..17', not: { type_of_case: REINTEGRATION_TYPE } },
  includes: (c) => wholeNumber(c.age) && c.age >= 0 && c.age <= 17,
  reads: ['age'],
  viewWhere: 'age BETWEEN 0 AND 17',
  dimensions: ['province', 'district', 'sex', 'age_band', 'case_source'],
};

/** In the order a run pages through them and the report shows them. */
export const INDICATORS: readonly IndicatorDeclaration[] = [INDICATOR_4_8, INDICATOR_4_11A];
