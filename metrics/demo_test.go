package metrics

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"coopimpact/ingest/demo"
)

// On a small demo network with the real catalogue, recomputing one
// cooperative incrementally (over shadow tables holding only its rows, with
// the shared views unmaterialised) gives exactly the rows a full recompute
// (whole tables, materialised views) gives, for every indicator; and after
// that cooperative uploads changed accounts, the incremental result equals a
// full recompute of the new data.
func TestIncrementalEqualsFullOnDemo(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	dir := t.TempDir()
	m, err := demo.Generate(ctx, demo.Options{Coops: 10, YearFrom: 2022, YearTo: 2024, Seed: 7}, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range m.Files {
		f.net.MustLoad(t, file.Dataset, file.Path)
	}
	cat, err := LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, f, cat)
	t1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fixedClock(e, t1)
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	full := rows(t, f.db)
	coop := m.Coops[0].ID
	fixedClock(e, t1.Add(time.Hour))
	st, err := e.Recompute(ctx, []CoopYear{{CoopID: coop}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs == 0 || st.Pairs >= len(m.Coops)*len(st.Years) {
		t.Fatalf("incremental recompute of one cooperative computed %d pairs", st.Pairs)
	}
	inc := rows(t, f.db)
	compare := func(a, b map[string]row, what string) {
		t.Helper()
		if len(a) != len(b) {
			t.Errorf("%s: %d rows vs %d", what, len(a), len(b))
		}
		bad := 0
		for k, r := range a {
			o := b[k]
			r.ComputedAt, o.ComputedAt = time.Time{}, time.Time{}
			if r.String() != o.String() && bad < 10 {
				bad++
				t.Errorf("%s %s:\n  %s\n  %s", what, k, r, o)
			}
		}
	}
	compare(inc, full, "incremental vs full")
	recomputed := 0
	for _, r := range inc {
		if r.ComputedAt.Equal(t1.Add(time.Hour)) {
			recomputed++
			if r.Coop != coop && r.Coop != "" {
				t.Errorf("%s recomputed", r.key())
			}
		}
	}
	if recomputed == 0 {
		t.Error("nothing recomputed")
	}

	// Changed accounts for that cooperative, through the upload hook.
	f.svc.AfterLoad = e.AfterLoad
	var fin string
	for _, file := range m.Files {
		if file.Dataset == "finance" {
			fin = file.Path
		}
	}
	changed := filepath.Join(t.TempDir(), "bilancio.csv")
	writeOneCoopFinance(t, fin, changed, coop)
	f.net.MustLoad(t, "finance", changed)
	afterUpload := rows(t, f.db)
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	compare(afterUpload, rows(t, f.db), "after upload, incremental vs full")
	// Costs are written to the cent, hence the tolerance.
	if r := afterUpload["ECO-01|"+coop+"|2023|"]; r.Status != StatusOK || r.Value == nil || math.Abs(*r.Value+50) > 1e-5 {
		t.Errorf("ECO-01 after the upload: %s, want -50 (costs 1.5 × value of production)", r)
	}
}
