package read

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"coopimpact/internal/testsupport"
)

// writeWorkbook builds an xlsx with excelize and returns its path.
func writeWorkbook(t *testing.T, build func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	build(f)
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestStageXLSX(t *testing.T) {
	score := scoreNames("coop", "persona", "data", "ore", "socio")
	ctx := context.Background()

	t.Run("title rows, offset table, serial dates, formulas, blank and trailing rows", func(t *testing.T) {
		p := writeWorkbook(t, func(f *excelize.File) {
			must(t, f.SetCellValue("Sheet1", "A1", "Ore lavorate - marzo 2024"))
			must(t, f.MergeCell("Sheet1", "A1", "F1"))
			must(t, f.SetCellValue("Sheet1", "A2", "Cooperativa Esempio"))
			// Row 3 is empty; the table starts at B4.
			must(t, f.SetSheetRow("Sheet1", "B4", &[]any{"coop", "persona", "data", "ore", "socio"}))
			must(t, f.SetSheetRow("Sheet1", "B5", &[]any{"01234567890", "W1", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), 7.6, true}))
			must(t, f.SetSheetRow("Sheet1", "B6", &[]any{"01234567890", "W2", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), nil, false}))
			// A formula whose cached result is 7.5 (Excel stores both).
			must(t, f.SetCellFloat("Sheet1", "E6", 7.5, -1, 64))
			must(t, f.SetCellFormula("Sheet1", "E6", "=3*2.5"))
			// Row 7 blank, row 8 data, a note beside the table in H8.
			must(t, f.SetSheetRow("Sheet1", "B8", &[]any{" 01234567890 ", "W3", 45383, 0.5, nil}))
			must(t, f.SetCellValue("Sheet1", "H8", "nota a margine"))
			// Trailing rows that exist only as formatting or blanks.
			style, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
			must(t, err)
			must(t, f.SetCellStyle("Sheet1", "B9", "F20", style))
			must(t, f.SetCellValue("Sheet1", "C12", "   "))
		})
		conn := newConn(t)
		s, err := Stage(ctx, conn, p, "t", Options{HeaderScore: score})
		if err != nil {
			t.Fatal(err)
		}
		if s.Format != XLSX || s.Sheet != "Sheet1" || s.HeaderLine != 4 || !s.SerialDates || s.Date1904 || s.Rows != 3 {
			t.Fatalf("staged %+v", s)
		}
		if !reflect.DeepEqual(s.Headers, []string{"coop", "persona", "data", "ore", "socio"}) {
			t.Fatalf("headers %q", s.Headers)
		}
		// 2024-03-15 is Excel serial 45366 (2024-01-01 = 45292, + 31 + 29 + 14).
		wantRows(t, dump(t, conn, s), []row{
			r(5, "01234567890", "W1", "45366", "7.6", "1"),
			r(6, "01234567890", "W2", "45352", "7.5", "0"),
			r(8, " 01234567890 ", "W3", "45383", "0.5", null),
		})
	})

	t.Run("second sheet by name, hidden first sheet", func(t *testing.T) {
		p := writeWorkbook(t, func(f *excelize.File) {
			must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"coop", "ore"}))
			must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"first", 1}))
			_, err := f.NewSheet("Ore 2024")
			must(t, err)
			must(t, f.SetSheetRow("Ore 2024", "A1", &[]any{"coop", "ore"}))
			must(t, f.SetSheetRow("Ore 2024", "A2", &[]any{"second", 2}))
			_, err = f.NewSheet("Hidden")
			must(t, err)
		})
		conn := newConn(t)
		s, err := Stage(ctx, conn, p, "t", Options{HeaderScore: score, Sheet: "ore 2024"})
		if err != nil {
			t.Fatal(err)
		}
		if s.Sheet != "Ore 2024" {
			t.Fatalf("sheet %q", s.Sheet)
		}
		wantRows(t, dump(t, conn, s), []row{r(2, "second", "2")})

		conn.ExecContext(ctx, "DROP TABLE t")
		_, err = stage(t, conn, "x.xlsx", mustRead(t, p), Options{HeaderScore: score, Sheet: "Foglio9"})
		if code := fileErrorCode(t, err); code != CodeSheetNotFound || !strings.Contains(err.Error(), "«Ore 2024»") {
			t.Fatalf("code %s: %v", code, err)
		}

		p = writeWorkbook(t, func(f *excelize.File) {
			_, err := f.NewSheet("Visible")
			must(t, err)
			must(t, f.SetSheetRow("Visible", "A1", &[]any{"coop", "ore"}))
			must(t, f.SetSheetRow("Visible", "A2", &[]any{"v", 3}))
			f.SetActiveSheet(1)
			must(t, f.SetSheetVisible("Sheet1", false))
		})
		conn.ExecContext(ctx, "DROP TABLE t")
		s, err = Stage(ctx, conn, p, "t", Options{HeaderScore: score})
		if err != nil {
			t.Fatal(err)
		}
		if s.Sheet != "Visible" || s.Rows != 1 {
			t.Fatalf("%+v", s)
		}
	})

	t.Run("empty sheet and no header", func(t *testing.T) {
		p := writeWorkbook(t, func(f *excelize.File) {})
		conn := newConn(t)
		_, err := Stage(ctx, conn, p, "t", Options{HeaderScore: score})
		if code := fileErrorCode(t, err); code != CodeEmpty {
			t.Fatalf("code %s", code)
		}
		p = writeWorkbook(t, func(f *excelize.File) {
			must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"x", "y"}))
		})
		_, err = Stage(ctx, conn, p, "t", Options{HeaderScore: score})
		if code := fileErrorCode(t, err); code != CodeNoHeader {
			t.Fatalf("code %s", code)
		}
	})
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestXLSXValue(t *testing.T) {
	for in, want := range map[string]string{
		"7.5999999999999996":    "7.6",
		"0.30000000000000004":   "0.3",
		"4.4999999999999998E-2": "0.045",
		"1E-3":                  "0.001",
		"45366":                 "45366",
		"45366.5":               "45366.5",
		"03.2024":               "03.2024",
		"01234567890":           "01234567890",
		"1234567890123456":      "1234567890123456",
		"12.345.678":            "12.345.678",
		"abc.def":               "abc.def",
		"-0.10000000000000001":  "-0.1",
		"":                      "",
	} {
		if got := xlsxValue(in); got != want {
			t.Errorf("xlsxValue(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestXLSXCorpus stages every awkward spreadsheet of the shared corpus: each
// must stage or give a FileError (never panic, never another error).
func TestXLSXCorpus(t *testing.T) {
	dir := testsupport.SharedPath(t, "corpora", "xlsx")
	conn := newConn(t)
	ctx := context.Background()
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".txt") &&
			!strings.HasSuffix(p, "LICENSE") && !strings.HasSuffix(p, ".rs") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("only %d corpus files", len(files))
	}
	results := map[string]*Staged{}
	for _, p := range files {
		conn.ExecContext(ctx, "DROP TABLE IF EXISTS t")
		s, err := Stage(ctx, conn, p, "t", Options{})
		rel := strings.TrimPrefix(p, dir+string(filepath.Separator))
		if err != nil {
			code := fileErrorCode(t, err)
			t.Logf("%s: %s: %v", rel, code, err)
			continue
		}
		dump(t, conn, s)
		results[rel] = s
		t.Logf("%s: sheet %q, header row %d %q, %d rows", rel, s.Sheet, s.HeaderLine, s.Headers, s.Rows)
	}
	// Spot checks with values read off the workbooks.
	if s := results["calamine/date_1904.xlsx"]; s == nil || !s.Date1904 {
		t.Errorf("date_1904.xlsx: want Date1904, got %+v", s)
	}
	if s := results["calamine/date.xlsx"]; s == nil || s.Date1904 {
		t.Errorf("date.xlsx: want the 1900 system, got %+v", s)
	}
	for _, bad := range []string{"calamine/date.xls", "calamine/date.ods", "excelize/encryptAES.xlsx"} {
		if _, ok := results[bad]; ok {
			t.Errorf("%s staged, want a FileError", bad)
		}
	}
}
