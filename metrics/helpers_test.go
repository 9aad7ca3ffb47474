package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"coopimpact/ingest"
	"coopimpact/internal/store"
	"coopimpact/internal/testsupport/ingesttest"
)

// fixture is a real DuckDB file with the canonical tables, loaded through
// the ingestion service exactly as a user's upload would be.
type fixture struct {
	db   *store.DB
	svc  *ingest.Service
	net  *ingesttest.Network
	runs map[string]int64 // file → run id
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	n := ingesttest.Open(t, t.TempDir(), "t.duckdb", Migrations()...)
	return &fixture{db: n.DB, svc: n.Svc, net: n, runs: map[string]int64{}}
}

// load ingests testdata/engine/<file> as dataset.
func (f *fixture) load(t testing.TB, dataset, file string) {
	t.Helper()
	f.runs[file] = f.net.MustLoad(t, dataset, filepath.Join("testdata", "engine", file)).RunID
}

// engineFixture loads the engine test network (registry, finance, workers).
func engineFixture(t testing.TB) *fixture {
	f := newFixture(t)
	f.load(t, "cooperatives", "cooperatives.csv")
	f.load(t, "finance", "finance.csv")
	f.load(t, "workers", "workers.csv")
	return f
}

// testCatalog is the test catalogue alone (testdata/engine/catalog), without
// the embedded one, so every value can be worked out by hand.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	dir := filepath.Join("testdata", "engine", "catalog")
	c, err := loadSources([]source{{fsys: os.DirFS(dir), label: func(n string) string { return filepath.Join(dir, n) }, extra: true}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newEngine checks cat against the fixture's database.
func newEngine(t testing.TB, f *fixture, cat *Catalog) *Engine {
	t.Helper()
	if _, err := cat.Check(context.Background(), f.db); err != nil {
		t.Fatal(err)
	}
	return &Engine{DB: f.db, Catalog: cat}
}

// row is one indicator_values row as text, for comparisons.
type row struct {
	ID, Coop   string
	Year       int
	Breakdown  string
	Value      *float64
	Num, Den   *float64
	N          *int64
	Status     string
	Missing    string
	Params     string
	Version    int
	RunIDs     string
	ComputedAt time.Time
}

func (r row) key() string { return fmt.Sprintf("%s|%s|%d|%s", r.ID, r.Coop, r.Year, r.Breakdown) }

// rows reads indicator_values by key.
func rows(t testing.TB, db *store.DB) map[string]row {
	t.Helper()
	rs, err := db.Query(`SELECT indicator_id, coalesce(coop_id, ''), year, breakdown, value, numerator, denominator, n, status,
		array_to_string(missing, ','), coalesce(params, ''), formula_version, array_to_string(run_ids, ','), computed_at FROM indicator_values`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	out := map[string]row{}
	for rs.Next() {
		var r row
		var v, num, den sql.NullFloat64
		var n sql.NullInt64
		var missing, runs sql.NullString
		if err := rs.Scan(&r.ID, &r.Coop, &r.Year, &r.Breakdown, &v, &num, &den, &n, &r.Status, &missing, &r.Params, &r.Version, &runs, &r.ComputedAt); err != nil {
			t.Fatal(err)
		}
		r.Value, r.Num, r.Den = fptr(v), fptr(num), fptr(den)
		if n.Valid {
			r.N = &n.Int64
		}
		r.Missing, r.RunIDs = missing.String, runs.String
		if _, dup := out[r.key()]; dup {
			t.Fatalf("two rows for %s", r.key())
		}
		out[r.key()] = r
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func f64(x float64) *float64 { return &x }

func fmtp(p *float64) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%.10g", *p)
}

// near tells whether two optional numbers agree (both NULL, or within 1e-9 relative).
func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func sortedRowKeys(m map[string]row) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// coopScope is a cooperative's user: it sees only its own cooperative.
type coopScope string

func (s coopScope) IsHub() bool               { return false }
func (s coopScope) CanSeeCoop(id string) bool { return string(s) == id }

// fixedClock makes computed_at predictable.
func fixedClock(e *Engine, t time.Time) { e.now = func() time.Time { return t } }

func joinInts(xs []int64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ",")
}

// String shows a row by value (pointers resolved), for comparisons and messages.
func (r row) String() string {
	n := "NULL"
	if r.N != nil {
		n = fmt.Sprint(*r.N)
	}
	return fmt.Sprintf("%s value=%s num=%s den=%s n=%s %s missing=[%s] params=%q v%d runs=[%s] at=%s",
		r.key(), fmtp(r.Value), fmtp(r.Num), fmtp(r.Den), n, r.Status, r.Missing, r.Params, r.Version, r.RunIDs, r.ComputedAt.Format(time.RFC3339))
}

// writeOneCoopFinance writes the demo finance file's rows of one
// cooperative with production costs set to 1.5 × the value of production
// (ECO-01 = -50 %), as a small CSV of its own.
func writeOneCoopFinance(t testing.TB, src, dst, coop string) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := fmt.Sprintf(`COPY (SELECT coop_id, year, replace(valore_produzione, '.', '') AS value_of_production,
			replace(printf('%%.2f', 1.5 * CAST(replace(replace(valore_produzione, '.', ''), ',', '.') AS DOUBLE)), '.', ',') AS production_costs,
			costo_personale AS personnel_cost
		FROM read_csv('%s', delim=';', header=true, all_varchar=true, encoding='latin-1')
		WHERE coop_id = '%s') TO '%s' (DELIMITER ';', HEADER)`, src, coop, dst)
	if _, err := db.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
}
