package read

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var csvSeeds = []string{
	"coop;ore\n1;2\n",
	"Report\n\ncoop;persona;ore\n1;\"A;B\";\"x\ny\"\n\n;;\n2;C;3",
	"a,b\r\n\"x\"\"y\",2\r\n\r\n",
	"a;b\r1;2\r\r3;\"4\r\n5\"\r",
	"a;b\n1;2\r\n3;\"x\r\ny\"\n",
	"h1,h2\n\"multi\nline\",1\n\"\",\"\"\nlast,3",
	"a;b\n1; \"x;y\"\n  x ; \"q\" \"r\"\n",
	"a;b\n\"x\"y;2\n",
	"a;b\n1;\"x\n2;3\n",
	"a\tb\n1\t2\n",
	"a|b|c\n1|2\n3|4|5|6\n",
	"\xEF\xBB\xBFcoop;citt\xc3\xa0\n1;\xe0\n",
	"\"",
	"\r",
	"\n\n",
}

// scanRecords runs the scanner over data fed in pieces of the given sizes
// (cycled), with or without the fast path.
func scanRecords(data []byte, delim byte, pieces []int, slowOnly bool) ([]csvRecord, *csvScanner) {
	var recs []csvRecord
	sc := newCSVScanner(delim, func(r *csvRecord) bool {
		c := *r
		c.cells = nil
		recs = append(recs, c)
		return true
	})
	sc.widthFrom = 0 // exact widths everywhere, so both paths can be compared
	sc.collect = slowOnly
	for i, k := 0, 0; i < len(data); k++ {
		n := len(data) - i
		if len(pieces) > 0 {
			n = min(n, pieces[k%len(pieces)])
		}
		sc.feed(data[i : i+n])
		i += n
		if sc.err != nil {
			break
		}
	}
	if sc.err == nil {
		sc.finish()
	}
	return recs, sc
}

// FuzzCSVScan checks the record scanner and the delimiter sniffer: no panic;
// the fast path, the byte-by-byte path and any chunking agree; physical
// lines add up; records are ordered and within the file.
func FuzzCSVScan(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s), byte(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, split byte) {
		for _, d := range csvDelims {
			whole, sw := scanRecords(data, d, nil, false)
			slow, ss := scanRecords(data, d, nil, true)
			pieces := []int{int(split%7) + 1, int(split%13) + 1}
			chunked, sc := scanRecords(data, d, pieces, false)
			if !reflect.DeepEqual(whole, slow) || !reflect.DeepEqual(whole, chunked) {
				t.Fatalf("delim %q: records differ\nfast    %+v\nslow    %+v\nchunked %+v", d, whole, slow, chunked)
			}
			if !reflect.DeepEqual(sw.err, ss.err) || !reflect.DeepEqual(sw.err, sc.err) {
				t.Fatalf("delim %q: errors differ: %+v %+v %+v", d, sw.err, ss.err, sc.err)
			}
			if sw.err != nil {
				continue
			}
			if sw.records != int64(len(whole)) || sw.emptyLines != ss.emptyLines || sw.emptyLines != sc.emptyLines ||
				sw.nLF != sc.nLF || sw.nCRLF != sc.nCRLF || sw.nCR != sc.nCR || sw.nLF != ss.nLF || sw.nCRLF != ss.nCRLF || sw.nCR != ss.nCR {
				t.Fatalf("delim %q: counts differ: %+v / %+v / %+v", d, sw, ss, sc)
			}
			breaks := int64(bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) - bytes.Count(data, []byte("\r\n")))
			if sw.line-1 != breaks {
				t.Fatalf("delim %q: scanner ended on line %d, the data has %d line breaks", d, sw.line, breaks)
			}
			var prev int64
			for _, r := range whole {
				if r.startLine <= prev || r.endLine < r.startLine || r.endLine > breaks+1 || r.fields < 1 || r.width > r.fields || r.size < 0 || r.size > int64(len(data)) {
					t.Fatalf("delim %q: bad record %+v after line %d", d, r, prev)
				}
				prev = r.endLine
			}
		}
		d := sniffDelimiter(data, true)
		if bytes.IndexByte(csvDelims, d) < 0 {
			t.Fatalf("sniffed delimiter %q", d)
		}
	})
}

// FuzzSniff checks the delimiter/header sniffer and Detect on arbitrary bytes.
func FuzzSniff(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("[{\"a\": 1}]"))
	f.Add([]byte("{\"a\": 1}\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add(utf16Bytes("coop;ore\r\n1;2\r\n", false))
	dir := f.TempDir()
	score := scoreNames("coop", "ore", "a", "h1")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, sc := range []func([]string) int{nil, score} {
			sn, err := sniffCSV(data, true, sc)
			if err != nil {
				var fe *FileError
				if !errors.As(err, &fe) || fe.It == "" || fe.En == "" {
					t.Fatalf("sniff error %T %v", err, err)
				}
				continue
			}
			if sn.headerIdx < 0 || len(sn.header) == 0 || bytes.IndexByte(csvDelims, sn.delim) < 0 {
				t.Fatalf("sniff %+v", sn)
			}
		}
		p := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Detect(p); err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Detect error %T %v", err, err)
			}
		}
	})
}

// stageFuzz stages data and requires staged data or a FileError.
func stageFuzz(t *testing.T, conn *sql.Conn, dir, name string, data []byte, opts Options) *Staged {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defer conn.ExecContext(ctx, "DROP TABLE IF EXISTS t")
	s, err := Stage(ctx, conn, p, "t", opts)
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || fe.It == "" || fe.En == "" {
			t.Fatalf("Stage error %T: %v", err, err)
		}
		// The Go scanner and DuckDB must agree on the records: that is what
		// makes every _line right.
		if fe.cause != nil && strings.Contains(fe.cause.Error(), "scanner counted") {
			t.Fatalf("scanner and DuckDB disagree: %v", fe.cause)
		}
		return nil
	}
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM t WHERE _line IS NULL OR _line < 1").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows without a line (%v)", n, err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != s.Rows {
		t.Fatalf("table has %d rows, Rows = %d (%v)", n, s.Rows, err)
	}
	return s
}

// FuzzStageXLSX: bytes -> file -> Stage gives data or a FileError, never a
// panic. Seeded with the corpus workbooks and one built here.
func FuzzStageXLSX(f *testing.F) {
	var b bytes.Buffer
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"coop", "ore"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"1", 7.5})
	if err := x.Write(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	if dir := corpusDir("xlsx"); dir != "" {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && (strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".xls") || strings.HasSuffix(p, ".ods")) {
				if data, err := os.ReadFile(p); err == nil && len(data) < 1<<20 {
					f.Add(data)
				}
			}
			return nil
		})
	}
	conn := newConn(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		stageFuzz(t, conn, dir, "f.xlsx", data, Options{})
	})
}

// FuzzStageCSV: bytes -> file -> Stage gives data or a FileError, and the
// Go scanner never disagrees with DuckDB's reader on the records.
func FuzzStageCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	conn := newConn(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		stageFuzz(t, conn, dir, "f.csv", data, Options{})
	})
}

// corpusDir is the shared corpus folder, or "" when absent (fuzz seeds only).
func corpusDir(rel ...string) string {
	dir, _ := filepath.Abs(".")
	for {
		cand := filepath.Join(append([]string{dir, "shared", "corpora"}, rel...)...)
		if _, err := os.Stat(cand); err == nil {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
