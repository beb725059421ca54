-- 016: a failed batch on record at once, and the reference refresh in SQL.
--
-- A batch that fails records its step and its kind (whether trying again soon may help),
-- so `status`, /healthz and the next start see it at once. The dictionary and
-- locations are built here from Primero's lookups, forms and locations as the
-- first batch of a run read them: the jobs stay small (OpenFn compiles every
-- job on every run), and the bundled labels they fall back on live in two
-- tables that `migrate` fills from db/reference/*.json.

ALTER TABLE sync_runs
  ADD COLUMN error_step  text,
  ADD COLUMN error_kind  text CHECK (error_kind IN ('transient', 'refused', 'permanent'));

COMMENT ON COLUMN sync_runs.error IS 'First line of the error that failed the run (no personal data, no credential); NULL unless failed.';
COMMENT ON COLUMN sync_runs.error_step IS 'The step that failed (fetch, upsert, or the CLI''s own: a batch stopped at its time or memory limit).';
COMMENT ON COLUMN sync_runs.error_kind IS 'transient: may pass on its own (Primero or the database unavailable); refused: Primero refused the credentials (check them before running again: six failed logins lock the account); permanent: anything else. The next start resumes the run either way.';

COMMENT ON COLUMN sync_runs.cases_count IS 'Cases the run wrote (each once, however many batches read it).';
COMMENT ON COLUMN sync_runs.services_count IS 'Services of those cases the run wrote.';
COMMENT ON COLUMN sync_runs.rejects_count IS 'Records the run could not load (rows of sync_rejects of kind rejected).';
COMMENT ON COLUMN sync_runs.notes_count IS 'Values the run loaded as NULL (rows of sync_rejects of kind nulled); unknown codes are counted by case in sync_rejects.case_count.';

-- A note is recorded once per run: the check looks a run's notes up by record.
CREATE INDEX sync_rejects_run_record_idx ON sync_rejects (run_id, primero_id);

-- Column labels in English and Khmer, for when Primero's forms have none (and for derived columns).
CREATE TABLE column_fallback (
  position            integer PRIMARY KEY,
  table_name          text NOT NULL,
  column_name         text NOT NULL,
  primero_field       text,
  label_from_primero  boolean NOT NULL,
  has_options         boolean NOT NULL,
  label_en            text NOT NULL,
  label_km            text,
  UNIQUE (table_name, column_name)
);

-- The deployment's option tables (Primero field -> option id -> English label), for when Primero refuses its lookups.
CREATE TABLE option_fallback (
  primero_field  text NOT NULL,
  option_id      text NOT NULL,
  label_en       text NOT NULL,
  PRIMARY KEY (primero_field, option_id)
);

COMMENT ON TABLE column_fallback IS 'Bundled column labels (db/reference/columns.json), written by migrate; data_dictionary falls back on them.';
COMMENT ON TABLE option_fallback IS 'Bundled option labels (db/reference/option-labels.json), written by migrate; data_dictionary falls back on them.';

-- A label of Primero's i18n object: trimmed, NULL when absent or blank.
CREATE FUNCTION primero_label(i18n jsonb, lang text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(i18n -> lang) = 'string' THEN nullif(btrim(i18n ->> lang), '') END
$$;

-- A JSON array, or an empty one for anything else (Primero sends null where a list is empty).
CREATE FUNCTION primero_array(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(j) = 'array' THEN j ELSE '[]'::jsonb END
$$;

-- Whether a list from Primero has the shape the refresh reads: an array of objects whose `key` is a string or a number.
CREATE FUNCTION primero_list_ok(list jsonb, key text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(list) = 'array' AND NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(list) item
    WHERE jsonb_typeof(item) <> 'object' OR coalesce(jsonb_typeof(item -> key), 'null') NOT IN ('string', 'number'))
$$;

/*
 * Rebuilds data_dictionary from Primero's forms and lookups (NULL: Primero
 * refused them; the bundled labels stand in) and upserts the districts of
 * Primero's locations into locations_lookup (NULL or none: the table is kept).
 * Returns the warnings the run's people should read.
 */
