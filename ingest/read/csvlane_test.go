package read

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"coopimpact/internal/testsupport"
)

// laneAgrees reads the file at path with Stage (table "a") and with the
// lane (PrepareCSV, then Lane.Stage into "b") and fails the test on any
// difference: metadata, every row, and what the lane gathered on the way
// (KeysDistinct, Tuples, Spellings) against the same answers computed in
// SQL on "a". It reports whether the lane took the file.
func laneAgrees(t testing.TB, conn *sql.Conn, path string, opts Options) bool {
	t.Helper()
	taken, _ := laneCompare(t, conn, path, opts, nil)
	return taken
}

// lanePlanFor is the plan the tests use: every header column but the last
// as keys, the first two as the tuple.
func lanePlanFor(h int) LanePlan {
	p := LanePlan{}
	for i := 0; i < h-1; i++ {
		p.Keys = append(p.Keys, i)
	}
	for i := 0; i < min(2, h); i++ {
		p.Tuple = append(p.Tuple, i)
	}
	return p
}

// laneCompare is laneAgrees; check, when given, also sees a taken lane.
// staged tells whether Stage read the file.
func laneCompare(t testing.TB, conn *sql.Conn, path string, opts Options, check func(*Lane)) (taken, staged bool) {
	t.Helper()
	ctx := context.Background()
	if opts.TempDir == "" {
		// A private folder: nothing the lane writes may be left in it.
		opts.TempDir = t.TempDir()
	}
	defer func() {
		if left, _ := os.ReadDir(opts.TempDir); len(left) > 0 {
			t.Errorf("%d temp files left behind, e.g. %s", len(left), left[0].Name())
		}
	}()
	for _, tb := range []string{"a", "b"} {
		dropTable(conn, tb)
		defer dropTable(conn, tb)
	}

	s, serr := Stage(ctx, conn, path, "a", opts)
	var fe *FileError
	if serr != nil {
		if !errors.As(serr, &fe) {
			t.Fatalf("Stage: %T %v", serr, serr)
		}
	}
	// Callers send only what Detect calls CSV to the lane.
	if format, err := Detect(path); err != nil || format != CSV {
		return false, serr == nil
	}

	var planned []string
	var plannedLine, calls int
	lane, lerr := PrepareCSV(ctx, path, opts, func(h []string, line int) (LanePlan, error) {
		calls++
		planned, plannedLine = slices.Clone(h), line
		return lanePlanFor(len(h)), nil
	})
	if calls > 1 {
		t.Errorf("plan called %d times", calls)
	}
	if lerr != nil {
		if serr == nil {
			t.Fatalf("Stage read the file, PrepareCSV failed: %v", lerr)
		}
		return false, serr == nil
	}
	if lane == nil {
		return false, serr == nil
	}
	defer func() {
		if err := lane.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	if serr != nil {
		t.Fatalf("Stage refused the file (%s: %s), the lane took it (%d rows, headers %q)", fe.Code, fe.En, lane.Rows, lane.Headers)
	}
	if calls != 1 || !reflect.DeepEqual(planned, lane.Headers) || plannedLine != lane.HeaderLine {
		t.Errorf("plan saw %q (line %d, %d calls), the lane reports %q (line %d)", planned, plannedLine, calls, lane.Headers, lane.HeaderLine)
	}
	if err := lane.Stage(ctx, conn, "b"); err != nil {
		t.Fatalf("Lane.Stage: %v", err)
	}
	if lane.Table != "b" {
		t.Errorf("Lane.Table = %q", lane.Table)
	}

	h := len(s.Headers)
	if !reflect.DeepEqual(lane.Headers, s.Headers) || lane.HeaderLine != s.HeaderLine || lane.Rows != s.Rows ||
		lane.Encoding != s.Encoding || lane.Delimiter != s.Delimiter || lane.Format != CSV {
		t.Fatalf("metadata differ\nStage: %q line %d rows %d %s %q\nlane:  %q line %d rows %d %s %q",
			s.Headers, s.HeaderLine, s.Rows, s.Encoding, s.Delimiter,
			lane.Headers, lane.HeaderLine, lane.Rows, lane.Encoding, lane.Delimiter)
	}
	if ta, tb := columnTypes(t, conn, "a"), columnTypes(t, conn, "b"); !reflect.DeepEqual(ta, tb) {
		t.Fatalf("columns differ\nStage: %v\nlane:  %v", ta, tb)
	}
	if n := queryInt(t, conn, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_lane\\_%' ESCAPE '\\'"); n != 0 {
		t.Errorf("Lane.Stage left %d helper tables", n)
	}
	ra, rb := rowsByLine(t, conn, "a", h), rowsByLine(t, conn, "b", h)
	if int64(len(ra)) != s.Rows {
		t.Fatalf("Stage: Rows = %d, table a has %d", s.Rows, len(ra))
	}
	for i := range max(len(ra), len(rb)) {
		if i >= len(ra) || i >= len(rb) || !reflect.DeepEqual(ra[i], rb[i]) {
			show := func(rs []row) string {
				if i >= len(rs) {
					return "(none)"
				}
				return fmt.Sprintf("line %d %q", rs[i].Line, rs[i].Vals)
			}
			t.Fatalf("row %d differs (%d rows vs %d)\nStage: %s\nlane:  %s", i, len(ra), len(rb), show(ra), show(rb))
		}
	}

	// KeysDistinct, exactly: the lane takes an empty value and NULL alike.
	p := lanePlanFor(h)
	keys := make([]string, len(p.Keys))
	for i, k := range p.Keys {
		keys[i] = "coalesce(" + colName(k) + ", '')"
	}
	distinct := queryInt(t, conn, "SELECT count(*) FROM (SELECT DISTINCT "+strings.Join(keys, ", ")+" FROM a)") == s.Rows
	if lane.KeysDistinct != distinct {
		t.Errorf("KeysDistinct = %v, SQL on Stage's table says %v", lane.KeysDistinct, distinct)
	}

	// Tuples: the distinct combinations of the tuple columns, nil for empty.
	if lane.Tuples != nil {
		tcols := make([]string, len(p.Tuple))
		for i, k := range p.Tuple {
			tcols[i] = colName(k)
		}
		want := map[string]bool{}
		for _, r := range queryAll(t, conn, "SELECT DISTINCT "+strings.Join(tcols, ", ")+" FROM a") {
			want[tupleKey(r)] = true
		}
		got := map[string]bool{}
		for _, tu := range lane.Tuples {
			if len(tu) != len(p.Tuple) {
				t.Fatalf("tuple %q has %d values, want %d", tu, len(tu), len(p.Tuple))
			}
			k := tupleKey(tu)
			if got[k] {
				t.Errorf("tuple %q listed twice", tu)
			}
			got[k] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tuples differ\nlane: %v\nSQL:  %v", sortedKeys(got), sortedKeys(want))
		}
	}

	// Spellings: per coded column, the distinct non-empty values; every
	// code names one value only.
	if len(lane.Coded) != h || len(lane.Spellings) != h || len(lane.Codes) != h {
		t.Fatalf("Coded/Spellings/Codes have %d/%d/%d entries for %d columns", len(lane.Coded), len(lane.Spellings), len(lane.Codes), h)
	}
	for i := range h {
		if !lane.Coded[i] {
			if lane.Spellings[i] != nil || lane.Codes[i] != nil {
				t.Errorf("column %d is not coded but has spellings %q", i, lane.Spellings[i])
			}
			continue
		}
		if len(lane.Codes[i]) != len(lane.Spellings[i]) {
			t.Fatalf("column %d: %d codes for %d spellings", i, len(lane.Codes[i]), len(lane.Spellings[i]))
		}
		codes := map[int32]bool{}
		got := map[string]bool{}
		for k, v := range lane.Spellings[i] {
			if codes[lane.Codes[i][k]] || lane.Codes[i][k] <= 0 {
				t.Errorf("column %d: code %d given twice or not positive", i, lane.Codes[i][k])
			}
			codes[lane.Codes[i][k]] = true
			got[v] = true
		}
		want := map[string]bool{}
		for _, r := range queryAll(t, conn, fmt.Sprintf("SELECT DISTINCT %s FROM a WHERE %[1]s IS NOT NULL", colName(i))) {
			want[r[0].(string)] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("column %d spellings differ\nlane: %q\nSQL:  %q", i, sortedKeys(got), sortedKeys(want))
		}
	}
	if check != nil {
		check(lane)
	}
	return true, true
}

// rowsByLine reads c0..c{h-1} and _line of a table in _line order.
func rowsByLine(t testing.TB, conn *sql.Conn, table string, h int) []row {
	t.Helper()
	cols := []string{"_line"}
	for i := range h {
		cols = append(cols, colName(i))
	}
	var out []row
	for _, vals := range queryAll(t, conn, "SELECT "+strings.Join(cols, ", ")+" FROM "+quoteIdent(table)+" ORDER BY _line") {
		r := row{Line: -1, Vals: make([]string, h)}
		if v, ok := vals[0].(int64); ok {
			r.Line = v
		}
		for i, v := range vals[1:] {
			switch v := v.(type) {
			case nil:
				r.Vals[i] = null
			case string:
				r.Vals[i] = v
			default:
				t.Fatalf("%s.%s holds a %T", table, colName(i), v)
			}
		}
		out = append(out, r)
	}
	return out
}

// columnTypes lists a temp table's columns with their types, in order.
func columnTypes(t testing.TB, conn *sql.Conn, table string) []string {
	t.Helper()
	var out []string
	for _, r := range queryAll(t, conn, "SELECT column_name || ' ' || data_type FROM duckdb_columns() WHERE database_name = 'temp' AND table_name = '"+table+"' ORDER BY column_index") {
		out = append(out, r[0].(string))
	}
	return out
}

func queryAll(t testing.TB, conn *sql.Conn, q string) [][]any {
	t.Helper()
	return testsupport.Rows(t, conn, q)
}

func queryInt(t testing.TB, conn *sql.Conn, q string) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	return n
}

