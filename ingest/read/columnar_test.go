package read

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestStageJSONAndParquetFromCopy(t *testing.T) {
	conn := newConn(t)
	ctx := context.Background()
	dir := t.TempDir()
	src := `SELECT * FROM (VALUES
		(1, 'Attività', DATE '2024-01-05', TIMESTAMP '2024-01-05 10:11:12.5', TIMESTAMPTZ '2024-01-05 10:00:00+02',
		 {'x': 1, 'y': 'z'}, [1, 2], CAST(1234.50 AS DECIMAL(10, 2)), true, 0.1::DOUBLE),
		(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(3, '  ', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(4, 'c', NULL, NULL, NULL, NULL, NULL, NULL, false, NULL)
	) v(n, s, d, ts, tz, st, l, dec, b, dbl)`
	write := func(name, opts string) string {
		p := filepath.Join(dir, name)
		if _, err := conn.ExecContext(ctx, "COPY ("+src+") TO "+quoteLit(p)+" ("+opts+")"); err != nil {
			t.Fatal(err)
		}
		return p
	}
	headers := []string{"n", "s", "d", "ts", "tz", "st", "l", "dec", "b", "dbl"}

	t.Run("parquet", func(t *testing.T) {
		defer conn.ExecContext(ctx, "DROP TABLE IF EXISTS t")
		p := write("data.parquet", "FORMAT parquet")
		if f, err := Detect(p); err != nil || f != Parquet {
			t.Fatalf("Detect = %v, %v", f, err)
		}
		s, err := Stage(ctx, conn, p, "t", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Format != Parquet || s.Rows != 3 || !reflect.DeepEqual(s.Headers, headers) {
			t.Fatalf("%+v", s)
		}
		// Record 2 (all NULL) is not staged; record 3 keeps its blank text.
		wantRows(t, dump(t, conn, s), []row{
			r(1, "1", "Attività", "2024-01-05", "2024-01-05T10:11:12.5", "2024-01-05T08:00:00Z", `{"x":1,"y":"z"}`, "[1,2]", "1234.50", "true", "0.1"),
			r(3, "3", "  ", null, null, null, null, null, null, null, null),
			r(4, "4", "c", null, null, null, null, null, null, "false", null),
		})
	})

	for _, tc := range []struct {
		name, file, opts string
		format           Format
	}{
		{"json array", "data.json", "FORMAT json, ARRAY true", JSON},
		{"ndjson", "data.ndjson", "FORMAT json", NDJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer conn.ExecContext(ctx, "DROP TABLE IF EXISTS t")
			p := write(tc.file, tc.opts)
			if f, err := Detect(p); err != nil || f != tc.format {
				t.Fatalf("Detect = %v, %v", f, err)
			}
			s, err := Stage(ctx, conn, p, "t", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != tc.format || s.Rows != 3 || !reflect.DeepEqual(s.Headers, headers) {
				t.Fatalf("%+v", s)
			}
			// JSON has no dates or time zones: values come back as DuckDB wrote them.
			got := dump(t, conn, s)
			if len(got) != 3 || got[0].Line != 1 || got[1].Line != 3 || got[2].Line != 4 {
				t.Fatalf("lines %+v", got)
			}
			if want := []string{"1", "Attività", "2024-01-05"}; !reflect.DeepEqual(got[0].Vals[:3], want) {
				t.Errorf("first values %q, want %q", got[0].Vals[:3], want)
			}
			if got[0].Vals[5] != `{"x":1,"y":"z"}` || got[0].Vals[6] != "[1,2]" || got[0].Vals[8] != "true" {
				t.Errorf("nested/boolean values %q", got[0].Vals)
			}
		})
	}
}

func TestStageJSONHandMade(t *testing.T) {
	tests := []struct {
		name, file, content string
		format              Format
		headers             []string
		rows                []row
		wantError           string
	}{
		{
			name: "array: union of keys in first-seen order, empty records skipped",
			file: "a.json",
			content: `[{"coop": "1", "ore": 7.5},
				{},
				{"ore": 8, "coop": "2", "note": {"a": [1, "x"]}},
				{"coop": null, "ore": null},
				{"coop": "3", "mese": "2024-03"}]`,
			format:  JSON,
			headers: []string{"coop", "ore", "note", "mese"},
			rows: []row{
				r(1, "1", "7.5", null, null),
				r(3, "2", "8", `{"a":[1,"x"]}`, null),
				r(5, "3", null, null, "2024-03"),
			},
		},
		{
			name:    "ndjson: blank lines and BOM",
			file:    "a.ndjson",
			content: "\xEF\xBB\xBF{\"coop\": \"1\"}\n\n{\"coop\": \"2\"}\n  \n\n{\"coop\": \"3\"}\n",
			format:  NDJSON,
			headers: []string{"coop"},
			rows:    []row{r(1, "1"), r(3, "2"), r(6, "3")},
		},
		{
			name:    "ndjson: a record over several lines, two on one line, braces in strings",
			file:    "b.jsonl",
			content: "{\"coop\": \"1\",\n \"note\": \"a } \\\" {\"}\n{\"coop\": \"2\"} {\"coop\": \"3\"}\n\n{\"coop\":\n\"4\"}",
			format:  NDJSON,
			headers: []string{"coop", "note"},
			rows:    []row{r(1, "1", `a } " {`), r(3, "2", null), r(3, "3", null), r(5, "4", null)},
		},
		{name: "array of numbers", file: "n.json", content: "[1, 2, 3]", format: JSON, wantError: CodeJSON},
		{name: "broken json", file: "x.json", content: `[{"a": 1}, {"a": }]`, format: JSON, wantError: CodeJSON},
		{name: "broken ndjson", file: "x.ndjson", content: "{\"a\": 1}\n{\"a\": \n", format: NDJSON, wantError: CodeJSON},
	}
	conn := newConn(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS t")
			s, err := stage(t, conn, tc.file, []byte(tc.content), Options{})
			if tc.wantError != "" {
				if code := fileErrorCode(t, err); code != tc.wantError {
					t.Fatalf("code %s, want %s: %v", code, tc.wantError, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != tc.format || !reflect.DeepEqual(s.Headers, tc.headers) || s.Rows != int64(len(tc.rows)) {
				t.Fatalf("%+v", s)
			}
			got := dump(t, conn, s)
			wantRows(t, got, tc.rows)
		})
	}
}

func TestStageParquetBroken(t *testing.T) {
	conn := newConn(t)
	_, err := stage(t, conn, "x.parquet", []byte("PAR1 this is not really parquet PAR1"), Options{})
	if code := fileErrorCode(t, err); code != CodeParquet {
		t.Fatalf("code %s: %v", code, err)
	}
	if !strings.Contains(err.Error(), "Parquet") {
		t.Fatalf("message %q", err)
	}
}
