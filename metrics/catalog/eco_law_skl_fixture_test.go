package catalog_test

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"coopimpact/internal/store"
	"coopimpact/internal/testsupport/ingesttest"
	"coopimpact/metrics/catalog"
)

// elsFiles are the catalogue files this test suite owns.
var elsFiles = []string{"eco.yaml", "law.yaml", "skl.yaml"}

func elsLoadIndicators(t testing.TB) []catIndicator {
	t.Helper()
	var out []catIndicator
	for _, name := range elsFiles {
		elsF := catReadFile(t, name)
		if elsF.Area+".yaml" != name {
			t.Fatalf("%s: area %q", name, elsF.Area)
		}
		out = append(out, elsF.Indicators...)
	}
	return out
}

func elsIndicatorByID(t testing.TB, id string) catIndicator {
	t.Helper()
	for _, ind := range elsLoadIndicators(t) {
		if ind.ID == id {
			return ind
		}
	}
	t.Fatalf("indicator %s not in the catalogue", id)
	return catIndicator{}
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
	net  *ingesttest.Network
	runs map[string]int64 // dataset → run id of its load
}

func elsOpenNetwork(t testing.TB, dir string) *elsNetwork {
	t.Helper()
	n := ingesttest.Open(t, dir, "t.duckdb")
	return &elsNetwork{db: n.DB, net: n, runs: map[string]int64{}}
}

func (n *elsNetwork) load(t testing.TB, dataset, path string) {
	t.Helper()
	n.runs[dataset] = n.net.MustLoad(t, dataset, path).RunID
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

// elsNewSession creates _cy (every cooperative × years), runs 00_common.sql and
// sets every parameter of the owned indicators to its default.
func elsNewSession(t testing.TB, db *store.DB, years []int) *catSession {
	t.Helper()
	return catNewSession(t, db, append(catCY(years), elsCommonSQL(t)), elsLoadIndicators(t))
}
