/**
 * How the simulator stores and compares each case field. Datetimes are kept as
 * epoch milliseconds (cheap to compare, rendered as ISO-8601 with ms); dates as
 * 'YYYY-MM-DD'. `srch` marks fields that Primero ≥ v2.13 filters and sorts
 * through a typed `srch_*` column instead of jsonpath on `data` (§2.3, §2.6).
 */
export type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'array' | 'subform';
export type SrchType = 'varchar' | 'integer' | 'boolean' | 'timestamp' | 'timestamp[]';

export const FIELD_KINDS: Readonly<Record<string, FieldKind>> = {
  case_id: 'string', short_id: 'string', case_id_display: 'string', record_state: 'boolean', status: 'string',
  created_at: 'datetime', created_by: 'string', created_organization: 'string', last_updated_at: 'datetime',
  last_updated_by: 'string', posted_at: 'datetime', owned_by: 'string', owned_by_agency_id: 'string',
  owned_by_groups: 'array', associated_user_names: 'array', module_id: 'string', workflow: 'string',
  case_status_reopened: 'boolean', hidden_name: 'boolean', registration_date: 'date', name: 'string',
  name_first: 'string', name_last: 'string', sex: 'string', age: 'number', date_of_birth: 'date',
  location_current: 'string', location_caregiver: 'string', type_of_case: 'string', type_of_placement: 'string',
  protection_concerns: 'array', disability_type: 'string', consent_reporting: 'string', consent_for_services: 'boolean',
  oscar_number: 'string', mosvy_number: 'string', case_notes: 'string', services_section: 'subform',
  service_implemented_day_times: 'array', date_closure: 'date',
};

export const DATETIME_FIELDS = new Set(['created_at', 'last_updated_at', 'posted_at']);
export const SUBFORM_DATETIME_FIELDS = new Set(['service_implemented_day_time', 'service_response_day_time']);

export const SRCH_COLUMNS: Readonly<Record<string, SrchType>> = {
  age: 'integer',
  sex: 'varchar',
  status: 'varchar',
  record_state: 'boolean',
  workflow: 'varchar',
  owned_by: 'varchar',
  location_current: 'varchar',
  created_at: 'timestamp',
  registration_date: 'timestamp',
  date_closure: 'timestamp',
  reassigned_transferred_on: 'timestamp',
  service_implemented_day_times: 'timestamp[]',
};

/** Child.filterable_id_fields: always filterable, never destringified (§2.1). */
export const ID_FIELDS = new Set(
  'unique_identifier short_id case_id_display case_id client_code ration_card_no icrc_ref_no rc_id_no unhcr_id_no unhcr_individual_no un_no other_agency_id survivor_code_no national_id_no other_id_no biometrics_id family_count_no dss_id camp_id tent_number nfi_distribution_id oscar_number registry_no family_number'.split(' '),
);

/** Parameters the index action itself consumes (§2.1); they are never filters. */
export const RESERVED_PARAMS = new Set(
  'fields order order_by page per total id_search query query_scope phonetic phone_number format'.split(' '),
);

/** PERMITTED_FILTER_FIELD_NAMES + record information fields + children extras (§2.1). */
const ALWAYS_PERMITTED =
  'or not cases_by_date record_in_scope associated_user_names not_edited_by_owner has_photo survivor_code survivor_code_no case_id_display created_at has_incidents short_id record_state sex age registration_date date_closure reassigned_transferred_on current_alert_types location_current reporting_location_hierarchy followup_dates reunification_dates tracing_dates service_implemented_day_times last_updated_at last_updated_by created_by owned_by owned_by_groups assigned_user_names consent_for_services disclosure_other_orgs case_type workflow status case_status_reopened id';

/** Everything the simulator's (all-seeing) user may filter on: the fixed lists plus the form fields. */
export const PERMITTED_FIELDS = new Set([...ALWAYS_PERMITTED.split(' '), ...Object.keys(FIELD_KINDS), ...ID_FIELDS]);

/** `fields=short` for Child (§2.4). */
export const SUMMARY_FIELDS = 'created_at owned_by owned_by_agency_id photos flag_count status record_in_scope short_id alert_count case_id_display name survivor_code_no age sex registration_date hidden_name workflow case_status_reopened module_id registry_record_id client_code gender reporting_location_hierarchy location_current'.split(' ');
