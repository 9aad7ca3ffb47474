package demo

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"coopimpact/internal/testsupport"
)

func TestFormatters(t *testing.T) {
	money_ := []struct {
		in   float64
		want string
	}{
		{1234567.891, "1.234.567,89"},
		{-1234.5, "-1.234,50"},
		{0, "0,00"},
		{999.999, "1.000,00"},
		{100, "100,00"},
		{12345.6, "12.345,60"},
	}
	for _, c := range money_ {
		if got := money(c.in); got != c.want {
			t.Errorf("money(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	dec := []struct {
		in         float64
		two, short string
	}{
		{112.5, "112,50", "112,5"},
		{0.5, "0,50", "0,5"},
		{3, "3,00", "3"},
		{17.46, "17,46", "17,5"},
		{-2.25, "-2,25", "-2,3"},
	}
	for _, c := range dec {
		if got := dec2(c.in); got != c.two {
			t.Errorf("dec2(%v) = %q, want %q", c.in, got, c.two)
		}
		if got := decShort(c.in); got != c.short {
			t.Errorf("decShort(%v) = %q, want %q", c.in, got, c.short)
		}
	}
	if got := itDate(mkDay(2024, 2, 29)); got != "29/02/2024" {
		t.Errorf("itDate = %q", got)
	}
	if got := itDate(noEnd); got != "" {
		t.Errorf("itDate(noEnd) = %q", got)
	}
	if got := itMonth(2023, 3); got != "03/2023" {
		t.Errorf("itMonth = %q", got)
	}
	// Day numbers: 1970-01-01 is 0, 2000-03-01 is 11017 (hand count: 30 years
	// of 365 days + 7 leap days + 31 + 29).
	if mkDay(1970, 1, 1) != 0 || mkDay(2000, 3, 1) != 11017 {
		t.Errorf("mkDay: %d %d", mkDay(1970, 1, 1), mkDay(2000, 3, 1))
	}
	if daysIn(2024, 2) != 29 || daysIn(2023, 2) != 28 || daysIn(2023, 12) != 31 {
		t.Error("daysIn")
	}
	// Excel serial of 1 January 2024 is 45292.
	if excelDate(mkDay(2024, 1, 1)) != 45292 {
		t.Errorf("excelDate = %v", excelDate(mkDay(2024, 1, 1)))
	}
}

func TestCSVQuoting(t *testing.T) {
	var b bytes.Buffer
	c := newCSVWriter(&b, csvStyle{crlf: true})
	c.header("a", "b")
	c.row(`x;y`, `he said "hi"`)
	c.row("plain", "")
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	want := "a;b\r\n\"x;y\";\"he said \"\"hi\"\"\"\r\nplain;\r\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if c.rows != 2 {
		t.Errorf("rows = %d", c.rows)
	}
	// The Windows-1252 writer refuses characters it cannot encode.
	var w bytes.Buffer
	e := newCSVWriter(&w, csvStyle{cp1252: true})
	e.row("città", "€")
	e.row("ok", "漢")
	if err := e.close(); err == nil {
		t.Error("no error for a character outside Windows-1252")
	}
}

func TestCodiceFiscaleCheck(t *testing.T) {
	// The textbook example RSSMRA80A01H501U (its check character is U).
	if got := cfCheck("RSSMRA80A01H501"); got != 'U' {
		t.Errorf("check of RSSMRA80A01H501 = %c, want U", got)
	}
	r := newRNG(1, 42)
	for i := 0; i < 200; i++ {
		cf := fakeCF(r, 1985, i%2 == 0, "H501")
		if !reCF.MatchString(cf) || cf[6:8] != "85" || cf[11:15] != "H501" || cfCheck(cf) != cf[15] {
			t.Fatalf("bad fake CF %q", cf)
		}
		if dd, _ := strconv.Atoi(cf[9:11]); (dd > 40) != (i%2 == 0) {
			t.Fatalf("%q: day %d and sex do not agree", cf, dd)
		}
	}
}

func TestPartitaIVACheck(t *testing.T) {
	// Hand-worked: 0123456789 → odd positions 0+2+4+6+8 = 20; even positions
	// doubled 2,6,1(10),5(14),9(18) = 23; 43 → check (10−3) mod 10 = 7.
	if got := pivaCheck("0123456789"); got != '7' {
		t.Errorf("check = %c, want 7", got)
	}
	r := newRNG(3)
	for i := 0; i < 200; i++ {
		p := fakePIVA(r)
		if len(p) != 11 || strings.Trim(p, "0123456789") != "" || pivaCheck(p) != p[10] || p[:7] == "0000000" {
			t.Fatalf("bad partita IVA %q", p)
		}
	}
}

func TestDMAScoring(t *testing.T) {
	all := func(v float64, q21Exclusive bool) map[string][]float64 {
		a := map[string][]float64{}
		for _, q := range DMAQuestions {
			x := make([]float64, len(q.Items))
			for i := range x {
				switch q.Answer {
				case DMAScale05:
					x[i] = 5 * v
				default:
					x[i] = v
				}
			}
			if q.Exclusive != "" {
				x[indexOf(q.Items, q.Exclusive)] = map[bool]float64{true: 1, false: 0}[q21Exclusive]
			}
			a[q.Code] = x
		}
		return a
	}
	// Everything answered at the top, Q21's exclusive item off: Q21 = 7/8×10
	// = 8.75, D4 = (8.75+10)×5 = 93.75, overall = (5×100 + 93.75)/6.
	got, dims := dmaScore(all(1, false))
	if math.Abs(got-593.75/6) > 1e-9 || dims["D4"] != 93.75 || dims["D5"] != 100 {
		t.Errorf("top score %v %v, want %v", got, dims, 593.75/6)
	}
	// The exclusive item forces Q21 to 0: D4 = (0+10)×5 = 50.
	if got, dims = dmaScore(all(1, true)); math.Abs(got-550.0/6) > 1e-9 || dims["D4"] != 50 {
		t.Errorf("exclusive score %v %v, want %v", got, dims, 550.0/6)
	}
	if got, _ = dmaScore(all(0, false)); got != 0 {
		t.Errorf("empty score %v", got)
	}
	// The test's own scorer agrees with the package's on generated answers.
	r := newRNG(5)
	for i := 0; i < 50; i++ {
		ans := dmaAnswers(r.between(0, 100), dmaThresholds(r))
		m := map[string]map[string]float64{}
		for _, q := range DMAQuestions {
			m[q.Code] = map[string]float64{}
			for j, item := range q.Items {
				m[q.Code][item] = ans[q.Code][j]
			}
		}
		if a, _ := dmaScore(ans); math.Abs(a-scoreDMA(m)) > 1e-9 {
			t.Fatalf("scores disagree: %v vs %v", a, scoreDMA(m))
		}
	}
}

// A higher maturity never withdraws an answer (so T1 ⊇ T0), except the
// exclusive "not collected digitally" item, which can only switch off.
func TestDMAAnswersMonotone(t *testing.T) {
	r := newRNG(9)
	for i := 0; i < 300; i++ {
		u := dmaThresholds(r)
		m0 := r.between(0, 80)
		a0, a1 := dmaAnswers(m0, u), dmaAnswers(m0+r.between(0, 25), u)
		for _, q := range DMAQuestions {
			for j, item := range q.Items {
				if item == q.Exclusive {
					if a1[q.Code][j] > a0[q.Code][j] {
						t.Fatalf("%s %s switched on", q.Code, item)
					}
					continue
				}
				if a1[q.Code][j] < a0[q.Code][j] {
					t.Fatalf("%s %s fell from %v to %v", q.Code, item, a0[q.Code][j], a1[q.Code][j])
				}
			}
		}
	}
}

func TestApportion(t *testing.T) {
	cases := []struct {
		w    []float64
		n    int
		want []int
	}{
		{coopTypeShares, 120, []int{54, 42, 10, 6, 5, 3}},
		{coopTypeShares, 20, []int{9, 7, 2, 1, 1, 0}},
		{[]float64{1, 1, 1}, 4, []int{2, 1, 1}},
	}
	for _, c := range cases {
		got := apportion(c.w, c.n)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("apportion(%v, %d) = %v, want %v", c.w, c.n, got, c.want)
				break
			}
		}
	}
}