// tupleKey spells a combination unambiguously (nil apart from any string).
func tupleKey(vals []any) string {
	var b strings.Builder
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			b.WriteString("N;")
		case string:
			fmt.Fprintf(&b, "S%d:%s;", len(v), v)
		default:
			fmt.Fprintf(&b, "?%T;", v)
		}
	}
	return b.String()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// laneCase is a hand-written file and whether the lane should take it.
type laneCase struct {
	name    string
	content string
	score   func([]string) int
	taken   bool
	enc     string // when taken and not "": the expected Encoding
	delim   string // when taken and not "": the expected Delimiter
	coded   []bool // when not nil: the expected Coded
}

// laneCases are the table test's files.
func laneCases() []laneCase {
	hours := scoreNames("coop", "persona", "mese", "attivita", "ore")
	// A column repeating 3 values, one all distinct, one repeating 5 values
	// with empty ones: 200 records, so the head's statistics decide.
	var coded strings.Builder
	coded.WriteString("coop;persona;ore\n")
	for i := range 200 {
		ore := strconv.Itoa(i % 5)
		if i%7 == 0 {
			ore = ""
		}
		fmt.Fprintf(&coded, "C%d;P%d;%s\n", i%3, i, ore)
	}
	return []laneCase{
		{name: "quoted delimiters", content: "coop;persona;ore\n1;\"A;B\";2\n2;\"C\";\"3;4\"\n", taken: true, enc: "utf-8", delim: ";"},
		{name: "doubled quotes", content: "a,b,c\n1,\"x\"\"y\",\"\"\"\"\n2,z,\"\"\"q\"\"\"\n", taken: true, delim: ","},
		{name: "quoted LF", content: "a;b;c\n1;\"x\ny\";2\n3;\"\n\n\";5\n6;7;8\n", taken: true},
		{name: "CRLF", content: "a;b;c\r\n1;2;3\r\n4;5;6\r\n", taken: true},
		{name: "CRLF with LF in quotes", content: "a;b\r\n1;\"x\ny\"\r\n2;z\r\n", taken: true},
		{name: "CR only", content: "a;b\r1;2\r\r3;4\r", taken: true},
		{name: "CR inside quotes", content: "a;b\r\n1;\"x\r\ny\"\r\n2;z\r\n", taken: false},
		{name: "lone CR inside quotes", content: "a;b\n1;\"x\ry\"\n2;z\n", taken: false},
		{name: "mixed breaks", content: "a;b\n1;2\r\n3;4\r5;\"x\ny\"\n6;7", taken: true},
		{name: "BOM UTF-8", content: "\xEF\xBB\xBFcoop;città\n1;Attività\n2;x\n", taken: true, enc: "utf-8-bom"},
		{name: "UTF-16LE", content: string(utf16Bytes("coop;attività;importo\r\n1;Pulizie città;€ 1.234,56\r\n2;\"a;b\";3\r\n", false)), taken: true, enc: "utf-16le"},
		{name: "UTF-16BE", content: string(utf16Bytes("coop\tore\n1\t7,5\n2\t\"8\n9\"\n", true)), taken: true, enc: "utf-16be", delim: "\t"},
		{name: "Windows-1252 mixed with UTF-8", content: "Attivit\xe0;Importo;Città\r\nPulizie;\x80 1.234,56;Citt\xe0 di Castello\r\n\"caf\xe9\";\"x;\xe0\";città\r\n\xe0;\"\xe0\"\"\xa0\";\xc3\r\n", taken: true, enc: "windows-1252"},
		{name: "preamble, empty lines, blank records", score: hours, taken: true, content: "Report ore marzo 2024\n" +
			"\n" +
			"coop;persona;mese;attivita;ore\n" +
			"123;\"A;B\";03/2024;\"multi\nline\";1,5\n" +
			"\n" +
			"456;C;03/2024;x;2\n" +
			";;;;\n" +
			"789;D;\"03/2024\";y;\"3\"\n"},
		{name: "empty lines between records", content: "a;b\n\n1;2\n\n\n3;4\n\n", taken: true},
		{name: "blank records", content: "a;b;c;d;e\n1;2;3;4;5\n;;;;\n6;7;8;9;10\n  ; ;\t;;\n\"\";\" \";;;\n11;;;;\n", taken: true},
		{name: "rows shorter than the header", content: "a;b;c;d\n1;2\n3\n4;5;6;7\n\"8\";\"9\"\n", taken: true},
		{name: "extra blank fields", content: "a;b;c\n1;2;3;;\n4;5;6; ;\t\n7;\"8\";9;\"\";\n", taken: true},
		{name: "extra values", content: "a;b\n1;2;3\n", taken: false},
		{name: "leading and trailing spaces", content: "a;b;c\n 1 ; x;y \n  2;\" q \";z\n3 ;\"r\"  ;  \n", taken: true},
		{name: "single space before a quote", content: "a;b;c\n1; \"x;y\";2\n3; \"z\"; \"\"\n", taken: true},
		{name: "single space value, plain line", content: "a;b;c\n1; ;2\n", taken: true},
		{name: "single space value, quoted line", content: "a;b;c\n\"1\"; ;2\n", taken: true},
		{name: "reopened quote", content: "a;b\n\"q\" \"r\";2\n3;\"s\"\"t\"\n", taken: true},
		{name: "empty quoted values", content: "a;b;c\n\"\";\"\";1\n2;\"\";\"\"\n", taken: true},
		{name: "quote inside a plain value", content: "a;b\nx\"y;2\n", taken: true},
		{name: "comma", content: "coop,ore\n1,\"7,5\"\n2,8\n", taken: true, delim: ","},
		{name: "tab", content: "coop\tore\n1\t7,5\n2\t\" 8\t\"\n", taken: true, delim: "\t"},
		{name: "pipe", content: "a|b|c\n1|2|3\n4|\"x|y\"|\n", taken: true, delim: "|"},
		{name: "header only", content: "a;b;c\n", taken: false},
		{name: "header only, no line break", content: "a;b;c", taken: false},
		{name: "header and blank records only", content: "a;b\n;\n ; \n", taken: false},
		{name: "one column", content: "name\nx\n\ny\n", taken: false},
		{name: "unclosed quote", content: "a;b\n1;\"x\n", taken: false},
		{name: "text after a closing quote", content: "a;b\n\"x\"y;2\n", taken: false},
		{name: "no line break at the end", content: "a;b\n1;2\n3;\"4\"", taken: true},
		{name: "CR inside a quoted header", content: "\"a\rb\";c\n1;2\n3;4\n", taken: true},
		{name: "CR inside a blank record", content: "a;b\n1;2\n\"\r\";\n3;4\n", taken: true},
		{name: "LF inside a blank record", content: "a;b\n1;2\n\" \n \";\n3;4\n", taken: true},
		{name: "LF first, then CRLF", content: "a;b\n1;\"x\ny\"\r\n2;3\r\n", taken: true},
		{name: "quote reopened twice", content: "a;b\n\"x\" \"y\" \"z\";2\n", taken: true},
		{name: "two spaces before a reopened quote", content: "a;b\n\"x\"  \"y\";2\n", taken: true},
		{name: "Windows-1252 in the header only", content: "citt\xe0;b\n1;2\n", taken: true, enc: "windows-1252"},
		{name: "blank values in a quoted line", content: "a;b;c;d\n\"1\";\t;  ;\" \"\n", taken: true},
		{name: "single space value, CR-only file", content: "a;b;c\r1; ;2\r", taken: true},
		{name: "repeated keys", content: "a;b;c\n1;x;1\n2;y;2\n1;x;3\n", taken: true},
		{name: "repeated keys, one empty and one missing", content: "a;b;c\n1;x;1\n2;;3\n2\n", taken: true},
		{name: "keys distinct by the split of their values", content: "a;b;c\nab;c;1\na;bc;2\n", taken: true},
		{name: "coded and distinct columns", content: coded.String(), taken: true, coded: []bool{true, false, true}},
	}
}

