package i18n

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		v        float64
		decimals int
		it, en   string
	}{
		{0, 0, "0", "0"},
		{0, 2, "0,00", "0.00"},
		{math.Copysign(0, -1), 1, "0,0", "0.0"},
		{7, 0, "7", "7"},
		{123, 0, "123", "123"},
		{1234, 0, "1.234", "1,234"},
		{12, 1, "12,0", "12.0"},
		{1234567.891, 2, "1.234.567,89", "1,234,567.89"},
		{-1234567.891, 2, "-1.234.567,89", "-1,234,567.89"},
		{12345.678, 1, "12.345,7", "12,345.7"},
		{123456789012.345, 2, "123.456.789.012,35", "123,456,789,012.35"},
		{1e15, 0, "1.000.000.000.000.000", "1,000,000,000,000,000"},
		{1e21, 0, "1.000.000.000.000.000.000.000", "1,000,000,000,000,000,000,000"},
		// half away from zero
		{0.5, 0, "1", "1"},
		{-0.5, 0, "-1", "-1"},
		{1.5, 0, "2", "2"},
		{2.5, 0, "3", "3"},
		{-2.5, 0, "-3", "-3"},
		{3.5, 0, "4", "4"},
		{2.4999, 0, "2", "2"},
		{0.125, 2, "0,13", "0.13"},    // strconv's half-even would give 0.12
		{-0.125, 2, "-0,13", "-0.13"}, // symmetric
		{1.005, 2, "1,01", "1.01"},    // the binary value is 1.00499999…
		{2.675, 2, "2,68", "2.68"},
		{1.23456, 4, "1,2346", "1.2346"},
		{0.1 + 0.2, 2, "0,30", "0.30"},
		// carries through the integer part and across a group
		{9.999, 2, "10,00", "10.00"},
		{999.5, 0, "1.000", "1,000"},
		{-999.9, 0, "-1.000", "-1,000"},
		{999999.995, 2, "1.000.000,00", "1,000,000.00"},
		// rounding to zero drops the sign
		{-0.004, 2, "0,00", "0.00"},
		{-0.005, 2, "-0,01", "-0.01"},
		{-0.4, 0, "0", "0"},
		{5e-324, 2, "0,00", "0.00"},
		// padding and clamping
		{1.2, 5, "1,20000", "1.20000"},
		{1234.5, -1, "1.235", "1,235"},
		{1.5, 25, "1,50000000000000000000", "1.50000000000000000000"},
		// not a number
		{math.NaN(), 2, "—", "—"},
		{math.Inf(1), 0, "—", "—"},
		{math.Inf(-1), 0, "—", "—"},
	}
	for _, c := range cases {
		if got := FormatNumber(IT, c.v, c.decimals); got != c.it {
			t.Errorf("FormatNumber(IT, %v, %d) = %q, want %q", c.v, c.decimals, got, c.it)
		}
		if got := FormatNumber(EN, c.v, c.decimals); got != c.en {
			t.Errorf("FormatNumber(EN, %v, %d) = %q, want %q", c.v, c.decimals, got, c.en)
		}
	}
	if got := FormatNumber(Lang("de"), 1234.5, 1); got != "1.234,5" {
		t.Errorf("unknown language = %q, want the Italian form", got)
	}
}

