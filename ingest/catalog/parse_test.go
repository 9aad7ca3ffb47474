package catalog

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// header is the embedded catalogue up to its datasets: the shared parts a test catalogue needs.
func header(t testing.TB) string {
	i := bytes.Index(embedded, []byte("\ndatasets:\n"))
	if i < 0 {
		t.Fatal("embedded catalogue has no datasets: line")
	}
	return string(embedded[:i+1])
}

const demoDatasets = `datasets:
  - name: demo
    table: demo
    title: {it: "Demo", en: "Demo"}
    description: {it: "Demo", en: "Demo"}
    level: coop
    slice: {kind: year, column: year, doc: {it: "anni", en: "years"}}
    keys: [coop_id, year]
    columns:
      - {name: coop_id, type: text, required: true, doc: {it: "coop", en: "coop"}}
      - {name: year, type: year, required: true, min: 2000, max: 2100, aliases: [anno], doc: {it: "anno", en: "year"}}
      - {name: amount, type: dec, min: 0, aliases: [importo], doc: {it: "importo", en: "amount"}}
      - {name: kind, type: text, enum: [{value: a, synonyms: [alfa]}, {value: b}], doc: {it: "tipo", en: "kind"}}
      - {name: start, type: date, doc: {it: "inizio", en: "start"}}
      - {name: stop, type: date, doc: {it: "fine", en: "stop"}}
    checks:
      - {kind: gte, column: stop, other: start, message: {it: "fine prima di inizio", en: "stop before start"}}
`

