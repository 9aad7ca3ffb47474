package catalog_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	ingestcatalog "coopimpact/ingest/catalog"
)

// The five area files follow docs/metrics.md's shape: ids, units,
// directions, grains, inputs that exist in the canonical tables, parameters
// that the SQL reads and only those, breakdowns where the catalogue asks.
func TestDmwCatalogueShape(t *testing.T) {
	units := []string{"%", "ratio", "EUR", "EUR/FTE", "h/person", "days", "months", "n", "persons", "points", "levels",
		"score", "index", "h", "h/year", "EUR/year"}
	cols := map[string]bool{}
	for _, d := range ingestcatalog.Default().Datasets {
		for _, c := range d.Columns {
			cols[d.Table+"."+c.Name] = true
		}
	}
	wantIDs := map[string]int{"dig": 6, "mgt": 5, "crt": 3, "wel": 9, "tim": 4}
	wantBreakdowns := map[string]string{"DIG-02": "dimension", "WEL-04": "service_type"}
	idRe := regexp.MustCompile(`^[A-Z]{3}-\d{2}$`)
	varRe := regexp.MustCompile(`getvariable\('([^'.]+)\.([^']+)'\)`)
	seen := map[string]bool{}
	for _, area := range dmwAreas {
		f := dmwLoadFile(t, area)
		if f.Area != area || f.Title.It == "" || f.Title.En == "" {
			t.Errorf("%s.yaml: area %q, title %+v", area, f.Area, f.Title)
		}
		if len(f.Indicators) != wantIDs[area] {
			t.Errorf("%s.yaml: %d indicators, want %d", area, len(f.Indicators), wantIDs[area])
		}
		for i, ind := range f.Indicators {
			if want := fmt.Sprintf("%s-%02d", strings.ToUpper(area), i+1); ind.ID != want || !idRe.MatchString(ind.ID) {
				t.Errorf("%s.yaml #%d: id %q, want %s", area, i+1, ind.ID, want)
			}
			if seen[ind.ID] {
				t.Errorf("%s: duplicate id", ind.ID)
			}
			seen[ind.ID] = true
			if ind.Version < 1 || ind.Name.It == "" || ind.Name.En == "" || ind.Description.It == "" || ind.Description.En == "" {
				t.Errorf("%s: version, name or description missing", ind.ID)
			}
			if !slices.Contains(units, ind.Unit) {
				t.Errorf("%s: unit %q", ind.ID, ind.Unit)
			}
			if !slices.Contains([]string{"up", "down", "band", "law"}, ind.Direction) {
				t.Errorf("%s: direction %q", ind.ID, ind.Direction)
			}
			switch ind.Grain {
			case "year":
				if !strings.Contains(ind.SQL, "_cy") || strings.Contains(ind.SQL, "_years") {
					t.Errorf("%s: year grain must be restricted by _cy", ind.ID)
				}
			case "network":
				if !strings.Contains(ind.SQL, "_years") || !strings.Contains(ind.SQL, "NULL::VARCHAR AS coop_id") {
					t.Errorf("%s: network grain must return coop_id NULL and use _years", ind.ID)
				}
			default:
				t.Errorf("%s: grain %q", ind.ID, ind.Grain)
			}
			if len(ind.Inputs) == 0 {
				t.Errorf("%s: no inputs", ind.ID)
			}
			for _, in := range ind.Inputs {
				if !cols[in] {
					t.Errorf("%s: input %q is not a canonical table.column", ind.ID, in)
				}
			}
			if got := strings.Join(ind.Breakdowns, ","); got != wantBreakdowns[ind.ID] {
				t.Errorf("%s: breakdowns %q, want %q", ind.ID, got, wantBreakdowns[ind.ID])
			}
			used := map[string]bool{}
			for _, m := range varRe.FindAllStringSubmatch(ind.SQL, -1) {
				if m[1] != ind.ID {
					t.Errorf("%s: reads another indicator's parameter %s.%s", ind.ID, m[1], m[2])
				}
				used[m[2]] = true
				if _, ok := ind.Params[m[2]]; !ok {
					t.Errorf("%s: SQL reads undeclared parameter %s", ind.ID, m[2])
				}
			}
			for name, p := range ind.Params {
				if !used[name] {
					t.Errorf("%s: parameter %s is never read", ind.ID, name)
				}
				if p.Doc.It == "" || p.Doc.En == "" || p.Default == nil {
					t.Errorf("%s.%s: default or doc missing", ind.ID, name)
				}
				if len(p.Values) > 0 && !slices.Contains(p.Values, p.Default) {
					t.Errorf("%s.%s: default %v not among %v", ind.ID, name, p.Default, p.Values)
				}
			}
		}
	}
}

