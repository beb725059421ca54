/**
 * Lookups and forms (addendum), with English and Khmer labels, built from the
 * deployment's option tables so the sync's data dictionary can be loaded from
 * the "instance" as it would be from a real Primero.
 */
import { toKhmer } from './khmer-labels.ts';
import {
  CASE_STATUS, OPTION_LABELS, SERVICE_RESPONSE_TYPE, TYPE_OF_CASE, TYPE_OF_PLACEMENT, YES_NO, type OptionTable,
} from './options.ts';

export interface I18n { en: string; km: string }
export interface LookupValue { id: string; display_text: I18n }
export interface Lookup { id: number; unique_id: string; name: I18n; locked: boolean; values: LookupValue[] }

export interface FormField {
  name: string;
  type: string;
  display_name: I18n;
  multi_select?: boolean;
  option_strings_source?: string;
  option_strings_text?: LookupValue[];
  subform_section_id?: number;
  subform_section_unique_id?: string;
}
export interface FormSection {
  id: number;
  unique_id: string;
  name: I18n;
  parent_form: string;
  module_ids: string[];
  is_nested: boolean;
  visible: boolean;
  order: number;
  fields: FormField[];
}

const i18n = (en: string, km?: string): I18n => ({ en, km: km ?? toKhmer(en) });
const values = (table: OptionTable): LookupValue[] =>
  Object.entries(table).map(([id, en]) => ({ id, display_text: i18n(en) }));

const LOOKUP_DEFS: ReadonlyArray<[string, I18n, OptionTable]> = [
  ['lookup-gender', i18n('Sex', 'ភេទ'), OPTION_LABELS.sex],
  ['lookup-protection-concerns', i18n('Protection Concerns', 'កង្វល់ការពារកុមារ'), OPTION_LABELS.protection_concerns],
  ['lookup-service-type', i18n('Service Type', 'ប្រភេទសេវា'), OPTION_LABELS.service_type],
  ['lookup-disability-type', i18n('Disability Type', 'ប្រភេទពិការភាព'), OPTION_LABELS.disability_type],
  ['lookup-yes-no', i18n('Yes or No', 'បាទ/ចាស ឬទេ'), YES_NO],
  ['lookup-case-status', i18n('Case Status', 'ស្ថានភាពករណី'), CASE_STATUS],
  ['lookup-service-response-type', i18n('Service Response Type', 'ប្រភេទការឆ្លើយតបសេវា'), SERVICE_RESPONSE_TYPE],
  ['lookup-type-of-case-8f2c1d4', i18n('Type of Case', 'ប្រភេទករណី'), TYPE_OF_CASE],
];

/** Khmer for the non-table labels above (cases, placements, response types). */
const EXTRA_KM: Record<string, string> = {
  'Children undergoing reintegration': 'កុមារកំពុងធ្វើសមាហរណកម្ម',
  'Children in residential care': 'កុមារក្នុងការថែទាំតាមមណ្ឌល',
  'Children at risk of separation': 'កុមារប្រឈមនឹងការបែកគ្រួសារ',
  'Children in community-based care': 'កុមារក្នុងការថែទាំផ្អែកលើសហគមន៍',
  'Children in conflict with the law': 'កុមារប្រឈមមុខនឹងច្បាប់',
  'Other child protection case': 'ករណីការពារកុមារផ្សេងទៀត',
  'Kinship care': 'ការថែទាំដោយសាច់ញាតិ',
  'Foster care': 'ការថែទាំដោយគ្រួសារអប់រំ',
  'Family reunification': 'ការបង្រួបបង្រួមគ្រួសារ',
  'Community-based care': 'ការថែទាំផ្អែកលើសហគមន៍',
  'Independent living': 'ការរស់នៅដោយខ្លួនឯង',
  'Residential care': 'ការថែទាំតាមមណ្ឌល',
  'Care plan': 'ផែនការថែទាំ',
  'Action plan': 'ផែនការសកម្មភាព',
  'Service provision': 'ការផ្ដល់សេវា',
  'Referral to OSCaR': 'ការបញ្ជូនទៅ OSCaR',
};
const label = (en: string): I18n => ({ en, km: toKhmer(en) || EXTRA_KM[en] || '' });
const labelled = (table: OptionTable): LookupValue[] => Object.entries(table).map(([id, en]) => ({ id, display_text: label(en) }));

export function buildLookups(): Lookup[] {
  return LOOKUP_DEFS.map(([unique_id, name, table], i) => ({ id: i + 1, unique_id, name, locked: i < 2, values: labelled(table) }));
}

const field = (name: string, type: string, en: string, km: string, extra: Partial<FormField> = {}): FormField => ({
  name, type, display_name: { en, km }, ...extra,
});

