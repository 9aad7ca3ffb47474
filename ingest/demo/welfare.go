package demo

import (
	"math"
	"strconv"
)

type beneficiary struct {
	id        string
	birthYear int
	gender    string
	com       *comune
	svc       string
	extra     bool // also receives family support
	factor    float64
	disab     bool
	nss       bool
	minor     bool
	famDis    bool
	double    bool
	request   day
	intake    day // 0 = still waiting
	end       day // noEnd = still served
	familyKey string
}

type svcParam struct {
	hours     float64 // mean service hours per beneficiary and month
	stay      float64 // mean stay in months
	wait      float64 // median days from request to intake
	minAge    int
	maxAge    int
	disab     float64
	nss       float64
	famDis    float64
	double    float64
	femaleP   float64
	elderlyP  float64 // share drawn from the elderly age band (75–95)
	schoolRun bool
}

var svcParams = map[string]svcParam{
	"home_care":        {22, 26, 25, 30, 64, 0.35, 0.70, 0.05, 0.04, 0.62, 0.80, false},
	"day_centre":       {85, 40, 45, 18, 64, 0.80, 0.40, 0.10, 0.05, 0.50, 0.30, false},
	"residential":      {110, 34, 75, 30, 64, 0.55, 0.85, 0.05, 0.04, 0.62, 0.60, false},
	"school_support":   {45, 0, 20, 6, 17, 0.92, 0.05, 0.10, 0.08, 0.40, 0, true},
	"family_support":   {10, 10, 30, 2, 17, 0.20, 0.02, 0.25, 0.15, 0.50, 0, false},
	"work_integration": {70, 14, 40, 20, 58, 0.55, 0.02, 0.05, 0.10, 0.40, 0, false},
	"other":            {20, 12, 30, 18, 80, 0.20, 0.10, 0.05, 0.05, 0.55, 0.2, false},
}

