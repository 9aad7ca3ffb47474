package metrics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// want is one expected row, worked out by hand from testdata/engine.
type want struct {
	key      string // id|coop|year|breakdown
	value    *float64
	num, den *float64
	n        int64 // -1: NULL
	status   string
	missing  string
	runs     string // file names, mapped to run ids
}

func checkRows(t *testing.T, f *fixture, got map[string]row, ws []want) {
	t.Helper()
	for _, w := range ws {
		r, ok := got[w.key]
		if !ok {
			t.Errorf("%s: no row", w.key)
			continue
		}
		if !near(r.Value, w.value) || r.Status != w.status || r.Missing != w.missing {
			t.Errorf("%s: value %s status %s missing [%s], want %s %s [%s]", w.key, fmtp(r.Value), r.Status, r.Missing, fmtp(w.value), w.status, w.missing)
		}
		if !near(r.Num, w.num) || !near(r.Den, w.den) {
			t.Errorf("%s: numerator %s denominator %s, want %s %s", w.key, fmtp(r.Num), fmtp(r.Den), fmtp(w.num), fmtp(w.den))
		}
		if n := int64(-1); r.N != nil && *r.N != w.n || r.N == nil && w.n != n {
			t.Errorf("%s: n %v, want %d", w.key, r.N, w.n)
		}
		if w.runs != "-" {
			var ids []int64
			for _, file := range splitNonEmpty(w.runs) {
				ids = append(ids, f.runs[file])
			}
			if r.RunIDs != joinInts(ids) {
				t.Errorf("%s: run_ids [%s], want [%s] (%s)", w.key, r.RunIDs, joinInts(ids), w.runs)
			}
		}
	}
}

