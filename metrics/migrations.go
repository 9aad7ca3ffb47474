package metrics

import "coopimpact/internal/store"

// valuesSQL is docs/metrics.md's indicator_values table, plus metric_params
// (the parameter values the hub chose when not the catalogue's default).
// No key constraint on indicator_values: the network rows have coop_id NULL,
// and a recompute deletes and re-inserts the same keys in one transaction.
const valuesSQL = `
CREATE TABLE IF NOT EXISTS indicator_values (
    indicator_id    VARCHAR NOT NULL,
    coop_id         VARCHAR,
    year            INTEGER NOT NULL,
    breakdown       VARCHAR NOT NULL DEFAULT '',
    value           DOUBLE,
    numerator       DOUBLE,
    denominator     DOUBLE,
    n               BIGINT,
    status          VARCHAR NOT NULL,
    missing         VARCHAR[],
    params          VARCHAR,
    formula_version INTEGER NOT NULL,
    run_ids         BIGINT[],
    computed_at     TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS metric_params (
    indicator_id VARCHAR NOT NULL,
    param        VARCHAR NOT NULL,
    value        VARCHAR NOT NULL,
    updated_by   VARCHAR NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_id, param)
);
`

// coopYearsSQL keeps, per cooperative and year, the facts peer groups need
// that only the shared SQL knows (the average FTE of m_fte_avg, for the size
// class), written by each recompute with the values.
const coopYearsSQL = `
CREATE TABLE IF NOT EXISTS metric_coop_years (
    coop_id     VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    fte_avg     DOUBLE,
    computed_at TIMESTAMP NOT NULL
);
`

// Migrations are the metrics package's tables.
func Migrations() []store.Migration {
	return []store.Migration{
		{ID: "0300_metrics", SQL: valuesSQL},
		{ID: "0301_metrics_coop_years", SQL: coopYearsSQL},
	}
}
