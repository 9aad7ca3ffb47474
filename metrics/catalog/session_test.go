package catalog_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"coopimpact/internal/store"
	"coopimpact/internal/testsupport"
)

// catRow is one result row of an indicator's SQL.
type catRow struct {
	Coop      string // "" for network grain
	Year      int
	Breakdown string
	Value     *float64
	Num, Den  *float64
	N         int64
}

func catKey(coop string, year int, breakdown string) string {
	return fmt.Sprintf("%s|%d|%s", coop, year, breakdown)
}

func (r catRow) key() string { return catKey(r.Coop, r.Year, r.Breakdown) }

// catList is ys as a DuckDB list literal.
func catList(ys []int) string {
	var s []string
	for _, y := range ys {
		s = append(s, fmt.Sprint(y))
	}
	return "[" + strings.Join(s, ",") + "]"
}

// catCY makes _cy every registered cooperative × years.
func catCY(years []int) []string {
	return []string{
		"CREATE OR REPLACE TEMP TABLE _cy (coop_id VARCHAR, year INTEGER)",
		"INSERT INTO _cy SELECT c.coop_id, y.year FROM cooperatives c CROSS JOIN (SELECT unnest(" + catList(years) + ")::INTEGER AS year) y",
	}
}

// catSession is one connection with the shared views, _cy and the
// parameters: TEMP objects and variables live on a connection.
type catSession struct {
	conn *sql.Conn
}

// catNewSession opens a connection on db, runs stmts on it and sets every
// parameter of inds to its default.
func catNewSession(t testing.TB, db *store.DB, stmts []string, inds []catIndicator) *catSession {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	s := &catSession{conn: conn}
	for _, ind := range inds {
		for name, p := range ind.Params {
			s.set(t, ind.ID, name, fmt.Sprint(p.Default))
		}
	}
	return s
}

// set gives the parameter <id>.<name> a value.
func (s *catSession) set(t testing.TB, id, name, value string) {
	t.Helper()
	q := fmt.Sprintf(`SET VARIABLE "%s.%s" = '%s'`, id, name, strings.ReplaceAll(value, "'", "''"))
	if _, err := s.conn.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// columns returns the result columns of a query as "name TYPE".
func (s *catSession) columns(t testing.TB, q string) []string {
	t.Helper()
	return testsupport.Columns(t, s.conn, "SELECT * FROM ("+q+") LIMIT 0")
}

// query runs any SQL and returns its rows as strings (NULL as "NULL",
// numbers with %.10g), for the m_dma_* views.
func (s *catSession) query(t testing.TB, q string) [][]string {
	t.Helper()
	var out [][]string
	for _, vals := range testsupport.Rows(t, s.conn, q) {
		rec := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				rec[i] = "NULL"
			case float64:
				rec[i] = fmt.Sprintf("%.10g", x)
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		out = append(out, rec)
	}
	return out
}

// run executes one indicator's SQL and returns its rows by key; a NULL
// year, n or breakdown, or two rows with the same key, fail the test.
func (s *catSession) run(t testing.TB, ind catIndicator) map[string]catRow {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), ind.SQL)
	if err != nil {
		t.Fatalf("%s: %v", ind.ID, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]catRow{}
	for rows.Next() {
		var r catRow
		var coop, br sql.NullString
		var year, n sql.NullInt64
		var v, num, den sql.NullFloat64
		dest := []any{&coop, &year, &v, &num, &den, &n}
		if len(cols) == 7 {
			dest = append(dest, &br)
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatalf("%s: %v", ind.ID, err)
		}
		if !year.Valid || !n.Valid || (len(cols) == 7 && !br.Valid) {
			t.Fatalf("%s: NULL year, n or breakdown in a row", ind.ID)
		}
		r.Coop, r.Year, r.N, r.Breakdown = coop.String, int(year.Int64), n.Int64, br.String
		r.Value, r.Num, r.Den = nullableFloat(v), nullableFloat(num), nullableFloat(den)
		if _, dup := out[r.key()]; dup {
			t.Fatalf("%s: two rows for %s", ind.ID, r.key())
		}
		out[r.key()] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", ind.ID, err)
	}
	return out
}
