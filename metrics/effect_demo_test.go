package metrics

import (
	"context"
	"testing"

	"coopimpact/ingest/demo"
)

// Acceptance: on the demo network the programme effect shows what the
// generator built in — intervals that exclude zero where the cohort truly
// improved more (DMA score up, process digitalisation up, admin-hours share
// down) and include zero for the indicator it left alone (ECO-01).
func TestProgrammeEffectOnDemoNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("default-size demo network")
	}
	ctx := context.Background()
	f := newFixture(t)
	dir := t.TempDir()
	m, err := demo.Generate(ctx, demo.Options{}, dir) // the default network: 120 cooperatives, 2019–2025
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
	if _, err := e.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id   string
		sign int // +1 interval above zero, -1 below zero, 0 contains zero
	}{
		{"DIG-01", +1}, // DMA T0→T1: +15..25 vs +0..5
		{"MGT-01", +1}, // processes digitalised faster
		{"TIM-01", -1}, // admin-hours share −5..8 points vs 0
		{demo.ProgrammeNeutralIndicator, 0},
	}
	for _, c := range cases {
		views, err := e.Effect(ctx, HubScope(), c.id)
		if err != nil || len(views) == 0 {
			t.Fatalf("%s: %v (%d views)", c.id, err, len(views))
		}
		v := views[0]
		ef := v.Effect
		t.Logf("%s cohort %s %d→%d: DiD %.2f [%.2f, %.2f], n %d vs %d", c.id, v.Cohort, v.Baseline, v.Latest, ef.DiD, ef.Lo, ef.Hi, ef.NCohort, ef.NControl)
		if ef.Suppressed || ef.NCohort < 20 || ef.NControl < 20 {
			t.Fatalf("%s: too few cooperatives: %+v", c.id, ef)
		}
		switch c.sign {
		case +1:
			if ef.Lo <= 0 {
				t.Errorf("%s: interval [%.2f, %.2f] should lie above zero", c.id, ef.Lo, ef.Hi)
			}
		case -1:
			if ef.Hi >= 0 {
				t.Errorf("%s: interval [%.2f, %.2f] should lie below zero", c.id, ef.Lo, ef.Hi)
			}
		default:
			if ef.Lo > 0 || ef.Hi < 0 {
				t.Errorf("%s: interval [%.2f, %.2f] should contain zero", c.id, ef.Lo, ef.Hi)
			}
		}
		// Reproducible: the same call gives the same interval bit for bit.
		again, _ := e.Effect(ctx, HubScope(), c.id)
		if again[0].Effect.Lo != ef.Lo || again[0].Effect.Hi != ef.Hi {
			t.Errorf("%s: bootstrap not reproducible", c.id)
		}
	}
}
