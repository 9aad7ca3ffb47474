package ingest

import (
	"coopimpact/ingest/catalog"
	"coopimpact/internal/store"
)

// lineageSQL holds what every run leaves besides its rows: each problem with
// its words, and the rows set aside (masked: no raw identifier is ever kept).
const lineageSQL = `
CREATE TABLE IF NOT EXISTS ingest_problems (
    run_id      BIGINT NOT NULL,
    source_line BIGINT,
    sheet       VARCHAR,
    column_name VARCHAR NOT NULL,
    value       VARCHAR,
    rule        VARCHAR NOT NULL,
    message_it  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_run_slices (
    run_id  BIGINT NOT NULL,
    coop_id VARCHAR,
    period  VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_quarantine (
    run_id      BIGINT NOT NULL,
    source_line BIGINT,
    sheet       VARCHAR,
    row_json    JSON NOT NULL
);
`

// Migrations are the ingest package's tables: lineage, and one canonical
// table per dataset of the contract, generated from the catalogue. A change
// to the catalogue's columns needs a new migration here (ALTER TABLE), since
// a migration that ran once never runs again.
func Migrations() []store.Migration {
	return []store.Migration{
		{ID: "0100_ingest_lineage", SQL: lineageSQL},
		{ID: "0101_ingest_datasets", SQL: catalog.Default().MigrationSQL()},
	}
}
