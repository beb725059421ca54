-- 002: documentation for the dashboard team, readable from any SQL client
-- (\d+ in psql, the column tooltips of most BI tools).

COMMENT ON TABLE cases IS 'One row per Primero case feeding indicator 4.8 or 4.11a. Key: case_id (Primero case_id_display). Rows of cases disabled in Primero stay with record_state = false; the indicator views exclude them.';
COMMENT ON COLUMN cases.case_id IS 'Primero case_id_display (the short id caseworkers see). Upsert key.';
COMMENT ON COLUMN cases.primero_id IS 'Primero record id (uuid). Unique.';
COMMENT ON COLUMN cases.last_updated_date IS 'The case''s own last_updated_at in Primero (not the time of the sync).';
COMMENT ON COLUMN cases.registration_date IS 'Primero registration_date.';
COMMENT ON COLUMN cases.case_source IS '''oscar'' when the case has an OSCaR number, else ''primero''.';
COMMENT ON COLUMN cases.disabled IS 'Label (English) of Primero disability_type; labels in both languages in data_dictionary.';
COMMENT ON COLUMN cases.disability_type_code IS 'Primero option id of disability_type, for joining data_dictionary.';
COMMENT ON COLUMN cases.type_of_case IS 'Primero type_of_case option id without its numeric suffix, underscores as spaces (e.g. ''children undergoing reintegration'').';
COMMENT ON COLUMN cases.type_of_case_code IS 'Primero option id of type_of_case as stored in Primero.';
COMMENT ON COLUMN cases.sex IS 'Label (English) of Primero sex; unknown codes are kept as they are.';
COMMENT ON COLUMN cases.sex_code IS 'Primero option id of sex.';
COMMENT ON COLUMN cases.age IS 'Primero age in years at the time of the sync.';
COMMENT ON COLUMN cases.protection_concerns IS 'English labels of the Primero protection_concerns, joined with '', ''.';
COMMENT ON COLUMN cases.protection_concerns_codes IS 'Primero option ids of protection_concerns, for joining data_dictionary.';
COMMENT ON COLUMN cases.placement_type IS 'Primero type_of_placement option id without its numeric suffix, underscores as spaces.';
COMMENT ON COLUMN cases.placement_type_code IS 'Primero option id of type_of_placement.';
COMMENT ON COLUMN cases.consent_for_reporting IS 'Primero consent_reporting (''true''/''false''; ''false'' when absent).';
COMMENT ON COLUMN cases.location_code IS 'Primero location_current (a Cambodian administrative code, any level).';
COMMENT ON COLUMN cases.province_current IS 'Province of location_current, through locations_lookup.';
COMMENT ON COLUMN cases.province_current_code IS 'Province code of location_current.';
COMMENT ON COLUMN cases.district_current IS 'District of location_current, through locations_lookup.';
COMMENT ON COLUMN cases.district_current_code IS 'District code of location_current (first 3 or 4 digits).';
COMMENT ON COLUMN cases.province_caregiver IS 'Province of location_caregiver, through locations_lookup.';
COMMENT ON COLUMN cases.province_caregiver_code IS 'Province code of location_caregiver.';
COMMENT ON COLUMN cases.district_caregiver IS 'District of location_caregiver, through locations_lookup.';
COMMENT ON COLUMN cases.district_caregiver_code IS 'District code of location_caregiver.';
COMMENT ON COLUMN cases.record_state IS 'Primero record_state: false when the case was disabled in Primero. Indicator views count only true.';
COMMENT ON COLUMN cases.synced_at IS 'When the sync last wrote this row.';

COMMENT ON TABLE services IS 'One row per entry of a case''s Primero services subform. Key: unique_id. Deleted with its case.';
COMMENT ON COLUMN services.case_id IS 'The parent case''s case_id (Primero case_id_display).';
COMMENT ON COLUMN services.unique_id IS 'Primero unique_id of the service entry. Upsert key.';
COMMENT ON COLUMN services.service_type IS 'Label (English) of Primero service_type.';
COMMENT ON COLUMN services.service_type_code IS 'Primero option id of service_type.';
COMMENT ON COLUMN services.service_date IS 'Primero service_implemented_day_time; NULL when not implemented.';
COMMENT ON COLUMN services.synced_at IS 'When the sync last wrote this row.';

COMMENT ON TABLE locations_lookup IS 'Cambodian districts from Primero''s locations: district code -> district and province names in English and Khmer. Refreshed by the sync.';
COMMENT ON COLUMN locations_lookup.code IS 'District code (province code + 2 digits; provinces 1-9 have one digit, 10-25 two).';
COMMENT ON COLUMN locations_lookup.district IS 'District name in English.';
COMMENT ON COLUMN locations_lookup.district_km IS 'District name in Khmer.';
COMMENT ON COLUMN locations_lookup.province IS 'Province name in English.';
COMMENT ON COLUMN locations_lookup.province_km IS 'Province name in Khmer.';
COMMENT ON COLUMN locations_lookup.province_code IS 'Province code (1-25).';
COMMENT ON COLUMN locations_lookup.admin_level IS 'Primero admin_level of the district location.';
COMMENT ON COLUMN locations_lookup.disabled IS 'The location is disabled in Primero (kept so old cases still resolve).';

COMMENT ON TABLE data_dictionary IS 'Labels in English and Khmer: one row per column of cases and services (option_id NULL) and one per option value of a coded column.';
COMMENT ON COLUMN data_dictionary.table_name IS 'cases or services.';
COMMENT ON COLUMN data_dictionary.column_name IS 'Column of that table.';
COMMENT ON COLUMN data_dictionary.primero_field IS 'The Primero field the column comes from (NULL for columns the sync derives).';
COMMENT ON COLUMN data_dictionary.option_id IS 'Primero option id; NULL on the row describing the column itself.';
COMMENT ON COLUMN data_dictionary.label_en IS 'English label.';
COMMENT ON COLUMN data_dictionary.label_km IS 'Khmer label (NULL when Primero has no translation).';
COMMENT ON COLUMN data_dictionary.source IS '''primero'' when read from the instance''s forms and lookups, ''bundled'' when taken from the copy shipped with the sync.';

COMMENT ON TABLE sync_runs IS 'Ledger of sync runs: window on Primero last_updated_at, progress and counts.';
COMMENT ON COLUMN sync_runs.window_from IS 'Start of the window on last_updated_at (NULL: from the beginning).';
COMMENT ON COLUMN sync_runs.window_to IS 'End of the window on last_updated_at.';
COMMENT ON COLUMN sync_runs.pages IS 'Pages done per query, e.g. {"indicator_4_8": {"page": 3, "done": false}}.';
COMMENT ON COLUMN sync_runs.status IS 'running, completed or failed.';

COMMENT ON TABLE sync_rejects IS 'Records a run could not load: ids, the reason and the offending field only (never the personal record).';
