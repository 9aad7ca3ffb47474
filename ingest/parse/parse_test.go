package parse

import (
	"math"
	"strings"
	"testing"
	"time"
)

type textCase struct {
	in   string
	want string
	ok   bool
}

var textCases = []textCase{
	{"abc", "abc", true},
	{"  a b  ", "a b", true},
	{"\u00a0x\u2009", "x", true},
	{"\t\n x \r\v\f", "x", true},
	{"\u202f\u2007y\u202f", "y", true},
	{"\u3000x", "\u3000x", true}, // ideographic space is not a blank
	{"", "", false},
	{" \t\n", "", false},
	{"\u00a0", "", false},
}

func TestText(t *testing.T) {
	for _, c := range textCases {
		got, ok := Text(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("Text(%q) = %q,%v; want %q,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

type floatCase struct {
	in   string
	want float64
	ok   bool
}

var decCases = []floatCase{
	{"1234.56", 1234.56, true},
	{"1.234,56", 1234.56, true},
	{"1234,56", 1234.56, true},
	{"€ 1.234,56", 1234.56, true},
	{"1.234,56 €", 1234.56, true},
	{"1.234,56€", 1234.56, true},
	{"EUR 1.234,56", 1234.56, true},
	{"eur1234", 1234, true},
	{"1234 Euro", 1234, true},
	{"$12.5", 12.5, true},
	{"(1.234,50)", -1234.5, true},
	{"(€ 10)", -10, true},
	{"-1.234,50", -1234.5, true},
	{"+5", 5, true},
	{"- 5", -5, true},
	{"€ -5", -5, true},
	{"-€5", -5, true},
	{"1.234.567", 1234567, true},
	{"1.234.567,89", 1234567.89, true},
	{"1.234", 1.234, true}, // a lone dot is a decimal point
	{"1.200 euro", 1.2, true},
	{"1 234 567", 1234567, true},
	{"1\u00a0234,5", 1234.5, true},
	{"1\u202f234,5", 1234.5, true},
	{"1\u2009234,5", 1234.5, true},
	{"0,5", 0.5, true},
	{"000.000.000", 0, true},
	{"1e5", 100000, true},
	{"1.5E-3", 0.0015, true},
	{"2e+2", 200, true},
	{"  42  ", 42, true},
	{"007", 7, true},
	{"0", 0, true},
	{"-0", 0, true},
	{"1e-400", 0, true}, // underflow is zero, not an error
	{"1€2", 12, true},   // currency tokens are deleted anywhere
	{"1e ur", 0, false}, // one pass: blanks do not join a token
	{"1e0000000000000000000005", 100000, true},
	{"1e-99999999999999999999", 0, true},
	{"0e99999999999999", 0, true},
	{"0." + strings.Repeat("0", 400) + "1e400", 0.1, true},
	{"123456789012345678901234567890", 1.2345678901234568e29, true},
	{"1" + strings.Repeat("0", 400), 0, false}, // overflows
	{"1e99999999999999999999", 0, false},
	{"", 0, false},
	{"   ", 0, false},
	{"-", 0, false},
	{".", 0, false},
	{",", 0, false},
	{"€", 0, false},
	{"1.23,4", 0, false},
	{"12.34.567", 0, false},
	{"1234.567.890", 0, false},
	{"1.234.56", 0, false},
	{"1,2,3", 0, false},
	{"1,", 0, false},
	{",5", 0, false},
	{".5", 0, false},
	{"5.", 0, false},
	{"1.234,", 0, false},
	{"abc", 0, false},
	{"1x", 0, false},
	{"1,5e3", 0, false},
	{"1.234.567e3", 0, false},
	{"--5", 0, false},
	{"+-5", 0, false},
	{"(-5)", 0, false},
	{"-(5)", 0, false},
	{"(5", 0, false},
	{"5)", 0, false},
	{"()", 0, false},
	{"5-", 0, false},
	{"1e", 0, false},
	{"e5", 0, false},
	{"1e400", 0, false},
	{"NaN", 0, false},
	{"Inf", 0, false},
	{"infinity", 0, false},
	{"0x10", 0, false},
	{"1_000", 0, false},
	{"1'000", 0, false},
	{"5%", 0, false},
	{"١٢", 0, false}, // non-ASCII digits
}

func sameFloat(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func TestDec(t *testing.T) {
	for _, c := range decCases {
		got, ok := Dec(c.in)
		if ok != c.ok || (ok && !sameFloat(got, c.want)) {
			t.Errorf("Dec(%q) = %v,%v; want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

var pctCases = []floatCase{
	{"45%", 45, true},
	{"45,0 %", 45, true},
	{"12,5 %", 12.5, true},
	{"45", 45, true},
	{" -3,5% ", -3.5, true},
	{"0,45", 0.45, true},
	{"100\u00a0%", 100, true},
	{"€ 5 %", 5, true},
	{"45%%", 0, false},
	{"%45", 0, false},
	{"%", 0, false},
	{"45 % %", 0, false},
	{"(45%)", 0, false},
	{"", 0, false},
}

func TestPercent(t *testing.T) {
	for _, c := range pctCases {
		got, ok := Percent(c.in)
		if ok != c.ok || (ok && !sameFloat(got, c.want)) {
			t.Errorf("Percent(%q) = %v,%v; want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

type intCase struct {
	in   string
	want int64
	ok   bool
}

var intCases = []intCase{
	{"12", 12, true},
	{"12,0", 12, true},
	{"12.0", 12, true},
	{"1.200", 1200, true}, // Int reads a lone dot group as thousands
	{"1.000", 1000, true},
	{"1.234.567", 1234567, true},
	{"1.234,00", 1234, true},
	{"1e3", 1000, true},
	{"1.5e3", 1500, true},
	{"-7", -7, true},
	{"(3)", -3, true},
	{"€ 1.000", 1000, true},
	{"0", 0, true},
	{"9007199254740992", 9007199254740992, true},
	{"-9007199254740992", -9007199254740992, true},
	{"1.5", 0, false},
	{"1.000,5", 0, false},
	{"12,5", 0, false},
	{"1.20", 0, false},
	{"1e20", 0, false},
	{"9007199254740994", 0, false},
	{"abc", 0, false},
	{"", 0, false},
}

func TestInt(t *testing.T) {
	for _, c := range intCases {
		got, ok := Int(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("Int(%q) = %v,%v; want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

type boolCase struct {
	in   string
	want bool
	ok   bool
}

var boolCases = []boolCase{
	{"true", true, true}, {"TRUE", true, true}, {"True", true, true},
	{"1", true, true}, {"sì", true, true}, {"SÌ", true, true}, {"Sí", true, true},
	{"si", true, true}, {"SI", true, true}, {"s", true, true}, {"S", true, true},
	{"x", true, true}, {"X", true, true}, {"vero", true, true}, {"VERO", true, true},
	{"yes", true, true}, {"Y", true, true}, {" \u00a0Sì\t", true, true},
	{"false", false, true}, {"FALSE", false, true}, {"0", false, true},
	{"no", false, true}, {"NO", false, true}, {"n", false, true}, {"N", false, true},
	{"falso", false, true}, {"Falso", false, true},
	{"", false, false}, {"  ", false, false}, {"2", false, false}, {"t", false, false},
	{"f", false, false}, {"ok", false, false}, {"1.0", false, false}, {"-", false, false},
	{"sii", false, false}, {"non", false, false}, {"x x", false, false},
}

func TestBool(t *testing.T) {
	for _, c := range boolCases {
		got, ok := Bool(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("Bool(%q) = %v,%v; want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

type dateCase struct {
	in       string
	serialOK bool
	want     string // YYYY-MM-DD; "" = must fail
}

var dateCases = []dateCase{
	{"2024-01-05", false, "2024-01-05"},
	{"2024-1-5", false, "2024-01-05"},
	{"05/01/2024", false, "2024-01-05"},
	{"5/1/2024", false, "2024-01-05"},
	{"05-01-2024", false, "2024-01-05"},
	{"05.01.2024", false, "2024-01-05"},
	{"  2024-01-05  ", false, "2024-01-05"},
	{"2024-01-05 00:00:00", false, "2024-01-05"},
	{"2024-01-05T10:00:00Z", false, "2024-01-05"},
	{"2024-01-05T23:59:59.123+02:00", false, "2024-01-05"},
	{"2024-01-05T23:30:00-0500", false, "2024-01-05"}, // zone ignored, no conversion
	{"2024-01-05T10:00+01", false, "2024-01-05"},
	{"2024-01-05  10:00", false, "2024-01-05"},
	{"05/01/2024 0:00", false, "2024-01-05"},
	{"05/01/2024 9:05:07.123456789", false, "2024-01-05"},
	{"29/02/2024", false, "2024-02-29"},
	{"29/02/2000", false, "2000-02-29"},
	{"31/12/9999", false, "9999-12-31"},
	{"01/01/1000", false, "1000-01-01"},
	{"2024-01-05T10:00:00Z", true, "2024-01-05"},
	{"45292", true, "2024-01-01"},
	{"45292.75", true, "2024-01-01"},
	{"45292,5", true, "2024-01-01"},
	{"045292", true, "2024-01-01"},
	{"1", true, "1899-12-31"},
	{"61", true, "1900-03-01"},
	{"2958465", true, "9999-12-31"},
	{"2024", true, "1905-07-16"},
	{"29/02/2023", false, ""},
	{"29/02/1900", false, ""},
	{"31/04/2024", false, ""},
	{"32/01/2024", false, ""},
	{"00/01/2024", false, ""},
	{"2024-13-01", false, ""},
	{"2024-00-10", false, ""},
	{"0999-01-01", false, ""},
	{"2024/01/05", false, ""},
	{"05/01-2024", false, ""},
	{"05/01/24", false, ""},
	{"005/01/2024", false, ""},
	{"2024-001-05", false, ""},
	{"2024-01-05T", false, ""},
	{"2024-01-05T24:00:00", false, ""},
	{"2024-01-05 10:60", false, ""},
	{"2024-01-05 10", false, ""},
	{"2024-01-05t10:00", false, ""},
	{"2024-01-05T10:00:00z", false, ""},
	{"2024-01-05T10:00:00+24:00", false, ""},
	{"2024-01-05T10:00:00.1234567890", false, ""},
	{"2024-01-05T 10:00", false, ""},
	{"45292", false, ""},
	{"2958466", true, ""},
	{"0", true, ""},
	{"0.5", true, ""},
	{"-1", true, ""},
	{"45292.", true, ""},
	{"4.5292E4", true, ""},
	{"99999999999999999999999", true, ""},
	{"", true, ""},
	{"abc", true, ""},
}

func TestDate(t *testing.T) {
	for _, c := range dateCases {
		got, ok := Date(c.in, c.serialOK)
		if c.want == "" {
			if ok {
				t.Errorf("Date(%q,%v) = %s; want failure", c.in, c.serialOK, got.Format(time.DateOnly))
			}
			continue
		}
		if !ok || got.Format(time.DateOnly) != c.want || got.Location() != time.UTC {
			t.Errorf("Date(%q,%v) = %v,%v; want %s", c.in, c.serialOK, got, ok, c.want)
		}
	}
}

var monthCases = []dateCase{
	{"2024-03", false, "2024-03-01"},
	{"2024/3", false, "2024-03-01"},
	{"03/2024", false, "2024-03-01"},
	{"3/2024", false, "2024-03-01"},
	{"03-2024", false, "2024-03-01"},
	{"03.2024", false, "2024-03-01"},
	{"03.2024", true, "2024-03-01"}, // month shape wins over a serial
	{"202403", false, "2024-03-01"},
	{"202403", true, "2024-03-01"},
	{" 2024-12 ", false, "2024-12-01"},
	{"2024-03-15", false, "2024-03-01"},
	{"15/03/2024", false, "2024-03-01"},
	{"2024-03-15T10:00:00Z", false, "2024-03-01"},
	{"45366", true, "2024-03-01"}, // serial 45366 = 2024-03-15
	{"202413", false, ""},
	{"202413", true, ""}, // shaped but invalid: no serial fallback
	{"2024-00", false, ""},
	{"2024-13", false, ""},
	{"13/2024", false, ""},
	{"0/2024", false, ""},
	{"03/24", false, ""},
	{"2024.03", false, ""},
	{"2024", false, ""},
	{"2024-3-", false, ""},
	{"099912", false, ""},
	{"31/02/2024", false, ""},
	{"45366", false, ""},
	{"", false, ""},
}

func TestMonth(t *testing.T) {
	for _, c := range monthCases {
		got, ok := Month(c.in, c.serialOK)
		if c.want == "" {
			if ok {
				t.Errorf("Month(%q,%v) = %s; want failure", c.in, c.serialOK, got.Format(time.DateOnly))
			}
			continue
		}
		if !ok || got.Format(time.DateOnly) != c.want {
			t.Errorf("Month(%q,%v) = %v,%v; want %s", c.in, c.serialOK, got, ok, c.want)
		}
	}
}

type yearCase struct {
	in   string
	want int
	ok   bool
}

var yearCases = []yearCase{
	{"2023", 2023, true},
	{"2023.0", 2023, true},
	{"2023,0", 2023, true},
	{"2023.00", 2023, true},
	{" 2023 ", 2023, true},
	{"1000", 1000, true},
	{"9999", 9999, true},
	{"0999", 0, false},
	{"999", 0, false},
	{"20230", 0, false},
	{"2023.5", 0, false},
	{"2023.01", 0, false},
	{"2023.", 0, false},
	{"2023.0.0", 0, false},
	{"+2023", 0, false},
	{"2 023", 0, false},
	{"", 0, false},
	{"abcd", 0, false},
}

func TestYear(t *testing.T) {
	for _, c := range yearCases {
		got, ok := Year(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("Year(%q) = %v,%v; want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}