func TestHoursCSV(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := HoursCSV(&a, 1000, 3); err != nil {
		t.Fatal(err)
	}
	if err := HoursCSV(&b, 1000, 3); err != nil {
		t.Fatal(err)
	}
	if err := HoursCSV(&c, 1000, 4); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("HoursCSV is not a function of (rows, seed)")
	}
	r := csv.NewReader(bytes.NewReader(a.Bytes()))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ";") != strings.Join(hdrHours, ";") || len(recs) != 1001 {
		t.Fatalf("header %v, %d records", recs[0], len(recs))
	}
	for _, rec := range recs[1:] {
		if !reCF.MatchString(rec[1]) || !reMonth.MatchString(rec[2]) || !contains(activityOrder, rec[3]) {
			t.Fatalf("bad row %v", rec)
		}
		if h := num(t, rec[4]); h <= 0 || h > 400 {
			t.Fatalf("hours %v", h)
		}
	}
	var z bytes.Buffer
	if err := HoursCSV(&z, 0, 1); err != nil || z.String() != strings.Join(hdrHours, ";")+"\n" {
		t.Errorf("zero rows: %q %v", z.String(), err)
	}
}

// The embedded municipality list is the shared ISTAT file, column for column.
func TestEmbeddedComuniMatchISTAT(t *testing.T) {
	shared := testsupport.SharedPath(t)
	raw, err := os.ReadFile(filepath.Join(shared, "data", "istat", "istat_elenco_comuni.csv"))
	if err != nil {
		t.Skip("ISTAT list not available:", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	g, err := loadGeography()
	if err != nil {
		t.Fatal(err)
	}
	if len(g.all) != len(recs)-1 {
		t.Fatalf("%d embedded comuni, ISTAT file has %d", len(g.all), len(recs)-1)
	}
	for i, rec := range recs[1:] {
		c := g.all[i]
		if c.code != rec[0] || c.belfiore != rec[2] || c.region != rec[3] || c.sigla != rec[5] || strconv.Itoa(c.pop) != rec[7] {
			t.Fatalf("row %d: embedded %+v, ISTAT %v", i+2, *c, rec)
		}
	}
	for _, ri := range g.regions {
		if len(ri.comuni) == 0 {
			t.Errorf("region %s has no municipality", ri.name)
		}
	}
}

func FuzzParseComuni(f *testing.F) {
	f.Add("codice_istat,codice_catastale,regione,provincia,sigla_provincia,popolazione_residente\n001001,A074,Piemonte,Torino,TO,2585\n")
	f.Add("h\n1,2,3\n")
	f.Add("h,h,h,h,h,h\n001001,A074,Atlantide,X,XX,1\n")
	f.Add("\"")
	f.Fuzz(func(t *testing.T, text string) {
		g, err := parseComuni(text)
		if err == nil {
			// Without error every one of the 20 regions has a municipality.
			for _, ri := range g.regions {
				if len(ri.comuni) == 0 {
					t.Fatalf("region %s empty without error", ri.name)
				}
			}
		}
	})
}

// money writes exactly the cents of its input, in the Italian layout.
func FuzzMoney(f *testing.F) {
	f.Add(1234567.891)
	f.Add(-0.004)
	f.Add(999.995)
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.Abs(v) > 1e12 {
			return
		}
		s := money(v)
		back, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", "."), 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if math.Abs(back*100-math.Round(v*100)) > 0.5 {
			t.Fatalf("money(%v) = %q", v, s)
		}
		whole := strings.TrimPrefix(strings.Split(s, ",")[0], "-")
		for i, grp := range strings.Split(whole, ".") {
			if (i > 0 && len(grp) != 3) || len(grp) == 0 || len(grp) > 3 {
				t.Fatalf("bad grouping %q", s)
			}
		}
	})
}

// Day numbers round-trip through the civil calendar.
func FuzzDayRoundTrip(f *testing.F) {
	f.Add(int32(0))
	f.Add(int32(11017))
	f.Add(int32(-719468))
	f.Fuzz(func(t *testing.T, n int32) {
		if n < -1_000_000 || n > 1_000_000 {
			return
		}
		d := day(n)
		y, m, dd := d.ymd()
		if m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) || mkDay(y, m, dd) != d {
			t.Fatalf("%d → %d-%d-%d → %d", n, y, m, dd, mkDay(y, m, dd))
		}
	})
}
