package stats

import (
	"database/sql"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// Hand-worked type-7 values: h = (n−1)p, Q = x[⌊h⌋] + frac(h)·(x[⌊h⌋+1]−x[⌊h⌋]).
var summaryCases = []struct {
	name string
	in   []float64
	want Summary
}{
	{"single", []float64{7}, Summary{1, 7, 7, 7, 7, 7, 7}},
	// sorted 1 2 3: h25=0.5 → 1.5; h50=1 → 2; h75=1.5 → 2.5
	{"three unsorted", []float64{3, 1, 2}, Summary{3, 1, 1.5, 2, 2.5, 3, 2}},
	// h25=0.75 → 1.75; h50=1.5 → 2.5; h75=2.25 → 3.25
	{"four", []float64{4, 3, 2, 1}, Summary{4, 1, 1.75, 2.5, 3.25, 4, 2.5}},
	// h = 1, 2, 3 exactly
	{"five", []float64{50, 10, 40, 20, 30}, Summary{5, 10, 20, 30, 40, 50, 30}},
	// sorted 1 1 2 3 5 100: h25=1.25 → 1+0.25·1=1.25; h50=2.5 → 2.5; h75=3.75 → 3+0.75·2=4.5; mean 112/6
	{"six skewed ties", []float64{1, 1, 2, 100, 5, 3}, Summary{6, 1, 1.25, 2.5, 4.5, 100, 112.0 / 6}},
	// sorted −5 −1 0 2.5: h25=0.75 → −5+0.75·4=−2; h50=1.5 → −0.5; h75=2.25 → 0+0.25·2.5=0.625; mean −3.5/4
	{"negatives", []float64{0, -1, 2.5, -5}, Summary{4, -5, -2, -0.5, 0.625, 2.5, -0.875}},
	{"all equal", []float64{2, 2, 2, 2}, Summary{4, 2, 2, 2, 2, 2, 2}},
}

func TestSummarizeHand(t *testing.T) {
	for _, c := range summaryCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Summarize(c.in)
			if err != nil {
				t.Fatal(err)
			}
			assertSummary(t, got, c.want, 1e-12)
		})
	}
}

func assertSummary(t *testing.T, got, want Summary, tol float64) {
	t.Helper()
	if got.N != want.N {
		t.Errorf("n = %d, want %d", got.N, want.N)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"min", got.Min, want.Min}, {"p25", got.P25, want.P25}, {"median", got.Median, want.Median},
		{"p75", got.P75, want.P75}, {"max", got.Max, want.Max}, {"mean", got.Mean, want.Mean},
	} {
		if math.Abs(f.got-f.want) > tol*math.Max(1, math.Abs(f.want)) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
}

func TestQuantileEdges(t *testing.T) {
	s := []float64{1, 2, 3, 4}
	for _, c := range []struct{ p, want float64 }{
		{0, 1}, {1, 4}, {-0.5, 1}, {1.5, 4}, {math.NaN(), 1}, {0.1, 1.3}, {0.9, 3.7},
	} {
		if got := Quantile(s, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("empty quantile should be NaN")
	}
	// Interpolation across the whole float range must not overflow.
	if got := Quantile([]float64{-math.MaxFloat64, math.MaxFloat64}, 0.5); got != 0 {
		t.Errorf("extreme median = %v, want 0", got)
	}
}

func TestSummarizeErrors(t *testing.T) {
	if _, err := Summarize(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("nil: err = %v, want ErrEmpty", err)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := Summarize([]float64{1, bad})
		if !errors.Is(err, ErrNonFinite) {
			t.Errorf("%v: err = %v, want ErrNonFinite", bad, err)
		}
		var se *Error
		if !errors.As(err, &se) || se.It == "" || se.En == "" {
			t.Errorf("%v: want *Error with It and En, got %#v", bad, err)
		}
	}
}

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database for the temp tables
	t.Cleanup(func() { db.Close() })
	return db
}

// duckSummary computes the same Summary with DuckDB's own aggregates.
func duckSummary(t *testing.T, db *sql.DB, values []float64) Summary {
	t.Helper()
	if _, err := db.Exec(`CREATE OR REPLACE TEMP TABLE q(v DOUBLE)`); err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if _, err := db.Exec(`INSERT INTO q VALUES (?)`, v); err != nil {
			t.Fatal(err)
		}
	}
	var s Summary
	err := db.QueryRow(`SELECT count(*)::BIGINT, min(v), quantile_cont(v, 0.25), quantile_cont(v, 0.5),
		quantile_cont(v, 0.75), max(v), avg(v) FROM q`).Scan(&s.N, &s.Min, &s.P25, &s.Median, &s.P75, &s.Max, &s.Mean)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The second, independent check: DuckDB's quantile_cont/avg on the same numbers
// (hand cases plus random sets of awkward sizes).
func TestSummarizeMatchesDuckDB(t *testing.T) {
	db := openDuckDB(t)
	sets := [][]float64{}
	for _, c := range summaryCases {
		sets = append(sets, c.in)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{2, 5, 6, 9, 10, 17, 40} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = math.Round(r.NormFloat64()*1000) / 10
		}
		sets = append(sets, xs)
	}
	for _, xs := range sets {
		got, err := Summarize(xs)
		if err != nil {
			t.Fatal(err)
		}
		want := duckSummary(t, db, xs)
		assertSummary(t, got, want, 1e-12)
	}
}
