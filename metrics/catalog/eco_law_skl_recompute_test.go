package catalog_test

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/store"
)

// A second, independent computation of every ECO, LAW and SKL indicator in
// plain Go over the canonical rows read back from DuckDB (acceptance 2). It
// walks dates and months with time.Time instead of the SQL views, so a slip in
// either formulation shows up as a disagreement.

type elsGSpell struct {
	coop, person, gender, contract, exit string
	member                               bool
	fte                                  float64
	start                                time.Time
	end                                  *time.Time
	manager, disadv                      *bool
	pay                                  *float64
}

type elsGFinance struct {
	vop, pc, pers                                                         float64
	grants, csml, pcm, dep, assets, equity, ca, cl, cash, recPub, digital *float64
}

type elsGRevenue struct {
	cp     string
	public bool
	amount float64
}

type elsGTraining struct {
	person    string
	hours     float64
	completed bool
	cost      *float64
}

type elsGData struct {
	coops    []string
	coopType map[string]string
	spells   map[string][]elsGSpell            // by coop
	finance  map[string]map[int]elsGFinance    // coop → year
	revenue  map[string]map[int][]elsGRevenue  // coop → year
	training map[string]map[int][]elsGTraining // coop → year of end_date
}

func elsNf(n sql.NullFloat64) *float64 { return nullableFloat(n) }

func elsNb(n sql.NullBool) *bool {
	if !n.Valid {
		return nil
	}
	b := n.Bool
	return &b
}

func elsReadData(t *testing.T, db *store.DB) *elsGData {
	t.Helper()
	d := &elsGData{coopType: map[string]string{}, spells: map[string][]elsGSpell{}, finance: map[string]map[int]elsGFinance{},
		revenue: map[string]map[int][]elsGRevenue{}, training: map[string]map[int][]elsGTraining{}}
	each := func(q string, scan func(*sql.Rows) error) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each("SELECT coop_id, coop_type FROM cooperatives ORDER BY coop_id", func(r *sql.Rows) error {
		var id, typ string
		err := r.Scan(&id, &typ)
		d.coops = append(d.coops, id)
		d.coopType[id] = typ
		return err
	})
	each(`SELECT coop_id, person_id, gender, contract_type, coalesce(exit_reason, ''), is_member, fte, start_date,
	             end_date, is_manager, is_disadvantaged, annual_gross_pay FROM workers`, func(r *sql.Rows) error {
		var s elsGSpell
		var end sql.NullTime
		var mgr, dis sql.NullBool
		var pay sql.NullFloat64
		err := r.Scan(&s.coop, &s.person, &s.gender, &s.contract, &s.exit, &s.member, &s.fte, &s.start, &end, &mgr, &dis, &pay)
		if end.Valid {
			e := end.Time
			s.end = &e
		}
		s.manager, s.disadv, s.pay = elsNb(mgr), elsNb(dis), elsNf(pay)
		d.spells[s.coop] = append(d.spells[s.coop], s)
		return err
	})
	each(`SELECT coop_id, year, value_of_production, production_costs, personnel_cost, public_grants,
	             costs_services_member_labour, personnel_cost_members, depreciation, total_assets, equity,
	             current_assets, current_liabilities, cash, receivables_public, digital_investment FROM finance`,
		func(r *sql.Rows) error {
			var coop string
			var year int
			var elsF elsGFinance
			n := make([]sql.NullFloat64, 11)
			err := r.Scan(&coop, &year, &elsF.vop, &elsF.pc, &elsF.pers, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10])
			elsF.grants, elsF.csml, elsF.pcm, elsF.dep, elsF.assets, elsF.equity = elsNf(n[0]), elsNf(n[1]), elsNf(n[2]), elsNf(n[3]), elsNf(n[4]), elsNf(n[5])
			elsF.ca, elsF.cl, elsF.cash, elsF.recPub, elsF.digital = elsNf(n[6]), elsNf(n[7]), elsNf(n[8]), elsNf(n[9]), elsNf(n[10])
			if d.finance[coop] == nil {
				d.finance[coop] = map[int]elsGFinance{}
			}
			d.finance[coop][year] = elsF
			return err
		})
	each("SELECT coop_id, year, counterparty_type, is_public, amount FROM revenue_sources", func(r *sql.Rows) error {
		var coop string
		var year int
		var v elsGRevenue
		err := r.Scan(&coop, &year, &v.cp, &v.public, &v.amount)
		if d.revenue[coop] == nil {
			d.revenue[coop] = map[int][]elsGRevenue{}
		}
		d.revenue[coop][year] = append(d.revenue[coop][year], v)
		return err
	})
	each("SELECT coop_id, person_id, end_date, hours, completed, cost FROM trainings", func(r *sql.Rows) error {
		var coop string
		var end time.Time
		var v elsGTraining
		var cost sql.NullFloat64
		err := r.Scan(&coop, &v.person, &end, &v.hours, &v.completed, &cost)
		v.cost = elsNf(cost)
		if d.training[coop] == nil {
			d.training[coop] = map[int][]elsGTraining{}
		}
		d.training[coop][end.Year()] = append(d.training[coop][end.Year()], v)
		return err
	})
	return d
}