func splitNonEmpty(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

const (
	finRuns  = "finance.csv"
	coopWork = "cooperatives.csv,workers.csv"
)

// Every status: ok; not computable with the missing inputs named (a table
// with no row for the cooperative-year, a column left empty); a zero
// denominator (nullif, and a bare division DuckDB turns into infinity) →
// NULL, never 0; not applicable by cooperative type; breakdown rows; a
// network value; a row for every cooperative-year even when the SQL gave none.
func TestEngineStatuses(t *testing.T) {
	f := engineFixture(t)
	e := newEngine(t, f, testCatalog(t))
	st, err := e.RecomputeAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs != 8 || fmt.Sprint(st.Years) != "[2023 2024]" || st.Indicators != 5 || st.Rows != 47 {
		t.Errorf("stats %+v, want 8 pairs (4 cooperatives × 2023–2024), 5 indicators, 47 rows", st)
	}
	got := rows(t, f.db)
	if len(got) != 47 {
		t.Errorf("%d rows, want 47", len(got))
	}
	bothFin := "finance.value_of_production,finance.production_costs"
	checkRows(t, f, got, []want{
		{"ECO-91|ALFA|2023|", f64(5), f64(50000), f64(1e6), 1, "ok", "", finRuns},
		{"ECO-91|ALFA|2024|", f64(2.5), f64(30000), f64(1.2e6), 1, "ok", "", finRuns},
		{"ECO-91|BETA|2023|", f64(4), f64(20000), f64(5e5), 1, "ok", "", finRuns},
		// value of production 0: NULL with numerator and denominator kept, nothing missing.
		{"ECO-91|BETA|2024|", nil, f64(-10000), f64(0), 1, "not_computable", "", finRuns},
		{"ECO-91|GAMMA|2023|", nil, nil, nil, -1, "not_computable", bothFin, ""},
		{"ECO-91|DELTA|2024|", nil, nil, nil, -1, "not_computable", bothFin, ""},
		{"ECO-92|ALFA|2023|", f64(0.3), f64(120000), f64(400000), 1, "ok", "", finRuns},
		// 90000 / 0 is +Inf in DuckDB: stored as NULL.
		{"ECO-92|ALFA|2024|", nil, f64(90000), f64(0), 1, "not_computable", "", finRuns},
		// cash left empty: the column is named.
		{"ECO-92|BETA|2023|", nil, nil, f64(250000), 1, "not_computable", "finance.cash", finRuns},
		{"ECO-92|BETA|2024|", f64(0.25), f64(5000), f64(20000), 1, "ok", "", finRuns},
		{"ECO-92|DELTA|2023|", nil, nil, nil, -1, "not_computable", "finance.cash,finance.current_liabilities", ""},
		// LAW-91 applies to B and AB only.
		{"LAW-91|ALFA|2023|", nil, nil, nil, -1, "not_applicable", "", ""},
		{"LAW-91|DELTA|2024|", nil, nil, nil, -1, "not_applicable", "", ""},
		// BETA 31/12/2023: Q1 (dis.), Q2, Q3 (dis.), Q4 → 2/4; 2024: Q1 (dis.), Q2 → 1/2.
		{"LAW-91|BETA|2023|", f64(50), f64(2), f64(4), 4, "ok", "", coopWork},
		{"LAW-91|BETA|2024|", f64(50), f64(1), f64(2), 2, "ok", "", coopWork},
		// GAMMA 2023: R1, R2 (dis.) → 1/2; 2024: + R3 (dis.) → 2/3.
		{"LAW-91|GAMMA|2023|", f64(50), f64(1), f64(2), 2, "ok", "", coopWork},
		{"LAW-91|GAMMA|2024|", f64(200.0 / 3), f64(2), f64(3), 3, "ok", "", coopWork},
		// Persons on 31 December: ALFA 2023 P1 (F), P2 and P3 (M); P4 left in November.
		{"SKL-91|ALFA|2023|", f64(3), f64(3), nil, 3, "ok", "", "workers.csv"},
		{"SKL-91|ALFA|2023|gender=F", f64(1), f64(1), nil, 1, "ok", "", "workers.csv"},
		{"SKL-91|ALFA|2023|gender=M", f64(2), f64(2), nil, 2, "ok", "", "workers.csv"},
		{"SKL-91|GAMMA|2024|", f64(3), f64(3), nil, 3, "ok", "", "workers.csv"},
		{"SKL-91|GAMMA|2024|gender=X", f64(1), f64(1), nil, 1, "ok", "", "workers.csv"},
		// DELTA: no spell in 2023 (the table is missing); in 2024 a spell but
		// nobody on 31 December: the SQL gives no row, nothing is missing.
		{"SKL-91|DELTA|2023|", nil, nil, nil, -1, "not_computable", "workers.gender,workers.start_date", ""},
		{"SKL-91|DELTA|2024|", nil, nil, nil, -1, "not_computable", "", "workers.csv"},
		// Network: 2 of the 4 cooperatives have accounts each year.
		{"CRT-91||2023|", f64(50), f64(2), f64(4), 4, "ok", "", "cooperatives.csv,finance.csv"},
		{"CRT-91||2024|", f64(50), f64(2), f64(4), 4, "ok", "", "cooperatives.csv,finance.csv"},
	})
	for k, r := range got {
		if r.ID == "LAW-91" && r.Params != "basis=headcount" || r.ID != "LAW-91" && r.Params != "" {
			t.Errorf("%s: params %q", k, r.Params)
		}
		if r.ID == "ECO-91" && r.Version != 3 {
			t.Errorf("%s: formula version %d, want 3", k, r.Version)
		}
	}
	for _, k := range []string{"SKL-91|DELTA|2024|gender=F", "LAW-91|ALFA|2023|gender=F"} {
		if _, ok := got[k]; ok {
			t.Errorf("unexpected row %s", k)
		}
	}
}

// After an upload only the affected pairs are recomputed (and the network
// values of their years); the rest keep their rows and computed_at; and the
// result equals a full recompute.
func TestIncrementalRecompute(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	e := newEngine(t, f, testCatalog(t))
	t1 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	fixedClock(e, t1)
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	before := rows(t, f.db)
	fixedClock(e, t2)
	f.svc.AfterLoad = e.AfterLoad
	f.load(t, "finance", "finance_beta_2024.csv") // BETA 2024 only: slice (BETA, "2024")
	after := rows(t, f.db)
	if len(after) != len(before) {
		t.Fatalf("%d rows after, %d before", len(after), len(before))
	}
	changed := 0
	for _, k := range sortedRowKeys(after) {
		r := after[k]
		affected := r.Coop == "BETA" && r.Year == 2024 || r.Coop == "" && r.Year == 2024
		if affected != r.ComputedAt.Equal(t2) {
			t.Errorf("%s: computed_at %s, affected %v", k, r.ComputedAt, affected)
		}
		if r.ComputedAt.Equal(t2) {
			changed++
		}
		if !affected && fmt.Sprint(r) != fmt.Sprint(before[k]) {
			t.Errorf("%s changed:\n%+v\n%+v", k, before[k], r)
		}
	}
	// BETA 2024: the 4 cooperative indicators + 2 gender rows; network 2024: 1.
	if changed != 7 {
		t.Errorf("%d rows recomputed, want 7", changed)
	}
	checkRows(t, f, after, []want{
		{"ECO-91|BETA|2024|", f64(5), f64(20000), f64(400000), 1, "ok", "", "finance_beta_2024.csv"},
		{"ECO-91|BETA|2023|", f64(4), f64(20000), f64(5e5), 1, "ok", "", finRuns},
		{"ECO-91|ALFA|2024|", f64(2.5), f64(30000), f64(1.2e6), 1, "ok", "", finRuns},
	})
	// Same as computing everything again.
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	full := rows(t, f.db)
	for k, r := range full {
		a := after[k]
		a.ComputedAt, r.ComputedAt = time.Time{}, time.Time{}
		if fmt.Sprint(a) != fmt.Sprint(r) {
			t.Errorf("%s: incremental %+v, full %+v", k, a, r)
		}
	}
}

// A pair with a year the network does not have yet brings every
// cooperative's row for that year; pairs outside the years are dropped.
func TestRecomputePairsAndNewYears(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	e := newEngine(t, f, testCatalog(t))
	// Nothing computed yet: every year is new, so everything is computed.
	st, err := e.Recompute(ctx, []CoopYear{{CoopID: "ALFA", Year: 2023}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs != 8 {
		t.Errorf("first incremental recompute: %d pairs, want all 8", st.Pairs)
	}
	st, err = e.Recompute(ctx, []CoopYear{{CoopID: "GAMMA"}, {CoopID: "ALFA", Year: 1999}, {CoopID: "NOPE", Year: 2023}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs != 2 || fmt.Sprint(st.Years) != "[2023 2024]" {
		t.Errorf("GAMMA all years + out-of-range + unknown coop: %+v, want GAMMA's 2 pairs", st)
	}
	if n := len(rows(t, f.db)); n != 47 {
		t.Errorf("%d rows, want 47", n)
	}
}

// A parameter changes the value; its string is stored with each value.
func TestParamChangesValue(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	e := newEngine(t, f, testCatalog(t))
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetParam(ctx, coopScope("BETA"), "LAW-91", "basis", "fte", "b@x"); !errors.Is(err, ErrForbidden) {
		t.Errorf("a cooperative sets a parameter: %v, want ErrForbidden", err)
	}
	var pe *ParamError
	if _, err := e.SetParam(ctx, HubScope(), "LAW-91", "basis", "persons", "h@x"); !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) || pe.It == "" {
		t.Errorf("value outside values: %v, want a ParamError (ErrInvalid) with Italian text", err)
	}
	if _, err := e.SetParam(ctx, HubScope(), "LAW-91", "nope", "x", "h@x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown parameter: %v", err)
	}
	if _, err := e.SetParam(ctx, HubScope(), "LAW-91", "basis", "fte", "h@x"); err != nil {
		t.Fatal(err)
	}
	got := rows(t, f.db)
	// FTE on 31 December. BETA 2023: (Q1 1 + Q3 1) / (1 + 0.5 + 1 + 0.75); 2024: 1 / 1.5.
	// GAMMA 2023: R2 0.5 / 1.5; 2024: (0.5 + 1) / 2.5.
	checkRows(t, f, got, []want{
		{"LAW-91|BETA|2023|", f64(200 / 3.25), f64(2), f64(3.25), 4, "ok", "", coopWork},
		{"LAW-91|BETA|2024|", f64(100 / 1.5), f64(1), f64(1.5), 2, "ok", "", coopWork},
		{"LAW-91|GAMMA|2023|", f64(50 / 1.5), f64(0.5), f64(1.5), 2, "ok", "", coopWork},
		{"LAW-91|GAMMA|2024|", f64(60), f64(1.5), f64(2.5), 3, "ok", "", coopWork},
		{"LAW-91|ALFA|2024|", nil, nil, nil, -1, "not_applicable", "", ""},
		{"ECO-91|ALFA|2023|", f64(5), f64(50000), f64(1e6), 1, "ok", "", finRuns},
	})
	for k, r := range got {
		if r.ID == "LAW-91" && r.Params != "basis=fte" {
			t.Errorf("%s: params %q, want basis=fte", k, r.Params)
		}
	}
	ps, err := e.Params(ctx, HubScope())
	if err != nil || len(ps) != 1 || ps[0].Value != "fte" || ps[0].Default != "headcount" || ps[0].UpdatedBy != "h@x" {
		t.Errorf("params %+v, %v", ps, err)
	}
	// Back to the default.
	if _, err := e.SetParam(ctx, HubScope(), "LAW-91", "basis", "", "h@x"); err != nil {
		t.Fatal(err)
	}
	if r := rows(t, f.db)["LAW-91|BETA|2023|"]; !near(r.Value, f64(50)) || r.Params != "basis=headcount" {
		t.Errorf("after reset: %s %s", fmtp(r.Value), r.Params)
	}
}

// The real embedded catalogue runs in the engine, with the shared views
// (m_presence names the missing column), and a --catalog folder overrides
// one indicator by id, adds another and a shared file.
func TestEmbeddedCatalogueWithOverride(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	cat, err := LoadCatalog("testdata/engine/override")
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, f, cat)
	eco05, _ := cat.Indicator("ECO-05")
	if eco05.Version != 7 || eco05.Overrides != "eco.yaml" || eco05.File != "testdata/engine/override/local.yaml" {
		t.Errorf("ECO-05: version %d, overrides %q, file %q", eco05.Version, eco05.Overrides, eco05.File)
	}
	if s := cat.Shared[len(cat.Shared)-1]; s.Name != "50_local.sql" {
		t.Errorf("last shared file %s", s.Name)
	}
	st, err := e.RecomputeAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Indicators != len(cat.Indicators) || st.Indicators < 50 {
		t.Errorf("%d indicators computed of %d", st.Indicators, len(cat.Indicators))
	}
	got := rows(t, f.db)
	checkRows(t, f, got, []want{
		{"ECO-05|ALFA|2023|", f64(42), nil, nil, 1, "ok", "", finRuns},
		{"ECO-95|BETA|2023|", f64(300), f64(300000), f64(1000), 1, "ok", "", finRuns},
		// The embedded ECO-01 as indicators.md defines it.
		{"ECO-01|ALFA|2023|", f64(5), f64(50000), f64(1e6), 1, "ok", "", finRuns},
		// ECO-06: cash ÷ ((production costs − depreciation) ÷ 12); depreciation is not in the file.
		{"ECO-06|ALFA|2023|", nil, f64(120000), nil, 1, "not_computable", "finance.depreciation", finRuns},
		{"ECO-07|GAMMA|2024|", nil, nil, nil, -1, "not_computable", "finance.equity,finance.total_assets", ""},
		{"LAW-02|ALFA|2024|", nil, nil, nil, -1, "not_applicable", "", ""},
		{"SKL-08|ALFA|2024|", nil, nil, nil, -1, "not_computable", "learning_records", ""},
	})
	if r := got["ECO-05|ALFA|2023|"]; r.Version != 7 {
		t.Errorf("ECO-05 formula version %d, want 7", r.Version)
	}
	if r := got["LAW-02|BETA|2024|"]; r.Status != StatusOK || r.Params != "basis=headcount" || !near(r.Value, f64(50)) {
		t.Errorf("LAW-02 BETA 2024: %s %s %q, want ok 50 basis=headcount", r.Status, fmtp(r.Value), r.Params)
	}
}

// An indicator whose SQL gives one key twice fails the whole recompute,
// naming the indicator; nothing is written.
func TestDuplicateKeysRefused(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	e := newEngine(t, f, testCatalog(t))
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	before := rows(t, f.db)
	ind, _ := e.Catalog.Indicator("ECO-92")
	ind.SQL = strings.Replace(ind.SQL, "FROM finance f JOIN", "FROM (SELECT * FROM finance UNION ALL SELECT * FROM finance WHERE coop_id = 'BETA') f JOIN", 1)
	_, err := e.RecomputeAll(ctx)
	var ie *IndicatorError
	if !errors.As(err, &ie) || ie.ID != "ECO-92" || !strings.Contains(ie.Error(), "more than once") {
		t.Fatalf("error %v, want an IndicatorError for ECO-92", err)
	}
	if after := rows(t, f.db); len(after) != len(before) {
		t.Errorf("%d rows after the failed recompute, %d before", len(after), len(before))
	}
	ind.SQL = "SELECT 1 AS coop_id"
	if _, err := e.RecomputeAll(ctx); !errors.As(err, &ie) || ie.ID != "ECO-92" {
		t.Errorf("a failing SQL: %v", err)
	}
}

// An incremental recompute reads only the recomputed cooperatives' rows,
// but a shared view of the whole network (no coop_id column) still sees the
// whole network: GAMMA has no accounts of its own, the network's latest
// year of accounts is 2024 either way.
func TestIncrementalKeepsNetworkWideViews(t *testing.T) {
	ctx := context.Background()
	f := engineFixture(t)
	var srcs []source
	for _, d := range []string{"catalog", "netwide"} {
		dir := filepath.Join("testdata", "engine", d)
		srcs = append(srcs, source{fsys: os.DirFS(dir), label: func(n string) string { return filepath.Join(dir, n) }, extra: true})
	}
	cat, err := loadSources(srcs)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, f, cat)
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := e.Recompute(ctx, []CoopYear{{CoopID: "GAMMA"}})
	if err != nil || st.Pairs != 2 {
		t.Fatalf("%+v %v", st, err)
	}
	got := rows(t, f.db)
	checkRows(t, f, got, []want{
		{"ECO-94|GAMMA|2023|", f64(2024), nil, nil, 1, "ok", "", "workers.csv"},
		{"ECO-94|GAMMA|2024|", f64(2024), nil, nil, 1, "ok", "", "workers.csv"},
	})
}
