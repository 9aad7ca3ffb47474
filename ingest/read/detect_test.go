package read

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func zipBytes(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, content := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	var xlsx bytes.Buffer
	f := excelize.NewFile()
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content []byte
		want    Format
		code    string // FileError code when no format
	}{
		{"book.xlsx", xlsx.Bytes(), XLSX, ""},
		{"renamed.csv", xlsx.Bytes(), XLSX, ""},
		{"archive.zip", zipBytes(t, map[string]string{"data.csv": "a;b\n"}), "", CodeUnknownFormat},
		{"sheet.ods", zipBytes(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "", CodeUnknownFormat},
		{"doc.docx", zipBytes(t, map[string]string{"word/document.xml": "<w/>"}), "", CodeUnknownFormat},
		{"old.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00rest"), "", CodeUnknownFormat},
		{"data.parquet", []byte("PAR1\x00\x00"), Parquet, ""},
		{"scan.pdf", []byte("%PDF-1.7\n..."), "", CodeUnknownFormat},
		{"photo.png", []byte("\x89PNG\r\n\x1a\n...."), "", CodeUnknownFormat},
		{"photo.jpg", []byte("\xFF\xD8\xFF\xE0...."), "", CodeUnknownFormat},
		{"page.html", []byte("  <!DOCTYPE html><table>"), "", CodeUnknownFormat},
		{"export.xls", []byte("<html><table><tr><td>1</td></tr></table></html>"), "", CodeUnknownFormat},
		{"data.json", []byte(" \n [ {\"a\": 1} ]"), JSON, ""},
		{"data.txt", []byte("[]"), JSON, ""},
		{"numbers.json", []byte("[1, 2]"), JSON, ""},
		{"data.ndjson", []byte("{\"a\": 1}\n{\"a\": 2}\n"), NDJSON, ""},
		{"data.json", []byte("{\"a\": 1}\n"), NDJSON, ""},
		{"bom.json", []byte("\xEF\xBB\xBF[{\"a\": 1}]"), JSON, ""},
		{"utf16.json", utf16Bytes(`[{"a": 1}]`, false), JSON, ""},
		{"report.csv", []byte("[Report]\na;b\n1;2\n"), CSV, ""},
		{"braces.csv", []byte("{x};y\n1;2\n"), CSV, ""},
		{"hours.csv", []byte("coop;ore\n1;2\n"), CSV, ""},
		{"hours.txt", []byte("coop\tore\n1\t2\n"), CSV, ""},
		{"utf16.csv", utf16Bytes("coop;ore\r\n1;2\r\n", true), CSV, ""},
		{"nobom16.csv", utf16Bytes("coop;ore\r\n1;2\r\n", false)[2:], CSV, ""},
		{"fake.xlsx", []byte("coop;ore\n1;2\n"), "", CodeXLSX},
		{"fake.json", []byte("coop;ore\n"), "", CodeJSON},
		{"fake.parquet", []byte("coop;ore\n"), "", CodeParquet},
		{"binary.bin", []byte("ab\x00\x01\x02cd\x00\x00\x05"), "", CodeUnknownFormat},
		{"empty.csv", nil, "", CodeEmpty},
		{"blank.csv", []byte(" \r\n\t\n"), "", CodeEmpty},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := Detect(p)
			if tc.code != "" {
				if code := fileErrorCode(t, err); code != tc.code {
					t.Fatalf("code %s, want %s (%v)", code, tc.code, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := Detect(filepath.Join(dir, "missing.csv")); fileErrorCode(t, err) != CodeUnreadable {
		t.Fatal("a missing file must be unreadable")
	}
}

func TestStageGeneral(t *testing.T) {
	conn := newConn(t)
	// MaxBytes.
	_, err := stage(t, conn, "a.csv", []byte("coop;ore\n1;2\n"), Options{MaxBytes: 5})
	if code := fileErrorCode(t, err); code != CodeTooLarge {
		t.Fatalf("code %s", code)
	}
	// A table that already exists is the caller's error, not the file's.
	// (It is named "t", as stage names its table.)
	if _, err := conn.ExecContext(t.Context(), "CREATE TEMP TABLE t (x INT)"); err != nil {
		t.Fatal(err)
	}
	_, err = stage(t, conn, "a.csv", []byte("coop;ore\n1;2\n"), Options{})
	var fe *FileError
	if err == nil || errors.As(err, &fe) {
		t.Fatalf("want a plain error, got %v", err)
	}
	// ... and the caller's table survives.
	if _, err := conn.ExecContext(t.Context(), "SELECT x FROM t"); err != nil {
		t.Fatalf("caller's table dropped: %v", err)
	}
	// Insertion order is turned on for the staging, then back off.
	if _, err := conn.ExecContext(t.Context(), "DROP TABLE t; SET SESSION preserve_insertion_order = false"); err != nil {
		t.Fatal(err)
	}
	old := csvBufferSize
	csvBufferSize = 1 << 16
	defer func() { csvBufferSize = old }()
	var b strings.Builder
	b.WriteString("id;x\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "%d;v\n", i)
	}
	s, err := stage(t, conn, "ord.csv", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wrong int
	var setting bool
	conn.QueryRowContext(t.Context(), "SELECT count(*) FROM "+s.Table+" WHERE _line <> CAST(c0 AS BIGINT) + 2").Scan(&wrong)
	conn.QueryRowContext(t.Context(), "SELECT current_setting('preserve_insertion_order')").Scan(&setting)
	if wrong != 0 || setting {
		t.Fatalf("%d rows with a wrong line; preserve_insertion_order left %v", wrong, setting)
	}
	// A cancelled context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := filepath.Join(t.TempDir(), "b.csv")
	if err := os.WriteFile(p, []byte("coop;ore\n1;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Stage(ctx, conn, p, "u", Options{})
	if err == nil || errors.As(err, &fe) {
		t.Fatalf("want the context error, got %v", err)
	}
}
