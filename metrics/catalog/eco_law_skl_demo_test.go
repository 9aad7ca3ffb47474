package catalog_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"coopimpact/ingest/demo"
)

// The demo network (15 cooperatives, 2021–2024) loaded through ingestion:
// every ECO, LAW and SKL SQL runs, returns the contract's columns, and gives
// mostly non-NULL values; the Go recomputation agrees on it too.
func TestEcoLawSklOnDemoNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a generated network")
	}
	dir := t.TempDir()
	opts := demo.Options{Coops: 15, YearFrom: 2021, YearTo: 2024, Seed: 3, CohortStart: 2023}
	man, err := demo.Generate(context.Background(), opts, dir+"/files")
	if err != nil {
		t.Fatal(err)
	}
	n := elsOpenNetwork(t, dir)
	for _, elsF := range man.Files {
		n.load(t, elsF.Dataset, elsF.Path)
	}
	years := []int{2021, 2022, 2023, 2024}
	s := elsNewSession(t, n.db, years)
	types := map[string]int{}
	for _, c := range man.Coops {
		types[c.Type]++
	}
	for _, ind := range elsLoadIndicators(t) {
		elsCheckColumns(t, s, ind)
		rows := s.run(t, ind)
		var vals []float64
		for _, r := range rows {
			if r.Value != nil && r.Breakdown == "" {
				vals = append(vals, *r.Value)
			}
		}
		nonNull := 0
		for _, r := range rows {
			if r.Value != nil {
				nonNull++
			}
		}
		sort.Float64s(vals)
		if len(vals) > 0 {
			t.Logf("%s: %d rows, %d non-NULL; min %.4g median %.4g max %.4g", ind.ID, len(rows), nonNull,
				vals[0], vals[len(vals)/2], vals[len(vals)-1])
		} else {
			t.Logf("%s: %d rows, %d non-NULL", ind.ID, len(rows), nonNull)
		}
		switch ind.ID {
		case "SKL-08", "SKL-09":
			if len(rows) != 0 {
				t.Errorf("%s: %d rows before learning records exist", ind.ID, len(rows))
			}
			continue
		case "LAW-02":
			if want := (types["B"] + types["AB"]) * len(years); len(rows) != want {
				t.Errorf("LAW-02: %d rows, want %d (B and AB cooperatives × years)", len(rows), want)
			}
		case "ECO-10":
			if want := opts.Coops * (len(years) - 1); len(rows) < want*9/10 {
				t.Errorf("ECO-10: %d rows, want about %d (no previous year for 2021)", len(rows), want)
			}
		default:
			if len(rows) < opts.Coops*len(years)*9/10 {
				t.Errorf("%s: only %d rows for %d cooperative-years", ind.ID, len(rows), opts.Coops*len(years))
			}
		}
		if nonNull < len(rows)*9/10 {
			t.Errorf("%s: only %d of %d values are non-NULL", ind.ID, nonNull, len(rows))
		}
	}
	// m_presence knows every dataset of the demo, each with the run that loaded it.
	presence := map[string]string{}
	rows, err := s.conn.QueryContext(context.Background(),
		"SELECT table_name, count(*) || ' coop-years, runs ' || list_sort(flatten(list(DISTINCT run_ids)))::VARCHAR FROM m_presence GROUP BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tbl, desc string
		if err := rows.Scan(&tbl, &desc); err != nil {
			t.Fatal(err)
		}
		presence[tbl] = desc
	}
	rows.Close()
	for _, f := range man.Files {
		if f.Dataset == "cooperatives" || f.Dataset == "targets" {
			continue // not inputs of a cooperative-year
		}
		want := fmt.Sprintf("runs [%d]", n.runs[f.Dataset])
		if !strings.HasSuffix(presence[f.Dataset], want) {
			t.Errorf("m_presence %s: %q, want …%s", f.Dataset, presence[f.Dataset], want)
		}
		t.Logf("m_presence %s: %s", f.Dataset, presence[f.Dataset])
	}
	for _, v := range [][2]string{{"headcount", "gross"}, {"fte", "net"}} {
		c := elsCompareWithGo(t, n.db, years, v[0], v[1])
		t.Logf("Go recomputation agrees on %d demo rows (basis=%s, composition=%s)", c, v[0], v[1])
	}
}
