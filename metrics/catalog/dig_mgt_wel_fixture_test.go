package catalog_test

// Harness for the DIG, MGT, CRT, WEL and TIM catalogue files: a real DuckDB
// file loaded through ingest.Service, one connection holding the shared SQL
// (00_common.sql, 10_dma.sql), _cy, _years and the parameters, and each
// indicator's SQL run directly, independent of the engine. Every identifier
// starts with dmw: other suites share package catalog_test.

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"coopimpact/ingest"
	ingestcatalog "coopimpact/ingest/catalog"
	"coopimpact/internal/blob"
	"coopimpact/internal/store"
	"coopimpact/metrics/catalog"
)

// dmwText is an it/en pair.
type dmwText struct {
	It string `yaml:"it"`
	En string `yaml:"en"`
}

type dmwParam struct {
	Default any     `yaml:"default"`
	Values  []any   `yaml:"values"`
	Doc     dmwText `yaml:"doc"`
}

type dmwThreshold struct {
	Op    string  `yaml:"op"`
	Value float64 `yaml:"value"`
}

// dmwIndicator is one indicator in docs/metrics.md's shape, decoded strictly.
type dmwIndicator struct {
	ID          string              `yaml:"id"`
	Version     int                 `yaml:"version"`
	Name        dmwText             `yaml:"name"`
	Description dmwText             `yaml:"description"`
	Unit        string              `yaml:"unit"`
	Direction   string              `yaml:"direction"`
	Grain       string              `yaml:"grain"`
	Inputs      []string            `yaml:"inputs"`
	AppliesTo   []string            `yaml:"applies_to"`
	Threshold   *dmwThreshold       `yaml:"threshold"`
	Params      map[string]dmwParam `yaml:"params"`
	Breakdowns  []string            `yaml:"breakdowns"`
	MapsTo      []string            `yaml:"maps_to"`
	SQL         string              `yaml:"sql"`
}

type dmwAreaFile struct {
	Area       string         `yaml:"area"`
	Title      dmwText        `yaml:"title"`
	Indicators []dmwIndicator `yaml:"indicators"`
}

// dmwAreas are the catalogue files these tests own.
var dmwAreas = []string{"dig", "mgt", "crt", "wel", "tim"}

func dmwLoadFile(t testing.TB, area string) dmwAreaFile {
	t.Helper()
	b, err := fs.ReadFile(catalog.Files, area+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f dmwAreaFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s.yaml: %v", area, err)
	}
	return f
}

func dmwIndicators(t testing.TB) []dmwIndicator {
	t.Helper()
	var out []dmwIndicator
	for _, a := range dmwAreas {
		out = append(out, dmwLoadFile(t, a).Indicators...)
	}
	return out
}

func dmwIndicatorByID(t testing.TB, id string) dmwIndicator {
	t.Helper()
	for _, ind := range dmwIndicators(t) {
		if ind.ID == id {
			return ind
		}
	}
	t.Fatalf("indicator %s not in the catalogue", id)
	return dmwIndicator{}
}