func TestFormatPercent(t *testing.T) {
	cases := []struct {
		v        float64
		decimals int
		it, en   string
	}{
		{12.5, 1, "12,5\u00a0%", "12.5%"},
		{0, 0, "0\u00a0%", "0%"},
		{100, 0, "100\u00a0%", "100%"},
		{-3.25, 1, "-3,3\u00a0%", "-3.3%"},
		{45, 1, "45,0\u00a0%", "45.0%"},
		{1234.5, 1, "1.234,5\u00a0%", "1,234.5%"},
		{0.05, 1, "0,1\u00a0%", "0.1%"},
		{-0.04, 1, "0,0\u00a0%", "0.0%"},
		{math.NaN(), 1, "—", "—"},
	}
	for _, c := range cases {
		if got := FormatPercent(IT, c.v, c.decimals); got != c.it {
			t.Errorf("FormatPercent(IT, %v, %d) = %q, want %q", c.v, c.decimals, got, c.it)
		}
		if got := FormatPercent(EN, c.v, c.decimals); got != c.en {
			t.Errorf("FormatPercent(EN, %v, %d) = %q, want %q", c.v, c.decimals, got, c.en)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		v      float64
		it, en string
	}{
		{1234.56, "1.234,56\u00a0€", "€1,234.56"},
		{-1234.565, "-1.234,57\u00a0€", "-€1,234.57"},
		{0, "0,00\u00a0€", "€0.00"},
		{0.5, "0,50\u00a0€", "€0.50"},
		{-0.001, "0,00\u00a0€", "€0.00"},
		{0.005, "0,01\u00a0€", "€0.01"},
		{1e9, "1.000.000.000,00\u00a0€", "€1,000,000,000.00"},
		{2345678.9, "2.345.678,90\u00a0€", "€2,345,678.90"},
		{math.NaN(), "—", "—"},
		{math.Inf(-1), "—", "—"},
	}
	for _, c := range cases {
		if got := FormatMoney(IT, c.v); got != c.it {
			t.Errorf("FormatMoney(IT, %v) = %q, want %q", c.v, got, c.it)
		}
		if got := FormatMoney(EN, c.v); got != c.en {
			t.Errorf("FormatMoney(EN, %v) = %q, want %q", c.v, got, c.en)
		}
	}
}

func TestFormatDate(t *testing.T) {
	rome := time.FixedZone("CET", 3600) // a fixed zone: no tzdata needed
	cases := []struct {
		t                  time.Time
		itDate, enDate     string
		itDT, enDT         string
		itMonth, enMonthYr string
	}{
		{time.Date(2024, 12, 31, 14, 5, 59, 0, time.UTC),
			"31/12/2024", "31 Dec 2024", "31/12/2024 14:05", "31 Dec 2024 14:05", "dicembre 2024", "December 2024"},
		{time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC),
			"02/01/2025", "2 Jan 2025", "02/01/2025 03:04", "2 Jan 2025 03:04", "gennaio 2025", "January 2025"},
		{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
			"29/02/2024", "29 Feb 2024", "29/02/2024 00:00", "29 Feb 2024 00:00", "febbraio 2024", "February 2024"},
		// the caller's location decides the calendar day
		{time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC).In(rome),
			"01/01/2025", "1 Jan 2025", "01/01/2025 00:30", "1 Jan 2025 00:30", "gennaio 2025", "January 2025"},
		{time.Time{}, "—", "—", "—", "—", "—", "—"},
	}
	for _, c := range cases {
		for _, g := range []struct{ got, want string }{
			{FormatDate(IT, c.t), c.itDate},
			{FormatDate(EN, c.t), c.enDate},
			{FormatDateTime(IT, c.t), c.itDT},
			{FormatDateTime(EN, c.t), c.enDT},
			{FormatMonth(IT, c.t), c.itMonth},
			{FormatMonth(EN, c.t), c.enMonthYr},
		} {
			if g.got != g.want {
				t.Errorf("%v: got %q, want %q", c.t, g.got, g.want)
			}
		}
	}
}

func TestMonthNames(t *testing.T) {
	it := "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
	en := "January February March April May June July August September October November December"
	itShort := "gen feb mar apr mag giu lug ago set ott nov dic"
	enShort := "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"
	for i, want := range [][]string{strings.Fields(it), strings.Fields(en), strings.Fields(itShort), strings.Fields(enShort)} {
		for m := time.January; m <= time.December; m++ {
			var got string
			switch i {
			case 0:
				got = MonthName(IT, m)
			case 1:
				got = MonthName(EN, m)
			case 2:
				got = MonthShort(IT, m)
			case 3:
				got = MonthShort(EN, m)
			}
			if got != want[m-1] {
				t.Errorf("table %d month %d = %q, want %q", i, m, got, want[m-1])
			}
		}
	}
	if MonthName(IT, 0) != "0" || MonthName(EN, 13) != "13" || MonthShort(IT, -1) != "-1" {
		t.Error("an out-of-range month should give its number")
	}
}

// FuzzFormatNumber checks that the text reads back as v rounded to the
// decimals asked, with separators in the right places.
func FuzzFormatNumber(f *testing.F) {
	for _, v := range []float64{0, 1, -1, 0.5, 1.005, 999.5, 1234567.891, -0.004, 1e21, 5e-324} {
		f.Add(v, uint8(2))
	}
	f.Fuzz(func(t *testing.T, v float64, d uint8) {
		decimals := int(d % 7)
		for _, lang := range All() {
			s := FormatNumber(lang, v, decimals)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				if s != Missing {
					t.Fatalf("%v gave %q", v, s)
				}
				continue
			}
			sep := seps(lang)
			ip, fp, hasDec := strings.Cut(strings.TrimPrefix(s, "-"), string(sep.decimal))
			if hasDec != (decimals > 0) || len(fp) != decimals {
				t.Fatalf("%v, %d decimals: %q", v, decimals, s)
			}
			groups := strings.Split(ip, string(sep.group))
			for i, g := range groups {
				if g == "" || len(g) > 3 || (i > 0 && len(g) != 3) {
					t.Fatalf("%v: bad grouping in %q", v, s)
				}
			}
			plain := strings.ReplaceAll(strings.ReplaceAll(s, string(sep.group), ""), string(sep.decimal), ".")
			back, err := strconv.ParseFloat(plain, 64)
			if err != nil {
				t.Fatalf("%v: %q does not read back: %v", v, s, err)
			}
			tol := 0.5*math.Pow(10, -float64(decimals)) + math.Abs(v)*1e-15
			if math.Abs(back-v) > tol {
				t.Fatalf("%v, %d decimals: %q reads back as %v", v, decimals, s, back)
			}
			if strings.HasPrefix(s, "-") != (v < 0 && back != 0) {
				t.Fatalf("%v: sign of %q", v, s)
			}
		}
	})
}
