-- Shared definitions for the indicators (docs/metrics.md, "Shared definitions").
-- TEMP views and macros only, all named m_*; run once per connection before any
-- indicator. Views cover every cooperative and year: they cannot refer to the
-- engine's _cy (it may not exist when this file runs), so indicator SQL joins _cy.

-- A ratio's denominator: 0 becomes NULL, so the ratio is NULL (never 0 or an error).
CREATE OR REPLACE TEMP MACRO m_nullif_zero(x) AS nullif(x, 0);

-- The last year an open-ended row (a spell with no end date, a certification with
-- no expiry, a person still in care) counts in: this year, or a later year the
-- data already reaches (a network generated into the future).
CREATE OR REPLACE TEMP VIEW m_open_year AS
SELECT greatest(
           year(current_date),
           coalesce((SELECT max(year(start_date)) FROM workers), 0),
           coalesce((SELECT max(year(end_date)) FROM workers), 0),
           coalesce((SELECT max(year) FROM finance), 0))::INTEGER AS year;

-- Every employment spell in every calendar year it overlaps (start ≤ 31 Dec and
-- end ≥ 1 Jan): "workers active in the year". first_month..last_month are the
-- months of that year whose 15th the spell covers (first > last: none).
CREATE OR REPLACE TEMP VIEW m_active_year AS
SELECT w.coop_id, y.year::INTEGER AS year, w.person_id, w.* EXCLUDE (coop_id, person_id),
       CASE WHEN w.start_date <= make_date(y.year::INTEGER, 1, 15) THEN 1
            ELSE month(w.start_date) + CASE WHEN day(w.start_date) > 15 THEN 1 ELSE 0 END
       END::INTEGER AS first_month,
       CASE WHEN w.end_date IS NULL OR w.end_date >= make_date(y.year::INTEGER, 12, 15) THEN 12
            ELSE month(w.end_date) - CASE WHEN day(w.end_date) < 15 THEN 1 ELSE 0 END
       END::INTEGER AS last_month
FROM workers w
CROSS JOIN LATERAL (
    SELECT unnest(generate_series(year(w.start_date),
                                  coalesce(year(w.end_date), (SELECT year FROM m_open_year)))) AS year
) y;

-- Spells active on 31 December: start ≤ 31 Dec and (no end or end ≥ 31 Dec).
CREATE OR REPLACE TEMP VIEW m_active_dec31 AS
SELECT *
FROM m_active_year
WHERE start_date <= make_date(year, 12, 31)
  AND (end_date IS NULL OR end_date >= make_date(year, 12, 31));

-- Headcount on 31 December: distinct persons (a person with two spells counts once).
CREATE OR REPLACE TEMP VIEW m_hc_end AS
SELECT coop_id, year, count(DISTINCT person_id) AS hc_end
FROM m_active_dec31
GROUP BY coop_id, year;

-- One row per spell and month of the year in which it is active on the 15th.
CREATE OR REPLACE TEMP VIEW m_active_month AS
SELECT coop_id, year, unnest(generate_series(first_month, last_month))::INTEGER AS month, person_id,
       * EXCLUDE (coop_id, year, person_id, first_month, last_month)
FROM m_active_year
WHERE first_month <= last_month;

-- Average FTE of the year: the FTE active on each month's 15th, summed over the
-- 12 months and divided by 12 (a month with nobody counts as 0). A year with
-- nobody on any 15th has no row.
CREATE OR REPLACE TEMP VIEW m_fte_avg AS
SELECT coop_id, year, (sum(fte * (last_month - first_month + 1)) / 12)::DOUBLE AS fte_avg
FROM m_active_year
WHERE first_month <= last_month
GROUP BY coop_id, year;

-- Which inputs exist for a cooperative-year, and the ingest runs that loaded
-- them (the lineage of each value). The year of a row follows docs/metrics.md;
-- surveys carry no date, so their year is the four-digit year in survey_id
-- ("QS-2024"), and a survey without one has no year.
CREATE OR REPLACE TEMP VIEW m_presence AS
WITH rows_by_year AS (
    SELECT 'finance' AS table_name, coop_id, year, run_id FROM finance
    UNION ALL
    SELECT 'revenue_sources', coop_id, year, run_id FROM revenue_sources
    UNION ALL
    SELECT 'governance_meetings', coop_id, year("date"), run_id FROM governance_meetings
    UNION ALL
    SELECT 'hours', coop_id, year("month"), run_id FROM hours
    UNION ALL
    SELECT 'services', coop_id, year("month"), run_id FROM services
    UNION ALL
    SELECT 'processes', coop_id, year(snapshot_date), run_id FROM processes
    UNION ALL
    SELECT 'trainings', coop_id, year(end_date), run_id FROM trainings
    UNION ALL
    SELECT 'certifications', c.coop_id, y.year, c.run_id
    FROM certifications c
    CROSS JOIN LATERAL (
        SELECT unnest(generate_series(year(c.issue_date),
                                      coalesce(year(c.expiry_date), (SELECT year FROM m_open_year)))) AS year
    ) y
    UNION ALL
    SELECT 'workers', coop_id, year, run_id FROM m_active_year
    UNION ALL
    -- People still waiting (no intake) count in the year they asked.
    SELECT 'beneficiaries', b.coop_id, y.year, b.run_id
    FROM beneficiaries b
    CROSS JOIN LATERAL (
        SELECT unnest(generate_series(year(coalesce(b.intake_date, b.request_date)),
                                      CASE WHEN b.intake_date IS NULL THEN year(b.request_date)
                                           ELSE coalesce(year(b.end_date), (SELECT year FROM m_open_year)) END)) AS year
    ) y
    WHERE coalesce(b.intake_date, b.request_date) IS NOT NULL
    UNION ALL
    SELECT 'skills_assessments', coop_id, year(assessed_on), run_id FROM skills_assessments
    UNION ALL
    SELECT 'dma_responses', coop_id, year(assessed_on), run_id FROM dma_responses
    UNION ALL
    SELECT 'surveys', coop_id, TRY_CAST(nullif(regexp_extract(survey_id, '(19|20)[0-9][0-9]'), '') AS INTEGER), run_id
    FROM surveys
)
SELECT table_name, coop_id, year::INTEGER AS year, list(DISTINCT run_id ORDER BY run_id) AS run_ids
FROM rows_by_year
WHERE year IS NOT NULL
GROUP BY table_name, coop_id, year;
