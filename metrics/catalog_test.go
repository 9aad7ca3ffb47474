package metrics

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodIndicator is a valid extra indicator; the table below breaks one thing at a time.
const goodIndicator = `area: eco
indicators:
  - id: ECO-90
    version: 1
    name: {it: "Prova", en: "Test"}
    description: {it: "Una prova.", en: "A test."}
    unit: "%"
    direction: up
    grain: year
    inputs: [finance.value_of_production]
    sql: |
      SELECT f.coop_id, f.year, f.value_of_production AS value, NULL::DOUBLE AS numerator,
             NULL::DOUBLE AS denominator, 1::BIGINT AS n
      FROM finance f JOIN _cy c ON c.coop_id = f.coop_id AND c.year = f.year
`

// The catalogue refuses a broken file and names the file, the indicator
// and the problem; a good extra file passes.
func TestCatalogueValidation(t *testing.T) {
	f := newFixture(t) // the real schema, no rows
	cases := []struct {
		name    string
		files   map[string]string
		file    string // the file the problem names
		id      string
		problem string // part of the English text
		sqlOnly bool   // found by Check, not by LoadCatalog
	}{
		{"good", map[string]string{"x.yaml": goodIndicator}, "", "", "", false},
		{"bad SQL", map[string]string{"x.yaml": strings.Replace(goodIndicator, "FROM finance f", "FROMM finance f", 1)},
			"x.yaml", "ECO-90", "the SQL does not compile", true},
		{"unknown table in SQL", map[string]string{"x.yaml": strings.Replace(goodIndicator, "FROM finance f", "FROM financ f", 1)},
			"x.yaml", "ECO-90", "does not compile", true},
		{"missing column", map[string]string{"x.yaml": strings.Replace(goodIndicator, ",\n             NULL::DOUBLE AS denominator", "", 1)},
			"x.yaml", "ECO-90", "the SQL returns the columns (coop_id, year, value, numerator, n), the contract asks for (coop_id, year, value, numerator, denominator, n)", true},
		{"wrong type", map[string]string{"x.yaml": strings.Replace(goodIndicator, "f.year, f.value", "f.year::VARCHAR AS year, f.value", 1)},
			"x.yaml", "ECO-90", "column year has type VARCHAR: it must be an integer", true},
		{"value as text", map[string]string{"x.yaml": strings.Replace(goodIndicator, "f.value_of_production AS value", "'x' AS value", 1)},
			"x.yaml", "ECO-90", "column value has type VARCHAR: it must be a number", true},
		{"breakdown column missing", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year", "grain: year\n    breakdowns: [gender]", 1)},
			"x.yaml", "ECO-90", "the contract asks for (coop_id, year, value, numerator, denominator, n, breakdown)", true},
		{"unknown input column", map[string]string{"x.yaml": strings.Replace(goodIndicator, "finance.value_of_production]", "finance.turnover]", 1)},
			"x.yaml", "ECO-90", `table finance has no column "turnover"`, true},
		{"duplicate id", map[string]string{"a.yaml": goodIndicator, "b.yaml": goodIndicator},
			"b.yaml", "ECO-90", "duplicate id: already defined in", false},
		{"bad unit", map[string]string{"x.yaml": strings.Replace(goodIndicator, `unit: "%"`, `unit: "percent"`, 1)},
			"x.yaml", "ECO-90", `unknown unit "percent"`, false},
		{"bad direction", map[string]string{"x.yaml": strings.Replace(goodIndicator, "direction: up", "direction: higher", 1)},
			"x.yaml", "ECO-90", `unknown direction "higher"`, false},
		{"bad grain", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year", "grain: month", 1)},
			"x.yaml", "ECO-90", `unknown grain "month"`, false},
		{"bad id", map[string]string{"x.yaml": strings.Replace(goodIndicator, "ECO-90", "ECO-9", 1)},
			"x.yaml", "ECO-9", `invalid id "ECO-9"`, false},
		{"id of another area", map[string]string{"x.yaml": strings.Replace(goodIndicator, "ECO-90", "LAW-90", 1)},
			"x.yaml", "LAW-90", "does not belong to area eco", false},
		{"unknown field", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year", "grain: year\n    colour: red", 1)},
			"x.yaml", "", "invalid YAML", false},
		{"law without threshold", map[string]string{"x.yaml": strings.Replace(goodIndicator, "direction: up", "direction: law", 1)},
			"x.yaml", "ECO-90", "a law indicator (direction: law), and only one, has a threshold", false},
		{"bad threshold op", map[string]string{"x.yaml": strings.Replace(goodIndicator, "direction: up", "direction: law\n    threshold: {op: \"=>\", value: 5}", 1)},
			"x.yaml", "ECO-90", `unknown operator "=>"`, false},
		{"default not among values", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year",
			"grain: year\n    params:\n      basis: {default: fte, values: [headcount, persons], doc: {it: a, en: b}}", 1)},
			"x.yaml", "ECO-90", `parameter basis: default "fte" is not among the values`, false},
		{"parameter without doc", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year",
			"grain: year\n    params:\n      basis: {default: fte, values: [fte, headcount]}", 1)},
			"x.yaml", "ECO-90", "parameter basis: doc needs Italian and English text", false},
		{"reads another indicator's parameter", map[string]string{"x.yaml": strings.Replace(goodIndicator, "1::BIGINT AS n",
			"1::BIGINT AS n, getvariable('LAW-02.basis') AS b", 1)},
			"x.yaml", "ECO-90", "sql reads LAW-02.basis, which is not a parameter of this indicator", false},
		{"not restricted to _cy", map[string]string{"x.yaml": strings.Replace(goodIndicator, " JOIN _cy c ON c.coop_id = f.coop_id AND c.year = f.year", "", 1)},
			"x.yaml", "ECO-90", "sql must compute only the pairs in _cy", false},
		{"unknown cooperative type", map[string]string{"x.yaml": strings.Replace(goodIndicator, "grain: year", "grain: year\n    applies_to: [Z]", 1)},
			"x.yaml", "ECO-90", `applies_to: unknown cooperative type "Z"`, false},
		{"no italian name", map[string]string{"x.yaml": strings.Replace(goodIndicator, `name: {it: "Prova", en: "Test"}`, `name: {en: "Test"}`, 1)},
			"x.yaml", "ECO-90", "name needs Italian (it) and English (en) text", false},
		{"unknown area", map[string]string{"x.yaml": strings.Replace(goodIndicator, "area: eco", "area: fin", 1)},
			"x.yaml", "", `unknown area "fin"`, false},
		{"bad shared SQL", map[string]string{"x.yaml": goodIndicator, "60_bad.sql": "CREATE OR REPLACE TEMP VIEW m_bad AS SELEC 1;"},
			"60_bad.sql", "", "the shared SQL does not run", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cat, err := LoadCatalog(dir)
			if err == nil {
				_, err = cat.Check(context.Background(), f.db)
				if tc.problem != "" && !tc.sqlOnly {
					t.Errorf("LoadCatalog accepted a file with: %s", tc.problem)
				}
			} else if tc.sqlOnly {
				t.Errorf("LoadCatalog refused what only Check should find: %v", err)
			}
			if tc.problem == "" {
				if err != nil {
					t.Fatalf("a good file refused: %v", err)
				}
				if ind, ok := cat.Indicator("ECO-90"); !ok || ind.File != filepath.Join(dir, "x.yaml") {
					t.Errorf("ECO-90 not loaded from the extra folder: %+v", ind)
				}
				return
			}
			var ces CatalogErrors
			if !errors.As(err, &ces) {
				t.Fatalf("error %v (%T), want CatalogErrors", err, err)
			}
			found := false
			for _, ce := range ces {
				if ce.File == filepath.Join(dir, tc.file) && ce.ID == tc.id && strings.Contains(ce.En, tc.problem) {
					found = true
					if ce.It == "" || ce.It == ce.En {
						t.Errorf("no Italian text: %+v", ce)
					}
					if m := ce.Message("it"); !strings.Contains(m, tc.file) || tc.id != "" && !strings.Contains(m, "indicatore "+tc.id) {
						t.Errorf("Italian message does not name the file and indicator: %s", m)
					}
				}
			}
			if !found {
				t.Errorf("problems %v; want file %s, id %q, problem %q", err, tc.file, tc.id, tc.problem)
			}
		})
	}
}

