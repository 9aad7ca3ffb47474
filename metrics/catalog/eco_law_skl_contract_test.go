package catalog_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/testsupport"
)

var (
	elsIdRe       = regexp.MustCompile(`^[A-Z]{3}-\d{2}$`)
	elsInputRe    = regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)
	elsGetvarRe   = regexp.MustCompile(`getvariable\('([A-Z]{3}-\d{2})\.([a-z_]+)'\)`)
	elsUnitsOK    = map[string]bool{"%": true, "ratio": true, "EUR": true, "EUR/FTE": true, "h/person": true, "days": true, "months": true, "n": true, "persons": true, "points": true, "levels": true, "score": true, "index": true, "h": true, "h/year": true, "EUR/year": true}
	elsDirections = map[string]bool{"up": true, "down": true, "band": true, "law": true}
	elsThOps      = map[string]bool{">": true, ">=": true, "<": true, "<=": true}
)

// elsWantColumns is the SQL contract: names and DuckDB types, in order.
var elsWantColumns = []string{"coop_id VARCHAR", "year INTEGER", "value DOUBLE", "numerator DOUBLE", "denominator DOUBLE", "n BIGINT"}

// elsColumnsOf runs the SQL and returns its columns as "name TYPE".
func elsColumnsOf(t *testing.T, s *catSession, q string) []string {
	t.Helper()
	return testsupport.Columns(t, s.conn, q)
}

func elsCheckColumns(t *testing.T, s *catSession, ind catIndicator) {
	t.Helper()
	want := append([]string(nil), elsWantColumns...)
	if len(ind.Breakdowns) > 0 {
		want = append(want, "breakdown VARCHAR")
	}
	if got := elsColumnsOf(t, s, ind.SQL); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s columns %v, want %v", ind.ID, got, want)
	}
}

// The files follow the catalogue contract of docs/metrics.md.
func TestEcoLawSklFilesFollowTheContract(t *testing.T) {
	n := elsGoldenNetwork(t)
	schema := map[string]bool{}
	rows, err := n.db.Query("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'main'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		schema[c] = true
	}
	rows.Close()
	seen := map[string]bool{}
	for _, ind := range elsLoadIndicators(t) {
		id := ind.ID
		if !elsIdRe.MatchString(id) || seen[id] {
			t.Errorf("%s: bad or duplicate id", id)
		}
		seen[id] = true
		if ind.Version < 1 || ind.Grain != "year" || !elsUnitsOK[ind.Unit] || !elsDirections[ind.Direction] {
			t.Errorf("%s: version %d grain %q unit %q direction %q", id, ind.Version, ind.Grain, ind.Unit, ind.Direction)
		}
		for _, tx := range []catText{ind.Name, ind.Description} {
			if tx.It == "" || tx.En == "" || tx.It == tx.En {
				t.Errorf("%s: name/description needs distinct Italian and English text: %+v", id, tx)
			}
		}
		if (ind.Direction == "law") != (ind.Threshold != nil) {
			t.Errorf("%s: a law indicator, and only one, has a threshold", id)
		}
		if th := ind.Threshold; th != nil {
			if !elsThOps[th.Op] {
				t.Errorf("%s: threshold op %q", id, th.Op)
			}
			if p, ok := ind.Params[th.Param]; th.Param != "" && (!ok || fmt.Sprint(p.Default) != fmt.Sprint(th.Value)) {
				t.Errorf("%s: threshold parameter %q missing or its default is not the threshold value", id, th.Param)
			}
		}
		if len(ind.Inputs) == 0 {
			t.Errorf("%s: no inputs", id)
		}
		for _, in := range ind.Inputs {
			if in == "learning_records" && (id == "SKL-08" || id == "SKL-09") {
				continue // the courses issue adds this table
			}
			if !elsInputRe.MatchString(in) || !schema[in] {
				t.Errorf("%s: input %q is not a table.column of the schema", id, in)
			}
		}
		for name, p := range ind.Params {
			found := false
			for _, v := range p.Values {
				found = found || fmt.Sprint(v) == fmt.Sprint(p.Default)
			}
			if !found || len(p.Values) < 2 || p.Doc.It == "" || p.Doc.En == "" {
				t.Errorf("%s.%s: default %v not among values %v, or no doc", id, name, p.Default, p.Values)
			}
		}
		for _, m := range elsGetvarRe.FindAllStringSubmatch(ind.SQL, -1) {
			if _, ok := ind.Params[m[2]]; m[1] != id || !ok {
				t.Errorf("%s: SQL reads %s.%s, not one of its own parameters", id, m[1], m[2])
			}
		}
		if strings.Contains(ind.SQL, "getvariable") && len(elsGetvarRe.FindAllString(ind.SQL, -1)) != strings.Count(ind.SQL, "getvariable") {
			t.Errorf("%s: a getvariable call does not name '<ID>.<param>'", id)
		}
		if !strings.Contains(ind.SQL, "_cy") {
			t.Errorf("%s: SQL does not join _cy", id)
		}
	}
	for _, id := range []string{"LAW-02"} {
		if got := elsIndicatorByID(t, id).AppliesTo; strings.Join(got, ",") != "B,AB" {
			t.Errorf("%s applies_to %v, want [B AB]", id, got)
		}
	}
}

