package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/store"
)

// writeHours writes n hour rows for the fixture cooperative over 2024, every
// row with the same hours value, so a slice is "old" or "new" as a whole.
func writeHours(t *testing.T, path string, n int, value int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "coop_id;person_id;month;activity;hours")
	acts := []string{"direct_service", "admin_hr", "training", "travel"}
	for i := 0; i < n; i++ {
		// person × month × activity are unique: i encodes all three.
		fmt.Fprintf(w, "01234567890;P%07d;2024-%02d;%s;%d\n", i/48, i/4%12+1, acts[i%4], value)
	}
	w.Flush()
	f.Close()
}

func sliceState(t *testing.T, data string) (rows int64, distinct int64, value float64) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(data, "coopimpact.duckdb"), store.Options{})
	if err != nil {
		t.Fatalf("the database does not open cleanly after kill -9: %v", err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT hours), coalesce(max(hours), 0) FROM hours WHERE coop_id = '01234567890'`).Scan(&rows, &distinct, &value); err != nil {
		t.Fatal(err)
	}
	return
}

// Acceptance: a child loading a large file is killed at random points; after
// each kill the slices hold exactly the old or the new data and the file opens.
func TestKillDuringIngestLeavesOldOrNew(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test is long")
	}
	data := t.TempDir()
	dir := t.TempDir()
	if _, errOut, code := run(t, nil, "ingest", "--data", data, "--dataset", "cooperatives", "../../ingest/testdata/contract/cooperatives.csv"); code != 0 {
		t.Fatal(errOut)
	}
	const n = 600_000
	// Two uninterrupted loads; the second (a replacement, like the killed ones) is timed.
	var full time.Duration
	for v := 0; v <= 1; v++ {
		p := filepath.Join(dir, fmt.Sprintf("v%d.csv", v))
		writeHours(t, p, n, v)
		start := time.Now()
		if out, errOut, code := run(t, nil, "ingest", "--data", data, "--dataset", "hours", p); code != 0 {
			t.Fatal(out, errOut)
		}
		full = time.Since(start)
	}
	t.Logf("an uninterrupted load of %d rows takes %v", n, full)

	rng := rand.New(rand.NewSource(42))
	state := 1.0
	kills, committed, i := 0, 0, 0
	for ; kills < 20 && i < 60; i++ {
		v := i + 2
		p := filepath.Join(dir, fmt.Sprintf("v%d.csv", v))
		writeHours(t, p, n, v)
		cmd := exec.Command(binPath, "ingest", "--data", data, "--dataset", "hours", p)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere from process start to near the usual end.
		time.Sleep(time.Duration(rng.Int63n(int64(full * 9 / 10))))
		cmd.Process.Kill()
		err := cmd.Wait()
		if err != nil {
			kills++
		}
		rows, distinct, value := sliceState(t, data)
		if rows != n || distinct != 1 || (value != state && value != float64(v)) {
			t.Fatalf("kill %d: slice has %d rows, %d distinct values, max %v; want %d rows all %v (old) or all %d (new)",
				i, rows, distinct, value, n, state, v)
		}
		if value == float64(v) {
			committed++
		}
		state = value
		os.Remove(p)
	}
	if kills < 20 {
		t.Fatalf("only %d of %d loads were killed mid-way; want at least 20", kills, i)
	}
	t.Logf("%d loads killed at random points (%d of them had already committed), slice always exactly old or new", kills, committed)
	// Runs killed mid-way are closed as interrupted on the next start.
	out, _, code := run(t, nil, "ingest", "runs", "--data", data, "--json")
	if code != 0 || !containsStatus(out, "interrupted") {
		t.Fatalf("no interrupted run recorded: %s", out)
	}
}

func containsStatus(out, status string) bool {
	return strings.Contains(out, `"status":"`+status+`"`)
}
