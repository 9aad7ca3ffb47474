package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// smallOpts is the network most tests share: 20 cooperatives, 2022–2024,
// cohort starting 2023 (baseline year 2022).
var smallOpts = Options{Coops: 20, YearFrom: 2022, YearTo: 2024, Seed: 7, CohortStart: 2023}

var (
	smallOnce sync.Once
	smallDir  string
	smallMan  *Manifest
	smallErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if smallDir != "" {
		os.RemoveAll(smallDir)
	}
	os.Exit(code)
}

// small generates the shared small network once per test binary.
func small(t *testing.T) (string, *Manifest) {
	t.Helper()
	smallOnce.Do(func() {
		smallDir, smallErr = os.MkdirTemp("", "demo-small-")
		if smallErr == nil {
			smallMan, smallErr = Generate(context.Background(), smallOpts, smallDir)
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallDir, smallMan
}

func fileOf(t *testing.T, m *Manifest, dataset string) File {
	t.Helper()
	for _, f := range m.Files {
		if f.Dataset == dataset {
			return f
		}
	}
	t.Fatalf("dataset %s not in manifest", dataset)
	return File{}
}

// table is a decoded file: header plus records, every record as wide as the header.
type table struct {
	header []string
	rows   [][]string
}

func (tb table) col(t *testing.T, name string) int {
	t.Helper()
	for i, h := range tb.header {
		if h == name {
			return i
		}
	}
	t.Fatalf("column %q not in %v", name, tb.header)
	return -1
}

// readTable reads a generated CSV (Windows-1252 for workers and finance,
// BOM stripped) or XLSX (title row skipped) file.
func readTable(t *testing.T, f File) table {
	t.Helper()
	if f.Format == "xlsx" {
		x, err := excelize.OpenFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		tb := table{header: rows[1]}
		for _, r := range rows[2:] {
			for len(r) < len(tb.header) {
				r = append(r, "")
			}
			tb.rows = append(tb.rows, r)
		}
		return tb
	}
	raw, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dataset == "workers" || f.Dataset == "finance" {
		raw, err = charmap.Windows1252.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatal(err)
		}
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comma = ';'
	recs, err := r.ReadAll() // also fails when a row's width differs from the header's
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	return table{header: recs[0], rows: recs[1:]}
}

// num parses an Italian-formatted number: "€ 1.234,56", "0,5", "17".
func num(t *testing.T, s string) float64 {
	t.Helper()
	s = strings.TrimSpace(strings.TrimPrefix(s, "€"))
	s = strings.ReplaceAll(s, ".", "")
	s = strings.ReplaceAll(s, ",", ".")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}