// runLaneCases checks every laneCases file on one connection.
func runLaneCases(t *testing.T) {
	conn := newConn(t)
	dir := t.TempDir()
	for i, tc := range laneCases() {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, fmt.Sprintf("case%d.csv", i))
			if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			taken, _ := laneCompare(t, conn, p, Options{HeaderScore: tc.score}, func(l *Lane) {
				if tc.enc != "" && l.Encoding != tc.enc {
					t.Errorf("Encoding = %s, want %s", l.Encoding, tc.enc)
				}
				if tc.delim != "" && l.Delimiter != tc.delim {
					t.Errorf("Delimiter = %q, want %q", l.Delimiter, tc.delim)
				}
				if tc.coded != nil && !reflect.DeepEqual(l.Coded, tc.coded) {
					t.Errorf("Coded = %v, want %v", l.Coded, tc.coded)
				}
			})
			if taken != tc.taken {
				t.Errorf("lane taken = %v, want %v", taken, tc.taken)
			}
		})
	}
}

// TestLaneMatchesStage: hand-written files read the same through the lane
// as through Stage; the lane turns away what it should.
func TestLaneMatchesStage(t *testing.T) {
	runLaneCases(t)
}

// bigLaneFile is a generated file with every feature the lane handles:
// quoted delimiters and line breaks, doubled quotes, empty lines, blank
// records, short rows, empty values, coded and distinct columns, and
// (when cp1252) Windows-1252 bytes among UTF-8. Past 1 MB, a quoted value
// with a line break straddles the scanner's first chunk, cut inside "à".
func bigLaneFile(rows int, cp1252 bool) []byte {
	var b bytes.Buffer
	b.WriteString("Titolo\n\ncoop;persona;mese;note;ore\n")
	straddled := false
	for i := 0; i < rows; i++ {
		const prefix = "C1;Pstraddle;01/2024;\""
		if k := scanChunkSize - b.Len() - len(prefix) - 1; !straddled && k >= 0 && k < 100 {
			fmt.Fprintf(&b, "%s%sàb\nc;\"\"d\";1\n", prefix, strings.Repeat("x", k))
			straddled = true
		}
		note := fmt.Sprintf("n%d", i)
		switch {
		case i%97 == 5:
			note = "\"two\nlines; \"\"quoted\"\"\""
		case i%89 == 3:
			note = "\"\""
		case cp1252 && i%83 == 1:
			note = "citt\xe0"
		case i%79 == 2:
			note = "città"
		}
		switch {
		case i%101 == 7:
			b.WriteString("\n")
		case i%103 == 9:
			b.WriteString(";;;;\n")
		}
		if i%61 == 4 {
			fmt.Fprintf(&b, "C%d;P%d\n", i%4, i)
			continue
		}
		fmt.Fprintf(&b, "C%d;P%d;%02d/2024;%s;%d\n", i%4, i, i%12+1, note, i%9)
	}
	return b.Bytes()
}

