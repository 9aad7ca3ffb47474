package catalog_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"coopimpact/ingest/demo"
)

// DMA scoring a second way, in plain Go from the CSV rows, following the
// words of indicators.md "DMA scoring" (not the SQL's data tables).

// dmwQ is one question as indicators.md's item table gives it.
type dmwQ struct {
	dim       string
	items     int
	itemMax   float64 // 1 for checklists, invest/plan and No/Partial/Yes; 5 for 0–5 scales
	exclusive string
}

var dmwQuestions = map[string]dmwQ{
	"Q15": {"D1", 10, 1, ""}, "Q16": {"D1", 10, 1, ""},
	"Q17": {"D2", 10, 1, ""}, "Q18": {"D2", 7, 5, ""},
	"Q19": {"D3", 7, 1, ""}, "Q20": {"D3", 8, 1, ""},
	"Q21": {"D4", 8, 1, "not_collected_digitally"}, "Q22": {"D4", 6, 1, ""},
	"Q23": {"D5", 5, 5, ""},
	"Q24": {"D6", 10, 1, ""}, "Q25": {"D6", 5, 1, ""},
}

var dmwDimQuestions = map[string][]string{"D1": {"Q15", "Q16"}, "D2": {"Q17", "Q18"}, "D3": {"Q19", "Q20"},
	"D4": {"Q21", "Q22"}, "D5": {"Q23"}, "D6": {"Q24", "Q25"}}

// The table above is the generator's questionnaire too (same item counts,
// dimensions and exclusive item), so demo answers score as the design says.
func TestDmwQuestionTableMatchesDemo(t *testing.T) {
	if len(demo.DMAQuestions) != len(dmwQuestions) {
		t.Fatalf("demo has %d questions, table %d", len(demo.DMAQuestions), len(dmwQuestions))
	}
	for _, q := range demo.DMAQuestions {
		w, ok := dmwQuestions[q.Code]
		max := 1.0
		if q.Answer == demo.DMAScale05 {
			max = 5
		}
		if !ok || w.dim != q.Dimension || w.items != len(q.Items) || w.exclusive != q.Exclusive || w.itemMax != max {
			t.Errorf("%s: demo %s %d items max %v exclusive %q; table %+v", q.Code, q.Dimension, len(q.Items), max, q.Exclusive, w)
		}
	}
}

// dmwWave is one cooperative's wave: its date and the Σ per question.
type dmwWave struct {
	date      time.Time
	sum       map[string]float64
	exclusive map[string]bool
}

// dmwReadDMA reads a dma_responses CSV (';', decimal comma allowed, dates
// YYYY-MM-DD or DD/MM/YYYY) into waves keyed "coop|wave".
func dmwReadDMA(t *testing.T, path string) map[string]*dmwWave {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[strings.TrimPrefix(h, "\ufeff")] = i
	}
	out := map[string]*dmwWave{}
	for _, rec := range recs[1:] {
		get := func(c string) string { return strings.TrimSpace(rec[idx[c]]) }
		d, err := time.Parse("2006-01-02", get("assessed_on"))
		if err != nil {
			d, err = time.Parse("02/01/2006", get("assessed_on"))
		}
		if err != nil {
			t.Fatalf("%s: date %q", path, get("assessed_on"))
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(get("value"), ",", "."), 64)
		if err != nil {
			t.Fatalf("%s: value %q", path, get("value"))
		}
		k := strings.ToUpper(get("coop_id")) + "|" + get("wave")
		w := out[k]
		if w == nil {
			w = &dmwWave{sum: map[string]float64{}, exclusive: map[string]bool{}}
			out[k] = w
		}
		if d.After(w.date) {
			w.date = d
		}
		q := strings.ToUpper(get("question_code"))
		w.sum[q] += v
		if ex := dmwQuestions[q].exclusive; ex != "" && strings.EqualFold(get("item_code"), ex) && v > 0 {
			w.exclusive[q] = true
		}
	}
	return out
}

