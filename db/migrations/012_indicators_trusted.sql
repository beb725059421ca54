-- 012: indicators the dashboard team can trust (issue 12).
--
-- * Disabled cases leave `cases` (their services go with them by the foreign
--   key's cascade): any query over `cases` that does not know a flag would
--   count them. They come back when Primero enables them again.
-- * The case's own `status` and `date_closure` are kept, and a case counts in a
--   quarter when it was open during it (not up to its last edit).
-- * Locations resolve at every level (province, district, commune, village).
-- * Unknown option and location codes are reported by field and code, with the
--   number of cases carrying them.

ALTER TABLE cases
  ADD COLUMN status text,
  ADD COLUMN date_closure date;

COMMENT ON COLUMN cases.status IS 'Primero case status as stored: open, closed, duplicate (never counted), transferred, ... NULL only on rows loaded before the sync fetched it (run sync --since once to fill it).';
COMMENT ON COLUMN cases.date_closure IS 'Primero date_closure: the day the case was closed (Cambodian calendar day). NULL while open, or when Primero has none.';

-- Rows an earlier version kept with record_state = false: they leave now, as the sync removes them from here on.
DELETE FROM cases WHERE NOT record_state;

COMMENT ON TABLE cases IS 'One row per enabled Primero case feeding indicator 4.8 or 4.11a. Key: case_id (Primero case_id_display). A case Primero disables is removed (with its services) and comes back when Primero enables it again; a case that leaves both indicators is removed.';
COMMENT ON COLUMN cases.record_state IS 'Always true: cases disabled in Primero are removed from this table (the column stays for compatibility).';
COMMENT ON COLUMN cases.location_code IS 'Primero location_current: a Cambodian administrative code at any level (province 1-2 digits, district +2, commune +2, village +2), as Primero stores it.';
COMMENT ON COLUMN cases.province_current IS 'Province of location_current (whatever its level), through locations_lookup; NULL when the code is not in the lookup (reported in sync_rejects).';
COMMENT ON COLUMN cases.province_current_code IS 'Province code of location_current; NULL when the province is not in locations_lookup.';
COMMENT ON COLUMN cases.district_current IS 'District of location_current, through locations_lookup; NULL when location_current is a province, or its district is not in the lookup.';
COMMENT ON COLUMN cases.district_current_code IS 'District code of location_current (first 3 or 4 digits); NULL when location_current is a province, or its district is not in locations_lookup.';
COMMENT ON COLUMN cases.province_caregiver IS 'Province of location_caregiver (whatever its level), through locations_lookup.';
COMMENT ON COLUMN cases.province_caregiver_code IS 'Province code of location_caregiver; NULL when not in locations_lookup.';
COMMENT ON COLUMN cases.district_caregiver IS 'District of location_caregiver; NULL when it is a province, or its district is not in locations_lookup.';
COMMENT ON COLUMN cases.district_caregiver_code IS 'District code of location_caregiver; NULL when it is a province, or its district is not in locations_lookup.';

ALTER TABLE sync_runs ADD COLUMN removed_disabled_count integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN sync_runs.removed_count IS 'Cases removed because they left both indicators (a child who turned 18, a re-typed case).';
COMMENT ON COLUMN sync_runs.removed_disabled_count IS 'Cases removed because Primero disabled them (with their services).';
COMMENT ON COLUMN sync_runs.notes_count IS 'Values loaded as NULL or kept as unknown codes (one per case and field).';

-- Unknown codes: one row per run, field and code, with the number of cases carrying it.
ALTER TABLE sync_rejects
  ADD COLUMN code text,
  ADD COLUMN case_count integer;
CREATE UNIQUE INDEX sync_rejects_unknown_code_key ON sync_rejects (run_id, field, code) WHERE kind = 'unknown_code';

COMMENT ON TABLE sync_rejects IS 'What a run could not load, or loaded with a caveat: ids, the field and the reason (never a value of the record), and unknown codes by field and code with a count (no case id).';
COMMENT ON COLUMN sync_rejects.kind IS 'rejected: the record (or service row) was not loaded; nulled: loaded with this field NULL; unknown_code: an option code not in data_dictionary (kept as its own label) or a location code not in locations_lookup (names left empty): one row per run, field and code, case_count cases, no case id.';
COMMENT ON COLUMN sync_rejects.code IS 'kind unknown_code: the option or location code (codes come from Primero lookups and its location tree; a value not shaped like an option id shows as "(not an option id)", so free text never appears).';
COMMENT ON COLUMN sync_rejects.case_count IS 'kind unknown_code: cases carrying the code in this field, added up over the run''s batches (a case read again at a page boundary can count twice).';

-- The quarter rule. A case counts in a quarter when it was open during it:
-- from the quarter of registration_date to the quarter of date_closure, or to
-- the current quarter while it is open, in Cambodian local time (UTC+7, no
-- DST). Status duplicate never counts. Details in the view comments below.
CREATE OR REPLACE VIEW indicator_case_quarters AS
WITH local AS (
  SELECT c.*,
         -- timestamptz -> Cambodian local date, without relying on tz data.
         ((c.last_updated_date AT TIME ZONE 'UTC') + interval '7 hours')::date AS last_updated_local,
         ((now() AT TIME ZONE 'UTC') + interval '7 hours')::date AS today_local
  FROM cases c
  WHERE c.record_state AND c.status IS DISTINCT FROM 'duplicate'
), spans AS (
  SELECT l.*,
         coalesce(l.registration_date, l.last_updated_local) AS open_from,
         CASE
           -- Loaded before the sync fetched status: the former rule (through the last update) until it is fetched again.
           WHEN l.status IS NULL THEN l.last_updated_local
           -- Closed without a closure date (legacy data): its last update is the last evidence of activity.
           WHEN l.status = 'closed' THEN coalesce(l.date_closure, l.last_updated_local)
           -- open, transferred, identified, ...: Primero has not closed it.
           ELSE l.today_local
         END AS open_to
  FROM local l
)
SELECT
  to_char(q.quarter_start, 'YYYY') || '-Q' || to_char(q.quarter_start, 'Q') AS quarter,
  q.quarter_start::date AS quarter_start,
  c.case_id,
  c.case_source,
  c.type_of_case,
  c.type_of_case_code,
  c.age,
  coalesce(c.province_current_code, l.province_code) AS province_code,
  coalesce(l.province, c.province_current, 'Unknown') AS province_en,
  coalesce(l.province_km, l.province, p.province_km, c.province_current, 'មិនស្គាល់') AS province_km,
  c.district_current_code AS district_code,
  coalesce(l.district, c.district_current, 'Unknown') AS district_en,
  coalesce(l.district_km, l.district, c.district_current, 'មិនស្គាល់') AS district_km,
  coalesce(c.sex_code, c.sex) AS sex_code,
  coalesce(s.label_en, c.sex, 'Unknown') AS sex_en,
  coalesce(s.label_km, s.label_en, c.sex, 'មិនស្គាល់') AS sex_km,
  CASE
    WHEN c.age IS NULL OR c.age < 0 THEN 'unknown'
    WHEN c.age <= 4 THEN '0-4'
    WHEN c.age <= 9 THEN '5-9'
    WHEN c.age <= 14 THEN '10-14'
    WHEN c.age <= 17 THEN '15-17'
    ELSE '18+'
  END AS age_band,
  CASE
    WHEN c.age IS NULL OR c.age < 0 THEN 'មិនស្គាល់'
    WHEN c.age <= 4 THEN '០-៤'
    WHEN c.age <= 9 THEN '៥-៩'
    WHEN c.age <= 14 THEN '១០-១៤'
    WHEN c.age <= 17 THEN '១៥-១៧'
    ELSE '១៨+'
  END AS age_band_km,
  c.status
FROM spans c
CROSS JOIN LATERAL generate_series(
  date_trunc('quarter', c.open_from::timestamp),
  -- Never past the current quarter; a closure dated before registration (bad data) counts the registration quarter.
  date_trunc('quarter', greatest(c.open_from, least(c.open_to, c.today_local))::timestamp),
  interval '3 months'
) AS q(quarter_start)
LEFT JOIN locations_lookup l ON l.code = c.district_current_code
-- A case at province level has no district: its province's Khmer name comes from any district of that province.
LEFT JOIN LATERAL (
  SELECT p.province_km FROM locations_lookup p
  WHERE c.district_current_code IS NULL AND p.province_code = c.province_current_code AND p.province_km IS NOT NULL
  ORDER BY p.code LIMIT 1
) p ON true
LEFT JOIN LATERAL (
  -- Prefer the option row of the stored code; fall back to matching the English label.
  SELECT d.label_en, d.label_km
  FROM data_dictionary d
  WHERE d.table_name = 'cases' AND d.column_name = 'sex' AND d.option_id IS NOT NULL
    AND (d.option_id = c.sex_code OR (c.sex_code IS NULL AND d.label_en = c.sex))
  ORDER BY (d.option_id = c.sex_code) DESC NULLS LAST
  LIMIT 1
) s ON true;

COMMENT ON VIEW indicator_case_quarters IS 'One row per counted case and quarter in which it was open, with English and Khmer labels; base of the indicator views. A case counts in a quarter when it was open during it: from the quarter of registration_date to the quarter of date_closure, or to the current quarter while it is open (any status but closed), in Cambodian local time (UTC+7). Status duplicate never counts; cases disabled in Primero are not in cases. Edits after closure change nothing. A closed case without date_closure counts through the quarter of last_updated_date; a row loaded before the sync fetched status (status NULL) also, until it is fetched again. Do not add quarters up for a year: count distinct case_id over the year here.';

COMMENT ON VIEW indicator_4_8 IS 'Indicator 4.8: distinct children whose case type is "children undergoing reintegration", per quarter in which the case was open (registration quarter to closure quarter, or to the current quarter while open; UTC+7; duplicates never), province, district, sex and age band.';

COMMENT ON VIEW indicator_4_11a IS 'Indicator 4.11a: distinct children aged 0-17, per quarter in which the case was open (registration quarter to closure quarter, or to the current quarter while open; UTC+7; duplicates never), province, district, sex, age band and case source (primero/oscar).';
