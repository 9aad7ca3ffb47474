-- DMA scoring (EDIH Digital Maturity Assessment, SME questionnaire), exactly as
-- indicators.md "DMA scoring" says. TEMP views only, all named m_dma_*. The
-- questionnaire's structure and weights are the DATA below (m_dma_kind,
-- m_dma_scheme, m_dma_band): the EDIH may change them, so change them here,
-- never in Go and never per question in the indicator SQL.

-- Answer kinds: the top value of one item. A question scores
-- 10 × Σ value ÷ (item_max × items), so
--   checklist       0/1 per item            → 10 × selected ÷ items
--   invest_plan     invested 1, planned 0.5 → 10 × Σ ÷ items (Q15)
--   scale_0_5       0–5 per row             → 10 × Σ ÷ (5 × rows)
--   no_partial_yes  0 / 0.5 / 1             → 10 × Σ ÷ rows
CREATE OR REPLACE TEMP VIEW m_dma_kind AS
SELECT kind::VARCHAR AS kind, item_max::DOUBLE AS item_max
FROM (VALUES
    ('checklist',      1),
    ('invest_plan',    1),
    ('scale_0_5',      5),
    ('no_partial_yes', 1)
) AS t(kind, item_max);

-- The questions: dimension, answer kind, number of items (the denominator,
-- so an item left out of a file counts as not selected / 0), the item that
-- forces the question to 0 when selected, and the question's relative weight
-- inside its dimension. A dimension scores 10 × Σ(weight × score) ÷ Σ weight:
-- with equal weights (Qa + Qb) × 5 for two questions and Q23 × 10 for D5.
CREATE OR REPLACE TEMP VIEW m_dma_scheme AS
SELECT question_code::VARCHAR AS question_code, dimension::VARCHAR AS dimension, kind::VARCHAR AS kind,
       items::INTEGER AS items, exclusive_item::VARCHAR AS exclusive_item, weight::DOUBLE AS weight
FROM (VALUES
    ('Q15', 'D1', 'invest_plan',    10, NULL,                      1),  -- business areas
    ('Q16', 'D1', 'checklist',      10, NULL,                      1),  -- readiness statements
    ('Q17', 'D2', 'checklist',      10, NULL,                      1),  -- basic technologies
    ('Q18', 'D2', 'scale_0_5',       7, NULL,                      1),  -- advanced technologies
    ('Q19', 'D3', 'checklist',       7, NULL,                      1),  -- up-skilling practices
    ('Q20', 'D3', 'checklist',       8, NULL,                      1),  -- engagement practices
    ('Q21', 'D4', 'checklist',       8, 'not_collected_digitally', 1),  -- data practices
    ('Q22', 'D4', 'checklist',       6, NULL,                      1),  -- security practices
    ('Q23', 'D5', 'scale_0_5',       5, NULL,                      1),  -- AI and automation
    ('Q24', 'D6', 'checklist',      10, NULL,                      1),  -- green practices
    ('Q25', 'D6', 'no_partial_yes',  5, NULL,                      1)   -- green statements
) AS t(question_code, dimension, kind, items, exclusive_item, weight);

-- Bands of the overall score, on the score rounded to a whole point (the
-- EDIH's ranges are whole numbers: 25.4 is basic, 25.5 average).
CREATE OR REPLACE TEMP VIEW m_dma_band AS
SELECT band::VARCHAR AS band, lo::INTEGER AS lo, hi::INTEGER AS hi
FROM (VALUES
    ('basic',                0,  25),
    ('average',             26,  50),
    ('moderately_advanced', 51,  75),
    ('advanced',            76, 100)
) AS t(band, lo, hi);

-- One row per cooperative and wave. A wave is one event dated by its last
-- answer; its year is the year of that date.
CREATE OR REPLACE TEMP VIEW m_dma_wave AS
SELECT coop_id, wave, max(assessed_on) AS assessed_on, year(max(assessed_on))::INTEGER AS year
FROM dma_responses
GROUP BY coop_id, wave;

-- Which wave is "the latest assessed up to year Y": each wave holds from its
-- own year to the year before the cooperative's next wave (open-ended for
-- the last). Indicators join _cy ON year BETWEEN year_from AND year_to. A
-- wave followed by another in the same year holds for no year.
CREATE OR REPLACE TEMP VIEW m_dma_current AS
SELECT coop_id, wave, assessed_on, year AS year_from,
       coalesce(lead(year) OVER (PARTITION BY coop_id ORDER BY assessed_on, wave) - 1, 9999)::INTEGER AS year_to
