/**
 * Where each column of `cases` and `services` comes from in Primero, and the
 * label shipped with the project for when Primero has none (or is not asked:
 * columns the sync derives). Option columns list the Primero field whose
 * options label them.
 */
export interface ColumnSource {
  table: 'cases' | 'services';
  column: string;
  /** The Primero field (null: derived by the sync). */
  primeroField: string | null;
  /** Label from Primero's form field (true) or always the bundled one (codes, derived columns). */
  labelFromPrimero: boolean;
  /** This column holds an option label: one data_dictionary row per option of primeroField. */
  options?: boolean;
  en: string;
  km: string;
}

const c = (
  table: ColumnSource['table'],
  column: string,
  primeroField: string | null,
  en: string,
  km: string,
  extra: Partial<Pick<ColumnSource, 'labelFromPrimero' | 'options'>> = {},
): ColumnSource => ({ table, column, primeroField, labelFromPrimero: primeroField !== null, en, km, ...extra });

const code = { labelFromPrimero: false };

export const COLUMN_SOURCES: readonly ColumnSource[] = [
  c('cases', 'case_id', 'case_id_display', 'Case ID', 'លេខសម្គាល់ករណី'),
  c('cases', 'primero_id', 'id', 'Primero record ID', 'លេខសម្គាល់កំណត់ត្រា Primero', code),
  c('cases', 'last_updated_date', 'last_updated_at', 'Last updated in Primero', 'កាលបរិច្ឆេទកែប្រែចុងក្រោយក្នុង Primero', code),
  c('cases', 'registration_date', 'registration_date', 'Date of registration', 'កាលបរិច្ឆេទចុះឈ្មោះ'),
  c('cases', 'status', 'status', 'Case status', 'ស្ថានភាពករណី', { options: true }),
  c('cases', 'date_closure', 'date_closure', 'Date of closure', 'កាលបរិច្ឆេទបិទករណី'),
  c('cases', 'case_source', 'oscar_number', 'Case source (Primero or OSCaR)', 'ប្រភពករណី (Primero ឬ OSCaR)', code),
  c('cases', 'disabled', 'disability_type', 'Disability type', 'ប្រភេទពិការភាព', { options: true }),
  c('cases', 'disability_type_code', 'disability_type', 'Disability type (code)', 'ប្រភេទពិការភាព (កូដ)', code),
  c('cases', 'type_of_case', 'type_of_case', 'Type of case', 'ប្រភេទករណី', { options: true }),
  c('cases', 'type_of_case_code', 'type_of_case', 'Type of case (code)', 'ប្រភេទករណី (កូដ)', code),
  c('cases', 'sex', 'sex', 'Sex', 'ភេទ', { options: true }),
  c('cases', 'sex_code', 'sex', 'Sex (code)', 'ភេទ (កូដ)', code),
  c('cases', 'age', 'age', 'Age', 'អាយុ'),
  c('cases', 'protection_concerns', 'protection_concerns', 'Protection concerns', 'កង្វល់ការពារកុមារ', { options: true }),
  c('cases', 'protection_concerns_codes', 'protection_concerns', 'Protection concerns (codes)', 'កង្វល់ការពារកុមារ (កូដ)', code),
  c('cases', 'placement_type', 'type_of_placement', 'Type of placement', 'ប្រភេទការដាក់ឱ្យនៅ', { options: true }),
  c('cases', 'placement_type_code', 'type_of_placement', 'Type of placement (code)', 'ប្រភេទការដាក់ឱ្យនៅ (កូដ)', code),
  c('cases', 'consent_for_reporting', 'consent_reporting', 'Consent for reporting', 'ការយល់ព្រមសម្រាប់ការរាយការណ៍', { options: true }),
  c('cases', 'location_code', 'location_current', 'Current location', 'ទីតាំងបច្ចុប្បន្ន'),
  c('cases', 'province_current', null, 'Province (current location)', 'ខេត្ត (ទីតាំងបច្ចុប្បន្ន)'),
  c('cases', 'province_current_code', null, 'Province code (current location)', 'លេខកូដខេត្ត (ទីតាំងបច្ចុប្បន្ន)'),
  c('cases', 'district_current', null, 'District (current location)', 'ស្រុក (ទីតាំងបច្ចុប្បន្ន)'),
  c('cases', 'district_current_code', null, 'District code (current location)', 'លេខកូដស្រុក (ទីតាំងបច្ចុប្បន្ន)'),
  c('cases', 'location_caregiver_code', 'location_caregiver', 'Caregiver location', 'ទីតាំងអ្នកថែទាំ'),
  c('cases', 'province_caregiver', null, 'Province (caregiver location)', 'ខេត្ត (ទីតាំងអ្នកថែទាំ)'),
  c('cases', 'province_caregiver_code', null, 'Province code (caregiver location)', 'លេខកូដខេត្ត (ទីតាំងអ្នកថែទាំ)'),
  c('cases', 'district_caregiver', null, 'District (caregiver location)', 'ស្រុក (ទីតាំងអ្នកថែទាំ)'),
  c('cases', 'district_caregiver_code', null, 'District code (caregiver location)', 'លេខកូដស្រុក (ទីតាំងអ្នកថែទាំ)'),
  c('cases', 'record_state', 'record_state', 'Enabled in Primero', 'បើកប្រើក្នុង Primero', code),
  c('cases', 'synced_at', null, 'Last synced', 'ធ្វើសមកាលកម្មចុងក្រោយ'),
  c('services', 'case_id', 'case_id_display', 'Case ID', 'លេខសម្គាល់ករណី'),
  c('services', 'unique_id', 'unique_id', 'Service ID', 'លេខសម្គាល់សេវា', code),
  c('services', 'service_type', 'service_type', 'Type of service', 'ប្រភេទសេវា', { options: true }),
  c('services', 'service_type_code', 'service_type', 'Type of service (code)', 'ប្រភេទសេវា (កូដ)', code),
  c('services', 'service_date', 'service_implemented_day_time', 'Service implemented on', 'កាលបរិច្ឆេទអនុវត្តសេវា'),
  c('services', 'synced_at', null, 'Last synced', 'ធ្វើសមកាលកម្មចុងក្រោយ'),
];
