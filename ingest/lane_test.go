package ingest

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"coopimpact/ingest/catalog"
)

// laneFixture is a fixture whose debug log tells whether the CSV lane took a file.
func laneFixture(t *testing.T) (*fixture, *bytes.Buffer) {
	f := newFixture(t)
	var log bytes.Buffer
	f.svc.Log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return f, &log
}

// outcome is what a load did, without what differs between two databases.
func outcome(t *testing.T, f *fixture, rep *Report, table string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %s read %d loaded %d rejected %d problems %d\n", rep.Status, rep.RowsRead, rep.RowsLoaded, rep.RowsRejected, rep.ProblemsTotal)
	for _, p := range rep.Problems {
		fmt.Fprintf(&b, "%d %s %q %s | %s | %s\n", p.Line, p.Column, p.Value, p.Rule, p.MessageIt, p.MessageEn)
	}
	fmt.Fprintf(&b, "slices %v\nnotices %v\n", rep.Slices, rep.Notices)
	b.WriteString(f.query(t, fmt.Sprintf("SELECT * EXCLUDE (run_id) FROM %s ORDER BY ALL", ident(table))))
	b.WriteString("\nquarantine\n")
	b.WriteString(f.query(t, "SELECT source_line, row_json::VARCHAR FROM ingest_quarantine WHERE run_id = ? ORDER BY source_line", rep.RunID))
	b.WriteString("\nrecorded problems\n")
	b.WriteString(f.query(t, "SELECT source_line, column_name, value, rule FROM ingest_problems WHERE run_id = ? ORDER BY ALL", rep.RunID))
	return b.String()
}

// The CSV lane (a numbered copy read straight into the table) and staging
// must load every file the same: same rows and lines, same problems, same
// quarantine, same slices. Files with problems go through both paths in
// the lane (clean pass refused, then staged from the copy).
func TestLaneAndStagingAgree(t *testing.T) {
	lane, laneLog := laneFixture(t)
	staged := newFixture(t)
	staged.svc.noLane = true
	for _, d := range catalog.Default().Datasets {
		a := lane.mustLoad(t, d.Name, contractFile(d.Name))
		b := staged.mustLoad(t, d.Name, contractFile(d.Name))
		if x, y := outcome(t, lane, a, d.Table), outcome(t, staged, b, d.Table); x != y {
			t.Errorf("%s: lane\n%s\nstaged\n%s", d.Name, x, y)
		}
	}
	if n := strings.Count(laneLog.String(), `msg="csv lane"`); n != len(catalog.Default().Datasets) {
		t.Fatalf("the lane took %d of %d contract files", n, len(catalog.Default().Datasets))
	}

	// Many rows, people all different (not coded: parsed row by row),
	// synonyms that make two spellings one value, a repeated key, bad values.
	var big strings.Builder
	big.WriteString("coop_id;person_id;mese;attivita;ore\n")
	for i := range 3000 {
		act := []string{"direct_service", "servizio", "admin_hr", "formazione"}[i%4]
		fmt.Fprintf(&big, "01234567890;P%05d;%02d/2024;%s;%d,5\n", i, i%12+1, act, i%40)
	}
	clean := big.String()
	dupSyn := clean + "01234567890;P00004;05/2024;servizio diretto;3\n" // P00004 has direct_service in 05/2024 (a synonym)
	dupRaw := clean + "01234567890;P00004;05/2024;direct_service;3\n"
	bad := strings.Replace(clean, ";P00007;08/2024;formazione;7,5", ";P00007;13/2024;nope;-7,5", 1)
	if bad == clean {
		t.Fatal("the bad row was not planted")
	}
	// An enum column whose values do not repeat is not coded: the lane's
	// spellings cannot make its map, and the file is staged from the copy.
	var odd strings.Builder
	odd.WriteString("coop_id;person_id;mese;attivita;ore\n")
	for i := range 100 {
		fmt.Fprintf(&odd, "01234567890;P%05d;%02d/2024;voce %03d;1\n", i%7, i%12+1, i)
	}
	cases := []struct {
		name, body string
		allow      bool
		status     string
	}{
		{"clean", clean, false, StatusLoaded},
		{"duplicate through a synonym", dupSyn, false, StatusRejected},
		{"duplicate as written", dupRaw, false, StatusRejected},
		{"bad values", bad, false, StatusRejected},
		{"bad values, allow rejects", bad, true, StatusLoaded},
		{"enum not coded", odd.String(), false, StatusRejected},
		{"quoted, CRLF, Latin-1", "\"coop_id\";\"person_id\";\"mese\";\"attivita\";\"ore\"\r\n\"01234567890\";\"RSSMRA80A01H501U\";\"01/2024\";\"formazione\";\"1,5\"\r\n01234567890;RSSMRA80A01H501U;02/2024;\"attivit\xe0 diretta\";2\r\n", false, StatusLoaded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lane, laneLog := laneFixture(t)
			staged := newFixture(t)
			staged.svc.noLane = true
			lane.mustLoad(t, "cooperatives", contractFile("cooperatives"))
			staged.mustLoad(t, "cooperatives", contractFile("cooperatives"))
			p := writeFile(t, t.TempDir(), "ore.csv", c.body)
			a := lane.load(t, hub, Request{Dataset: "hours", Path: p, AllowRejects: c.allow})
			b := staged.load(t, hub, Request{Dataset: "hours", Path: p, AllowRejects: c.allow})
			if a.Status != c.status {
				t.Fatalf("status %s, want %s: %+v", a.Status, c.status, a.Problems)
			}
			if x, y := outcome(t, lane, a, "hours"), outcome(t, staged, b, "hours"); x != y {
				t.Errorf("lane\n%s\nstaged\n%s", x, y)
			}
			if !strings.Contains(laneLog.String(), `msg="csv lane"`) {
				t.Error("the lane did not take the file")
			}
			if staged := strings.Contains(laneLog.String(), `msg="lane staged"`); staged != (c.name == "enum not coded") {
				t.Errorf("staged before the clean pass: %v", staged)
			}
		})
	}
}