// dmwScores scores one wave: questions 0–10 (absent when unanswered),
// dimensions 0–100 (absent unless every question is answered), overall
// (NaN unless every dimension is scored) and its band.
func dmwScores(w *dmwWave) (qs, dims map[string]float64, overall float64, band string) {
	qs, dims = map[string]float64{}, map[string]float64{}
	for code, q := range dmwQuestions {
		s, ok := w.sum[code]
		if !ok {
			continue
		}
		switch {
		case w.exclusive[code]:
			qs[code] = 0
		default:
			qs[code] = math.Min(10, 10*s/(q.itemMax*float64(q.items)))
		}
	}
	total := 0.0
	for d, codes := range dmwDimQuestions {
		a, okA := qs[codes[0]]
		if len(codes) == 1 {
			if okA {
				dims[d] = a * 10 // D5 = Q23 × 10
				total += dims[d]
			}
			continue
		}
		if b, okB := qs[codes[1]]; okA && okB {
			dims[d] = (a + b) * 5 // (Qa + Qb) × 5
			total += dims[d]
		}
	}
	if len(dims) != 6 {
		return qs, dims, math.NaN(), "NULL"
	}
	overall = total / 6
	switch r := math.Round(overall); {
	case r <= 25:
		band = "basic"
	case r <= 50:
		band = "average"
	case r <= 75:
		band = "moderately_advanced"
	default:
		band = "advanced"
	}
	return qs, dims, overall, band
}

// dmwCompareDMA checks m_dma_question, m_dma_dimension and m_dma_overall
// against the Go scoring of the same CSV, every row of every wave; it
// returns the Go overall scores by "coop|wave".
func dmwCompareDMA(t *testing.T, s *catSession, waves map[string]*dmwWave) map[string]float64 {
	t.Helper()
	num := func(x string) *float64 {
		if x == "NULL" {
			return nil
		}
		v, err := strconv.ParseFloat(x, 64)
		if err != nil {
			t.Fatalf("number %q", x)
		}
		return &v
	}
	opt := func(m map[string]float64, k string) *float64 {
		if v, ok := m[k]; ok && !math.IsNaN(v) {
			return &v
		}
		return nil
	}
	type scored struct {
		qs, dims map[string]float64
		overall  float64
		band     string
		year     int
	}
	want := map[string]scored{}
	overalls := map[string]float64{}
	for k, w := range waves {
		qs, dims, o, b := dmwScores(w)
		want[k] = scored{qs, dims, o, b, w.date.Year()}
		overalls[k] = o
	}
	rows := s.query(t, "SELECT coop_id, wave, question_code, score0_10, year FROM m_dma_question")
	if len(rows) != 11*len(waves) {
		t.Errorf("m_dma_question: %d rows, want %d", len(rows), 11*len(waves))
	}
	for _, r := range rows {
		w := want[r[0]+"|"+r[1]]
		if !sameFloat(num(r[3]), opt(w.qs, r[2])) || r[4] != fmt.Sprint(w.year) {
			t.Errorf("m_dma_question %v: Go %s year %d", r, fmtFloat(opt(w.qs, r[2])), w.year)
		}
	}
	rows = s.query(t, "SELECT coop_id, wave, dimension, score0_100 FROM m_dma_dimension")
	if len(rows) != 6*len(waves) {
		t.Errorf("m_dma_dimension: %d rows, want %d", len(rows), 6*len(waves))
	}
	for _, r := range rows {
		w := want[r[0]+"|"+r[1]]
		if !sameFloat(num(r[3]), opt(w.dims, r[2])) {
			t.Errorf("m_dma_dimension %v: Go %s", r, fmtFloat(opt(w.dims, r[2])))
		}
	}
	rows = s.query(t, "SELECT coop_id, wave, score0_100, coalesce(band, 'NULL'), year FROM m_dma_overall")
	if len(rows) != len(waves) {
		t.Errorf("m_dma_overall: %d rows, want %d", len(rows), len(waves))
	}
	for _, r := range rows {
		w := want[r[0]+"|"+r[1]]
		o := opt(map[string]float64{"o": w.overall}, "o")
		if !sameFloat(num(r[2]), o) || r[3] != w.band || r[4] != fmt.Sprint(w.year) {
			t.Errorf("m_dma_overall %v: Go %s %s %d", r, fmtFloat(o), w.band, w.year)
		}
	}
	return overalls
}

// The golden fixture's DMA, scored in Go, agrees with the SQL; and the Go
// scoring agrees with the hand values of the golden test.
func TestDmwDMARecomputedInGo(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears)
	waves := dmwReadDMA(t, filepath.Join(dmwGoldenDir, "dma_responses.csv"))
	if len(waves) != 5 {
		t.Fatalf("%d waves in the fixture, want 5", len(waves))
	}
	got := dmwCompareDMA(t, s, waves)
	for k, want := range map[string]float64{"DMWA|T0": dmwAT0, "DMWA|T1": dmwAT1, "DMWB|T0": dmwBT0, "DMWB|T1": dmwBT1} {
		if g := got[k]; !sameFloat(&g, &want) {
			t.Errorf("%s: Go overall %v, hand %v", k, g, want)
		}
	}
	if !math.IsNaN(got["DMWC|T0"]) {
		t.Errorf("DMWC|T0: Go overall %v, want none (Q25 unanswered)", got["DMWC|T0"])
	}
}

