-- 003: indicator views for the dashboard (definitions also in db/README.md).
--
-- "Quarter" (calendar quarter, Cambodian local time, UTC+7 with no DST):
-- a case counts in every quarter from the quarter of its registration_date
-- through the quarter of its last_updated_date (its last recorded activity in
-- Primero), inclusive. So a child is counted in each quarter in which their
-- case was open and worked on, not only in the quarter they were registered;
-- a case with one of the two dates missing counts in the quarter of the other.
-- Counts are of DISTINCT children (one case = one child) per quarter and
-- breakdown; adding quarters together counts a child several times, so annual
-- figures must be computed from indicator_case_quarters, not by summing.
-- Age is the age recorded in Primero at the time of the sync.
-- Cases disabled in Primero (record_state = false) are excluded.

CREATE VIEW indicator_case_quarters AS
WITH local AS (
  SELECT c.*,
         -- timestamptz -> Cambodian local date, without relying on tz data.
         ((c.last_updated_date AT TIME ZONE 'UTC') + interval '7 hours')::date AS last_updated_local
  FROM cases c
  WHERE c.record_state
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
  coalesce(l.province_km, l.province, c.province_current, 'មិនស្គាល់') AS province_km,
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
  END AS age_band_km
FROM local c
CROSS JOIN LATERAL generate_series(
  date_trunc('quarter', least(coalesce(c.registration_date, c.last_updated_local), coalesce(c.last_updated_local, c.registration_date))::timestamp),
  date_trunc('quarter', greatest(coalesce(c.registration_date, c.last_updated_local), coalesce(c.last_updated_local, c.registration_date))::timestamp),
  interval '3 months'
) AS q(quarter_start)
LEFT JOIN locations_lookup l ON l.code = c.district_current_code
LEFT JOIN LATERAL (
  -- Prefer the option row of the stored code; fall back to matching the English label.
  SELECT d.label_en, d.label_km
  FROM data_dictionary d
  WHERE d.table_name = 'cases' AND d.column_name = 'sex' AND d.option_id IS NOT NULL
    AND (d.option_id = c.sex_code OR (c.sex_code IS NULL AND d.label_en = c.sex))
  ORDER BY (d.option_id = c.sex_code) DESC NULLS LAST
  LIMIT 1
) s ON true;

COMMENT ON VIEW indicator_case_quarters IS 'One row per enabled case and quarter in which it was active (registration quarter through last-update quarter, UTC+7), with English and Khmer labels. Base of the indicator views.';

-- 4.8: children provided with family reunification or kinship, or
-- community-based care placements = cases whose type_of_case is "children
-- undergoing reintegration" (any age; 18+ and unknown ages get their own band).
CREATE VIEW indicator_4_8 AS
SELECT quarter, quarter_start,
       province_code, province_en, province_km,
       district_code, district_en, district_km,
       sex_code, sex_en, sex_km,
       age_band, age_band_km,
       count(DISTINCT case_id)::integer AS children
FROM indicator_case_quarters
WHERE type_of_case = 'children undergoing reintegration'
   OR type_of_case_code LIKE 'children\_undergoing\_reintegration%'
GROUP BY quarter, quarter_start, province_code, province_en, province_km,
         district_code, district_en, district_km, sex_code, sex_en, sex_km, age_band, age_band_km;

COMMENT ON VIEW indicator_4_8 IS 'Indicator 4.8: distinct children whose case type is "children undergoing reintegration", per quarter of activity, province, district, sex and age band; cases disabled in Primero excluded.';

-- 4.11a: children receiving case management support = enabled cases of
-- children under 18 (age 0..17), by case source (Primero or OSCaR) as well.
CREATE VIEW indicator_4_11a AS
SELECT quarter, quarter_start,
       province_code, province_en, province_km,
       district_code, district_en, district_km,
       sex_code, sex_en, sex_km,
       age_band, age_band_km,
       case_source,
       count(DISTINCT case_id)::integer AS children
FROM indicator_case_quarters
WHERE age BETWEEN 0 AND 17
GROUP BY quarter, quarter_start, province_code, province_en, province_km,
         district_code, district_en, district_km, sex_code, sex_en, sex_km, age_band, age_band_km, case_source;

COMMENT ON VIEW indicator_4_11a IS 'Indicator 4.11a: distinct children aged 0-17 with an enabled case, per quarter of activity, province, district, sex, age band and case source (primero/oscar).';