func TestParseMinimal(t *testing.T) {
	c, err := Parse([]byte(header(t) + demoDatasets))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := c.Dataset("demo")
	if !ok || len(d.Columns) != 6 {
		t.Fatalf("demo not parsed: %+v", d)
	}
	if m := d.MatchHeaders([]string{"Importo"}); m.Columns["amount"] != 0 {
		t.Errorf("alias not indexed: %v", m.Columns)
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, old, new  string
		dataset, column string // expected in the message ("" = not checked)
		want            string
	}{
		{"unknown type", "type: dec,", "type: decimal,", "demo", "amount", `unknown type "decimal"`},
		{"alias equals another column", "aliases: [importo]", "aliases: [anno]", "demo", "amount", `already a name or alias of column "year"`},
		{"alias equals another column once normalised", "aliases: [importo]", `aliases: [" Start "]`, "demo", "amount", `already a name or alias of column "start"`},
		{"alias repeats own name", "aliases: [importo]", "aliases: [Amount]", "demo", "amount", "repeats a name or alias of the same column"},
		{"check on unknown column", "other: start", "other: begin", "demo", "begin", "check names an unknown column"},
		{"check across types", "other: start", "other: kind", "demo", "stop", "check compares"},
		{"unknown check kind", "kind: gte", "kind: after", "demo", "stop", `unknown check kind "after"`},
		{"empty enum", "enum: [{value: a, synonyms: [alfa]}, {value: b}]", "enum: []", "demo", "kind", "enum is empty"},
		{"enum synonym clash", "{value: b}", "{value: b, synonyms: [ALFA]}", "demo", "kind", "maps to both"},
		{"enum value twice", "{value: b}", "{value: a}", "demo", "kind", `enum value "a" listed twice`},
		{"range on text", "{name: kind, type: text,", "{name: kind, type: text, min: 1,", "demo", "kind", "min/max apply only"},
		{"min above max", "min: 2000, max: 2100", "min: 2100, max: 2000", "demo", "year", "min 2100 is above max 2000"},
		{"exclusive without bound", "{name: stop, type: date,", "{name: stop, type: date, max_exclusive: true,", "demo", "stop", "max_exclusive without max"},
		{"duplicate column", "{name: stop,", "{name: start,", "demo", "start", "duplicate column name"},
		{"missing doc", `doc: {it: "importo", en: "amount"}`, `doc: {it: "importo"}`, "demo", "amount", "doc needs Italian and English"},
		{"slice unknown column", "column: year, doc", "column: anno, doc", "demo", "anno", "slice names an unknown column"},
		{"slice wrong type", "kind: year, column: year", "kind: month, column: year", "demo", "year", "needs a column of type"},
		{"unknown slice kind", "kind: year, column: year", "kind: decade, column: year", "demo", "", `unknown slice kind "decade"`},
		{"key unknown", "keys: [coop_id, year]", "keys: [coop_id, yr]", "demo", "yr", "key names an unknown column"},
		{"bad pattern", "{name: kind, type: text,", "{name: kind, type: text, pattern: '^(x$', pattern_doc: {it: a, en: b},", "demo", "kind", "does not compile"},
		{"unanchored pattern", "{name: kind, type: text,", "{name: kind, type: text, pattern: 'x', pattern_doc: {it: a, en: b},", "demo", "kind", "must be anchored"},
		{"pattern without doc", "{name: kind, type: text,", "{name: kind, type: text, pattern: '^x$',", "demo", "kind", "pattern_doc needs"},
		{"bad level", "level: coop", "level: region", "demo", "", `level must be "coop" or "hub"`},
		{"no coop_id", "{name: coop_id, type: text, required: true,", "{name: coop, type: text, required: true,", "demo", "coop_id", "every dataset needs a coop_id column"},
		{"optional coop_id at coop level", "{name: coop_id, type: text, required: true,", "{name: coop_id, type: text,", "demo", "coop_id", "must be required in a coop-level dataset"},
		{"name-like alias beside personal data", "{name: coop_id, type: text, required: true,", "{name: coop_id, type: text, required: true, pseudonymise: true, aliases: [Cognome],", "demo", "coop_id", "looks like people's names"},
		{"pseudonymised non-text", "{name: start, type: date,", "{name: start, type: date, pseudonymise: true,", "demo", "start", "only text columns can be pseudonymised"},
		{"scale on text", "{name: kind, type: text,", "{name: kind, type: text, aliases: [{name: tipo, scale: 2}],", "demo", "kind", "scale and percent apply only to numeric"},
		{"reserved column", "{name: stop,", "{name: run_id,", "demo", "run_id", "reserved"},
		{"bad dataset name", "name: demo", "name: Demo Set", "Demo Set", "", "name must match"},
		{"reserved table", "table: demo", "table: ingest_rejects", "demo", "", "is reserved"},
		// Decoding errors name the line instead.
		{"unknown key", "min: 0, aliases: [importo]", "minimum: 0, aliases: [importo]", "", "", "field minimum not found"},
		{"bad bound", "min: 2000", "min: now", "", "", `bound "now" must be a number or current`},
		{"bad alias field", "aliases: [importo]", "aliases: [{name: importo, factor: 2}]", "", "", `unknown alias field "factor"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(demoDatasets, tt.old) {
				t.Fatalf("test bug: %q not in the demo datasets", tt.old)
			}
			_, err := Parse([]byte(header(t) + strings.Replace(demoDatasets, tt.old, tt.new, 1)))
			if err == nil {
				t.Fatal("Parse accepted a broken catalogue")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error is not ErrInvalid: %v", err)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error is not Errors: %T", err)
			}
			for _, e := range es {
				if strings.Contains(e.Error(), tt.want) &&
					(tt.dataset == "" || e.Dataset == tt.dataset) &&
					(tt.column == "" || e.Column == tt.column) {
					if tt.dataset != "" && !strings.Contains(e.Error(), `dataset "`+tt.dataset+`"`) {
						t.Errorf("message does not name the dataset: %v", e)
					}
					if tt.column != "" && !strings.Contains(e.Error(), `column "`+tt.column+`"`) {
						t.Errorf("message does not name the column: %v", e)
					}
					return
				}
			}
			t.Errorf("no error with %q (dataset %q, column %q) in:\n%v", tt.want, tt.dataset, tt.column, err)
		})
	}
}

func TestParseRefusesDuplicateDataset(t *testing.T) {
	second := strings.Replace(strings.TrimPrefix(demoDatasets, "datasets:\n"), "table: demo", "table: demo2", 1)
	_, err := Parse([]byte(header(t) + demoDatasets + second))
	if err == nil || !strings.Contains(err.Error(), `dataset "demo", duplicate dataset name`) {
		t.Fatalf("duplicate dataset accepted or badly reported: %v", err)
	}
	third := strings.Replace(strings.TrimPrefix(demoDatasets, "datasets:\n"), "name: demo", "name: demo3", 1)
	_, err = Parse([]byte(header(t) + demoDatasets + third))
	if err == nil || !strings.Contains(err.Error(), `table "demo" already used by dataset "demo"`) {
		t.Fatalf("duplicate table accepted or badly reported: %v", err)
	}
}

func TestParseRefusesMissingMessage(t *testing.T) {
	h := strings.Replace(header(t), "  enum: {it:", "  enum_values: {it:", 1)
	_, err := Parse([]byte(h + demoDatasets))
	if err == nil || !strings.Contains(err.Error(), `messages: "enum" needs Italian and English text`) {
		t.Fatalf("missing message template not reported: %v", err)
	}
}

func TestBound(t *testing.T) {
	tests := []struct {
		yaml string
		at   int
		want float64
		str  string
	}{
		{"min: 0", 2026, 0, "0"},
		{"min: 0.5", 2026, 0.5, "0.5"},
		{"min: current", 2026, 2026, "current"},
		{"min: current-14", 2026, 2012, "current-14"},
		{"min: current - 14", 2030, 2016, "current-14"},
		{"min: current+1", 2026, 2027, "current+1"},
	}
	for _, tt := range tests {
		var v struct {
			Min Bound `yaml:"min"`
		}
		if err := yamlUnmarshal(tt.yaml, &v); err != nil {
			t.Fatalf("%s: %v", tt.yaml, err)
		}
		if got := v.Min.Resolve(tt.at); got != tt.want || v.Min.String() != tt.str {
			t.Errorf("%s: Resolve(%d) = %v (%s), want %v (%s)", tt.yaml, tt.at, got, v.Min, tt.want, tt.str)
		}
	}
}

func yamlUnmarshal(s string, v any) error { return yaml.Unmarshal([]byte(s), v) }

func TestCompactHeaderParses(t *testing.T) {
	if _, err := Parse([]byte(compactHeader(t) + demoDatasets)); err != nil {
		t.Fatal(err)
	}
}