// maps_to copies indicators.md's "maps to" column (without its "(verify …)" notes).
func TestEcoLawSklMapsToTheDesign(t *testing.T) {
	path := elsDesignFile(t, "indicators.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	design := map[string]string{}
	verify := regexp.MustCompile(`\s*\(verify[^)]*\)`)
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		id := strings.TrimSpace(cells[1])
		if elsIdRe.MatchString(id) {
			design[id] = strings.TrimSpace(verify.ReplaceAllString(cells[len(cells)-2], ""))
		}
	}
	for _, ind := range elsLoadIndicators(t) {
		want, ok := design[ind.ID]
		if !ok {
			t.Errorf("%s is not in indicators.md", ind.ID)
			continue
		}
		if got := strings.Join(ind.MapsTo, "; "); got != want {
			t.Errorf("%s maps_to %q, indicators.md says %q", ind.ID, got, want)
		}
	}
	for id := range design {
		if p := id[:3]; (p == "ECO" || p == "LAW" || p == "SKL") && !elsContains(elsLoadIndicators(t), id) {
			t.Errorf("indicators.md has %s, the catalogue does not", id)
		}
	}
}

func elsContains(inds []catIndicator, id string) bool {
	for _, i := range inds {
		if i.ID == id {
			return true
		}
	}
	return false
}

// elsDesignFile finds shared/design beside the repository.
func elsDesignFile(t *testing.T, name string) string {
	t.Helper()
	return testsupport.SharedPath(t, "design", name)
}

// Every SQL returns exactly the contract's columns, and computes only the
// pairs in _cy (so an incremental recompute touches nothing else).
func TestEcoLawSklColumnsAndCYRestriction(t *testing.T) {
	n := elsGoldenNetwork(t)
	s := elsNewSession(t, n.db, []int{2023, 2024})
	for _, ind := range elsLoadIndicators(t) {
		elsCheckColumns(t, s, ind)
	}
	one := elsNewSession(t, n.db, []int{2024})
	if _, err := one.conn.ExecContext(context.Background(), "DELETE FROM _cy WHERE coop_id <> 'BETA'"); err != nil {
		t.Fatal(err)
	}
	for _, ind := range elsLoadIndicators(t) {
		for k := range one.run(t, ind) {
			if !strings.HasPrefix(k, "BETA|2024|") {
				t.Errorf("%s computed %s outside _cy (BETA 2024)", ind.ID, k)
			}
		}
		// The restricted run gives the same rows as the full one for that pair.
		full := s.run(t, ind)
		for k, r := range one.run(t, ind) {
			if elsF := full[k]; !sameFloat(elsF.Value, r.Value) || elsF.N != r.N {
				t.Errorf("%s %s: %s restricted, %s in full", ind.ID, k, fmtFloat(r.Value), fmtFloat(elsF.Value))
			}
		}
	}
}

