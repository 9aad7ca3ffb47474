package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"coopimpact/ingest"
)

func apiFixture(t *testing.T) (*fixture, *Engine) {
	t.Helper()
	f := engineFixture(t)
	f.load(t, "targets", "targets.csv")
	e := newEngine(t, f, testCatalog(t))
	if _, err := e.RecomputeAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f, e
}

func describe(vs []Value) string {
	var out []string
	for _, v := range vs {
		s := fmt.Sprintf("%s %d %s %s %s", v.IndicatorID, v.Year, v.Breakdown, fmtp(v.Value), v.Status)
		if v.Target != nil {
			s += " target:" + v.Target.Status
		}
		if v.Pass != nil {
			s += fmt.Sprintf(" pass:%v/%s", *v.Pass, fmtp(v.Limit))
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// Values come in catalogue order with unit, law pass/fail and targets (the
// cooperative's own target wins over the network's).
func TestValuesAndTargets(t *testing.T) {
	ctx := context.Background()
	_, e := apiFixture(t)
	vs, err := e.Values(ctx, coopScope("ALFA"), Filter{CoopID: "ALFA", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	// ALFA's ECO-91 2024 is 2.5: its own target 4 (increase) is missed; the network's 3 does not apply.
	if got, want := describe(vs), `ECO-91 2024  2.5 ok target:off_track
ECO-92 2024  NULL not_computable
LAW-91 2024  NULL not_applicable
SKL-91 2024  2 ok
SKL-91 2024 gender=F 1 ok
SKL-91 2024 gender=M 1 ok`; got != want {
		t.Errorf("ALFA 2024:\n%s\nwant\n%s", got, want)
	}
	if vs[0].Unit != "%" || vs[0].Target.Value != 4 || vs[0].Target.CoopID != "ALFA" || vs[1].Unit != "ratio" {
		t.Errorf("units or target: %+v %+v", vs[0], vs[1])
	}
	vs, err = e.Values(ctx, HubScope(), Filter{CoopID: "BETA", Year: 2024, IDs: []string{"ECO-91", "ECO-92", "LAW-91"}})
	if err != nil {
		t.Fatal(err)
	}
	// Network target 3 for ECO-91, value not computable; ECO-92 0.25 kept within 5 % of the 0.25 baseline.
	if got, want := describe(vs), `ECO-91 2024  NULL not_computable target:no_value
ECO-92 2024  0.25 ok target:on_track
LAW-91 2024  50 ok pass:true/30`; got != want {
		t.Errorf("BETA 2024:\n%s\nwant\n%s", got, want)
	}
	if vs[1].Target.Baseline == nil || *vs[1].Target.Baseline != 0.25 || vs[1].Target.Direction != "maintain" {
		t.Errorf("BETA ECO-92 target %+v", vs[1].Target)
	}
	if got := vs[2].RunIDs; len(got) != 2 {
		t.Errorf("LAW-91 run ids %v, want the registry's and the roster's", got)
	}
	// Network values (coop empty) are open to every scope.
	vs, err = e.Values(ctx, coopScope("ALFA"), Filter{})
	if err != nil || describe(vs) != "CRT-91 2023  50 ok\nCRT-91 2024  50 ok" {
		t.Errorf("network values: %v\n%s", err, describe(vs))
	}
	s, err := e.Series(ctx, coopScope("GAMMA"), "GAMMA", "LAW-91")
	if err != nil || describe(s) != "LAW-91 2023  50 ok pass:true/30\nLAW-91 2024  66.66666667 ok pass:true/30" {
		t.Errorf("series: %v\n%s", err, describe(s))
	}
	if y, err := e.LatestYear(ctx, HubScope(), "ALFA"); err != nil || y != 2024 {
		t.Errorf("latest year %d %v", y, err)
	}
	snap, err := e.CoopSnapshot(ctx, coopScope("ALFA"), "ALFA", 0, false)
	if err != nil || snap.Year != 2024 || len(snap.Values) != 4 || snap.Values[0].ID != "ECO-91" || *snap.Values[0].Value != 2.5 {
		t.Errorf("snapshot %+v %v", snap, err)
	}
	if snap, err := e.CoopSnapshot(ctx, HubScope(), "ALFA", 2024, true); err != nil || len(snap.Values) != 6 || snap.Values[5].Breakdown != "gender=M" {
		t.Errorf("snapshot with breakdowns %+v %v", snap, err)
	}
	if _, err := e.CoopSnapshot(ctx, coopScope("ALFA"), "BETA", 0, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("snapshot of another cooperative: %v", err)
	}
	ts, err := e.Targets(ctx, HubScope(), "ALFA")
	if err != nil || len(ts) != 1 || ts[0].Value != 4 {
		t.Errorf("ALFA targets %+v %v", ts, err)
	}
	if ts, err := e.Targets(ctx, HubScope(), ""); err != nil || len(ts) != 1 || ts[0].Value != 3 || ts[0].Note != "rete" {
		t.Errorf("network targets %+v %v", ts, err)
	}
}

// A cooperative's user asking for another cooperative gets exactly what a
// nonexistent cooperative gives: ErrNotFound, same message.
func TestScopeHidesOtherCooperatives(t *testing.T) {
	ctx := context.Background()
	_, e := apiFixture(t)
	alfa := coopScope("ALFA")
	calls := map[string]func(Scope, string) error{
		"Values": func(sc Scope, c string) error { _, err := e.Values(ctx, sc, Filter{CoopID: c}); return err },
		"Series": func(sc Scope, c string) error { _, err := e.Series(ctx, sc, c, "ECO-91"); return err },
		"Completeness": func(sc Scope, c string) error {
			_, err := e.Completeness(ctx, sc, c, 2024)
			return err
		},
		"LatestYear": func(sc Scope, c string) error { _, err := e.LatestYear(ctx, sc, c); return err },
		"Targets":    func(sc Scope, c string) error { _, err := e.Targets(ctx, sc, c); return err },
	}
	for name, call := range calls {
		other := call(alfa, "BETA")
		missing := call(alfa, "NOPE")
		hubMissing := call(HubScope(), "NOPE")
		if !errors.Is(other, ErrNotFound) || !errors.Is(missing, ErrNotFound) || !errors.Is(hubMissing, ErrNotFound) {
			t.Errorf("%s: other %v, missing %v, hub missing %v; want ErrNotFound for all", name, other, missing, hubMissing)
			continue
		}
		if other.Error() != missing.Error() {
			t.Errorf("%s: %q vs %q tells them apart", name, other, missing)
		}
		if err := call(alfa, "ALFA"); err != nil {
			t.Errorf("%s on its own cooperative: %v", name, err)
		}
		if err := call(nil, "ALFA"); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s without a scope: %v", name, err)
		}
	}
	if _, err := e.Values(ctx, alfa, Filter{CoopID: "ALFA", IDs: []string{"ECO-99"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown indicator: %v", err)
	}
	if _, err := e.Series(ctx, HubScope(), "ALFA", "ECO-99"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown indicator series: %v", err)
	}
}

func TestCompleteness(t *testing.T) {
	ctx := context.Background()
	_, e := apiFixture(t)
	c, err := e.Completeness(ctx, HubScope(), "DELTA", 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Year != 2024 || c.Computable != 0 || c.Applicable != 3 || c.NotApplicable != 1 || len(c.Indicators) != 4 {
		t.Errorf("DELTA: %+v", c)
	}
	var mi []string
	for _, m := range c.MissingInputs {
		mi = append(mi, m.Input+"→"+strings.Join(m.Indicators, ","))
	}
	if got := strings.Join(mi, " "); got != "finance.cash→ECO-92 finance.current_liabilities→ECO-92 finance.production_costs→ECO-91 finance.value_of_production→ECO-91" {
		t.Errorf("DELTA missing inputs: %s", got)
	}
	c, err = e.Completeness(ctx, HubScope(), "BETA", 2023)
	if err != nil {
		t.Fatal(err)
	}
	// ECO-92 lacks cash; the rest is computable.
	if c.Computable != 3 || c.Applicable != 4 || len(c.MissingInputs) != 1 || c.MissingInputs[0].Input != "finance.cash" {
		t.Errorf("BETA 2023: %+v", c)
	}
}

func TestTargetStatus(t *testing.T) {
	for _, tc := range []struct {
		dir      string
		value    *float64
		target   float64
		baseline *float64
		want     string
	}{
		{"increase", f64(10), 10, nil, OnTrack},
		{"increase", f64(9.99), 10, nil, OffTrack},
		{"decrease", f64(10), 10, nil, OnTrack},
		{"decrease", f64(10.01), 10, nil, OffTrack},
		// maintain: ±5 % of the baseline ...
		{"maintain", f64(105), 200, f64(100), OnTrack},
		{"maintain", f64(95), 200, f64(100), OnTrack},
		{"maintain", f64(105.01), 200, f64(100), OffTrack},
		{"maintain", f64(-104), 0, f64(-100), OnTrack},
		// ... or of the target without a baseline.
		{"maintain", f64(52.5), 50, nil, OnTrack},
		{"maintain", f64(47.4), 50, nil, OffTrack},
		{"maintain", f64(0), 0, nil, OnTrack},
		{"maintain", f64(0.001), 0, nil, OffTrack},
		{"increase", nil, 10, nil, NoValue},
		{"sideways", f64(1), 10, nil, NoTarget},
	} {
		if got := TargetStatus(tc.dir, tc.value, tc.target, tc.baseline); got != tc.want {
			t.Errorf("%s %s target %v baseline %s: %s, want %s", tc.dir, fmtp(tc.value), tc.target, fmtp(tc.baseline), got, tc.want)
		}
	}
}

func TestSlicesToPairs(t *testing.T) {
	sl := func(pairs ...string) []ingest.Slice {
		var out []ingest.Slice
		for _, p := range pairs {
			c, per, _ := strings.Cut(p, ":")
			out = append(out, ingest.Slice{CoopID: c, Period: per})
		}
		return out
	}
	for _, tc := range []struct {
		dataset string
		slices  []ingest.Slice
		want    string
	}{
		{"finance", sl("A:2024"), "A 2024, A 2025"},
		{"trainings", sl("B:2023", "A:2024"), "A 2024, A 2025, B 2023, B 2024"},
		{"hours", sl("A:2024-03", "A:2024-04", "A:2023-12"), "A 2023, A 2024, A 2025"},
		{"workers", sl("A:2023", "A:2024"), "A all"},
		{"dma_responses", sl("A:T0"), "A all"},
		{"surveys", sl("A:QS-2024"), "A all"},
		{"certifications", sl("A:all"), "A all"},
		{"beneficiaries", sl("A:all", "B:all"), "A all, B all"},
		{"cooperatives", sl("A:registry", "B:registry"), "A all, B all"},
		{"targets", sl("A:2024", ":2024"), ""},
		{"finance", sl(":2024", "A:garbage"), "A all"},
		{"unknown_dataset", sl("A:2024"), "A all"},
	} {
		var got []string
		for _, p := range SlicesToPairs(tc.dataset, tc.slices) {
			y := "all"
			if p.Year != 0 {
				y = fmt.Sprint(p.Year)
			}
			got = append(got, p.CoopID+" "+y)
		}
		if g := strings.Join(got, ", "); g != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.dataset, tc.slices, g, tc.want)
		}
	}
}

// peersFixture: 6 cooperatives in the 2023 cohort (C1–C3 type A, C4–C6
// type B) and 6 in none (N1–N6, type A), with hand-made ECO-91 values:
// 2022 cohort 10, control 20; 2024 cohort 12, 14, …, 22, control 21.
func peersFixture(t *testing.T) *Engine {
	t.Helper()
	f := newFixture(t)
	f.load(t, "cooperatives", "peers_cooperatives.csv")
	e := newEngine(t, f, testCatalog(t))
	ins := func(coop string, year int, v float64) {
		if _, err := f.db.Exec(`INSERT INTO indicator_values VALUES ('ECO-91', ?, ?, '', ?, NULL, NULL, 1, 'ok', [], '', 3, [], now())`, coop, year, v); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 6; i++ {
		ins(fmt.Sprintf("C%d", i), 2022, 10)
		ins(fmt.Sprintf("C%d", i), 2024, float64(10+2*i))
		ins(fmt.Sprintf("N%d", i), 2022, 20)
		ins(fmt.Sprintf("N%d", i), 2024, 21)
	}
	// A value not computable never counts.
	if _, err := f.db.Exec(`INSERT INTO indicator_values VALUES ('ECO-91', 'N1', 2023, '', NULL, NULL, NULL, NULL, 'not_computable', [], '', 3, [], now())`); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestPeers(t *testing.T) {
	ctx := context.Background()
	e := peersFixture(t)
	pv, err := e.Peers(ctx, coopScope("C1"), "ECO-91", 2024, 5)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	for _, g := range pv.Groups {
		groups[g.Dimension+"="+g.Group] = fmt.Sprintf("n%d min%g p25%g med%g p75%g max%g mean%g %v %s", g.N, g.Min, g.P25, g.Median, g.P75, g.Max, g.Mean, g.Suppressed, g.Reason)
	}
	// Sorted: 12 14 16 18 20 21 21 21 21 21 21 22. p25: h = 2.75 → 16 + 0.75 × 2; mean 228 / 12.
	want := map[string]string{
		"network=all":      "n12 min12 p2517.5 med21 p7521 max22 mean19 false ",
		"region=Lombardia": "n12 min12 p2517.5 med21 p7521 max22 mean19 false ",
		"coop_type=B":      "n0 min0 p250 med0 p750 max0 mean0 true below_k",
		"coop_type=A":      "n0 min0 p250 med0 p750 max0 mean0 true complementary",
		"cohort=2023":      "n6 min12 p2514.5 med17 p7519.5 max22 mean17 false ",
		"cohort=none":      "n6 min21 p2521 med21 p7521 max21 mean21 false ",
	}
	for k, w := range want {
		if groups[k] != w {
			t.Errorf("%s: %q, want %q", k, groups[k], w)
		}
	}
	if len(groups) != len(want) {
		t.Errorf("groups %v", groups)
	}
	// C1 sees only itself: 12 is the lowest, percentile 1/12, rank 12 of 12 (higher is better).
	for _, p := range pv.Positions {
		if p.CoopID != "C1" {
			t.Errorf("a cooperative's scope sees %s's position", p.CoopID)
		}
		if p.Dimension == "network" && (p.Rank != 12 || math.Abs(p.Percentile-100.0/12) > 1e-9 || p.N != 12) {
			t.Errorf("C1 in the network: %+v", p)
		}
	}
	if len(pv.Positions) != 4 {
		t.Errorf("C1 positions %d, want 4 (network, region, type, cohort)", len(pv.Positions))
	}
	hub, err := e.Peers(ctx, HubScope(), "ECO-91", 2024, 0)
	if err != nil || len(hub.Positions) != 12*4 || hub.K != 5 {
		t.Errorf("hub: %d positions, k %d, %v", len(hub.Positions), hub.K, err)
	}
	if _, err := e.Peers(ctx, HubScope(), "CRT-91", 2024, 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("network indicator: %v", err)
	}
}

func TestEffect(t *testing.T) {
	ctx := context.Background()
	e := peersFixture(t)
	evs, err := e.Effect(ctx, coopScope("N3"), "ECO-91")
	if err != nil || len(evs) != 1 {
		t.Fatalf("%+v %v", evs, err)
	}
	ev := evs[0]
	// Cohort changes 2, 4, …, 12 (mean 7), control changes 1 (mean 1): DiD 6.
	eff := ev.Effect
	if ev.CohortStart != 2023 || ev.Baseline != 2022 || ev.Latest != 2024 || eff.NCohort != 6 || eff.NControl != 6 ||
		eff.MeanChangeCohort != 7 || eff.MeanChangeControl != 1 || eff.DiD != 6 || eff.Suppressed {
		t.Errorf("effect %+v", ev)
	}
	// The control side never varies, so the interval is the cohort's mean change, resampled, minus 1.
	if !(eff.Lo >= 1 && eff.Lo < 6 && eff.Hi > 6 && eff.Hi <= 11) || eff.Resamples != 2000 || eff.Seed != 1 {
		t.Errorf("interval [%g, %g], resamples %d, seed %d", eff.Lo, eff.Hi, eff.Resamples, eff.Seed)
	}
	again, _ := e.Effect(ctx, HubScope(), "ECO-91")
	if again[0].Effect != eff {
		t.Error("the bootstrap is not reproducible")
	}
}
