package parse

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"
)

// sqlRow is what the macros return for one input.
type sqlRow struct {
	text        sql.NullString
	dec, pct    sql.NullFloat64
	integer     sql.NullInt64
	boolean     sql.NullBool
	date, month sql.NullTime
	year        sql.NullInt64
}

var (
	sharedOnce sync.Once
	sharedDB   *sql.DB
	sharedOne  *sql.Stmt // evalOneQuery, planned once: planning dominates a one-row query
	sharedErr  error
)

// testDB is one in-process DuckDB per test process (fuzz workers included),
// limited to one connection because the macros are TEMP.
func testDB(tb testing.TB) *sql.DB {
	tb.Helper()
	sharedOnce.Do(func() {
		db, err := sql.Open("duckdb", "")
		if err != nil {
			sharedErr = err
			return
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		if err := InstallMacros(context.Background(), db); err != nil {
			sharedErr = err
			return
		}
		// One thread: no scheduling overhead on one-row queries; fuzz
		// workers already use every core.
		if _, err := db.Exec(`SET threads = 1`); err != nil {
			sharedErr = err
			return
		}
		if sharedOne, err = db.Prepare(evalOneQuery); err != nil {
			sharedErr = err
			return
		}
		sharedDB = db
	})
	if sharedErr != nil {
		tb.Fatalf("duckdb: %v", sharedErr)
	}
	return sharedDB
}

// sqlComparable reports whether DuckDB can take s as a VARCHAR at all.
func sqlComparable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

const evalColumns = `ci_text(s), ci_dec(s), ci_pct(s), ci_int(s), ci_bool(s),
	ci_date(s, serial_ok), ci_month(s, serial_ok), ci_year(s)`

// evalSQL runs every macro over inputs in one query.
func evalSQL(tb testing.TB, db *sql.DB, inputs []string, serialOK bool) []sqlRow {
	tb.Helper()
	q := `SELECT i, ` + evalColumns + `
		FROM (SELECT unnest(range(1, len(l) + 1)) AS i, unnest(l) AS s, $2::BOOLEAN AS serial_ok
		      FROM (SELECT $1::VARCHAR[] AS l))
		ORDER BY i`
	rows, err := db.Query(q, inputs, serialOK)
	if err != nil {
		tb.Fatalf("query: %v", err)
	}
	defer rows.Close()
	out := make([]sqlRow, 0, len(inputs))
	for rows.Next() {
		var i int64
		var r sqlRow
		if err := rows.Scan(&i, &r.text, &r.dec, &r.pct, &r.integer, &r.boolean, &r.date, &r.month, &r.year); err != nil {
			tb.Fatalf("scan: %v", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("rows: %v", err)
	}
	if len(out) != len(inputs) {
		tb.Fatalf("got %d rows for %d inputs", len(out), len(inputs))
	}
	return out
}

const evalOneQuery = `SELECT ` + evalColumns + ` FROM (SELECT CAST($1 AS VARCHAR) AS s, $2::BOOLEAN AS serial_ok)`

// evalOne runs every macro over one input (fuzzing).
func evalOne(tb testing.TB, in string, serialOK bool) sqlRow {
	tb.Helper()
	testDB(tb)
	var r sqlRow
	err := sharedOne.QueryRow(in, serialOK).Scan(&r.text, &r.dec, &r.pct, &r.integer, &r.boolean, &r.date, &r.month, &r.year)
	if err != nil {
		tb.Fatalf("query %q: %v", in, err)
	}
	return r
}

func diffFloat(name, in string, want float64, wantOK bool, got sql.NullFloat64) string {
	if wantOK != got.Valid || (wantOK && !sameFloat(want, got.Float64)) {
		return fmt.Sprintf("%s(%q): Go %v,%v; SQL %v,%v", name, in, want, wantOK, got.Float64, got.Valid)
	}
	return ""
}

func diffDate(name, in string, want time.Time, wantOK bool, got sql.NullTime) string {
	w, g := "NULL", "NULL"
	if wantOK {
		w = want.Format(time.DateOnly)
	}
	if got.Valid {
		g = got.Time.Format(time.DateOnly)
	}
	if w != g {
		return fmt.Sprintf("%s(%q): Go %s; SQL %s", name, in, w, g)
	}
	return ""
}

// compare lists every disagreement between the Go functions and the macros.
func compare(in string, serialOK bool, r sqlRow) []string {
	var diffs []string
	add := func(d string) {
		if d != "" {
			diffs = append(diffs, d)
		}
	}
	if s, ok := Text(in); ok != r.text.Valid || (ok && s != r.text.String) {
		add(fmt.Sprintf("Text(%q): Go %q,%v; SQL %q,%v", in, s, ok, r.text.String, r.text.Valid))
	}
	v, ok := Dec(in)
	add(diffFloat("Dec", in, v, ok, r.dec))
	v, ok = Percent(in)
	add(diffFloat("Percent", in, v, ok, r.pct))
	if n, ok := Int(in); ok != r.integer.Valid || (ok && n != r.integer.Int64) {
		add(fmt.Sprintf("Int(%q): Go %v,%v; SQL %v,%v", in, n, ok, r.integer.Int64, r.integer.Valid))
	}
	if b, ok := Bool(in); ok != r.boolean.Valid || (ok && b != r.boolean.Bool) {
		add(fmt.Sprintf("Bool(%q): Go %v,%v; SQL %v,%v", in, b, ok, r.boolean.Bool, r.boolean.Valid))
	}
	d, ok := Date(in, serialOK)
	add(diffDate(fmt.Sprintf("Date[serial=%v]", serialOK), in, d, ok, r.date))
	d, ok = Month(in, serialOK)
	add(diffDate(fmt.Sprintf("Month[serial=%v]", serialOK), in, d, ok, r.month))
	if y, ok := Year(in); ok != r.year.Valid || (ok && int64(y) != r.year.Int64) {
		add(fmt.Sprintf("Year(%q): Go %v,%v; SQL %v,%v", in, y, ok, r.year.Int64, r.year.Valid))
	}
	return diffs
}

// tableInputs gathers every hand-written case of parse_test.go.
func tableInputs() []string {
	var in []string
	for _, c := range textCases {
		in = append(in, c.in)
	}
	for _, c := range decCases {
		in = append(in, c.in)
	}
	for _, c := range pctCases {
		in = append(in, c.in)
	}
	for _, c := range intCases {
		in = append(in, c.in)
	}
	for _, c := range boolCases {
		in = append(in, c.in)
	}
	for _, c := range dateCases {
		in = append(in, c.in)
	}
	for _, c := range monthCases {
		in = append(in, c.in)
	}
	for _, c := range yearCases {
		in = append(in, c.in)
	}
	return in
}

func pick(r *rand.Rand, xs ...string) string { return xs[r.IntN(len(xs))] }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// groupDots inserts a dot every 3 digits from the right.
func groupDots(s string) string {
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, parts...), ".")
}

const noise = "0123456789.,-+/()eE%€$ TZ:\u00a0\u2009sixnoSIXNOuUrR'"

// mutate sometimes inserts, deletes or replaces one rune.
func mutate(r *rand.Rand, s string) string {
	if r.IntN(4) != 0 {
		return s
	}
	rs := []rune(s)
	alpha := []rune(noise)
	c := alpha[r.IntN(len(alpha))]
	switch i := r.IntN(len(rs) + 1); r.IntN(3) {
	case 0:
		rs = append(rs[:i], append([]rune{c}, rs[i:]...)...)
	case 1:
		if i < len(rs) {
			rs = append(rs[:i], rs[i+1:]...)
		}
	default:
		if i < len(rs) {
			rs[i] = c
		}
	}
	return string(rs)
}

func genNumber(r *rand.Rand) string {
	ip := digits(r, r.IntN(11))
	if r.IntN(2) == 0 {
		ip = groupDots(ip)
	}
	var frac string
	switch r.IntN(4) {
	case 0:
		frac = "," + digits(r, r.IntN(4))
	case 1:
		frac = "." + digits(r, r.IntN(4))
	}
	var exp string
	if r.IntN(6) == 0 {
		exp = pick(r, "e", "E") + pick(r, "", "+", "-") + digits(r, 1+r.IntN(3))
	}
	s := pick(r, "", "", "+", "-", "(", "€", "€ ", "EUR ", "-€ ", "$", " ", "\u00a0") + ip + frac + exp +
		pick(r, "", "", ")", " €", "€", " eur", " Euro", "%", " %", " ", "\u202f")
	return mutate(r, s)
}

func genDate(r *rand.Rand) string {
	y := strconv.Itoa(r.IntN(10001))
	if r.IntN(3) != 0 {
		y = strconv.Itoa(1990 + r.IntN(50))
	}
	y = fmt.Sprintf("%04s", y)
	m, d := r.IntN(14), r.IntN(33)
	if r.IntN(3) != 0 {
		m, d = 1+r.IntN(12), 1+r.IntN(28)
	}
	ms, ds := strconv.Itoa(m), strconv.Itoa(d)
	if r.IntN(2) == 0 {
		ms, ds = fmt.Sprintf("%02d", m), fmt.Sprintf("%02d", d)
	}
	var s string
	switch r.IntN(9) {
	case 0, 1:
		s = y + "-" + ms + "-" + ds
	case 2, 3:
		s = ds + "/" + ms + "/" + y
	case 4:
		s = ds + "-" + ms + "-" + y
	case 5:
		s = ds + "." + ms + "." + y
	case 6: // months
		s = pick(r, y+"-"+ms, ms+"/"+y, ms+"-"+y, ms+"."+y, y+fmt.Sprintf("%02d", m), y+"/"+ms)
	case 7: // serials
		s = strconv.Itoa(r.IntN(3000000))
		if r.IntN(3) == 0 {
			s += pick(r, ".", ",") + digits(r, 1+r.IntN(4))
		}
	default:
		s = y
	}
	if r.IntN(4) == 0 {
		s += pick(r, "T", " ", "  ") + strconv.Itoa(r.IntN(26)) + ":" + fmt.Sprintf("%02d", r.IntN(62)) +
			pick(r, "", ":00", ":59", ":60", ":00.5", ":00.1234567891") + pick(r, "", "Z", "+01:00", "-0500", "+02", "+24", "z")
	}
	return mutate(r, s)
}

func genNoise(r *rand.Rand) string {
	alpha := []rune(noise)
	rs := make([]rune, r.IntN(12))
	for i := range rs {
		rs[i] = alpha[r.IntN(len(alpha))]
	}
	return string(rs)
}

func generatedInputs(n int) []string {
	r := rand.New(rand.NewPCG(20240105, 7))
	in := make([]string, 0, n)
	for len(in) < n {
		switch r.IntN(6) {
		case 0, 1:
			in = append(in, genNumber(r))
		case 2, 3:
			in = append(in, genDate(r))
		case 4:
			in = append(in, pick(r, "true", "False", "SÌ", "si", "Sí", "x", "N", "vero", "falso", "yes", "y", "0", "1", "")+pick(r, "", " ", "\u00a0", "\t"))
		default:
			in = append(in, genNoise(r))
		}
	}
	return in
}

func TestMacrosAgreeWithGo(t *testing.T) {
	db := testDB(t)
	inputs := append(tableInputs(), generatedInputs(6000)...)
	for _, serialOK := range []bool{false, true} {
		rows := evalSQL(t, db, inputs, serialOK)
		fails := 0
		for i, in := range inputs {
			for _, d := range compare(in, serialOK, rows[i]) {
				if fails++; fails <= 40 {
					t.Error(d)
				}
			}
		}
		if fails > 40 {
			t.Errorf("... %d disagreements in all", fails)
		}
	}
}

func TestMacrosTypesAndNull(t *testing.T) {
	db := testDB(t)
	var types string
	err := db.QueryRow(`SELECT concat_ws(',', typeof(ci_text('a')), typeof(ci_dec('1')), typeof(ci_pct('1')),
		typeof(ci_int('1')), typeof(ci_bool('1')), typeof(ci_date('1', true)), typeof(ci_month('1', true)),
		typeof(ci_year('2024')))`).Scan(&types)
	if err != nil {
		t.Fatal(err)
	}
	if want := "VARCHAR,DOUBLE,DOUBLE,BIGINT,BOOLEAN,DATE,DATE,INTEGER"; types != want {
		t.Errorf("types %s; want %s", types, want)
	}
	var nulls int
	err = db.QueryRow(`SELECT count(*) FILTER (WHERE v IS NULL) FROM (SELECT unnest([
		ci_text(NULL)::VARCHAR, ci_dec(NULL)::VARCHAR, ci_pct(NULL)::VARCHAR, ci_int(NULL)::VARCHAR,
		ci_bool(NULL)::VARCHAR, ci_date(NULL, true)::VARCHAR, ci_month(NULL, true)::VARCHAR,
		ci_year(NULL)::VARCHAR, ci_date('45292', NULL)::VARCHAR]) AS v)`).Scan(&nulls)
	if err != nil {
		t.Fatal(err)
	}
	if nulls != 9 {
		t.Errorf("%d of 9 NULL-input calls returned NULL", nulls)
	}
}

// The macros are reinstallable (the loader runs them on every connection)
// and work on columns, even ones named like their lambda parameters.
func TestMacrosOnTable(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 2 {
		if err := InstallMacros(ctx, conn); err != nil {
			t.Fatal(err)
		}
	}
	_, err = conn.ExecContext(ctx, `CREATE TEMP TABLE stage AS SELECT * FROM (VALUES
		(1, '€ 1.234,56', '29/02/2024', '03/2024'), (2, '(1.234,50)', '45292', '202403'),
		(3, ' ', '29/02/2023', '2024-03-15'), (4, NULL, 'x', '13/2024')) v(n, x, v, c)`)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT ci_dec(x), ci_text(x) IS NULL, ci_date(v, true),
		ci_month(c, false) FROM stage ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var dec sql.NullFloat64
		var blank bool
		var day, month sql.NullTime
		if err := rows.Scan(&dec, &blank, &day, &month); err != nil {
			t.Fatal(err)
		}
		f := func(nt sql.NullTime) string {
			if !nt.Valid {
				return "NULL"
			}
			return nt.Time.Format(time.DateOnly)
		}
		d := "NULL"
		if dec.Valid {
			d = strconv.FormatFloat(dec.Float64, 'f', -1, 64)
		}
		got = append(got, fmt.Sprintf("%s %v %s %s", d, blank, f(day), f(month)))
	}
	want := []string{
		"1234.56 false 2024-02-29 2024-03-01",
		"-1234.5 false 2024-01-01 2024-03-01",
		"NULL true NULL 2024-03-01",
		"NULL true NULL NULL",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