// TestLaneMatchesStageParallel repeats the table with DuckDB splitting the
// files among parallel scanners, and adds files large enough for both lane
// workers and several DuckDB buffers.
func TestLaneMatchesStageParallel(t *testing.T) {
	old := csvBufferSize
	csvBufferSize = 1 << 16
	defer func() { csvBufferSize = old }()
	t.Run("cases", runLaneCases)
	conn := newConn(t)
	for _, tc := range []struct {
		rows   int
		cp1252 bool
	}{{12000, false}, {12000, true}, {50000, false}} {
		cp := tc.cp1252
		t.Run(fmt.Sprintf("big %d cp1252=%v", tc.rows, cp), func(t *testing.T) {
			data := bigLaneFile(tc.rows, cp)
			if len(data) < 256<<10 {
				t.Fatalf("only %d bytes", len(data))
			}
			if len(data) > scanChunkSize && !bytes.Contains(data, []byte("Pstraddle")) {
				t.Fatal("no record straddles the first scan chunk")
			}
			p := filepath.Join(t.TempDir(), "big.csv")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			opts := Options{HeaderScore: scoreNames("coop", "persona", "mese", "note", "ore")}
			taken, _ := laneCompare(t, conn, p, opts, func(l *Lane) {
				// Both workers wrote part of the copy.
				for _, part := range l.parts {
					if st, err := os.Stat(part); err != nil || st.Size() < 64<<10 {
						t.Errorf("part %s: %v", part, err)
					}
				}
				if want := map[bool]string{false: "utf-8", true: "windows-1252"}[cp]; l.Encoding != want {
					t.Errorf("Encoding = %s, want %s", l.Encoding, want)
				}
				if !reflect.DeepEqual(l.Coded, []bool{true, false, true, false, true}) {
					t.Errorf("Coded = %v", l.Coded)
				}
			})
			if !taken {
				t.Fatal("the lane did not take the file")
			}
		})
	}
}