// A small demo network loaded through ingestion: every SQL of the five
// files runs with the contract's columns and mostly non-NULL values, the
// DMA views agree with the Go scoring of the generated CSV, and the
// cohort's DMA gain T0→T1 is visibly larger than the others'.
func TestDmwDemoNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a demo network")
	}
	dir := t.TempDir()
	opts := demo.Options{Coops: 15, YearFrom: 2021, YearTo: 2024, Seed: 5, CohortStart: 2023}
	man, err := demo.Generate(context.Background(), opts, filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	d := dmwOpen(t, dir)
	dmaPath := ""
	for _, f := range man.Files {
		d.load(t, f.Dataset, f.Path)
		if f.Dataset == "dma_responses" {
			dmaPath = f.Path
		}
	}
	years := []int{2021, 2022, 2023, 2024}
	s := dmwNewSession(t, d.db, years)

	// Rows expected per indicator: DMA values from the T0 year (2023) on,
	// progress only in the T1 year, retention from the second year.
	minRows := map[string]int{"DIG-01": 2, "DIG-02": 2, "MGT-05": 2, "DIG-04": 2, "DIG-03": 1, "DIG-05": 1, "CRT-02": 4}
	for _, ind := range dmwIndicators(t) {
		dmwCheckColumns(t, s, ind)
		rows := s.run(t, ind)
		nonNull, main := 0, 0
		var vals []float64
		for _, r := range rows {
			if r.Breakdown != "" {
				continue
			}
			main++
			if r.Value != nil {
				nonNull++
				vals = append(vals, *r.Value)
			}
		}
		sort.Float64s(vals)
		if len(vals) > 0 {
			t.Logf("%s: %d rows (%d main), %d main non-NULL; min %.4g median %.4g max %.4g", ind.ID, len(rows), main, nonNull,
				vals[0], vals[len(vals)/2], vals[len(vals)-1])
		}
		per, ok := minRows[ind.ID]
		if !ok {
			per = len(years)
		}
		want := opts.Coops * per
		if ind.Grain == "network" {
			want = per
		}
		if main < want*6/10 {
			t.Errorf("%s: %d main rows, want about %d", ind.ID, main, want)
		}
		minShare := 9
		if ind.ID == "WEL-08" {
			minShare = 7 // the first year has no previous one
		}
		if nonNull*10 < main*minShare {
			t.Errorf("%s: only %d of %d values non-NULL", ind.ID, nonNull, main)
		}
	}

	waves := dmwReadDMA(t, dmaPath)
	if len(waves) != 2*opts.Coops {
		t.Errorf("%d DMA waves, want %d", len(waves), 2*opts.Coops)
	}
	dmwCompareDMA(t, s, waves)

	cohort := map[string]bool{}
	for _, c := range man.Coops {
		cohort[c.ID] = c.Cohort != ""
	}
	var sum [2]float64
	var n [2]int
	for _, r := range s.run(t, dmwIndicatorByID(t, "DIG-03")) {
		if r.Year != 2024 || r.Value == nil {
			t.Errorf("DIG-03 %s %d: value %s (T1 is in 2024, every wave complete)", r.Coop, r.Year, fmtFloat(r.Value))
			continue
		}
		i := 0
		if cohort[r.Coop] {
			i = 1
		}
		sum[i] += *r.Value
		n[i]++
	}
	if n[0] == 0 || n[1] == 0 || n[0]+n[1] != opts.Coops {
		t.Fatalf("DIG-03: %d control and %d cohort values for %d cooperatives", n[0], n[1], opts.Coops)
	}
	control, treated := sum[0]/float64(n[0]), sum[1]/float64(n[1])
	t.Logf("DIG-03 mean gain: cohort %.2f (n %d), control %.2f (n %d)", treated, n[1], control, n[0])
	if treated <= control+8 {
		t.Errorf("DIG-03: cohort mean %.2f not above control mean %.2f + 8", treated, control)
	}
}
