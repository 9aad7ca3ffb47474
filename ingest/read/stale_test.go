package read

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Copies a killed process left behind go once they are old; fresh ones
// (a load running now) and other files stay.
func TestRemoveStaleCopies(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	files := map[string]bool{ // name -> should be removed
		"coopimpact-lane-1.csv":  true,
		"coopimpact-csv-2.csv":   true,
		"coopimpact-lane-3.csv":  false, // fresh
		"download-4":             false, // not ours
		"coopimpact-lane-5.xlsx": false,
	}
	for name, stale := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if stale || name != "coopimpact-lane-3.csv" {
			os.Chtimes(p, old, old)
		}
	}
	n, err := RemoveStaleCopies(dir, 24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("removed %d, %v; want 2", n, err)
	}
	for name, stale := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := os.IsNotExist(err); gone != stale {
			t.Errorf("%s: gone=%v, want %v", name, gone, stale)
		}
	}
}
