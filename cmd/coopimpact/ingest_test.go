package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../ingest/testdata/contract/"

// The CLI's JSON: exactly one object per file, the fields the issue names,
// and the exit codes 0 loaded/unchanged, 1 refused for row problems, 2 unusable.
func TestIngestCLIReportsAndExitCodes(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	bad := filepath.Join(dir, "ore.csv")
	os.WriteFile(bad, []byte("coop_id;person_id;month;activity;hours\n01234567890;RSSMRA80A01H501U;2024-01;sleeping;8\n"), 0o600)
	notCSV := filepath.Join(dir, "foto.png")
	os.WriteFile(notCSV, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600)

	out, errOut, code := run(t, nil, "ingest", "--data", data, "--json", "--dataset", "cooperatives", fixtures+"cooperatives.csv")
	if code != 0 {
		t.Fatalf("code %d: %s %s", code, out, errOut)
	}
	out, _, code = run(t, nil, "ingest", "--data", data, "--dataset", "hours", fixtures+"hours.csv", bad, fixtures+"hours.csv", "--json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one file refused)", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d JSON lines for 3 files: %s", len(lines), out)
	}
	var reps []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"dataset", "file", "sha256", "status", "rows_read", "rows_loaded", "rows_rejected", "problems", "slices", "run_id"} {
			if _, ok := m[k]; !ok {
				t.Errorf("report lacks %q: %s", k, l)
			}
		}
		reps = append(reps, m)
	}
	if reps[0]["status"] != "loaded" || reps[1]["status"] != "rejected" || reps[2]["status"] != "unchanged" {
		t.Fatalf("statuses %v %v %v", reps[0]["status"], reps[1]["status"], reps[2]["status"])
	}
	p := reps[1]["problems"].([]any)[0].(map[string]any)
	if p["line"] != 2.0 || p["column"] != "activity" || p["value"] != "sleeping" || p["rule"] != "enum" || p["sheet"] != "" {
		t.Fatalf("problem %v", p)
	}
	if _, errOut, code := run(t, nil, "ingest", "--data", data, "--dataset", "hours", notCSV); code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "CSV") {
		t.Fatalf("unusable file: code %d, %q", code, errOut)
	}
	if _, errOut, code := run(t, nil, "ingest", "--data", data, "--dataset", "nope", bad); code != 2 || !strings.Contains(errOut, "workers") {
		t.Fatalf("unknown dataset: code %d, %q", code, errOut)
	}

	// ingest runs --json: one object per attempt, newest first, with the lineage fields.
	out, _, code = run(t, nil, "ingest", "runs", "--data", data, "--json")
	runs := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(runs) != 6 {
		t.Fatalf("runs: code %d, %d lines: %s", code, len(runs), out)
	}
	var newest map[string]any
	json.Unmarshal([]byte(runs[0]), &newest)
	for _, k := range []string{"run_id", "started_at", "uploaded_by", "dataset", "coop_id", "file_name", "sha256", "size_bytes", "format", "rows_read", "rows_loaded", "rows_rejected", "status", "duration_ms", "error"} {
		if _, ok := newest[k]; !ok && k != "error" {
			t.Errorf("run lacks %q: %s", k, runs[0])
		}
	}
	if newest["status"] != "refused" {
		t.Errorf("newest run status %v, want refused", newest["status"])
	}
	// Runs about a cooperative: the registry and the first hours load touched 09876543210.
	out, _, _ = run(t, nil, "ingest", "runs", "--data", data, "--coop", "09876543210", "--json")
	if n := strings.Count(out, "\n"); n != 2 || !strings.Contains(out, `"dataset":"hours"`) {
		t.Errorf("runs about 09876543210: %s", out)
	}
}

func TestDownloadGivesTheFileAsReceived(t *testing.T) {
	data := t.TempDir()
	if _, errOut, code := run(t, nil, "ingest", "--data", data, "--dataset", "cooperatives", fixtures+"cooperatives.csv"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, code := run(t, nil, "ingest", "download", "1", "--data", data, "--out", "-")
	want, _ := os.ReadFile(fixtures + "cooperatives.csv")
	if code != 0 || out != string(want) {
		t.Fatalf("download: code %d, %d bytes, want %d", code, len(out), len(want))
	}
	if _, errOut, code := run(t, nil, "ingest", "download", "99", "--data", data, "--out", "-"); code != 2 || !strings.Contains(errOut, "no archived file") {
		t.Fatalf("unknown run: %d %q", code, errOut)
	}
}

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "w.xlsx")
	if _, errOut, code := run(t, nil, "ingest", "template", "workers", "--format", "xlsx", "--out", out); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(out)
	if len(b) < 1000 || string(b[:2]) != "PK" {
		t.Fatal("not an xlsx file")
	}
	csvOut, _, code := run(t, nil, "ingest", "template", "hours", "--format", "csv", "--out", "-")
	if code != 0 || !strings.Contains(csvOut, "mese;attivita;ore") {
		t.Fatalf("csv template: %q", csvOut)
	}
}

// Acceptance: the default demo network loads through the ingestion path with zero problems.
func TestDemoNetworkLoadsWithZeroProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("default-size demo")
	}
	data := t.TempDir()
	out, errOut, code := run(t, nil, "demo", "--data", data)
	if code != 0 {
		t.Fatalf("demo: %s %s", out, errOut)
	}
	out, _, _ = run(t, nil, "ingest", "runs", "--data", data, "--json")
	runs := strings.Split(strings.TrimSpace(out), "\n")
	if len(runs) != 15 {
		t.Fatalf("%d runs, want 15 (one per dataset)", len(runs))
	}
	for _, l := range runs {
		var r map[string]any
		json.Unmarshal([]byte(l), &r)
		if r["status"] != "loaded" || r["rows_rejected"] != 0.0 || r["rows_loaded"] != r["rows_read"] {
			t.Errorf("run %s", l)
		}
	}
	// make run's --if-empty leaves a loaded database alone.
	out, _, code = run(t, nil, "demo", "--data", data, "--if-empty")
	if code != 0 || !strings.Contains(out, "already holds 120 cooperatives") {
		t.Fatalf("--if-empty: %s", out)
	}
}