export function buildForms(): FormSection[] {
  const section = (id: number, unique_id: string, en: string, km: string, fields: FormField[], nested = false): FormSection => ({
    id, unique_id, name: { en, km }, parent_form: 'case', module_ids: ['primeromodule-cp'], is_nested: nested, visible: !nested, order: id, fields,
  });
  return [
    section(1, 'basic_identity', 'Basic Identity', 'អត្តសញ្ញាណមូលដ្ឋាន', [
      field('case_id_display', 'text_field', 'Case ID', 'លេខសម្គាល់ករណី'),
      field('name', 'text_field', 'Full Name', 'ឈ្មោះពេញ'),
      field('name_first', 'text_field', 'First Name', 'នាមខ្លួន'),
      field('name_last', 'text_field', 'Surname', 'នាមត្រកូល'),
      field('sex', 'select_box', 'Sex', 'ភេទ', { option_strings_source: 'lookup lookup-gender' }),
      field('age', 'numeric_field', 'Age', 'អាយុ'),
      field('date_of_birth', 'date_field', 'Date of Birth', 'ថ្ងៃខែឆ្នាំកំណើត'),
      field('registration_date', 'date_field', 'Date of Registration or Interview', 'កាលបរិច្ឆេទចុះឈ្មោះ'),
      field('location_current', 'select_box', 'Current Location', 'ទីតាំងបច្ចុប្បន្ន', { option_strings_source: 'Location' }),
      field('location_caregiver', 'select_box', 'Caregiver Location', 'ទីតាំងអ្នកថែទាំ', { option_strings_source: 'Location' }),
      field('oscar_number', 'text_field', 'OSCaR Number', 'លេខ OSCaR'),
      field('status', 'select_box', 'Case Status', 'ស្ថានភាពករណី', { option_strings_source: 'lookup lookup-case-status' }),
    ]),
    section(2, 'protection_concern_details', 'Protection Concerns', 'កង្វល់ការពារកុមារ', [
      field('protection_concerns', 'select_box', 'Protection Concerns', 'កង្វល់ការពារកុមារ', { multi_select: true, option_strings_source: 'lookup lookup-protection-concerns' }),
      field('disability_type', 'select_box', 'Disability Type', 'ប្រភេទពិការភាព', { option_strings_source: 'lookup lookup-disability-type' }),
    ]),
    section(3, 'case_type_placement_3b9e2a1', 'Type of Case and Placement', 'ប្រភេទករណី និងការដាក់ឱ្យនៅ', [
      field('type_of_case', 'select_box', 'Type of Case', 'ប្រភេទករណី', { option_strings_source: 'lookup lookup-type-of-case-8f2c1d4' }),
      field('type_of_placement', 'select_box', 'Type of Placement', 'ប្រភេទការដាក់ឱ្យនៅ', { option_strings_text: labelled(TYPE_OF_PLACEMENT) }),
    ]),
    section(4, 'data_confidentiality', 'Data Confidentiality', 'ការរក្សាការសម្ងាត់ទិន្នន័យ', [
      field('consent_reporting', 'radio_button', 'Consent for reporting', 'ការយល់ព្រមសម្រាប់ការរាយការណ៍', { option_strings_source: 'lookup lookup-yes-no' }),
    ]),
    section(7, 'closure_form', 'Closure', 'ការបិទករណី', [
      field('date_closure', 'date_field', 'Date of Closure', 'កាលបរិច្ឆេទបិទករណី'),
    ]),
    section(5, 'services', 'Services', 'សេវា', [
      field('services_section', 'subform', 'Services', 'សេវា', { subform_section_id: 6, subform_section_unique_id: 'services_section' }),
    ]),
    section(6, 'services_section', 'Services', 'សេវា', [
      field('service_response_type', 'select_box', 'Type of Response', 'ប្រភេទការឆ្លើយតប', { option_strings_source: 'lookup lookup-service-response-type' }),
      field('service_type', 'select_box', 'Type of Service', 'ប្រភេទសេវា', { option_strings_source: 'lookup lookup-service-type' }),
      field('service_implemented_day_time', 'date_field', 'Service Implemented On', 'កាលបរិច្ឆេទអនុវត្តសេវា'),
      field('service_implemented', 'select_box', 'Implemented', 'បានអនុវត្ត', {
        option_strings_text: [
          { id: 'not_implemented', display_text: { en: 'Not Implemented', km: 'មិនទាន់អនុវត្ត' } },
          { id: 'implemented', display_text: { en: 'Implemented', km: 'បានអនុវត្ត' } },
        ],
      }),
    ], true),
  ];
}

/** Every option id with its labels, for test oracles. */
export const lookupValues = values;