// TestLaneTupleCap: more tuples than the cap only drop Tuples.
func TestLaneTupleCap(t *testing.T) {
	old := laneSpellCap
	laneSpellCap = 4
	defer func() { laneSpellCap = old }()
	// 3 x 3 values: within the cap per column, 9 combinations.
	var b strings.Builder
	b.WriteString("a;b\n")
	for i := range 9 {
		fmt.Fprintf(&b, "%d;%d\n", i%3, i/3)
	}
	p := filepath.Join(t.TempDir(), "tuples.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	taken, _ := laneCompare(t, newConn(t), p, Options{}, func(l *Lane) {
		if l.Tuples != nil {
			t.Errorf("Tuples = %v, want nil past the cap", l.Tuples)
		}
	})
	if !taken {
		t.Error("the lane did not take a file within the spelling cap")
	}
}

// TestLaneSpellingCap: a coded column with more spellings than the cap
// sends the file to Stage. It runs in a child process: a panic in a lane
// worker goroutine would otherwise end the whole test binary.
func TestLaneSpellingCap(t *testing.T) {
	if os.Getenv("LANE_SPELLING_CAP_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLaneSpellingCap$", "-test.v")
		cmd.Env = append(os.Environ(), "LANE_SPELLING_CAP_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child test failed: %v\n%s", err, out)
		}
		return
	}
	old := laneSpellCap
	laneSpellCap = 4
	defer func() { laneSpellCap = old }()
	// Few records: every column is coded; c0 has 5 spellings.
	p := filepath.Join(t.TempDir(), "spellings.csv")
	if err := os.WriteFile(p, []byte("a;b\n1;x\n2;x\n3;x\n4;x\n5;x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if laneAgrees(t, newConn(t), p, Options{}) {
		t.Error("the lane took a file with more spellings than the cap")
	}
}