// The shared views of 00_common.sql on the golden network, hand-worked in
// eco_law_skl_golden_test.go.
func TestEcoLawSklCommonViews(t *testing.T) {
	n := elsGoldenNetwork(t)
	s := elsNewSession(t, n.db, []int{2023, 2024})
	q := func(sql string) string { return elsQ3(t, s, sql) }
	if got, want := q("SELECT coop_id, year, hc_end FROM m_hc_end WHERE year BETWEEN 2020 AND 2024 ORDER BY ALL"),
		`ALFA 2020 1
ALFA 2021 1
ALFA 2022 2
ALFA 2023 3
ALFA 2024 2
BETA 2021 2
BETA 2022 3
BETA 2023 4
BETA 2024 2
GAMMA 2023 2
GAMMA 2024 2`; got != want {
		t.Errorf("m_hc_end:\n%s\nwant\n%s", got, want)
	}
	// ALFA 2022: P1 + P3 (12 months each) = 2; BETA 2021: Q1 1 + Q2 0.5 from May (8 months) = 12/12;
	// BETA 2022: 12 + 6 + Q4 0.75×12 = 27/12; DELTA 2024: 9.5/12.
	if got, want := q("SELECT coop_id, year, round(fte_avg, 9) FROM m_fte_avg WHERE year BETWEEN 2020 AND 2024 ORDER BY ALL"),
		`ALFA 2020 1
ALFA 2021 1
ALFA 2022 2
ALFA 2023 2.625
ALFA 2024 2.125
BETA 2021 1
BETA 2022 2.25
BETA 2023 3.166666667
BETA 2024 2.5625
DELTA 2024 0.791666667
GAMMA 2023 1.166666667
GAMMA 2024 1.5`; got != want {
		t.Errorf("m_fte_avg:\n%s\nwant\n%s", got, want)
	}
	if got := elsColumnsOf(t, s, "SELECT * FROM m_active_dec31")[:3]; strings.Join(got, ",") != "coop_id VARCHAR,year INTEGER,person_id BLOB" {
		t.Errorf("m_active_dec31 starts with %v", got)
	}
	// m_active_month: one row per spell and month whose 15th it covers. DELTA 2024:
	// S1 Feb–May (4) + S2 Jan–Jun (6) + S2 Apr–Aug (5); ALFA 2023: 12 + 6 + 12 + 9.
	if got, want := elsQ3(t, s, `SELECT coop_id, year, count(*)::VARCHAR || ' ' || string_agg(DISTINCT month::VARCHAR, ',' ORDER BY month::VARCHAR)
		FROM m_active_month WHERE (coop_id, year) IN (('DELTA', 2024), ('ALFA', 2023)) GROUP BY ALL ORDER BY ALL`),
		"ALFA 2023 39 1,10,11,12,2,3,4,5,6,7,8,9\nDELTA 2024 15 1,2,3,4,5,6,7,8"; got != want {
		t.Errorf("m_active_month:\n%s\nwant\n%s", got, want)
	}
	if got := strings.Join(elsColumnsOf(t, s, "SELECT * FROM m_active_month")[:4], ","); got != "coop_id VARCHAR,year INTEGER,month INTEGER,person_id BLOB" {
		t.Errorf("m_active_month starts with %s", got)
	}
	if got := strings.Join(elsColumnsOf(t, s, "SELECT * FROM m_fte_avg"), ","); got != "coop_id VARCHAR,year INTEGER,fte_avg DOUBLE" {
		t.Errorf("m_fte_avg columns %s", got)
	}
	if got := strings.Join(elsColumnsOf(t, s, "SELECT * FROM m_hc_end"), ","); got != "coop_id VARCHAR,year INTEGER,hc_end BIGINT" {
		t.Errorf("m_hc_end columns %s", got)
	}
	if got := strings.Join(elsColumnsOf(t, s, "SELECT * FROM m_presence"), ","); got != "table_name VARCHAR,coop_id VARCHAR,year INTEGER,run_ids BIGINT[]" {
		t.Errorf("m_presence columns %s", got)
	}
	// m_presence: the inputs of each cooperative-year with the run that loaded them.
	open := time.Now().Year()
	if open < 2024 {
		open = 2024
	}
	var want []string
	add := func(table, coop string, from, to int) {
		for y := from; y <= to; y++ {
			want = append(want, fmt.Sprintf("%s %s %d [%d]", table, coop, y, n.runs[table]))
		}
	}
	add("finance", "ALFA", 2023, 2024)
	add("finance", "BETA", 2023, 2024)
	add("revenue_sources", "ALFA", 2023, 2024)
	add("revenue_sources", "BETA", 2023, 2023)
	add("trainings", "ALFA", 2023, 2024)
	add("trainings", "BETA", 2024, 2024)
	add("trainings", "GAMMA", 2024, 2024)
	add("workers", "ALFA", 2020, open) // P1's spell is open-ended
	add("workers", "BETA", 2021, open)
	add("workers", "DELTA", 2024, 2024)
	add("workers", "GAMMA", 2023, open)
	sort.Strings(want)
	if got := q("SELECT table_name || ' ' || coop_id, year, run_ids::VARCHAR FROM m_presence ORDER BY ALL"); got != strings.Join(want, "\n") {
		t.Errorf("m_presence:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// elsQ3 runs a query of three columns and returns its rows as "a b c" lines.
func elsQ3(t *testing.T, s *catSession, sql string) string {
	t.Helper()
	rows, err := s.conn.QueryContext(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b, c string
		if err := rows.Scan(&a, &b, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, a+" "+b+" "+c)
	}
	return strings.Join(out, "\n")
}