// simulateBeneficiaries fills each service with people: a stock on the first
// day and intakes that keep the caseload at the level the staff can carry
// (direct-service capacity), with stays, waiting times and fragility flags
// typical of the service.
func (cs *coopSim) simulateBeneficiaries() {
	if len(cs.services) == 0 {
		return
	}
	r := cs.rng(streamBenef)
	o, c := cs.o, cs.c
	// Catchment: the cooperative's town and some others in its province.
	var prov []*comune
	for _, x := range c.region.comuni {
		if x.sigla == c.com.sigla && x != c.com {
			prov = append(prov, x)
		}
	}
	catch := []*comune{c.com}
	if len(prov) > 0 {
		ps := newSampler(prov, 1)
		seen := map[*comune]bool{}
		for k := 1 + int(c.size0/12); k > 0 && len(seen) < len(prov); k-- {
			x := ps.pick(r)
			if !seen[x] {
				seen[x] = true
				catch = append(catch, x)
			}
		}
	}
	cw := make([]float64, len(catch))
	for i, x := range catch {
		cw[i] = math.Sqrt(float64(x.pop) + 1)
	}
	cw[0] = 0
	for i := 1; i < len(cw); i++ {
		cw[0] += cw[i]
	}
	if len(cw) == 1 {
		cw[0] = 1
	}
	fte0 := 0.0
	for _, w := range cs.workers {
		fte0 += w.fteIn(cs.simStart, cs.simStart+30)
	}
	capacity := fte0 * hoursPerFTE * 0.7 * 0.55

	newBenef := func(svc string, intake day) *beneficiary {
		p := svcParams[svc]
		b := &beneficiary{svc: svc, factor: math.Exp(0.3 * r.norm())}
		y := intake.year()
		var age int
		if r.chance(p.elderlyP) {
			age = r.ibetween(72, 96)
		} else {
			age = r.ibetween(p.minAge, p.maxAge)
		}
		b.birthYear = y - age
		b.minor = age < 18
		female := r.chance(p.femaleP)
		if age >= 80 {
			female = r.chance(0.68)
		}
		b.gender = map[bool]string{true: "F", false: "M"}[female]
		b.com = catch[r.pick(cw)]
		b.disab = r.chance(p.disab)
		b.nss = r.chance(p.nss) && !b.minor
		b.famDis = r.chance(p.famDis)
		b.double = r.chance(p.double)
		b.extra = (svc == "home_care" || svc == "school_support" || svc == "day_centre") && r.chance(0.12)
		bel := b.com.belfiore
		if r.chance(0.08) {
			bel = foreignBelfiore[r.intn(len(foreignBelfiore))]
		} else if r.chance(0.25) {
			bel = cs.n.sampler(c.region, 1).pick(r).belfiore
		}
		b.id = cs.n.ids.claim(func() string { return fakeCF(r, b.birthYear, female, bel) })
		b.intake = intake
		b.request = intake - day(p.wait*math.Exp(0.6*r.norm()))
		if p.schoolRun {
			years := 1
			for r.chance(0.6) && years < 5 {
				years++
			}
			b.end = mkDay(intake.year()+years, 6, 10)
			if _, mm, _ := intake.ymd(); mm < 9 {
				b.end = mkDay(intake.year()+years-1, 6, 10)
			}
		} else {
			b.end = intake + day(-p.stay*30.4*math.Log(1-r.float()))
		}
		if b.end > cs.simEnd {
			b.end = noEnd
		}
		cs.benef = append(cs.benef, b)
		return b
	}

	for si, svc := range cs.services {
		p := svcParams[svc]
		var k0 float64
		switch svc {
		case "work_integration":
			k0 = 0.25 * c.size0
			if c.typ == "AB" {
				k0 = 0.15 * c.size0
			}
		case "other":
			k0 = 0.5 * c.size0
		default:
			k0 = capacity * cs.svcWeight[si] / p.hours
		}
		k0 = math.Max(2, k0)
		var active []*beneficiary
		// Stock on the first day.
		for i := r.round(k0); i > 0; i-- {
			var intake day
			if p.schoolRun {
				intake = mkDay(o.YearFrom-1-r.intn(2), 9, r.ibetween(10, 30))
			} else {
				intake = cs.simStart - 1 - day(r.float()*p.stay*30.4*1.5)
			}
			b := newBenef(svc, intake)
			if p.schoolRun {
				if b.end != noEnd && b.end < cs.simStart {
					b.end = mkDay(o.YearFrom, 6, 10)
				}
			} else if b.end != noEnd && b.end < cs.simStart {
				b.end = cs.simStart + day(-p.stay*30.4*math.Log(1-r.float()))
				if b.end > cs.simEnd {
					b.end = noEnd
				}
			}
			active = append(active, b)
		}
		for m := 0; m < cs.months; m++ {
			ms, me := cs.monthStart(m), cs.monthStart(m+1)-1
			if p.schoolRun && m%12 != 8 && m%12 != 9 {
				continue // pupils are taken on in September and October
			}
			cont := 0
			kept := active[:0]
			for _, b := range active {
				if b.end > ms {
					cont++
					kept = append(kept, b)
				}
			}
			active = kept
			target := k0 * math.Exp(cs.growth*float64(m)/12)
			for k := r.round(target - float64(cont)); k > 0; k-- {
				active = append(active, newBenef(svc, ms+day(r.intn(int(me-ms)+1))))
			}
		}
	}
	// A short waiting list at the extraction date: requests not yet taken on.
	for i := r.round(0.03 * float64(len(cs.benef))); i > 0; i-- {
		svc := cs.services[0]
		b := newBenef(svc, cs.simEnd)
		b.request = cs.simEnd - day(r.intn(90))
		b.intake, b.end = 0, noEnd
	}
}

func (cs *coopSim) writeBeneficiaries(out *csvOut) {
	for _, b := range cs.benef {
		out.row(cs.c.id, b.id, strconv.Itoa(b.birthYear), b.gender, b.com.code, checkbox(b.disab), checkbox(b.nss),
			checkbox(b.minor), checkbox(b.famDis), checkbox(b.double), itDate(b.request), itDate(b.intake), itDate(b.end))
	}
}

