package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"coopimpact/metrics"
)

// runIn runs a subcommand function in this process.
func runIn(t *testing.T, f func(context.Context, []string, io.Writer, io.Writer) int, args ...string) (string, string, int) {
	t.Helper()
	var o, e bytes.Buffer
	code := f(context.Background(), args, &o, &e)
	return o.String(), e.String(), code
}

func metricsData(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	src := filepath.Join("..", "..", "metrics", "testdata", "engine")
	for _, l := range [][2]string{{"cooperatives", "cooperatives.csv"}, {"finance", "finance.csv"}, {"workers", "workers.csv"}} {
		if out, errOut, code := runIn(t, runIngest, "--data", data, "--dataset", l[0], "--json", filepath.Join(src, l[1])); code != 0 {
			t.Fatalf("ingest %s: %d %s %s", l[1], code, out, errOut)
		}
	}
	return data
}

// The metrics CLI: recompute prints counts, show prints one JSON object of
// the documented shape, errors are one sentence with exit status 2.
func TestMetricsCLI(t *testing.T) {
	data := metricsData(t)
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	n := 0 // the cooperative-grain indicators: one value each per cooperative and year
	for _, ind := range cat.Indicators {
		if ind.Grain == metrics.GrainYear {
			n++
		}
	}

	out, errOut, code := runIn(t, runMetrics, "recompute", "--data", data, "--lang", "en")
	if code != 0 || !strings.HasPrefix(out, "recomputed ") || !strings.Contains(out, " for 8 cooperative-years (2023–2024): ") {
		t.Fatalf("recompute: %d %q %q", code, out, errOut)
	}

	out, errOut, code = runIn(t, runMetrics, "show", "--data", data, "--coop", "alfa", "--json")
	if code != 0 {
		t.Fatalf("show: %d %s", code, errOut)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("show --json is not one JSON object: %v\n%s", err, out)
	}
	if got := keys(raw); got != "coop_id,values,year" {
		t.Errorf("top-level keys %s", got)
	}
	var shown struct {
		CoopID string           `json:"coop_id"`
		Year   int              `json:"year"`
		Values []map[string]any `json:"values"`
	}
	json.Unmarshal([]byte(out), &shown)
	if shown.CoopID != "ALFA" || shown.Year != 2024 || len(shown.Values) != n {
		t.Errorf("coop %s year %d (want the latest, 2024), %d values (want %d)", shown.CoopID, shown.Year, len(shown.Values), n)
	}
	for _, v := range shown.Values {
		if got := keysAny(v); got != "denominator,id,n,numerator,status,unit,value" {
			t.Errorf("value keys %s", got)
			break
		}
		if v["id"] == "ECO-01" && (v["value"] != 2.5 || v["unit"] != "%" || v["status"] != "ok" || v["numerator"] != 30000.0 || v["n"] != 1.0) {
			t.Errorf("ALFA ECO-01 2024: %v, want 2.5 %% = 30000 / 1200000", v)
		}
		if v["id"] == "LAW-02" && (v["status"] != "not_applicable" || v["value"] != nil) {
			t.Errorf("ALFA (type A) LAW-02: %v", v)
		}
	}

	out, _, code = runIn(t, runMetrics, "show", "--data", data, "--coop", "BETA", "--year", "2023", "--lang", "en")
	if code != 0 || !strings.Contains(out, "cooperative BETA, year 2023") || !strings.Contains(out, "ECO-01") || !strings.Contains(out, "4 %") {
		t.Errorf("show text: %d\n%s", code, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "--data", data, "--coop", "NOPE", "--lang", "en"}, "coopimpact metrics show: cooperative NOPE does not exist\n"},
		{[]string{"show", "--data", data}, "coopimpact metrics show: name the cooperative with --coop ID\n"},
		{[]string{"frobnicate", "--data", data}, `coopimpact metrics: unknown subcommand "frobnicate"`},
		{[]string{"--data", data}, "coopimpact metrics: name a subcommand"},
	} {
		_, errOut, code := runIn(t, runMetrics, tc.args...)
		if code != 2 || !strings.HasPrefix(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: %d %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}

	// A broken --catalog folder: nothing computed, the file and indicator named.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.yaml"), []byte(`area: eco
indicators:
  - id: ECO-98
    version: 1
    name: {it: "Rotto", en: "Broken"}
    description: {it: "Non si compila.", en: "Does not compile."}
    unit: "%"
    direction: up
    grain: year
    inputs: [finance.year]
    sql: SELECT coop_id FROM finance JOIN _cy USING (coop_id, year)
`), 0o600)
	_, errOut, code = runIn(t, runMetrics, "recompute", "--data", data, "--catalog", bad, "--lang", "en")
	if code != 2 || !strings.Contains(errOut, "has 1 problem(s)") || !strings.Contains(errOut, filepath.Join(bad, "x.yaml")+", indicator ECO-98: the SQL returns the columns (coop_id)") {
		t.Errorf("bad catalogue: %d %s", code, errOut)
	}

	out, _, code = runIn(t, runMetrics, "catalogue", "--json")
	var listed struct {
		Areas      []metrics.Area       `json:"areas"`
		Indicators []*metrics.Indicator `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || len(listed.Indicators) != len(cat.Indicators) || len(listed.Areas) != 8 {
		t.Errorf("catalogue --json: %d %v %d indicators", code, err, len(listed.Indicators))
	}
	out, _, code = runIn(t, runMetrics, "docs")
	var want bytes.Buffer
	metrics.WriteCatalogueMarkdown(&want, cat)
	if code != 0 || out != want.String() {
		t.Errorf("docs: %d, output differs from WriteCatalogueMarkdown", code)
	}
	out, _, code = runIn(t, runMetrics, "check", "--data", data, "--lang", "en")
	if code != 0 || !strings.HasPrefix(out, "catalogue ok: ") || !strings.Contains(out, "note: skl.yaml, indicator SKL-08: table") {
		t.Errorf("check: %d %q", code, out)
	}
	out, _, code = runIn(t, runMetrics, "--help")
	if code != 0 || !strings.Contains(out, "Usage: coopimpact metrics") || !strings.Contains(out, "COOPIMPACT_CATALOG") {
		t.Errorf("--help: %d %s", code, out)
	}
}

func keys(m map[string]json.RawMessage) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func keysAny(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}