func elsDay(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

func (s elsGSpell) activeOn(t time.Time) bool {
	return !s.start.After(t) && (s.end == nil || !s.end.Before(t))
}

func (s elsGSpell) overlaps(y int) bool {
	return !s.start.After(elsDay(y, 12, 31)) && (s.end == nil || !s.end.Before(elsDay(y, 1, 1)))
}

// dec31 groups the coop's spells active on 31 December by person.
func (d *elsGData) dec31(coop string, y int) map[string][]elsGSpell {
	out := map[string][]elsGSpell{}
	for _, s := range d.spells[coop] {
		if s.activeOn(elsDay(y, 12, 31)) {
			out[s.person] = append(out[s.person], s)
		}
	}
	return out
}

func (d *elsGData) anyOverlap(coop string, y int) bool {
	for _, s := range d.spells[coop] {
		if s.overlaps(y) {
			return true
		}
	}
	return false
}

// fteAvg: for each month the FTE of spells active on the 15th, summed, over 12;
// nil when no spell is active on any 15th of the year.
func (d *elsGData) fteAvg(coop string, y int) *float64 {
	sum, any := 0.0, false
	for m := time.January; m <= time.December; m++ {
		for _, s := range d.spells[coop] {
			if s.activeOn(elsDay(y, m, 15)) {
				sum += s.fte
				any = true
			}
		}
	}
	if !any {
		return nil
	}
	v := sum / 12
	return &v
}

// elsLatestGender returns the gender of the spell with the latest start.
func elsLatestGender(spells []elsGSpell) string {
	best := spells[0]
	for _, s := range spells[1:] {
		if s.start.After(best.start) {
			best = s
		}
	}
	return best.gender
}

type elsGResult struct {
	value, num, den *float64
	n               int64
}

func elsPtr(x float64) *float64 { return &x }

// elsDiv is scale × num ÷ den, nil when either is missing or den is 0.
func elsDiv(scale float64, num, den *float64) *float64 {
	if num == nil || den == nil || *den == 0 {
		return nil
	}
	return elsPtr(scale * *num / *den)
}

func elsOrZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// elsRecompute returns indicator → key → result for every coop × year.
func elsRecompute(d *elsGData, years []int, basis, composition string) map[string]map[string]elsGResult {
	out := map[string]map[string]elsGResult{}
	put := func(id, coop string, y int, br string, num, den *float64, scale float64, n int64) {
		if out[id] == nil {
			out[id] = map[string]elsGResult{}
		}
		out[id][fmt.Sprintf("%s|%d|%s", coop, y, br)] = elsGResult{elsDiv(scale, num, den), num, den, n}
	}
	for _, coop := range d.coops {
		for _, y := range years {
			// ECO and LAW-01: one row per finance row.
			if fin, ok := d.finance[coop][y]; ok {
				rs, hasRS := d.revenue[coop][y]
				var pub *float64
				if hasRS {
					p := 0.0
					for _, r := range rs {
						if r.public {
							p += r.amount
						}
					}
					pub = &p
				}
				put("ECO-01", coop, y, "", elsPtr(fin.vop-fin.pc), elsPtr(fin.vop), 100, 1)
				var eco02 *float64
				if pub != nil {
					eco02 = elsPtr(*pub + elsOrZero(fin.grants))
				}
				put("ECO-02", coop, y, "", eco02, elsPtr(fin.vop), 100, 1)
				put("ECO-04", coop, y, "", fin.recPub, pub, 365, 1)
				put("ECO-05", coop, y, "", fin.ca, fin.cl, 1, 1)
				var monthly *float64
				if fin.dep != nil {
					monthly = elsPtr((fin.pc - *fin.dep) / 12)
				}
				put("ECO-06", coop, y, "", fin.cash, monthly, 1, 1)
				put("ECO-07", coop, y, "", fin.equity, fin.assets, 100, 1)
				put("ECO-08", coop, y, "", elsPtr(fin.pers), elsPtr(fin.vop), 100, 1)
				var va *float64
				switch {
				case composition == "net":
					va = elsPtr(fin.vop - (fin.pc - fin.pers))
				case fin.dep != nil:
					va = elsPtr(fin.vop - (fin.pc - fin.pers - *fin.dep))
				}
				put("ECO-09", coop, y, "", va, d.fteAvg(coop, y), 1, 1)
				if prev, ok := d.finance[coop][y-1]; ok {
					put("ECO-10", coop, y, "", elsPtr(fin.vop-prev.vop), elsPtr(prev.vop), 100, 2)
				}
				put("ECO-11", coop, y, "", fin.digital, elsPtr(fin.vop), 100, 1)
				var mutual *float64
				if fin.pcm != nil {
					mutual = elsPtr(*fin.pcm + elsOrZero(fin.csml))
				}
				put("LAW-01", coop, y, "", mutual, elsPtr(fin.pers+elsOrZero(fin.csml)), 100, 1)
			}
			// ECO-03: one row per year with revenue rows.
			if rs, ok := d.revenue[coop][y]; ok {
				byType := map[string]float64{}
				for _, r := range rs {
					byType[r.cp] += r.amount
				}
				sq, tot := 0.0, 0.0
				for _, a := range byType {
					sq += a * a
					tot += a
				}
				put("ECO-03", coop, y, "", elsPtr(sq), elsPtr(tot*tot), 1, int64(len(byType)))
			}
			// Workforce indicators: a row when a spell overlaps the year.
			if d.anyOverlap(coop, y) {
				d.workforce(put, coop, y, basis)
			}
			// Training indicators: a row when the year has training rows.
			if tr, ok := d.training[coop][y]; ok {
				d.trainingInds(put, coop, y, tr)
			}
		}
	}
	return out
}

type elsPutFunc func(id, coop string, y int, br string, num, den *float64, scale float64, n int64)

func (d *elsGData) workforce(put elsPutFunc, coop string, y int, basis string) {
	people := d.dec31(coop, y)
	var hc, flagged, dis, members, perm, employees, managers, women float64
	var fte, fteDis float64
	payBy := map[string][]float64{}
	for _, spells := range people {
		hc++
		isDis, known, member, isPerm, isEmp, mgr := false, false, false, false, false, false
		var pays []float64
		for _, s := range spells {
			fte += s.fte
			if s.disadv != nil {
				known = true
				if *s.disadv {
					isDis = true
				}
			}
			member = member || s.member
			isPerm = isPerm || s.contract == "permanent"
			isEmp = isEmp || (s.contract != "collaborator" && s.contract != "intern")
			mgr = mgr || (s.manager != nil && *s.manager)
			if s.pay != nil {
				pays = append(pays, *s.pay)
			}
		}
		if known {
			flagged++
		}
		if isDis {
			dis++
			for _, s := range spells {
				fteDis += s.fte
			}
		}
		if member {
			members++
		}
		if isPerm {
			perm++
		}
		if isEmp {
			employees++
		}
		g := elsLatestGender(spells)
		if mgr {
			managers++
			if g == "F" {
				women++
			}
		}
		if len(pays) > 0 {
			sum := 0.0
			for _, p := range pays {
				sum += p
			}
			payBy[g] = append(payBy[g], sum/float64(len(pays)))
		}
	}
	// LAW-02, B and AB only.
	if t := d.coopType[coop]; t == "B" || t == "AB" {
		var num *float64
		den := elsPtr(hc)
		if flagged > 0 {
			num = elsPtr(dis)
		}
		if basis == "fte" {
			den = elsPtr(fte)
			if flagged > 0 {
				num = elsPtr(fteDis)
			}
		}
		if len(people) == 0 {
			den = nil
		}
		put("LAW-02", coop, y, "", num, den, 100, int64(hc))
	}
	// LAW-03 over spells active in the year.
	var maxPay, minPay *float64
	var nPay int64
	for _, s := range d.spells[coop] {
		if !s.overlaps(y) || s.pay == nil {
			continue
		}
		nPay++
		if maxPay == nil || *s.pay > *maxPay {
			maxPay = elsPtr(*s.pay)
		}
		if minPay == nil || *s.pay < *minPay {
			minPay = elsPtr(*s.pay)
		}
	}
	put("LAW-03", coop, y, "", maxPay, minPay, 1, nPay)
	put("LAW-04", coop, y, "", elsPtr(members), elsPtr(hc), 100, int64(hc))
	put("SKL-04", coop, y, "", elsPtr(perm), elsPtr(employees), 100, int64(employees))
	// SKL-05: voluntary exits of permanent spells ÷ average permanent persons on the 15th.
	exits := 0.0
	permPeople := map[string]bool{}
	monthSum := 0.0
	for _, s := range d.spells[coop] {
		if s.contract == "permanent" && s.end != nil && s.end.Year() == y && (s.exit == "voluntary" || s.exit == "to_external_job") {
			exits++
		}
	}
	for m := time.January; m <= time.December; m++ {
		seen := map[string]bool{}
		for _, s := range d.spells[coop] {
			if s.contract == "permanent" && s.activeOn(elsDay(y, m, 15)) {
				seen[s.person] = true
				permPeople[s.person] = true
			}
		}
		monthSum += float64(len(seen))
	}
	put("SKL-05", coop, y, "", elsPtr(exits), elsPtr(monthSum/12), 100, int64(len(permPeople)))
	// SKL-06: gender pay gap over persons with pay.
	mean := func(xs []float64) *float64 {
		if len(xs) == 0 {
			return nil
		}
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return elsPtr(s / float64(len(xs)))
	}
	pm, pf := mean(payBy["M"]), mean(payBy["F"])
	var gap *float64
	if pm != nil && pf != nil {
		gap = elsPtr(*pm - *pf)
	}
	put("SKL-06", coop, y, "", gap, pm, 100, int64(len(payBy["M"])+len(payBy["F"])))
	put("SKL-07", coop, y, "", elsPtr(women), elsPtr(managers), 100, int64(managers))
}

func (d *elsGData) trainingInds(put elsPutFunc, coop string, y int, tr []elsGTraining) {
	gender := map[string]string{} // person → gender of their latest spell in the coop
	byPerson := map[string][]elsGSpell{}
	for _, s := range d.spells[coop] {
		byPerson[s.person] = append(byPerson[s.person], s)
	}
	for p, ss := range byPerson {
		gender[p] = elsLatestGender(ss)
	}
	people := d.dec31(coop, y)
	hcBy := map[string]float64{}
	for p := range people {
		hcBy[gender[p]]++
	}
	hours, hoursBy := 0.0, map[string]float64{}
	trainedGenders := map[string]bool{}
	done := map[string]bool{}
	costSum, costN := 0.0, int64(0)
	for _, t := range tr {
		g, known := gender[t.person]
		if known {
			trainedGenders[g] = true
		}
		if t.completed {
			hours += t.hours
			done[t.person] = true
			if known {
				hoursBy[g] += t.hours
			}
		}
		if t.cost != nil {
			costSum += *t.cost
			costN++
		}
	}
	hc := float64(len(people))
	put("SKL-01", coop, y, "", elsPtr(hours), elsPtr(hc), 1, int64(hc))
	genders := map[string]bool{}
	for g := range hcBy {
		genders[g] = true
	}
	for g := range trainedGenders {
		genders[g] = true
	}
	for g := range genders {
		put("SKL-01", coop, y, "gender="+g, elsPtr(hoursBy[g]), elsPtr(hcBy[g]), 1, int64(hcBy[g]))
	}
	trained := 0.0
	for p := range people {
		if done[p] {
			trained++
		}
	}
	put("SKL-02", coop, y, "", elsPtr(trained), elsPtr(hc), 100, int64(hc))
	var cost *float64
	if costN > 0 {
		cost = elsPtr(costSum)
	}
	put("SKL-03", coop, y, "", cost, d.fteAvg(coop, y), 1, costN)
}

// elsCompareWithGo runs every owned indicator in SQL and checks it against the
// Go recomputation, key by key.
func elsCompareWithGo(t *testing.T, db *store.DB, years []int, basis, composition string) int {
	t.Helper()
	s := elsNewSession(t, db, years)
	s.set(t, "LAW-02", "basis", basis)
	s.set(t, "ECO-09", "composition", composition)
	want := elsRecompute(elsReadData(t, db), years, basis, composition)
	compared := 0
	for _, ind := range elsLoadIndicators(t) {
		got := s.run(t, ind)
		w := want[ind.ID]
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		for k := range w {
			if _, ok := got[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var bad []string
		for _, k := range keys {
			g, okG := got[k]
			e, okW := w[k]
			switch {
			case !okG:
				bad = append(bad, k+": no SQL row")
			case !okW:
				bad = append(bad, k+": no Go row")
			case !sameFloat(g.Value, e.value) || !sameFloat(g.Num, e.num) || !sameFloat(g.Den, e.den) || g.N != e.n:
				bad = append(bad, fmt.Sprintf("%s: SQL %s %s/%s n%d, Go %s %s/%s n%d", k,
					fmtFloat(g.Value), fmtFloat(g.Num), fmtFloat(g.Den), g.N, fmtFloat(e.value), fmtFloat(e.num), fmtFloat(e.den), e.n))
			default:
				compared++
			}
		}
		if len(bad) > 0 {
			if len(bad) > 10 {
				bad = append(bad[:10], fmt.Sprintf("… %d more", len(bad)-10))
			}
			t.Errorf("%s (basis=%s composition=%s) disagrees:\n  %s", ind.ID, basis, composition, strings.Join(bad, "\n  "))
		}
	}
	return compared
}

// Acceptance 2 on the golden network, for both variants of each parameter.
func TestEcoLawSklRecomputedInGo(t *testing.T) {
	n := elsGoldenNetwork(t)
	for _, v := range [][2]string{{"headcount", "gross"}, {"fte", "net"}} {
		if c := elsCompareWithGo(t, n.db, []int{2023, 2024}, v[0], v[1]); c < 100 {
			t.Errorf("only %d rows compared", c)
		}
	}
}