FROM m_dma_wave;

-- Each question of each wave scored 0–10. Every question of the scheme gets a
-- row: a question with no answer rows at all has score0_10 NULL (the
-- questionnaire is incomplete, so its dimension and the overall are NULL).
-- Item codes are matched case-insensitively; the score is capped at 10 so
-- stray extra items cannot push it past the scale.
CREATE OR REPLACE TEMP VIEW m_dma_question AS
WITH answered AS (
    SELECT r.coop_id, r.wave, r.question_code,
           sum(r.value) AS total,
           count(*) AS answer_rows,
           coalesce(bool_or(r.value > 0 AND lower(r.item_code) = lower(s.exclusive_item)), false) AS exclusive_selected
    FROM dma_responses r
    JOIN m_dma_scheme s ON s.question_code = r.question_code
    GROUP BY r.coop_id, r.wave, r.question_code
)
SELECT w.coop_id, w.wave, w.year, w.assessed_on, s.question_code, s.dimension, s.kind, s.items, s.weight,
       (CASE WHEN a.question_code IS NULL THEN NULL
             WHEN a.exclusive_selected THEN 0
             ELSE least(10, 10 * a.total / (k.item_max * s.items)) END)::DOUBLE AS score0_10,
       coalesce(a.answer_rows, 0)::BIGINT AS answer_rows
FROM m_dma_wave w
CROSS JOIN m_dma_scheme s
JOIN m_dma_kind k ON k.kind = s.kind
LEFT JOIN answered a ON a.coop_id = w.coop_id AND a.wave = w.wave AND a.question_code = s.question_code;

-- Each dimension of each wave scored 0–100 = 100 × points ÷ max_points, where
-- points = Σ weight × question score and max_points = Σ weight × 10; NULL
-- unless every question of the dimension was answered.
CREATE OR REPLACE TEMP VIEW m_dma_dimension AS
SELECT coop_id, wave, year, assessed_on, dimension,
       (CASE WHEN count(score0_10) = count(*) THEN 100 * sum(weight * score0_10) / (10 * sum(weight)) END)::DOUBLE AS score0_100,
       (CASE WHEN count(score0_10) = count(*) THEN sum(weight * score0_10) END)::DOUBLE AS points,
       (10 * sum(weight))::DOUBLE AS max_points,
       count(*)::BIGINT AS questions,
       count(score0_10)::BIGINT AS questions_answered
FROM m_dma_question
GROUP BY coop_id, wave, year, assessed_on, dimension;

-- The overall score of each wave: the plain mean of the dimension scores
-- (D1..D6), NULL unless every dimension is scored; dimensions_total is the
-- sum of the scores, dimensions how many are scored, and band its EDIH level.
CREATE OR REPLACE TEMP VIEW m_dma_overall AS
WITH o AS (
    SELECT coop_id, wave, year, assessed_on,
           (CASE WHEN count(score0_100) = count(*) THEN avg(score0_100) END)::DOUBLE AS score0_100,
           (CASE WHEN count(score0_100) = count(*) THEN sum(score0_100) END)::DOUBLE AS dimensions_total,
           count(score0_100)::BIGINT AS dimensions,
           count(*)::BIGINT AS dimensions_expected
    FROM m_dma_dimension
    GROUP BY coop_id, wave, year, assessed_on
)
SELECT o.*, b.band
FROM o
LEFT JOIN m_dma_band b ON round(o.score0_100) BETWEEN b.lo AND b.hi;
