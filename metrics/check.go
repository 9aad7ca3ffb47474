package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"coopimpact/internal/store"
)

// contractColumns is the SQL contract: names and the kind of type each takes.
var contractColumns = []struct{ name, kind string }{
	{"coop_id", "text"}, {"year", "integer"}, {"value", "number"}, {"numerator", "number"},
	{"denominator", "number"}, {"n", "integer"},
}

// schemaColumn is one column of the database's main schema.
type schemaColumn struct {
	nullable bool
}

// dbSchema maps table → column → facts.
type dbSchema map[string]map[string]schemaColumn

func readSchema(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (dbSchema, error) {
	rows, err := q.QueryContext(ctx, `SELECT table_name, column_name, is_nullable = 'YES'
		FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	s := dbSchema{}
	for rows.Next() {
		var t, c string
		var n bool
		if err := rows.Scan(&t, &c, &n); err != nil {
			return nil, err
		}
		if s[t] == nil {
			s[t] = map[string]schemaColumn{}
		}
		s[t][c] = schemaColumn{nullable: n}
	}
	return s, rows.Err()
}

// Check runs the catalogue against the database: every input names a
// column of the schema, the shared SQL runs, and every indicator's SQL
// compiles and returns exactly the contract's columns with compatible types
// (run with an empty _cy and _years, LIMIT 0, parameters at their defaults).
// Problems come back as CatalogErrors; warnings (an input table that does not
// exist yet, such as learning_records before the courses module) do not stop
// the engine: those indicators stay not computable.
func (c *Catalog) Check(ctx context.Context, db *store.DB) (warnings CatalogErrors, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer discard(conn) // its TEMP views and tables stay off the pool
	schema, err := readSchema(ctx, conn)
	if err != nil {
		return nil, err
	}
	var errs CatalogErrors
	for _, ind := range c.Indicators {
		for _, in := range ind.Inputs {
			t, col := inputTable(in)
			cols, ok := schema[t]
			switch {
			case !ok:
				warnings = append(warnings, &CatalogError{File: ind.File, ID: ind.ID, Text: Text{
					It: fmt.Sprintf("la tabella %q dell'input %s non esiste ancora: l'indicatore resta non calcolabile", t, in),
					En: fmt.Sprintf("table %q of input %s does not exist yet: the indicator stays not computable", t, in)}})
			case col != "":
				if _, ok := cols[col]; !ok {
					errs = append(errs, &CatalogError{File: ind.File, ID: ind.ID, Text: Text{
						It: fmt.Sprintf("input %s: la tabella %s non ha la colonna %q", in, t, col),
						En: fmt.Sprintf("input %s: table %s has no column %q", in, t, col)}})
				}
			}
		}
	}
	if err := c.installShared(ctx, conn); err != nil {
		return warnings, append(errs, asCatalogErrors(err)...)
	}
	if err := c.setParams(ctx, conn, nil); err != nil {
		return warnings, err
	}
	for _, q := range []string{
		"CREATE OR REPLACE TEMP TABLE _cy (coop_id VARCHAR, year INTEGER)",
		"CREATE OR REPLACE TEMP TABLE _years (year INTEGER)",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return warnings, err
		}
	}
	for _, ind := range c.Indicators {
		if p := checkColumns(ctx, conn, ind); p != nil {
			errs = append(errs, &CatalogError{File: ind.File, ID: ind.ID, Text: *p})
		}
	}
	if len(errs) > 0 {
		return warnings, errs
	}
	return warnings, nil
}

func asCatalogErrors(err error) CatalogErrors {
	if ce, ok := err.(*CatalogError); ok {
		return CatalogErrors{ce}
	}
	return CatalogErrors{{Text: Text{It: err.Error(), En: err.Error()}}}
}

// installShared runs the shared files in name order on conn.
func (c *Catalog) installShared(ctx context.Context, conn *sql.Conn) error {
	for _, s := range c.Shared {
		if _, err := conn.ExecContext(ctx, s.SQL); err != nil {
			msg := firstLine(err.Error())
			return &CatalogError{File: s.File, Text: Text{It: "il SQL condiviso non si esegue: " + msg, En: "the shared SQL does not run: " + msg}}
		}
	}
	return nil
}

// checkColumns compiles one indicator's SQL and compares its columns with the contract.
func checkColumns(ctx context.Context, conn *sql.Conn, ind *Indicator) *Text {
	rows, err := conn.QueryContext(ctx, "SELECT * FROM (\n"+ind.SQL+"\n) AS _q LIMIT 0")
	if err != nil {
		msg := firstLine(err.Error())
		return &Text{It: "il SQL non si compila: " + msg, En: "the SQL does not compile: " + msg}
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return &Text{It: err.Error(), En: err.Error()}
	}
	want := contractColumns
	if len(ind.Breakdowns) > 0 {
		want = append(append(want[:0:0], want...), struct{ name, kind string }{"breakdown", "text"})
	}
	var got, wantNames []string
	for _, ct := range cts {
		got = append(got, ct.Name())
	}
	for _, w := range want {
		wantNames = append(wantNames, w.name)
	}
	if strings.Join(got, ",") != strings.Join(wantNames, ",") {
		return &Text{
			It: fmt.Sprintf("il SQL restituisce le colonne (%s), il contratto chiede (%s)", strings.Join(got, ", "), strings.Join(wantNames, ", ")),
			En: fmt.Sprintf("the SQL returns the columns (%s), the contract asks for (%s)", strings.Join(got, ", "), strings.Join(wantNames, ", "))}
	}
	for i, ct := range cts {
		typ := ct.DatabaseTypeName()
		if !typeFits(want[i].kind, typ) {
			return &Text{
				It: fmt.Sprintf("la colonna %s è di tipo %s: serve %s", want[i].name, typ, kindWord(want[i].kind, "it")),
				En: fmt.Sprintf("column %s has type %s: it must be %s", want[i].name, typ, kindWord(want[i].kind, "en"))}
		}
	}
	return nil
}

func kindWord(kind, lang string) string {
	words := map[string][2]string{
		"text":    {"testo (VARCHAR)", "text (VARCHAR)"},
		"integer": {"un intero (INTEGER, BIGINT)", "an integer (INTEGER, BIGINT)"},
		"number":  {"un numero (DOUBLE, DECIMAL, intero)", "a number (DOUBLE, DECIMAL, integer)"},
	}
	if lang == "en" {
		return words[kind][1]
	}
	return words[kind][0]
}

// typeFits tells whether a DuckDB result type can be stored in the contract
// column without loss of meaning (the engine casts when inserting).
func typeFits(kind, typ string) bool {
	integer := map[string]bool{"TINYINT": true, "SMALLINT": true, "INTEGER": true, "BIGINT": true, "HUGEINT": true,
		"UTINYINT": true, "USMALLINT": true, "UINTEGER": true, "UBIGINT": true, "UHUGEINT": true}
	switch kind {
	case "text":
		return typ == "VARCHAR"
	case "integer":
		return integer[typ]
	case "number":
		return integer[typ] || typ == "DOUBLE" || typ == "FLOAT" || strings.HasPrefix(typ, "DECIMAL")
	}
	return false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
