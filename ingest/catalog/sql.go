package catalog

import (
	"strings"
)

// RejectsTable is the quarantine table created by MigrationSQL.
const RejectsTable = "ingest_rejects"

// QuoteIdent quotes a DuckDB identifier. Contract names such as "date", "year", "month" and
// "value" are keywords somewhere, so generated SQL always quotes.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// CreateTableSQL is the DuckDB DDL of the dataset's canonical table: every contract column
// in catalogue order (required ones NOT NULL), then run_id (the ingest run that loaded the
// row) and source_line (its line, or row, in the file). Pseudonymised columns hold the
// 32-byte HMAC as a BLOB (half the size of hex, and measurably cheaper to write on large
// files), never the raw value. No primary key: slices are replaced by delete+insert inside one
// transaction, and keys are checked on the file before loading.
func (d *Dataset) CreateTableSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(QuoteIdent(d.Table))
	b.WriteString(" (\n")
	for _, col := range d.Columns {
		b.WriteString("    ")
		b.WriteString(QuoteIdent(col.Name))
		b.WriteByte(' ')
		b.WriteString(col.SQLType())
		if col.Required {
			b.WriteString(" NOT NULL")
		}
		b.WriteString(",\n")
	}
	b.WriteString("    \"run_id\" BIGINT NOT NULL,\n")
	b.WriteString("    \"source_line\" BIGINT\n);\n")
	return b.String()
}

// SQLType is the column's DuckDB type in the canonical table.
func (col *Column) SQLType() string {
	if col.Pseudonymise {
		return "BLOB"
	}
	return col.Type.SQL()
}

// RejectsSQL is the DDL of the quarantine table. The loader writes Dataset.RejectValue into
// value, so the raw value of a pseudonymised column (often a codice fiscale) is never stored
// there; name-like columns are dropped before validation and never reach it either.
func RejectsSQL() string {
	return `CREATE TABLE IF NOT EXISTS "` + RejectsTable + `" (
    "run_id" BIGINT NOT NULL,
    "dataset" VARCHAR NOT NULL,
    "source_line" BIGINT,
    "sheet" VARCHAR,
    "column_name" VARCHAR,
    "value" VARCHAR,
    "rule" VARCHAR,
    "message_it" VARCHAR,
    "message_en" VARCHAR
);
`
}

// MigrationSQL creates every canonical table in catalogue order, then the quarantine table.
// It is idempotent (IF NOT EXISTS); changing a column of an existing table needs a migration
// of its own.
func (c *Catalog) MigrationSQL() string {
	var b strings.Builder
	for _, d := range c.Datasets {
		b.WriteString(d.CreateTableSQL())
		b.WriteByte('\n')
	}
	b.WriteString(RejectsSQL())
	return b.String()
}