// laneCorpusFiles lists the shared corpus CSV files and the package's own.
func laneCorpusFiles(t *testing.T, dir string) []string {
	var files []string
	for _, root := range []string{dir, "testdata"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := strings.ToLower(filepath.Ext(p)); !d.IsDir() && (ext == ".csv" || ext == ".tsv") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return files
}

// fuzzCorpusInputs reads the []byte inputs saved under testdata/fuzz/<target>.
func fuzzCorpusInputs(t *testing.T, target string) [][]byte {
	entries, _ := os.ReadDir(filepath.Join("testdata", "fuzz", target))
	var out [][]byte
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, ln := range strings.Split(string(raw), "\n") {
			if q, ok := strings.CutPrefix(ln, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatalf("%s: %v", e.Name(), err)
				}
				out = append(out, []byte(s))
			}
		}
	}
	return out
}

// TestLaneCorpus runs every corpus CSV Stage reads through the lane.
func TestLaneCorpus(t *testing.T) {
	corpus := testsupport.SharedPath(t, "corpora", "csv")
	files := laneCorpusFiles(t, corpus)
	conn := newConn(t)
	dir := t.TempDir()
	for i, data := range append(fuzzCorpusInputs(t, "FuzzStageCSV"), fuzzCorpusInputs(t, "FuzzLaneMatchesStage")...) {
		p := filepath.Join(dir, fmt.Sprintf("fuzz%d.csv", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	var taken, staged int
	for _, f := range files {
		t.Run(strings.TrimPrefix(strings.TrimPrefix(f, corpus), dir), func(t *testing.T) {
			tk, st := laneCompare(t, conn, f, Options{}, nil)
			if tk {
				taken++
			}
			if st {
				staged++
			}
		})
	}
	t.Logf("%d files, %d read by Stage: the lane took %d", len(files), staged, taken)
	if taken == 0 {
		t.Fatal("the lane took no corpus file")
	}
}

// FuzzLaneMatchesStage: on any bytes, the lane either declines the file or
// reads exactly what Stage reads.
func FuzzLaneMatchesStage(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	for _, tc := range laneCases() {
		if len(tc.content) < 4<<10 {
			f.Add([]byte(tc.content))
		}
	}
	conn := newConn(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		laneAgrees(t, conn, p, Options{})
	})
}
