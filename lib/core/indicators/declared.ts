import { wholeNumber, type IndicatorDeclaration, type IndicatorRule } from './indicator.ts';

/**
 * UNICEF Cambodia's indicators, each declared here and nowhere else: first
 * what a run needs of it (the id, its Primero filter, the same rule on a
 * fetched record), then what the views and the report show. The two halves are
 * apart so that a job, which carries only the first, stays small (OpenFn
 * compiles every job on every run). To add an indicator: declare both halves,
 * write its view's migration from `indicatorViewMigration` (the test
 * test/indicators/declared-views.test.ts prints it and fails until the view
 * matches), and add its tests. Nothing else changes.
 */
export const REINTEGRATION_TYPE = 'children_undergoing_reintegration_55427';

const RULE_4_8: IndicatorRule = {
  id: 'indicator_4_8',
  query: { type_of_case: REINTEGRATION_TYPE },
  includes: (c) => c.type_of_case === REINTEGRATION_TYPE,
  reads: ['type_of_case'],
};

const RULE_4_11A: IndicatorRule = {
  id: 'indicator_4_11a',
  // Primero ranges include both ends: 0..17 is "under 18" (the deployment's 0..18 was one year too wide).
  // Children in reintegration come with 4.8 already: leaving them out here fetches and writes each case once
  // (Primero's `not` filter keeps cases without a type_of_case).
  query: { age: '0..17', not: { type_of_case: REINTEGRATION_TYPE } },
  includes: (c) => wholeNumber(c.age) && c.age >= 0 && c.age <= 17,
  reads: ['age'],
};

/** In the order a run pages through them. */
export const INDICATOR_RULES: readonly IndicatorRule[] = [RULE_4_8, RULE_4_11A];

/** A rule and what the report shows of it; pure, so a job that reads only the rules drops the rest. */
const declare = (rule: IndicatorRule, shown: Omit<IndicatorDeclaration, keyof IndicatorRule>): IndicatorDeclaration => ({ ...rule, ...shown });

export const INDICATOR_4_8 = /* @__PURE__ */ declare(RULE_4_8, {
  code: '4.8',
  name: {
    en: 'Children provided with family reunification or kinship, or community-based care placements',
    km: 'កុមារដែលទទួលបានការបង្រួបបង្រួមគ្រួសារ ឬការថែទាំដោយសាច់ញាតិ ឬការថែទាំផ្អែកលើសហគមន៍',
  },
  viewWhere: "type_of_case = 'children undergoing reintegration' OR type_of_case_code LIKE 'children\\_undergoing\\_reintegration%'",
  dimensions: ['province', 'district', 'sex', 'age_band'],
});

export const INDICATOR_4_11A = /* @__PURE__ */ declare(RULE_4_11A, {
  code: '4.11a',
  name: { en: 'Children receiving case management support', km: 'កុមារដែលទទួលបានការគាំទ្រការគ្រប់គ្រងករណី' },
  viewWhere: 'age BETWEEN 0 AND 17',
  dimensions: ['province', 'district', 'sex', 'age_band', 'case_source'],
});

/** In the order the report shows them (the same as the rules'). */
export const INDICATORS: readonly IndicatorDeclaration[] = [INDICATOR_4_8, INDICATOR_4_11A];
