package catalog_test

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

// The catalogue file shape of docs/metrics.md, decoded strictly so a field
// outside the contract fails the test.
type elsI18n struct {
	It string `yaml:"it"`
	En string `yaml:"en"`
}

type elsParam struct {
	Default any     `yaml:"default"`
	Values  []any   `yaml:"values"`
	Doc     elsI18n `yaml:"doc"`
}

type elsThreshold struct {
	Op    string  `yaml:"op"`
	Value float64 `yaml:"value"`
	Param string  `yaml:"param"` // the threshold's value comes from this parameter when set
}

type elsIndicator struct {
	ID          string              `yaml:"id"`
	Version     int                 `yaml:"version"`
	Name        elsI18n             `yaml:"name"`
	Description elsI18n             `yaml:"description"`
	Unit        string              `yaml:"unit"`
	Direction   string              `yaml:"direction"`
	Grain       string              `yaml:"grain"`
	Inputs      []string            `yaml:"inputs"`
	AppliesTo   []string            `yaml:"applies_to"`
	Threshold   *elsThreshold       `yaml:"threshold"`
	Params      map[string]elsParam `yaml:"params"`
	Breakdowns  []string            `yaml:"breakdowns"`
	MapsTo      []string            `yaml:"maps_to"`
	SQL         string              `yaml:"sql"`
}

type elsAreaFile struct {
	Area       string         `yaml:"area"`
	Title      elsI18n        `yaml:"title"`
	Indicators []elsIndicator `yaml:"indicators"`
}

// elsFiles are the catalogue files this test suite owns.
var elsFiles = []string{"eco.yaml", "law.yaml", "skl.yaml"}

func elsLoadIndicators(t testing.TB) []elsIndicator {
	t.Helper()
	var out []elsIndicator
	for _, name := range elsFiles {
		b, err := fs.ReadFile(catalog.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		var elsF elsAreaFile
		if err := dec.Decode(&elsF); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if elsF.Area+".yaml" != name {
			t.Fatalf("%s: area %q", name, elsF.Area)
		}
		out = append(out, elsF.Indicators...)
	}
	return out
}

func elsIndicatorByID(t testing.TB, id string) elsIndicator {
	t.Helper()
	for _, ind := range elsLoadIndicators(t) {
		if ind.ID == id {
			return ind
		}
	}
	t.Fatalf("indicator %s not in the catalogue", id)
	return elsIndicator{}
}

func elsCommonSQL(t testing.TB) string {
	t.Helper()
	names, err := fs.Glob(catalog.Files, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		if n != "00_common.sql" {
			continue // other shared files belong to other areas and helpers
		}
		s, err := fs.ReadFile(catalog.Files, n)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(s)
	}
	return b.String()
}

// elsNetwork is a real DuckDB file with the canonical tables, loaded through
// the ingestion service exactly as a user's upload would be.
type elsNetwork struct {
	db   *store.DB
	svc  *ingest.Service
	runs map[string]int64 // dataset → run id of its load
}

func elsOpenNetwork(t testing.TB, dir string) *elsNetwork {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "t.duckdb"), store.Options{TempDir: filepath.Join(dir, "tmp")})
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
	return &elsNetwork{db: db, svc: svc, runs: map[string]int64{}}
}

func (n *elsNetwork) load(t testing.TB, dataset, path string) {
	t.Helper()
	rep, err := n.svc.Ingest(context.Background(), ingest.Scope{User: "hub@test", Hub: true, Admin: true},
		ingest.Request{Dataset: dataset, Path: path, FileName: filepath.Base(path)})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if rep.Status != ingest.StatusLoaded {
		t.Fatalf("%s: status %s, problems %+v, error %+v", path, rep.Status, rep.Problems, rep.Error)
	}
	n.runs[dataset] = rep.RunID
}

// elsGoldenDatasets are the fixture files, in load order.
var elsGoldenDatasets = []string{"cooperatives", "workers", "finance", "revenue_sources", "trainings"}

func elsLoadGolden(t testing.TB, dir string) *elsNetwork {
	t.Helper()
	n := elsOpenNetwork(t, dir)
	for _, ds := range elsGoldenDatasets {
		n.load(t, ds, filepath.Join("..", "testdata", "golden_els", ds+".csv"))
	}
	return n
}

// elsRow is one result row of an indicator's SQL.
type elsRow struct {
	Coop      string
	Year      int
	Breakdown string
	Value     *float64
	Num, Den  *float64
	N         int64
}

func (r elsRow) key() string { return fmt.Sprintf("%s|%d|%s", r.Coop, r.Year, r.Breakdown) }

// elsSession is one connection with the shared views, _cy and the parameters
// set: TEMP objects and variables live on a connection.
type elsSession struct {
	conn *sql.Conn
}

// elsNewSession creates _cy (every cooperative × years), runs 00_common.sql and
// sets every parameter of the owned indicators to its default.
func elsNewSession(t testing.TB, db *store.DB, years []int) *elsSession {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var ys []string
	for _, y := range years {
		ys = append(ys, fmt.Sprint(y))
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _cy (coop_id VARCHAR, year INTEGER)",
		"INSERT INTO _cy SELECT c.coop_id, y.year FROM cooperatives c CROSS JOIN (SELECT unnest([" +
			strings.Join(ys, ",") + "])::INTEGER AS year) y",
		elsCommonSQL(t),
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	s := &elsSession{conn: conn}
	for _, ind := range elsLoadIndicators(t) {
		for name, p := range ind.Params {
			s.set(t, ind.ID, name, fmt.Sprint(p.Default))
		}
	}
	return s
}

func (s *elsSession) set(t testing.TB, id, name, value string) {
	t.Helper()
	q := fmt.Sprintf(`SET VARIABLE "%s.%s" = '%s'`, id, name, value)
	if _, err := s.conn.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// run executes one indicator's SQL and returns its rows by key.
func (s *elsSession) run(t testing.TB, ind elsIndicator) map[string]elsRow {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), ind.SQL)
	if err != nil {
		t.Fatalf("%s: %v", ind.ID, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]elsRow{}
	for rows.Next() {
		var r elsRow
		var coop sql.NullString
		var year sql.NullInt64
		var v, num, den sql.NullFloat64
		dest := []any{&coop, &year, &v, &num, &den, &r.N}
		if len(cols) == 7 {
			dest = append(dest, &r.Breakdown)
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatalf("%s: %v", ind.ID, err)
		}
		r.Coop, r.Year = coop.String, int(year.Int64)
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
