package parse

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// checkInvariants holds for any input, valid UTF-8 or not.
func checkInvariants(t *testing.T, s string, serialOK bool) {
	_, textOK := Text(s)
	if v, ok := Dec(s); ok {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			t.Fatalf("Dec(%q) = %v", s, v)
		}
		back := strconv.FormatFloat(v, 'f', -1, 64)
		if w, ok2 := Dec(back); !ok2 || w != v {
			t.Fatalf("Dec(%q) = %v but Dec(%q) = %v,%v", s, v, back, w, ok2)
		}
		if p, ok2 := Percent(s); !ok2 || p != v {
			t.Fatalf("Dec(%q) = %v but Percent = %v,%v", s, v, p, ok2)
		}
	}
	if n, ok := Int(s); ok && (n > maxExactInt || n < -maxExactInt) {
		t.Fatalf("Int(%q) = %d out of range", s, n)
	}
	if d, ok := Date(s, serialOK); ok {
		if d.Year() < 1000 || d.Year() > 9999 || d.Location() != time.UTC {
			t.Fatalf("Date(%q) = %v", s, d)
		}
		iso := d.Format(time.DateOnly)
		if e, ok2 := Date(iso, false); !ok2 || !e.Equal(d) {
			t.Fatalf("Date(%q) = %s does not round-trip", s, iso)
		}
		if m, ok2 := Month(iso, false); !ok2 || m.Year() != d.Year() || m.Month() != d.Month() || m.Day() != 1 {
			t.Fatalf("Month(%q) = %v,%v", iso, m, ok2)
		}
	}
	if m, ok := Month(s, serialOK); ok && m.Day() != 1 {
		t.Fatalf("Month(%q) = %v", s, m)
	}
	if y, ok := Year(s); ok && (y < 1000 || y > 9999) {
		t.Fatalf("Year(%q) = %d", s, y)
	}
	if !textOK {
		_, a := Dec(s)
		_, b := Bool(s)
		_, c := Date(s, serialOK)
		_, d := Year(s)
		if a || b || c || d {
			t.Fatalf("blank %q parsed", s)
		}
	}
}

// fuzzBoth checks the Go invariants, then (when DuckDB can take the input)
// that every macro agrees with its Go reference.
func fuzzBoth(t *testing.T, s string, serialOK bool) {
	checkInvariants(t, s, serialOK)
	if !sqlComparable(s) {
		return
	}
	r := evalOne(t, s, serialOK)
	if diffs := compare(s, serialOK, r); len(diffs) > 0 {
		t.Fatalf("Go and SQL disagree: %v", diffs)
	}
}

func FuzzDec(f *testing.F) {
	for _, c := range decCases {
		f.Add(c.in)
	}
	for _, c := range pctCases {
		f.Add(c.in)
	}
	for _, c := range intCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzBoth(t, s, false) })
}

func FuzzDate(f *testing.F) {
	for _, c := range dateCases {
		f.Add(c.in, c.serialOK)
	}
	f.Fuzz(func(t *testing.T, s string, serialOK bool) { fuzzBoth(t, s, serialOK) })
}

func FuzzMonth(f *testing.F) {
	for _, c := range monthCases {
		f.Add(c.in, c.serialOK)
	}
	f.Fuzz(func(t *testing.T, s string, serialOK bool) { fuzzBoth(t, s, serialOK) })
}

func FuzzBool(f *testing.F) {
	for _, c := range boolCases {
		f.Add(c.in)
	}
	for _, c := range textCases {
		f.Add(c.in)
	}
	for _, c := range yearCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzBoth(t, s, false) })
}