// dmwCheckColumns asserts an indicator's SQL returns exactly the contract's
// columns, names and types, in order.
func dmwCheckColumns(t *testing.T, s *catSession, ind catIndicator) {
	t.Helper()
	want := []string{"coop_id VARCHAR", "year INTEGER", "value DOUBLE", "numerator DOUBLE", "denominator DOUBLE", "n BIGINT"}
	if len(ind.Breakdowns) > 0 {
		want = append(want, "breakdown VARCHAR")
	}
	if got := s.columns(t, ind.SQL); !slices.Equal(got, want) {
		t.Errorf("%s: columns %v, want %v", ind.ID, got, want)
	}
}

// Every indicator's columns on the golden fixture, and on an empty database
// (no rows anywhere: the SQL still binds and returns nothing).
func TestDmwContractColumns(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears)
	empty := dmwOpen(t, t.TempDir())
	se := dmwNewSession(t, empty.db, dmwYears)
	for _, ind := range dmwIndicators(t) {
		dmwCheckColumns(t, s, ind)
		dmwCheckColumns(t, se, ind)
		rows := se.run(t, ind)
		if ind.Grain == "network" {
			// One row per year of _years, NULL over 0 cooperatives.
			for k, r := range rows {
				if r.Value != nil || r.Coop != "" {
					t.Errorf("%s on an empty database: %s value %s", ind.ID, k, fmtFloat(r.Value))
				}
			}
			continue
		}
		if len(rows) != 0 {
			t.Errorf("%s on an empty database: %d rows", ind.ID, len(rows))
		}
	}
}

// Each SQL computes only the pairs of _cy, and a pair's row does not depend
// on which other pairs are in _cy (an incremental recompute gives the same
// value as a full one): DMWA 2024 and DMWB 2025 alone match the full run.
func TestDmwRestrictedToCy(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears)
	full := map[string]map[string]catRow{}
	for _, ind := range dmwIndicators(t) {
		full[ind.ID] = s.run(t, ind)
	}
	if _, err := s.conn.ExecContext(context.Background(),
		"DELETE FROM _cy; INSERT INTO _cy VALUES ('DMWA', 2024), ('DMWB', 2025)"); err != nil {
		t.Fatal(err)
	}
	for _, ind := range dmwIndicators(t) {
		if ind.Grain == "network" {
			continue
		}
		part := s.run(t, ind)
		for k, r := range full[ind.ID] {
			inCy := (r.Coop == "DMWA" && r.Year == 2024) || (r.Coop == "DMWB" && r.Year == 2025)
			p, ok := part[k]
			switch {
			case inCy && !ok:
				t.Errorf("%s %s: missing when computed alone", ind.ID, k)
			case inCy && (!sameFloat(p.Value, r.Value) || !sameFloat(p.Num, r.Num) || !sameFloat(p.Den, r.Den) || p.N != r.N):
				t.Errorf("%s %s: alone %s, in the full run %s", ind.ID, k, fmtFloat(p.Value), fmtFloat(r.Value))
			}
		}
		for k, p := range part {
			if !((p.Coop == "DMWA" && p.Year == 2024) || (p.Coop == "DMWB" && p.Year == 2025)) {
				t.Errorf("%s %s: row outside _cy", ind.ID, k)
			}
		}
	}
}
