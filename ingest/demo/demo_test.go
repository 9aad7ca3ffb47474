package demo

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

func hashFiles(t *testing.T, m *Manifest) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, f := range m.Files {
		fh, err := os.Open(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, fh); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		var sum [32]byte
		copy(sum[:], h.Sum(nil))
		out[f.Dataset] = sum
	}
	return out
}

func TestDeterministic(t *testing.T) {
	_, m1 := small(t)
	dir2 := t.TempDir()
	m2, err := Generate(context.Background(), smallOpts, dir2)
	if err != nil {
		t.Fatal(err)
	}
	h1, h2 := hashFiles(t, m1), hashFiles(t, m2)
	for ds, h := range h1 {
		if h2[ds] != h {
			t.Errorf("%s differs between two runs with the same options", ds)
		}
	}
	other := smallOpts
	other.Seed = 8
	m3, err := Generate(context.Background(), other, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if hashFiles(t, m3)["hours"] == h1["hours"] {
		t.Error("a different seed produced the same hours file")
	}
}

func TestManifestOrderAndRowCounts(t *testing.T) {
	_, m := small(t)
	want := []string{"cooperatives", "workers", "hours", "finance", "revenue_sources", "beneficiaries", "services",
		"processes", "certifications", "trainings", "skills_assessments", "dma_responses", "surveys",
		"governance_meetings", "targets"}
	if len(m.Files) != len(want) {
		t.Fatalf("%d files, want %d", len(m.Files), len(want))
	}
	for i, f := range m.Files {
		if f.Dataset != want[i] {
			t.Errorf("file %d is %s, want %s", i, f.Dataset, want[i])
		}
		tb := readTable(t, f)
		if len(tb.rows) != f.Rows {
			t.Errorf("%s: manifest says %d rows, file has %d", f.Dataset, f.Rows, len(tb.rows))
		}
		if f.Rows == 0 {
			t.Errorf("%s: empty", f.Dataset)
		}
	}
	if got := fileOf(t, m, "cooperatives").Rows; got != smallOpts.Coops || len(m.Coops) != smallOpts.Coops {
		t.Errorf("cooperatives: %d rows, %d in manifest, want %d", got, len(m.Coops), smallOpts.Coops)
	}
	// DMA: every cooperative answers every item of both waves (86 items).
	if got := fileOf(t, m, "dma_responses").Rows; got != smallOpts.Coops*2*86 {
		t.Errorf("dma_responses: %d rows, want %d", got, smallOpts.Coops*2*86)
	}
	// Finance: one row per cooperative and year.
	if got := fileOf(t, m, "finance").Rows; got != smallOpts.Coops*3 {
		t.Errorf("finance: %d rows, want %d", got, smallOpts.Coops*3)
	}
}

// Headers use the contract's Italian aliases where it gives them.
func TestHeaders(t *testing.T) {
	_, m := small(t)
	cases := map[string][]string{
		"cooperatives": {"codice_fiscale", "denominazione", "tipologia", "regione", "provincia", "codice_comune", "anno_costituzione", "coorte"},
		"hours":        {"coop_id", "person_id", "mese", "attivita", "ore"},
	}
	for ds, want := range cases {
		got := readTable(t, fileOf(t, m, ds)).header
		if strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("%s header %v, want %v", ds, got, want)
		}
	}
	fin := readTable(t, fileOf(t, m, "finance")).header
	for _, h := range []string{"valore_produzione", "costi_produzione", "costo_personale", "disponibilità_liquide"} {
		if !contains(fin, h) {
			t.Errorf("finance header lacks %q", h)
		}
	}
	wk := readTable(t, fileOf(t, m, "workers"))
	for _, h := range []string{"codice_fiscale", "tipo_contratto", "data_assunzione", "socio", "ral", "svantaggiato"} {
		if !contains(wk.header, h) {
			t.Errorf("workers header lacks %q", h)
		}
	}
	ci := wk.col(t, "tipo_contratto")
	seen := map[string]bool{}
	for _, r := range wk.rows {
		seen[r[ci]] = true
	}
	for v := range seen {
		if !contains([]string{"indeterminato", "determinato", "collaborazione", "tirocinio", "other"}, v) {
			t.Errorf("unexpected contract value %q", v)
		}
	}
	if !seen["indeterminato"] || !seen["determinato"] {
		t.Error("contract types should use the Italian synonyms")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestEncodings(t *testing.T) {
	_, m := small(t)
	for _, f := range m.Files {
		if f.Format != "csv" {
			continue
		}
		raw, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		bom := strings.HasPrefix(string(raw), "\ufeff")
		switch f.Dataset {
		case "workers", "finance":
			if utf8.Valid(raw) {
				t.Errorf("%s should be Windows-1252, not valid UTF-8", f.Dataset)
			}
		default:
			if !utf8.Valid(raw) {
				t.Errorf("%s is not valid UTF-8", f.Dataset)
			}
			if bom != (f.Dataset == "beneficiaries") {
				t.Errorf("%s: BOM present = %v", f.Dataset, bom)
			}
		}
	}
	// Windows-1252 decodes to the accented header and to "sì".
	fin := readTable(t, fileOf(t, m, "finance"))
	if fin.header[18] != "disponibilità_liquide" {
		t.Errorf("decoded finance header[18] = %q", fin.header[18])
	}
	raw, _ := os.ReadFile(fileOf(t, m, "finance").Path)
	if !strings.Contains(string(raw), "disponibilit\xe0_liquide") {
		t.Error("finance header is not encoded as Windows-1252 0xE0")
	}
	wk := readTable(t, fileOf(t, m, "workers"))
	socio, yes := wk.col(t, "socio"), 0
	for _, r := range wk.rows {
		if r[socio] != "sì" && r[socio] != "no" {
			t.Fatalf("socio = %q", r[socio])
		}
		if r[socio] == "sì" {
			yes++
		}
	}
	if yes == 0 {
		t.Error("no worker-member decoded as sì")
	}
}

var (
	reCF    = regexp.MustCompile(`^[A-Z]{6}[0-9]{2}[ABCDEHLMPRST][0-9]{2}[A-Z][0-9]{3}[A-Z]$`)
	reDate  = regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`)
	reMonth = regexp.MustCompile(`^\d{2}/\d{4}$`)
)

// Common Italian first names and surnames: none may appear in any cell.
var peopleNames = strings.Fields(`mario giuseppe giovanni antonio francesco luca marco andrea paolo roberto
	stefano alessandro maria anna giulia francesca laura sara chiara elena paola rosa lucia angela
	rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa
	giordano mancini rizzo lombardi moretti`)

func TestNoPersonalNames(t *testing.T) {
	_, m := small(t)
	bad := map[string]bool{}
	for _, n := range peopleNames {
		bad[n] = true
	}
	for _, f := range m.Files {
		tb := readTable(t, f)
		for _, h := range tb.header {
			switch strings.ToLower(h) {
			case "nome", "cognome", "name", "surname", "nominativo":
				t.Errorf("%s has a name-like column %q", f.Dataset, h)
			}
		}
		for _, r := range tb.rows {
			for _, cell := range r {
				for _, tok := range strings.FieldsFunc(strings.ToLower(cell), func(r rune) bool { return !unicode.IsLetter(r) }) {
					if bad[tok] {
						t.Errorf("%s: name-like value %q in %q", f.Dataset, tok, cell)
					}
				}
			}
		}
	}
	// Person identifiers are well-formed codici fiscali with a correct check
	// character, and the workers' ones encode birth year and sex.
	wk := readTable(t, fileOf(t, m, "workers"))
	pc, gc, bc := wk.col(t, "codice_fiscale"), wk.col(t, "sesso"), wk.col(t, "anno_nascita")
	for _, r := range wk.rows {
		cf := r[pc]
		if !reCF.MatchString(cf) || cfCheck(cf) != cf[15] {
			t.Fatalf("bad codice fiscale %q", cf)
		}
		by, _ := strconv.Atoi(r[bc])
		if yy, _ := strconv.Atoi(cf[6:8]); yy != by%100 {
			t.Errorf("%s: year %02d vs birth year %d", cf, yy, by)
		}
		dd, _ := strconv.Atoi(cf[9:11])
		if r[gc] != "X" && (dd > 40) != (r[gc] == "F") {
			t.Errorf("%s: day %d does not match sex %s", cf, dd, r[gc])
		}
	}
	for _, ds := range []string{"hours", "trainings", "skills_assessments"} {
		tb := readTable(t, fileOf(t, m, ds))
		c := tb.col(t, "person_id")
		for _, r := range tb.rows {
			if !reCF.MatchString(r[c]) {
				t.Fatalf("%s: bad person_id %q", ds, r[c])
			}
		}
	}
	bn := readTable(t, fileOf(t, m, "beneficiaries"))
	for _, r := range bn.rows {
		if !reCF.MatchString(r[1]) || cfCheck(r[1]) != r[1][15] {
			t.Fatalf("bad beneficiary_id %q", r[1])
		}
	}
}

func TestCoopIDs(t *testing.T) {
	_, m := small(t)
	ids := map[string]bool{}
	for _, c := range m.Coops {
		if len(c.ID) != 11 || strings.Trim(c.ID, "0123456789") != "" || pivaCheck(c.ID) != c.ID[10] {
			t.Errorf("bad coop id %q", c.ID)
		}
		if ids[c.ID] {
			t.Errorf("duplicate coop id %s", c.ID)
		}
		ids[c.ID] = true
	}
	reg := readTable(t, fileOf(t, m, "cooperatives"))
	for i, r := range reg.rows {
		if r[0] != m.Coops[i].ID || r[2] != m.Coops[i].Type || r[3] != m.Coops[i].Region {
			t.Errorf("registry row %d %v does not match manifest %+v", i, r[:4], m.Coops[i])
		}
		if len(r[5]) != 6 {
			t.Errorf("municipality code %q", r[5])
		}
	}
	// Every other file names only registered cooperatives (targets may be network-wide).
	for _, f := range m.Files[1:] {
		tb := readTable(t, f)
		c := tb.col(t, "coop_id")
		for _, r := range tb.rows {
			if !ids[r[c]] && !(f.Dataset == "targets" && r[c] == "") {
				t.Fatalf("%s names unknown cooperative %q", f.Dataset, r[c])
			}
		}
	}
}

// Italian value formats: dates DD/MM/YYYY, hours months MM/YYYY, money with
// thousands dots and a decimal comma; certification dates are Excel dates.
func TestValueFormats(t *testing.T) {
	_, m := small(t)
	wk := readTable(t, fileOf(t, m, "workers"))
	sc, ec, rc := wk.col(t, "data_assunzione"), wk.col(t, "data_cessazione"), wk.col(t, "ral")
	reMoney := regexp.MustCompile(`^-?\d{1,3}(\.\d{3})*,\d{2}$`)
	for _, r := range wk.rows {
		if !reDate.MatchString(r[sc]) || (r[ec] != "" && !reDate.MatchString(r[ec])) {
			t.Fatalf("dates %q %q", r[sc], r[ec])
		}
		if !reMoney.MatchString(r[rc]) {
			t.Fatalf("ral %q", r[rc])
		}
		if p := num(t, r[rc]); p < 20000 || p > 60000 {
			t.Errorf("pay %v outside 20k–60k", p)
		}
	}
	hr := readTable(t, fileOf(t, m, "hours"))
	for _, r := range hr.rows {
		if !reMonth.MatchString(r[2]) {
			t.Fatalf("month %q", r[2])
		}
		if h := num(t, r[4]); h <= 0 || h > 400 {
			t.Fatalf("hours %v", h)
		}
	}
	x, err := excelize.OpenFile(fileOf(t, m, "certifications").Path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	title, _ := x.GetCellValue(sheet, "A1")
	if !strings.HasPrefix(title, "Certificazioni") {
		t.Errorf("title row %q", title)
	}
	shown, _ := x.GetCellValue(sheet, "E3")
	rawV, _ := x.GetCellValue(sheet, "E3", excelize.Options{RawCellValue: true})
	serial, err := strconv.ParseFloat(rawV, 64)
	if !reDate.MatchString(shown) || err != nil || serial < 36526 { // 1 Jan 2000
		t.Errorf("issue date shown %q, stored %q: want an Excel date", shown, rawV)
	}
}

// Programme: cohort cooperatives improve much more than the others.
func TestCohortReallyDiffers(t *testing.T) {
	_, m := small(t)
	cohort := map[string]bool{}
	for _, c := range m.Coops {
		cohort[c.ID] = c.Cohort != ""
	}
	nCohort := 0
	for _, v := range cohort {
		if v {
			nCohort++
		}
	}
	if nCohort != 8 { // 40 % of 20, stratified by type
		t.Errorf("%d cohort cooperatives, want 8", nCohort)
	}
	base, last := strconv.Itoa(smallOpts.CohortStart-1), strconv.Itoa(smallOpts.YearTo)

	// TIM-01 admin-hours share, baseline year → last year.
	hr := readTable(t, fileOf(t, m, "hours"))
	adm, tot := map[[2]string]float64{}, map[[2]string]float64{}
	for _, r := range hr.rows {
		k := [2]string{r[0], r[2][3:]}
		h := num(t, r[4])
		tot[k] += h
		if strings.HasPrefix(r[3], "admin_") {
			adm[k] += h
		}
	}
	change := func(get func(id string) (float64, float64, bool)) (co, ct float64) {
		var a, b []float64
		for id, in := range cohort {
			x0, x1, ok := get(id)
			if !ok {
				continue
			}
			if in {
				a = append(a, x1-x0)
			} else {
				b = append(b, x1-x0)
			}
		}
		return mean(a), mean(b)
	}
	co, ct := change(func(id string) (float64, float64, bool) {
		k0, k1 := [2]string{id, base}, [2]string{id, last}
		if tot[k0] == 0 || tot[k1] == 0 {
			return 0, 0, false
		}
		return 100 * adm[k0] / tot[k0], 100 * adm[k1] / tot[k1], true
	})
	t.Logf("admin share change: cohort %.2f, others %.2f points", co, ct)
	if co > -4 || math.Abs(ct) > 1.5 || ct-co < 3.5 {
		t.Errorf("admin share change cohort %.2f vs others %.2f: want about −%v vs 0", co, ct, (CohortAdminShareDropMin+CohortAdminShareDropMax)/2)
	}

	// DIG-03 DMA progress, scored from the rows by the indicators.md rules.
	dm := readTable(t, fileOf(t, m, "dma_responses"))
	answers := map[[2]string]map[string]map[string]float64{}
	for _, r := range dm.rows {
		k := [2]string{r[0], r[1]}
		if answers[k] == nil {
			answers[k] = map[string]map[string]float64{}
		}
		if answers[k][r[3]] == nil {
			answers[k][r[3]] = map[string]float64{}
		}
		answers[k][r[3]][r[4]] = num(t, r[5])
	}
	co, ct = change(func(id string) (float64, float64, bool) {
		return scoreDMA(answers[[2]string{id, "T0"}]), scoreDMA(answers[[2]string{id, "T1"}]), true
	})
	t.Logf("DMA change: cohort %.2f, others %.2f points", co, ct)
	if co < 12 || co > 26 || ct < 0 || ct > 5 {
		t.Errorf("DMA change cohort %.2f (want 15–25), others %.2f (want 0–5)", co, ct)
	}

	// DIG-05 DigComp level gain over (person, competence) pairs in both waves.
	sk := readTable(t, fileOf(t, m, "skills_assessments"))
	lv := map[[4]string]float64{}
	for _, r := range sk.rows {
		lv[[4]string{r[0], r[1], r[2], r[4]}] = num(t, r[3])
	}
	var gc, gn []float64
	for k, v0 := range lv {
		if k[3] != "T0" {
			continue
		}
		if v1, ok := lv[[4]string{k[0], k[1], k[2], "T1"}]; ok {
			if cohort[k[0]] {
				gc = append(gc, v1-v0)
			} else {
				gn = append(gn, v1-v0)
			}
		}
	}
	t.Logf("DigComp gain: cohort %.2f, others %.2f levels", mean(gc), mean(gn))
	if mean(gc)-mean(gn) < 0.5 || mean(gn) > 0.4 {
		t.Errorf("DigComp gain cohort %.2f vs others %.2f", mean(gc), mean(gn))
	}

	// MGT-01 process digitalisation rises faster in the cohort.
	pr := readTable(t, fileOf(t, m, "processes"))
	lvl := map[[2]string][]float64{}
	for _, r := range pr.rows {
		k := [2]string{r[0], r[2][6:]}
		lvl[k] = append(lvl[k], 100*num(t, r[4])/3)
	}
	co, ct = change(func(id string) (float64, float64, bool) {
		return mean(lvl[[2]string{id, base}]), mean(lvl[[2]string{id, last}]), true
	})
	t.Logf("MGT-01 change: cohort %.2f, others %.2f", co, ct)
	if co-ct < 10 {
		t.Errorf("process digitalisation change cohort %.2f vs others %.2f", co, ct)
	}

	// ECO-01, the programme-neutral indicator: difference in differences near 0.
	fin := readTable(t, fileOf(t, m, "finance"))
	margin := map[[2]string]float64{}
	for _, r := range fin.rows {
		v := num(t, r[2])
		margin[[2]string{r[0], r[1]}] = 100 * (v - num(t, r[7])) / v
	}
	co, ct = change(func(id string) (float64, float64, bool) {
		return margin[[2]string{id, base}], margin[[2]string{id, last}], true
	})
	t.Logf("ECO-01 change: cohort %.2f, others %.2f points", co, ct)
	if math.Abs(co-ct) > 2.5 || ProgrammeNeutralIndicator != "ECO-01" {
		t.Errorf("operating margin DiD %.2f: the neutral indicator should not move", co-ct)
	}
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// scoreDMA is an independent transcription of the indicators.md scoring.
func scoreDMA(a map[string]map[string]float64) float64 {
	q := func(code string, scale bool) float64 {
		s, n := 0.0, 0.0
		for _, v := range a[code] {
			s += v
			n++
		}
		if scale {
			return 10 * s / (5 * n)
		}
		return 10 * s / n
	}
	q21 := q("Q21", false)
	if a["Q21"]["not_collected_digitally"] == 1 {
		q21 = 0
	}
	d := []float64{
		(q("Q15", false) + q("Q16", false)) * 5,
		(q("Q17", false) + q("Q18", true)) * 5,
		(q("Q19", false) + q("Q20", false)) * 5,
		(q21 + q("Q22", false)) * 5,
		q("Q23", true) * 10,
		(q("Q24", false) + q("Q25", false)) * 5,
	}
	return mean(d)
}

// L. 381/1991: type B cooperatives employ 30 % or more disadvantaged workers,
// with a few deliberately below the threshold.
func TestDisadvantagedShares(t *testing.T) {
	_, m := small(t)
	typ := map[string]string{}
	for _, c := range m.Coops {
		typ[c.ID] = c.Type
	}
	wk := readTable(t, fileOf(t, m, "workers"))
	sc, ec, dc, kc := wk.col(t, "data_assunzione"), wk.col(t, "data_cessazione"), wk.col(t, "svantaggiato"), wk.col(t, "categoria_svantaggio")
	ref := mkDay(smallOpts.YearTo, 12, 31)
	hc, dis := map[string]int{}, map[string]int{}
	for _, r := range wk.rows {
		if (r[dc] == "sì") != (r[kc] != "") {
			t.Errorf("disadvantaged %q with category %q", r[dc], r[kc])
		}
		if r[kc] != "" && !contains(disadvCats, r[kc]) {
			t.Errorf("category %q", r[kc])
		}
		if r[dc] == "sì" && typ[r[0]] != "B" && typ[r[0]] != "AB" {
			t.Errorf("disadvantaged worker in a type %s cooperative", typ[r[0]])
		}
		if parseIT(t, r[sc]) <= ref && (r[ec] == "" || parseIT(t, r[ec]) >= ref) {
			hc[r[0]]++
			if r[dc] == "sì" {
				dis[r[0]]++
			}
		}
	}
	var shares []float64
	below := 0
	for id, ty := range typ {
		if ty != "B" {
			continue
		}
		s := 100 * float64(dis[id]) / float64(hc[id])
		shares = append(shares, s)
		if s < 30 {
			below++
		}
	}
	sort.Float64s(shares)
	t.Logf("type B disadvantaged shares on 31 Dec: %.0f", shares)
	if below == 0 || below > len(shares)/2 {
		t.Errorf("%d of %d B cooperatives below 30 %%: want a few", below, len(shares))
	}
	if med := shares[len(shares)/2]; med < 30 || med > 50 {
		t.Errorf("median B share %.1f %%, want 35–45 %%", med)
	}
}

func parseIT(t *testing.T, s string) day {
	t.Helper()
	var d, mo, y int
	if _, err := splitDate(s, &d, &mo, &y); err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return mkDay(y, mo, d)
}

func splitDate(s string, d, m, y *int) (int, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return 0, errors.New("not DD/MM/YYYY")
	}
	var err error
	for i, p := range []*int{d, m, y} {
		if *p, err = strconv.Atoi(parts[i]); err != nil {
			return i, err
		}
	}
	return 3, nil
}

func TestOptionsErrors(t *testing.T) {
	cases := []struct {
		name  string
		o     Options
		field string
	}{
		{"negative coops", Options{Coops: -1}, "Coops"},
		{"years reversed", Options{YearFrom: 2025, YearTo: 2020, CohortStart: 2023}, "YearFrom"},
		{"cohort at first year", Options{YearFrom: 2023, YearTo: 2025, CohortStart: 2023}, "CohortStart"},
		{"cohort after last year", Options{YearFrom: 2019, YearTo: 2022, CohortStart: 2023}, "CohortStart"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Generate(context.Background(), c.o, t.TempDir())
			var oe *OptionsError
			if !errors.Is(err, ErrOptions) || !errors.As(err, &oe) || oe.Field != c.field || oe.It == "" || oe.En == "" {
				t.Fatalf("got %v, want an OptionsError on %s", err, c.field)
			}
		})
	}
	if o, err := (Options{}).normalise(); err != nil || o.Coops != 120 || o.YearFrom != 2019 || o.YearTo != 2025 || o.Seed != 1 || o.CohortStart != 2023 {
		t.Errorf("defaults: %+v %v", o, err)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, smallOpts, t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// The default network: sizes and volumes as documented. Slow (~1–3 s, 150 MB).
func TestDefaultNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("default-size network skipped in -short mode")
	}
	m, err := Generate(context.Background(), Options{}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, f := range m.Files {
		rows[f.Dataset] = f.Rows
	}
	t.Logf("rows: %v", rows)
	if rows["hours"] > 1_200_000 || rows["services"] > 600_000 {
		t.Errorf("hours %d (max 1.2M), services %d (max 600k)", rows["hours"], rows["services"])
	}
	types := map[string]int{}
	var sizes []int
	large, cohort := 0, 0
	for _, c := range m.Coops {
		types[c.Type]++
		sizes = append(sizes, c.Workers)
		if c.Workers > 250 {
			large++
		}
		if c.Cohort == "2023" {
			cohort++
		}
	}
	sort.Ints(sizes)
	want := map[string]int{"A": 54, "B": 42, "AB": 10, "consortium": 6, "worker": 5, "other": 3}
	for k, v := range want {
		if types[k] != v {
			t.Errorf("%d cooperatives of type %s, want %d", types[k], k, v)
		}
	}
	if med := sizes[len(sizes)/2]; med < 18 || med > 35 || large < 2 {
		t.Errorf("median size %d (want ~25), %d above 250 (want ≥ 2)", med, large)
	}
	if cohort != 48 {
		t.Errorf("%d cohort cooperatives, want 48", cohort)
	}
}
