package read

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// newConn opens a private in-memory DuckDB and one connection on it.
func newConn(t testing.TB) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// row is one staged record: its _line and its values ("<NULL>" for NULL).
type row struct {
	Line int64
	Vals []string
}

const null = "<NULL>"

// dump reads the staged table in rowid order.
func dump(t testing.TB, conn *sql.Conn, s *Staged) []row {
	t.Helper()
	cols := make([]string, len(s.Headers))
	for i := range cols {
		cols[i] = colName(i)
	}
	q := "SELECT _line"
	if len(cols) > 0 {
		q += ", " + strings.Join(cols, ", ")
	}
	q += " FROM " + quoteIdent(s.Table) + " ORDER BY rowid"
	rs, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var line sql.NullInt64
		vals := make([]sql.NullString, len(cols))
		ptrs := []any{&line}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := row{Line: line.Int64, Vals: make([]string, len(vals))}
		if !line.Valid {
			r.Line = -1
		}
		for i, v := range vals {
			if v.Valid {
				r.Vals[i] = v.String
			} else {
				r.Vals[i] = null
			}
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// stage writes content to a file named name and stages it as table "t".
func stage(t testing.TB, conn *sql.Conn, name string, content []byte, opts Options) (*Staged, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return Stage(context.Background(), conn, p, "t", opts)
}

// mustStage is stage that fails the test on error.
func mustStage(t testing.TB, conn *sql.Conn, name string, content []byte, opts Options) *Staged {
	t.Helper()
	s, err := stage(t, conn, name, content, opts)
	if err != nil {
		t.Fatalf("Stage(%s): %v", name, err)
	}
	return s
}

// fileErrorCode is the FileError code of err, or "" (failing the test) for
// any other error.
func fileErrorCode(t testing.TB, err error) string {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FileError, got %T: %v", err, err)
	}
	if fe.It == "" || fe.En == "" || fe.Code == "" {
		t.Fatalf("FileError lacks a code or a sentence: %#v", fe)
	}
	return fe.Code
}

func wantRows(t testing.TB, got []row, want []row) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows differ\n got: %+v\nwant: %+v", got, want)
	}
}

// scoreNames is a HeaderScore that counts cells among the given names.
func scoreNames(names ...string) func([]string) int {
	set := map[string]bool{}
	for _, n := range names {
		set[strings.ToLower(n)] = true
	}
	return func(cells []string) int {
		n := 0
		for _, c := range cells {
			if set[strings.ToLower(c)] {
				n++
			}
		}
		return n
	}
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// readJSONRecords reads an array of flat string objects (or one object).
func readJSONRecords(t testing.TB, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		b = append(append([]byte{'['}, b...), ']')
	}
	var out []map[string]string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}
