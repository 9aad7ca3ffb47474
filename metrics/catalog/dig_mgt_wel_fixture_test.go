package catalog_test

// Harness for the DIG, MGT, CRT, WEL and TIM catalogue files: a real DuckDB
// file loaded through ingest.Service, one connection holding the shared SQL
// (00_common.sql, 10_dma.sql), _cy, _years and the parameters, and each
// indicator's SQL run directly, independent of the engine. Every identifier
// starts with dmw: other suites share package catalog_test.

import (
	"io/fs"
	"path/filepath"
	"sort"
	"testing"

	"coopimpact/internal/store"
	"coopimpact/internal/testsupport/ingesttest"
	"coopimpact/metrics/catalog"
)

// dmwAreas are the catalogue files these tests own.
var dmwAreas = []string{"dig", "mgt", "crt", "wel", "tim"}

func dmwLoadFile(t testing.TB, area string) catAreaFile {
	t.Helper()
	return catReadFile(t, area+".yaml")
}

func dmwIndicators(t testing.TB) []catIndicator {
	t.Helper()
	var out []catIndicator
	for _, a := range dmwAreas {
		out = append(out, dmwLoadFile(t, a).Indicators...)
	}
	return out
}

func dmwIndicatorByID(t testing.TB, id string) catIndicator {
	t.Helper()
	for _, ind := range dmwIndicators(t) {
		if ind.ID == id {
			return ind
		}
	}
	t.Fatalf("indicator %s not in the catalogue", id)
	return catIndicator{}
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
	net *ingesttest.Network
}

func dmwOpen(t testing.TB, dir string) *dmwDB {
	t.Helper()
	n := ingesttest.Open(t, dir, "dmw.duckdb")
	return &dmwDB{db: n.DB, net: n}
}

func (d *dmwDB) load(t testing.TB, dataset, path string) {
	t.Helper()
	if rep := d.net.MustLoad(t, dataset, path); rep.RowsRejected != 0 {
		t.Fatalf("%s: %d rejected, problems %+v", path, rep.RowsRejected, rep.Problems)
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

// dmwNewSession makes _cy every registered cooperative × years, _years the
// years plus extraYears, runs the shared SQL and sets every parameter of the
// owned indicators to its default.
func dmwNewSession(t testing.TB, db *store.DB, years []int, extraYears ...int) *catSession {
	t.Helper()
	stmts := append(catCY(years),
		"CREATE OR REPLACE TEMP TABLE _years (year INTEGER)",
		"INSERT INTO _years SELECT unnest("+catList(append(append([]int{}, extraYears...), years...))+")::INTEGER")
	return catNewSession(t, db, append(stmts, dmwSharedSQL(t)...), dmwIndicators(t))
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
func dmwCheck(t *testing.T, id string, got map[string]catRow, want []dmwExp) {
	t.Helper()
	seen := map[string]bool{}
	for _, w := range want {
		k := catKey(w.Coop, w.Year, w.Breakdown)
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