// writeServices writes monthly service hours per beneficiary (no school
// support in July and August), prorated in the first and last month.
func (cs *coopSim) writeServices(out *csvOut) {
	r := cs.rng(streamServices)
	st := &cs.c.st
	served := make([]map[*beneficiary]bool, cs.years)
	for i := range served {
		served[i] = map[*beneficiary]bool{}
	}
	for m := 0; m < cs.months; m++ {
		ms, me := cs.monthStart(m), cs.monthStart(m+1)-1
		y := cs.o.YearFrom + m/12
		mon := strconv.Itoa(y) + "-" + string(append2(nil, m%12+1))
		for _, b := range cs.benef {
			if b.intake == 0 || b.intake > me || b.end < ms {
				continue
			}
			p := svcParams[b.svc]
			if p.schoolRun && (m%12 == 6 || m%12 == 7) {
				continue
			}
			a, e := b.intake, b.end
			if a < ms {
				a = ms
			}
			if e > me {
				e = me
			}
			frac := float64(e-a+1) / float64(me-ms+1)
			h := math.Round(p.hours*b.factor*(1+0.12*r.norm())*frac*2) / 2
			if h < 0.5 {
				continue
			}
			out.row(cs.c.id, b.id, mon, b.svc, decShort(h))
			served[m/12][b] = true
			if b.extra {
				if h2 := math.Round(6*(1+0.3*r.norm())*frac*2) / 2; h2 >= 0.5 {
					out.row(cs.c.id, b.id, mon, "family_support", decShort(h2))
				}
			}
		}
	}
	for i := range served {
		st.served[i] = len(served[i])
	}
}

// writeSurveys writes the yearly satisfaction survey (November): a sample of
// the people served, or a family member for minors and non-self-sufficient
// people, answering four 0–10 items; "nps" is the likelihood to recommend.
func (cs *coopSim) writeSurveys(out *csvOut) {
	if len(cs.benef) == 0 {
		return
	}
	r := cs.rng(streamSurvey)
	c, st := cs.c, &cs.c.st
	q := clamp(8.4+0.6*r.norm(), 6.5, 9.6)
	for y := cs.o.YearFrom; y <= cs.o.YearTo; y++ {
		d := mkDay(y, 11, 15)
		var pool []*beneficiary
		for _, b := range cs.benef {
			if b.intake != 0 && b.intake <= d && b.end >= d {
				pool = append(pool, b)
			}
		}
		if len(pool) == 0 {
			continue
		}
		n := int(math.Round(0.2 * float64(len(pool))))
		n = int(math.Min(float64(len(pool)), math.Max(5, math.Min(40, float64(n)))))
		sid := "QS-" + strconv.Itoa(y) // one survey a year; wave (T0/T1/T2) left empty
		for i, j := range r.perm(len(pool)) {
			if i >= n {
				break
			}
			b := pool[j]
			kind, key := "beneficiary", b.id
			if b.minor || b.nss {
				if b.familyKey == "" {
					by := b.birthYear - 28
					if b.minor {
						by = b.birthYear - r.ibetween(25, 40)
					}
					fem := r.chance(0.7)
					b.familyKey = cs.n.ids.claim(func() string { return fakeCF(r, by, fem, b.com.belfiore) })
				}
				kind, key = "family", b.familyKey
			}
			base := q + 0.9*r.norm()
			item := func(shift float64) int { return int(clamp(math.Round(base+shift+1.1*r.norm()), 0, 10)) }
			nps := item(-0.2)
			yi := cs.yi(y)
			st.npsN[yi]++
			if nps >= 9 {
				st.npsProm[yi]++
			} else if nps <= 6 {
				st.npsDet[yi]++
			}
			for _, it := range []struct {
				code string
				v    int
			}{{"nps", nps}, {"overall", item(0)}, {"staff", item(0.3)}, {"timeliness", item(-0.5)}} {
				out.row(c.id, sid, kind, key, "", it.code, strconv.Itoa(it.v))
			}
		}
	}
}
