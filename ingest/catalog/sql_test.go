package catalog

import (
	"database/sql"
	"reflect"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database shared by all statements
	t.Cleanup(func() { db.Close() })
	return db
}

type colInfo struct {
	name, typ string
	nullable  bool
}

func describe(t *testing.T, db *sql.DB, table string) []colInfo {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_name = ? ORDER BY ordinal_position`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []colInfo
	for rows.Next() {
		var c colInfo
		var null string
		if err := rows.Scan(&c.name, &c.typ, &null); err != nil {
			t.Fatal(err)
		}
		c.nullable = null == "YES"
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The contract's pseudonymised identifiers.
var pseudonymised = map[string]bool{"person_id": true, "beneficiary_id": true, "respondent_key": true}

func TestCreateTableSQLRunsInDuckDB(t *testing.T) {
	db := openDuckDB(t)
	sqlType := map[string]string{"text": "VARCHAR", "int": "BIGINT", "dec": "DOUBLE", "bool": "BOOLEAN",
		"date": "DATE", "month": "DATE", "year": "INTEGER"}
	for _, ds := range contract {
		d, _ := Default().Dataset(ds.name)
		if _, err := db.Exec(d.CreateTableSQL()); err != nil {
			t.Fatalf("%s: %v\n%s", ds.name, err, d.CreateTableSQL())
		}
		// Expected from the hand-written contract, not from the catalogue.
		var want []colInfo
		for _, spec := range ds.columns {
			name, typ, _ := strings.Cut(spec, ":")
			req := strings.HasSuffix(typ, "*")
			typSQL := sqlType[strings.TrimSuffix(typ, "*")]
			if pseudonymised[name] {
				typSQL = "BLOB" // the 32-byte HMAC, never the raw identifier
			}
			want = append(want, colInfo{name, typSQL, !req})
		}
		want = append(want, colInfo{"run_id", "BIGINT", false}, colInfo{"source_line", "BIGINT", true})
		if got := describe(t, db, ds.name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s table\n got %v\nwant %v", ds.name, got, want)
		}
		// Idempotent.
		if _, err := db.Exec(d.CreateTableSQL()); err != nil {
			t.Errorf("%s: second CREATE: %v", ds.name, err)
		}
	}
}

func TestMigrationSQLRunsInDuckDB(t *testing.T) {
	db := openDuckDB(t)
	m := Default().MigrationSQL()
	for i := 0; i < 2; i++ {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(contract)+1 {
		t.Errorf("%d tables, want %d", n, len(contract)+1)
	}
	want := []colInfo{{"run_id", "BIGINT", false}, {"dataset", "VARCHAR", false}, {"source_line", "BIGINT", true},
		{"sheet", "VARCHAR", true}, {"column_name", "VARCHAR", true}, {"value", "VARCHAR", true},
		{"rule", "VARCHAR", true}, {"message_it", "VARCHAR", true}, {"message_en", "VARCHAR", true}}
	if got := describe(t, db, RejectsTable); !reflect.DeepEqual(got, want) {
		t.Errorf("ingest_rejects\n got %v\nwant %v", got, want)
	}
	// Catalogue order: the statements appear in dataset order.
	last := -1
	for _, d := range Default().Datasets {
		i := strings.Index(m, `CREATE TABLE IF NOT EXISTS "`+d.Table+`" (`)
		if i <= last {
			t.Errorf("%s out of order in MigrationSQL", d.Table)
		}
		last = i
	}
}

func TestTablesAcceptRowsAndChecks(t *testing.T) {
	db := openDuckDB(t)
	if _, err := db.Exec(Default().MigrationSQL()); err != nil {
		t.Fatal(err)
	}
	// Keyword-like column names (date, year, month, value) work when quoted.
	exec := func(q string) {
		t.Helper()
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO governance_meetings VALUES ('01234567890', 'assembly', DATE '2024-04-30', 120, 80, 1, 2),
		('01234567890', 'board', DATE '2024-05-10', 5, 7, 1, 3)`)
	exec(`INSERT INTO hours VALUES ('01234567890', 'ab12', DATE '2024-03-01', 'direct_service', 120.5, 1, 2)`)
	exec(`INSERT INTO workers ("coop_id","person_id","gender","is_member","contract_type","fte","start_date","end_date","run_id")
		VALUES ('01234567890','h1','F',true,'permanent',1,DATE '2020-01-01',DATE '2019-12-31',1),
		       ('01234567890','h2','M',false,'fixed_term',0.5,DATE '2020-01-01',NULL,1)`)
	exec(`INSERT INTO targets ("indicator_id","year","target_value","direction","run_id") VALUES ('ECO-01', 2026, 5, 'increase', 1)`)

	g, _ := Default().Dataset("governance_meetings")
	w, _ := Default().Dataset("workers")
	for _, tt := range []struct {
		d    *Dataset
		bad  int
		line int64
	}{{g, 1, 3}, {w, 1, 0}} {
		var n int
		var line sql.NullInt64
		q := `SELECT count(*), max(source_line) FROM ` + QuoteIdent(tt.d.Table) + ` WHERE NOT ` + tt.d.Checks[0].SQL()
		if err := db.QueryRow(q).Scan(&n, &line); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != tt.bad || line.Int64 != tt.line {
			t.Errorf("%s: %d rows break %s (line %v), want %d (line %d)", tt.d.Name, n, tt.d.Checks[0].Rule(), line, tt.bad, tt.line)
		}
	}
	// Required columns are NOT NULL in the table too.
	if _, err := db.Exec(`INSERT INTO hours ("coop_id","month","activity","hours","run_id") VALUES ('X1', DATE '2024-01-01', 'other', 1, 1)`); err == nil {
		t.Error("hours accepted a row without person_id")
	}
}