CREATE FUNCTION refresh_reference(lookups jsonb, forms jsonb, locations jsonb) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  metadata boolean := lookups IS NOT NULL AND forms IS NOT NULL;
  districts integer;
BEGIN
  IF metadata AND NOT (primero_list_ok(lookups, 'unique_id') AND primero_list_ok(forms, 'unique_id')
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(forms) f WHERE coalesce(jsonb_typeof(f -> 'fields'), 'null') NOT IN ('array', 'null'))) THEN
    RETURN NEXT 'Primero lookups or forms do not have the expected shape';
    metadata := false;
  END IF;
  IF NOT metadata THEN
    RETURN NEXT 'option labels come from the bundled copy of the deployment''s tables (English only)';
    lookups := '[]';
    forms := '[]';
  END IF;

  CREATE TEMP TABLE dictionary_new ON COMMIT DROP AS
  WITH form AS (
    SELECT f, ord FROM jsonb_array_elements(forms) WITH ORDINALITY AS t(f, ord)
  ), field AS (
    SELECT x ->> 'name' AS name, x AS def, form.ord AS form_ord, fo.ord AS field_ord,
           coalesce(jsonb_typeof(f -> 'is_nested') = 'boolean' AND (f ->> 'is_nested')::boolean, false) OR EXISTS (
             SELECT 1 FROM form g, jsonb_array_elements(primero_array(g.f -> 'fields')) y WHERE y ->> 'subform_section_unique_id' = f ->> 'unique_id') AS nested
    FROM form, jsonb_array_elements(primero_array(f -> 'fields')) WITH ORDINALITY AS fo(x, ord)
    WHERE jsonb_typeof(x) = 'object' AND jsonb_typeof(x -> 'name') = 'string'
  ), first_field AS (
    SELECT DISTINCT ON (nested, name) nested, name, def FROM field ORDER BY nested, name, form_ord, field_ord
  ), lookup AS (
    SELECT DISTINCT ON (l ->> 'unique_id') l ->> 'unique_id' AS id, CASE WHEN jsonb_typeof(l -> 'values') = 'array' THEN l -> 'values' END AS vals
    FROM jsonb_array_elements(lookups) WITH ORDINALITY AS t(l, ord) ORDER BY l ->> 'unique_id', ord DESC
  ), col AS (
    -- Service columns live in the services subform, case columns on the case's own forms.
    SELECT c.*, coalesce(
        (SELECT def FROM first_field ff WHERE ff.name = c.primero_field AND ff.nested = (c.table_name = 'services')),
        (SELECT def FROM first_field ff WHERE ff.name = c.primero_field AND ff.nested <> (c.table_name = 'services'))) AS def
    FROM column_fallback c
  ), col_label AS (
    SELECT col.*, CASE WHEN label_from_primero THEN primero_label(def -> 'display_name', 'en') END AS p_en,
           CASE WHEN label_from_primero THEN primero_label(def -> 'display_name', 'km') END AS p_km,
           CASE WHEN jsonb_typeof(def -> 'option_strings_text') = 'array' AND jsonb_array_length(def -> 'option_strings_text') > 0
                  THEN def -> 'option_strings_text'
                WHEN def ->> 'option_strings_source' LIKE 'lookup %'
                  THEN (SELECT vals FROM lookup WHERE id = btrim(substr(btrim(def ->> 'option_strings_source'), 8))) END AS options
    FROM col
  ), primero_option AS (
    -- One row per option id: the last listed wins, as in a map.
    SELECT DISTINCT ON (c.position, o ->> 'id') c.position, o ->> 'id' AS option_id,
           primero_label(o -> 'display_text', 'en') AS en, primero_label(o -> 'display_text', 'km') AS km
    FROM col_label c, jsonb_array_elements(primero_array(c.options)) WITH ORDINALITY AS t(o, ord)
    WHERE c.has_options AND jsonb_typeof(o) = 'object' AND jsonb_typeof(o -> 'id') IN ('string', 'number')
    ORDER BY c.position, o ->> 'id', ord DESC
  )
  SELECT c.position, c.table_name, c.column_name, c.primero_field, NULL::text AS option_id,
         coalesce(c.p_en, c.label_en) AS label_en,
         -- A Khmer label only counts as Primero's if its English one does too.
         CASE WHEN c.p_en IS NOT NULL THEN coalesce(c.p_km, c.label_km) ELSE c.label_km END AS label_km,
         CASE WHEN c.p_en IS NOT NULL THEN 'primero' ELSE 'bundled' END AS source,
         c.label_from_primero AND c.p_en IS NULL AS no_primero_label, c.options IS NULL AS no_options,
         false AS from_bundle, false AS added
  FROM col_label c
  UNION ALL
  SELECT c.position, c.table_name, c.column_name, c.primero_field, p.option_id, coalesce(p.en, b.label_en), p.km,
         CASE WHEN p.en IS NOT NULL OR b.label_en IS NULL THEN 'primero' ELSE 'bundled' END,
         false, false, p.en IS NULL AND b.label_en IS NOT NULL, false
  FROM col_label c JOIN primero_option p ON p.position = c.position
  LEFT JOIN option_fallback b ON b.primero_field = c.primero_field AND b.option_id = p.option_id
  UNION ALL
  -- Codes the deployment knew and Primero no longer lists can still sit in old cases.
  SELECT c.position, c.table_name, c.column_name, c.primero_field, b.option_id, b.label_en, NULL, 'bundled', false, false, false, true
  FROM col_label c JOIN option_fallback b ON b.primero_field = c.primero_field
  WHERE c.has_options AND NOT EXISTS (SELECT 1 FROM primero_option p WHERE p.position = c.position AND p.option_id = b.option_id);

  IF metadata THEN
    RETURN QUERY
      SELECT format('Primero has no label for %s column(s) (%s): using the bundled labels', count(*), string_agg(table_name || '.' || column_name, ', ' ORDER BY position))
      FROM dictionary_new WHERE no_primero_label HAVING count(*) > 0;
    RETURN QUERY
      SELECT format('%s.%s (%s): %s', table_name, column_name, primero_field, w)
      FROM (
        SELECT position, table_name, column_name, primero_field, unnest(ARRAY[
                 CASE WHEN count(*) FILTER (WHERE added) > 0 AND bool_or(no_options) THEN format('Primero lists no options; using %s bundled English labels', count(*) FILTER (WHERE added))
                      WHEN count(*) FILTER (WHERE added) > 0 THEN format('%s option(s) missing in Primero; using the bundled English labels for them', count(*) FILTER (WHERE added)) END,
                 CASE WHEN count(*) FILTER (WHERE from_bundle) > 0 THEN format('%s option(s) without an English label in Primero; using the bundled ones', count(*) FILTER (WHERE from_bundle)) END,
                 CASE WHEN count(*) FILTER (WHERE option_id IS NOT NULL AND NOT added AND label_km IS NULL) > 0
                      THEN format('%s option(s) without a Khmer label in Primero', count(*) FILTER (WHERE option_id IS NOT NULL AND NOT added AND label_km IS NULL)) END]) AS w
        FROM dictionary_new n WHERE EXISTS (SELECT 1 FROM column_fallback c WHERE c.position = n.position AND c.has_options)
        GROUP BY position, table_name, column_name, primero_field
      ) per_column
      WHERE w IS NOT NULL ORDER BY position;
  END IF;

  DELETE FROM data_dictionary;
  INSERT INTO data_dictionary (table_name, column_name, primero_field, option_id, label_en, label_km, source)
  SELECT table_name, column_name, primero_field, option_id, label_en, label_km, source FROM dictionary_new ORDER BY position, option_id NULLS FIRST;
  -- Columns the project does not describe get a row labelled by their name.
  INSERT INTO data_dictionary (table_name, column_name, label_en, source)
  SELECT table_name, column_name, column_name, 'bundled' FROM information_schema.columns i
  WHERE table_schema = current_schema() AND table_name IN ('cases', 'services')
    AND NOT EXISTS (SELECT 1 FROM column_fallback c WHERE c.table_name = i.table_name AND c.column_name = i.column_name);
  DROP TABLE dictionary_new;

  IF locations IS NULL THEN
    RETURN NEXT 'keeping the current locations_lookup';
    RETURN;
  END IF;
  IF NOT primero_list_ok(locations, 'code') THEN
    RETURN NEXT 'Primero locations do not have the expected shape: keeping the current locations_lookup';
    RETURN;
  END IF;
  WITH place AS (
    SELECT DISTINCT ON (l ->> 'code') l ->> 'code' AS code, l FROM jsonb_array_elements(locations) WITH ORDINALITY AS t(l, ord) ORDER BY l ->> 'code', ord DESC
  ), district AS (
    SELECT d.code, d.l,
           -- The hierarchy names the province; the code's shape is the fallback (a district adds two digits).
           coalesce((SELECT e #>> '{}' FROM jsonb_array_elements(primero_array(d.l -> 'hierarchy')) WITH ORDINALITY AS t(e, ord)
                     WHERE jsonb_typeof(e) IN ('string', 'number') AND e #>> '{}' <> d.code AND e #>> '{}' ~ '^\d{1,2}$' AND starts_with(d.code, e #>> '{}')
                     ORDER BY ord LIMIT 1),
                    left(d.code, length(d.code) - 2)) AS province_code
    FROM place d WHERE d.code ~ '^\d{3,4}$'
  ), written AS (
    INSERT INTO locations_lookup AS t (code, district, district_km, province, province_km, province_code, admin_level, disabled, updated_at)
    SELECT d.code,
           coalesce(primero_label(d.l -> 'placename', 'en'), nullif(btrim(split_part(primero_label(d.l -> 'name', 'en'), '::', -1)), '')),
           coalesce(primero_label(d.l -> 'placename', 'km'), nullif(btrim(split_part(primero_label(d.l -> 'name', 'km'), '::', -1)), '')),
           coalesce(primero_label(p.l -> 'placename', 'en'), primero_label(p.l -> 'name', 'en'), nullif(btrim(split_part(primero_label(d.l -> 'name', 'en'), '::', 1)), '')),
           coalesce(primero_label(p.l -> 'placename', 'km'), primero_label(p.l -> 'name', 'km'), nullif(btrim(split_part(primero_label(d.l -> 'name', 'km'), '::', 1)), '')),
           d.province_code,
           CASE WHEN jsonb_typeof(d.l -> 'admin_level') = 'number' THEN (d.l ->> 'admin_level')::integer END,
           coalesce(jsonb_typeof(d.l -> 'disabled') = 'boolean' AND (d.l ->> 'disabled')::boolean, false),
           now()
    FROM district d LEFT JOIN place p ON p.code = d.province_code
    ON CONFLICT (code) DO UPDATE SET district = excluded.district, district_km = excluded.district_km, province = excluded.province,
      province_km = excluded.province_km, province_code = excluded.province_code, admin_level = excluded.admin_level,
      disabled = excluded.disabled, updated_at = excluded.updated_at
    RETURNING 1
  )
  SELECT count(*) INTO districts FROM written;
  IF districts = 0 THEN
    RETURN NEXT 'Primero returned no district locations: keeping the current locations_lookup';
  END IF;
END
$$;

COMMENT ON FUNCTION refresh_reference(jsonb, jsonb, jsonb) IS 'Rebuilds data_dictionary from Primero''s forms and lookups (bundled labels where Primero has none) and upserts districts into locations_lookup; returns warnings.';