// The embedded catalogue passes its own checks against the real schema; the
// only warnings are the learning records the courses module will add.
func TestEmbeddedCatalogueChecks(t *testing.T) {
	f := newFixture(t)
	cat, err := LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	warnings, err := cat.Check(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		if !strings.Contains(w.En, "learning_records") {
			t.Errorf("unexpected warning %v", w)
		}
	}
	areas := map[string]int{}
	for _, ind := range cat.Indicators {
		areas[ind.Area]++
		if ind.File != ind.Area+".yaml" || ind.Overrides != "" {
			t.Errorf("%s from %s (overrides %q)", ind.ID, ind.File, ind.Overrides)
		}
	}
	for _, a := range Areas {
		if areas[a] == 0 {
			t.Errorf("area %s has no indicator", a)
		}
		if _, ok := cat.Area(a); !ok {
			t.Errorf("area %s has no title", a)
		}
	}
	law03, _ := cat.Indicator("LAW-03")
	if p, ok := law03.Param("limit"); !ok || p.Kind != KindInt || p.Default != "8" || strings.Join(p.Values, ",") != "8,12" {
		t.Errorf("LAW-03 limit parameter %+v", p)
	}
	if _, err := LoadCatalog(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing --catalog folder was accepted")
	}
}

func TestParseParamValue(t *testing.T) {
	for _, tc := range []struct {
		p    Param
		in   string
		want string
		ok   bool
	}{
		{Param{Kind: KindInt, Values: []string{"8", "12"}}, " 12 ", "12", true},
		{Param{Kind: KindInt, Values: []string{"8", "12"}}, "10", "", false},
		{Param{Kind: KindInt}, "1.5", "", false},
		{Param{Kind: KindFloat}, "2.50", "2.5", true},
		{Param{Kind: KindBool}, "TRUE", "true", true},
		{Param{Kind: KindString, Values: []string{"headcount", "fte"}}, "fte", "fte", true},
		{Param{Kind: KindString, Values: []string{"headcount", "fte"}}, "FTE", "", false},
		{Param{Kind: KindString}, "ISO9001,SA8000", "ISO9001,SA8000", true},
	} {
		got, ok := ParseParamValue(tc.p, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%+v %q: %q %v, want %q %v", tc.p, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