// dmwSharedSQL is the shared SQL these indicators use, in the engine's
// (file-name) order.
func dmwSharedSQL(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, n := range []string{"00_common.sql", "10_dma.sql"} {
		b, err := fs.ReadFile(catalog.Files, n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// dmwDB is a real DuckDB file with the canonical tables.
type dmwDB struct {
	db  *store.DB
	svc *ingest.Service
}

func dmwOpen(t testing.TB, dir string) *dmwDB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "dmw.duckdb"), store.Options{TempDir: filepath.Join(dir, "tmp")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, append(store.Core(), ingest.Migrations()...)); err != nil {
		t.Fatal(err)
	}
	bl, err := blob.NewLocal(filepath.Join(dir, "objects"), bytes.Repeat([]byte{3}, 32), "")
	if err != nil {
		t.Fatal(err)
	}
	svc := &ingest.Service{DB: db, Blob: bl, Catalog: ingestcatalog.Default(), PseudoKey: bytes.Repeat([]byte{1}, 32),
		ArchiveKey: bytes.Repeat([]byte{2}, 32), TempDir: filepath.Join(dir, "tmp")}
	return &dmwDB{db: db, svc: svc}
}

func (d *dmwDB) load(t testing.TB, dataset, path string) {
	t.Helper()
	rep, err := d.svc.Ingest(context.Background(), ingest.Scope{User: "hub@test", Hub: true, Admin: true},
		ingest.Request{Dataset: dataset, Path: path, FileName: filepath.Base(path)})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if rep.Status != ingest.StatusLoaded || rep.RowsRejected != 0 {
		t.Fatalf("%s: status %s, %d rejected, problems %+v, error %+v", path, rep.Status, rep.RowsRejected, rep.Problems, rep.Error)
	}
}

// dmwGoldenDir holds the hand-built fixture.
var dmwGoldenDir = filepath.Join("..", "testdata", "golden_dmw")

// dmwGoldenFiles are the fixture's datasets in load order (cooperatives first).
var dmwGoldenFiles = []string{"cooperatives", "workers", "hours", "finance", "beneficiaries", "services", "processes",
	"certifications", "trainings", "skills_assessments", "dma_responses", "surveys", "governance_meetings"}

func dmwLoadGolden(t testing.TB) *dmwDB {
	t.Helper()
	d := dmwOpen(t, t.TempDir())
	for _, ds := range dmwGoldenFiles {
		d.load(t, ds, filepath.Join(dmwGoldenDir, ds+".csv"))
	}
	return d
}

// dmwRow is one result row of an indicator's SQL.
type dmwRow struct {
	Coop      string // "" for network grain
	Year      int
	Breakdown string
	Value     *float64
	Num, Den  *float64
	N         int64
}

func dmwKey(coop string, year int, breakdown string) string {
	return fmt.Sprintf("%s|%d|%s", coop, year, breakdown)
}

// dmwSession is one connection with the shared views, _cy, _years and the
// parameters: TEMP objects and variables live on a connection.
type dmwSession struct {
	conn *sql.Conn
}

// dmwNewSession makes _cy every registered cooperative × years, _years the
// years plus extraYears, runs the shared SQL and sets every parameter of the
// owned indicators to its default.
func dmwNewSession(t testing.TB, db *store.DB, years []int, extraYears ...int) *dmwSession {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	list := func(ys []int) string {
		var s []string
		for _, y := range ys {
			s = append(s, fmt.Sprint(y))
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _cy (coop_id VARCHAR, year INTEGER)",
		"INSERT INTO _cy SELECT c.coop_id, y.year FROM cooperatives c CROSS JOIN (SELECT unnest(" + list(years) + ")::INTEGER AS year) y",
		"CREATE OR REPLACE TEMP TABLE _years (year INTEGER)",
		"INSERT INTO _years SELECT unnest(" + list(append(append([]int{}, extraYears...), years...)) + ")::INTEGER",
	}
	stmts = append(stmts, dmwSharedSQL(t)...)
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	s := &dmwSession{conn: conn}
	for _, ind := range dmwIndicators(t) {
		for name, p := range ind.Params {
			s.set(t, ind.ID, name, fmt.Sprint(p.Default))
		}
	}
	return s
}

func (s *dmwSession) set(t testing.TB, id, name, value string) {
	t.Helper()
	q := fmt.Sprintf(`SET VARIABLE "%s.%s" = '%s'`, id, name, strings.ReplaceAll(value, "'", "''"))
	if _, err := s.conn.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// columns returns the result columns of a query as "name TYPE".
func (s *dmwSession) columns(t testing.TB, q string) []string {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), "SELECT * FROM ("+q+") LIMIT 0")
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cts {
		out = append(out, c.Name()+" "+c.DatabaseTypeName())
	}
	return out
}

// run executes one indicator's SQL and returns its rows by key; two rows
// with the same key fail the test.
func (s *dmwSession) run(t testing.TB, ind dmwIndicator) map[string]dmwRow {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), ind.SQL)
	if err != nil {
		t.Fatalf("%s: %v", ind.ID, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]dmwRow{}
	for rows.Next() {
		var r dmwRow
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
		k := dmwKey(r.Coop, r.Year, r.Breakdown)
		if _, dup := out[k]; dup {
			t.Fatalf("%s: two rows for %s", ind.ID, k)
		}
		out[k] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", ind.ID, err)
	}
	return out
}

// query runs any SQL and returns its rows as strings (NULL as "NULL",
// numbers with %.10g), for the m_dma_* views.
func (s *dmwSession) query(t testing.TB, q string) [][]string {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
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
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dmwExp is one expected row: key fields plus value, numerator,
// denominator and n (nil = NULL).
type dmwExp struct {
	Coop      string
	Year      int
	Breakdown string
	V, Num    *float64
	Den       *float64
	N         int64
}

func dmwF(x float64) *float64 { return &x }

// dmwCheck asserts that got has exactly the expected rows (so a missing
// row, i.e. "not computable", is asserted too) with the expected numbers.
func dmwCheck(t *testing.T, id string, got map[string]dmwRow, want []dmwExp) {
	t.Helper()
	seen := map[string]bool{}
	for _, w := range want {
		k := dmwKey(w.Coop, w.Year, w.Breakdown)
		seen[k] = true
		g, ok := got[k]
		if !ok {
			t.Errorf("%s %s: no row, want value %s", id, k, fmtFloat(w.V))
			continue
		}
		if !sameFloat(g.Value, w.V) || !sameFloat(g.Num, w.Num) || !sameFloat(g.Den, w.Den) || g.N != w.N {
			t.Errorf("%s %s: got value %s num %s den %s n %d; want %s %s %s %d", id, k,
				fmtFloat(g.Value), fmtFloat(g.Num), fmtFloat(g.Den), g.N, fmtFloat(w.V), fmtFloat(w.Num), fmtFloat(w.Den), w.N)
		}
	}
	var extra []string
	for k := range got {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		g := got[k]
		t.Errorf("%s %s: unexpected row (value %s num %s den %s n %d)", id, k, fmtFloat(g.Value), fmtFloat(g.Num), fmtFloat(g.Den), g.N)
	}
}
