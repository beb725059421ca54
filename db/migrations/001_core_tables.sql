-- 001: the tables the ONA dashboard reads (cases, services, locations_lookup,
-- data_dictionary) and the sync's own ledger (sync_runs, sync_rejects).
-- Column names of cases/services/locations_lookup are a contract with the
-- dashboard (ona-mapping.md): never rename them, only add.

CREATE TABLE cases (
  case_id                  text PRIMARY KEY,
  primero_id               uuid UNIQUE,
  last_updated_date        timestamptz,
  registration_date        date,
  case_source              text,
  disabled                 text,
  disability_type_code     text,
  type_of_case             text,
  type_of_case_code        text,
  sex                      text,
  sex_code                 text,
  age                      integer,
  protection_concerns      text,
  protection_concerns_codes text[],
  placement_type           text,
  placement_type_code      text,
  consent_for_reporting    text,
  location_code            text,
  province_current         text,
  province_current_code    text,
  district_current         text,
  district_current_code    text,
  province_caregiver       text,
  province_caregiver_code  text,
  district_caregiver       text,
  district_caregiver_code  text,
  record_state             boolean NOT NULL DEFAULT true,
  synced_at                timestamptz NOT NULL DEFAULT now()
);

-- What a dashboard filters and groups by.
CREATE INDEX cases_registration_date_idx ON cases (registration_date);
CREATE INDEX cases_last_updated_date_idx ON cases (last_updated_date);
CREATE INDEX cases_province_current_code_idx ON cases (province_current_code);
CREATE INDEX cases_district_current_code_idx ON cases (district_current_code);
CREATE INDEX cases_type_of_case_idx ON cases (type_of_case);
CREATE INDEX cases_age_idx ON cases (age) WHERE record_state;

CREATE TABLE services (
  unique_id          text PRIMARY KEY,
  case_id            text NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE ON UPDATE CASCADE,
  service_type       text,
  service_type_code  text,
  service_date       timestamptz,
  synced_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX services_case_id_idx ON services (case_id);
CREATE INDEX services_service_date_idx ON services (service_date);
CREATE INDEX services_service_type_code_idx ON services (service_type_code);

CREATE TABLE locations_lookup (
  code           text PRIMARY KEY,
  district       text,
  district_km    text,
  province       text,
  province_km    text,
  province_code  text,
  admin_level    integer,
  disabled       boolean NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX locations_lookup_province_code_idx ON locations_lookup (province_code);

CREATE TABLE data_dictionary (
  table_name     text NOT NULL,
  column_name    text NOT NULL,
  primero_field  text,
  option_id      text,
  label_en       text,
  label_km       text,
  source         text NOT NULL CHECK (source IN ('primero', 'bundled')),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- One row per column (option_id NULL) and one per option value.
  CONSTRAINT data_dictionary_key UNIQUE NULLS NOT DISTINCT (table_name, column_name, option_id)
);

CREATE TABLE sync_runs (
  run_id          text PRIMARY KEY,
  window_from     timestamptz,
  window_to       timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  pages           jsonb NOT NULL DEFAULT '{}'::jsonb,
  cases_count     integer NOT NULL DEFAULT 0,
  services_count  integer NOT NULL DEFAULT 0,
  rejects_count   integer NOT NULL DEFAULT 0,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  error           text
);

-- The next run starts where the last completed one ended.
CREATE INDEX sync_runs_completed_idx ON sync_runs (window_to DESC) WHERE status = 'completed';

CREATE TABLE sync_rejects (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       text NOT NULL REFERENCES sync_runs (run_id) ON DELETE CASCADE,
  primero_id   text,
  case_id      text,
  reason       text NOT NULL,
  field        text,
  rejected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sync_rejects_run_id_idx ON sync_rejects (run_id);
