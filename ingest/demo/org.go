package demo

import (
	"math"
	"strconv"
	"strings"
)

type processDef struct {
	code, area    string
	initW         []float64 // weights of the initial level 0..3
	before, after float64   // minutes per instance on paper / fully digital
	tools         [4]string
	needsCaseload bool
}

// The eight processes of the inventory. Payroll and e-invoicing (mandatory
// since 2019) start digital; timesheets, onboarding and reporting mostly on paper.
var processDefs = []processDef{
	{"payroll", "hr", []float64{0, 0.2, 0.65, 0.15}, 25, 8,
		[4]string{"elaborazione manuale", "consulente del lavoro + Excel", "software paghe", "software paghe integrato con presenze"}, false},
	{"timesheets", "hr", []float64{0.45, 0.4, 0.12, 0.03}, 40, 10,
		[4]string{"fogli firma cartacei", "foglio Excel", "app rilevazione presenze", "app presenze integrata con paghe"}, false},
	{"invoicing", "administration", []float64{0, 0.15, 0.7, 0.15}, 30, 8,
		[4]string{"fatture cartacee", "portale SdI + Excel", "gestionale fatturazione elettronica", "gestionale contabile integrato"}, false},
	{"pa_reporting", "reporting", []float64{0.3, 0.5, 0.2, 0}, 300, 120,
		[4]string{"rendiconti cartacei", "Excel + PEC", "portale di rendicontazione", "rendicontazione automatica da gestionale"}, false},
	{"onboarding", "hr", []float64{0.5, 0.4, 0.1, 0}, 240, 90,
		[4]string{"modulistica cartacea", "modelli Word via e-mail", "modulistica online", "portale del personale integrato"}, false},
	{"documents", "administration", []float64{0.25, 0.55, 0.2, 0}, 12, 4,
		[4]string{"archivio cartaceo", "cartelle condivise", "archivio documentale in cloud", "gestione documentale con conservazione a norma"}, false},
	{"social_report", "communication", []float64{0.35, 0.5, 0.15, 0}, 4800, 1800,
		[4]string{"redazione manuale", "Word + Excel", "piattaforma bilancio sociale", "bilancio sociale da dati integrati"}, false},
	{"care_plans", "service_delivery", []float64{0.4, 0.4, 0.2, 0}, 90, 40,
		[4]string{"cartella cartacea", "modelli Word", "cartella sociale informatizzata", "cartella sociale integrata con agende"}, true},
}

// writeProcesses writes one inventory snapshot per process and year (31
// December). Each year a process below level 3 moves up one level with
// CohortProcessUpgradeRate in cohort cooperatives from CohortStart on,
// ControlProcessUpgradeRate otherwise.
func (cs *coopSim) writeProcesses(out *csvOut) {
	r := cs.rng(streamProc)
	o, c, st := cs.o, cs.c, &cs.c.st
	mult := r.between(0.8, 1.25)
	invoiceSize := r.between(2500, 6000)
	docsPer := r.between(15, 40)
	for _, pd := range processDefs {
		if pd.needsCaseload && len(cs.benef) == 0 {
			continue
		}
		level := r.pick(pd.initW)
		golive := day(0)
		if level > 0 {
			lo := c.founded + 1
			if lo < o.YearFrom-6 {
				lo = o.YearFrom - 6
			}
			golive = mkDay(r.ibetween(lo, o.YearFrom-1), r.ibetween(1, 12), r.ibetween(1, 28))
		}
		for yi := 0; yi < cs.years; yi++ {
			y := o.YearFrom + yi
			rate := ControlProcessUpgradeRate
			if c.cohort && y >= o.CohortStart {
				rate = CohortProcessUpgradeRate
			}
			if level < 3 && r.chance(rate) {
				level++
				golive = mkDay(y, r.ibetween(1, 12), r.ibetween(1, 28))
			}
			st.mgt01[yi] += 100 * float64(level) / 3
			hc := float64(st.hcEnd[yi])
			var inst float64
			switch pd.code {
			case "payroll", "timesheets":
				inst = hc * 12
			case "invoicing":
				inst = st.personnel[yi] / 0.7 / invoiceSize
			case "pa_reporting":
				inst = 12 + hc/3
			case "onboarding":
				inst = math.Max(1, float64(st.hires[yi]))
			case "documents":
				inst = hc * docsPer
			case "social_report":
				inst = 1
			case "care_plans":
				inst = math.Max(1, float64(st.served[yi]))
			}
			after := ""
			if level >= 2 {
				a := pd.after * mult
				if level == 2 {
					a *= 1.25
				}
				after = decShort(math.Round(a))
			}
			out.row(c.id, pd.code, itDate(mkDay(y, 12, 31)), pd.area, strconv.Itoa(level), pd.tools[level],
				itDate(golive), decShort(math.Round(pd.before*mult)), after, strconv.Itoa(int(math.Round(inst))))
		}
	}
	n := 0
	for _, pd := range processDefs {
		if !pd.needsCaseload || len(cs.benef) > 0 {
			n++
		}
	}
	for yi := range st.mgt01 {
		st.mgt01[yi] /= float64(n)
	}
}

type certRow struct {
	coopID, certType, scope, issuer string
	issue, expiry                   day
	status                          string
	score                           float64 // 0 = empty
}

var certBodies = []string{"Bureau Veritas Italia", "DNV Business Assurance Italy", "Certiquality", "RINA Services",
	"TÜV Italia", "CSQA Certificazioni", "Kiwa Cermet Italia", "SGS Italia", "IMQ"}

var serviceIT = map[string]string{"home_care": "assistenza domiciliare", "day_centre": "centro diurno",
	"residential": "struttura residenziale", "school_support": "assistenza scolastica",
	"family_support": "sostegno alle famiglie", "work_integration": "inserimento lavorativo", "other": "servizi alla comunità"}

// makeCertifications draws each certificate's cycles up to YearTo: ISO
// schemes every three years, legality rating every two, regional
// accreditation every five; some cooperatives let a certificate lapse.
func (cs *coopSim) makeCertifications() {
	r := cs.rng(streamCert)
	o, c := cs.o, cs.c
	care := c.typ == "A" || c.typ == "AB"
	scope := "Progettazione ed erogazione di servizi socio-assistenziali ed educativi"
	switch c.typ {
	case "B":
		scope = "Servizi di pulizia, manutenzione del verde e inserimento lavorativo di persone svantaggiate"
	case "consortium":
		scope = "Coordinamento e gestione di servizi per le cooperative associate"
	case "worker", "other":
		scope = "Erogazione di servizi alle persone e alle imprese"
	}
	type scheme struct {
		typ         string
		p           float64
		years       int
		firstFrom   int
		issuer      string
		scope       string
		score       func() float64
		canLapse    bool
		noExpiryPct float64
	}
	body := certBodies[r.intn(len(certBodies))]
	regionShort := strings.Split(c.region.name, "/")[0]
	schemes := []scheme{
		{"ISO9001", map[bool]float64{true: 0.65, false: 0.45}[care], 3, 0, body, scope, nil, true, 0},
		{"ISO45001", 0.2, 3, 0, body, scope, nil, true, 0},
		{"ISO14001", map[bool]float64{true: 0.18, false: 0.08}[c.typ == "B"], 3, 0, body, scope, nil, true, 0},
		{"SA8000", 0.05, 3, 0, body, "Responsabilità sociale", nil, true, 0},
		{"ISO27001", 0.03, 3, 0, body, "Sicurezza delle informazioni dei servizi gestiti", nil, true, 0},
		{"UNI_PDR_125", 0.12, 3, 2023, body, "Parità di genere", func() float64 { return math.Round(r.between(60, 90)) }, false, 0},
		{"legality_rating", 0.15, 2, 0, "Autorità Garante della Concorrenza e del Mercato", "Rating di legalità",
			func() float64 { return float64(r.ibetween(1, 3)) }, true, 0},
	}
	if len(cs.services) > 0 && cs.services[0] != "work_integration" {
		p := 0.1
		if care {
			p = 0.75
		}
		schemes = append(schemes, scheme{"regional_accreditation", p, 5, 0, "Regione " + regionShort,
			"Accreditamento " + serviceIT[cs.services[0]], nil, false, 0.4})
	}
	snapshot := mkDay(o.YearTo, 12, 31)
	for _, s := range schemes {
		if !r.chance(s.p) {
			continue
		}
		lo := o.YearFrom - s.years
		if lo < c.founded+1 {
			lo = c.founded + 1
		}
		if s.firstFrom > lo {
			lo = s.firstFrom
		}
		if lo > o.YearTo {
			continue
		}
		issue := mkDay(r.ibetween(lo, o.YearTo), r.ibetween(1, 12), r.ibetween(1, 28))
		noExpiry := r.chance(s.noExpiryPct)
		for issue <= snapshot {
			y, m, d := issue.ymd()
			expiry := mkDay(y+s.years, m, d) - 1
			status := "valid"
			if expiry < snapshot {
				status = "expired"
			} else if r.chance(0.04) {
				status = "suspended"
			}
			row := certRow{c.id, s.typ, s.scope, s.issuer, issue, expiry, status, 0}
			if noExpiry {
				row.expiry, row.status = 0, "valid"
			}
			if s.score != nil {
				row.score = s.score()
			}
			c.certs = append(c.certs, row)
			if noExpiry || (s.canLapse && r.chance(0.12)) {
				break
			}
			issue = expiry + 1
		}
	}
}

// writeDMA writes the T0 (first quarter of CohortStart) and T1 (autumn of
// YearTo) DMA answers. Latent maturity rises by a cohort or control gain.
func (cs *coopSim) writeDMA(out *csvOut) {
	r := cs.rng(streamDMA)
	o, c := cs.o, cs.c
	m0 := clamp(34+5*math.Log(c.size0/25)+9*r.norm(), 8, 72)
	gain := r.between(ControlDMAGainMin, ControlDMAGainMax)
	if c.cohort {
		gain = r.between(CohortDMAGainMin, CohortDMAGainMax)
	}
	u := dmaThresholds(r)
	t0 := mkDay(o.CohortStart, 1, 15) + day(r.intn(75))
	t1 := mkDay(o.YearTo, 10, 1) + day(r.intn(70))
	for _, wave := range []struct {
		code string
		at   day
		m    float64
	}{{"T0", t0, m0}, {"T1", t1, m0 + gain}} {
		ans := dmaAnswers(wave.m, u)
		score, _ := dmaScore(ans)
		if wave.code == "T0" {
			c.st.dmaT0 = score
		} else {
			c.st.dmaT1 = score
		}
		d := itDate(wave.at)
		for _, q := range DMAQuestions {
			for i, item := range q.Items {
				out.row(c.id, wave.code, d, q.Code, item, decShort(ans[q.Code][i]))
			}
		}
	}
}

// writeGovernance writes the members' assemblies (approval of the accounts
// between April and June, sometimes an extraordinary one) and 4–12 board
// meetings a year.
func (cs *coopSim) writeGovernance(out *csvOut) {
	r := cs.rng(streamGov)
	o, c := cs.o, cs.c
	extraMembers := r.between(0, 0.2)
	turnout := r.between(0.35, 0.8)
	if c.size0 > 80 {
		turnout *= 0.75
	}
	board := 3
	switch {
	case c.size0 > 100:
		board = 9
	case c.size0 > 40:
		board = 7
	case c.size0 > 12:
		board = 5
	}
	meetings := r.between(4, 12)
	members := func(d day) int {
		n := 0
		for _, s := range cs.spells {
			if s.member && s.start <= d && s.end >= d {
				n++
			}
		}
		n += int(math.Round(float64(n) * extraMembers))
		if n < 3 {
			n = 3
		}
		return n
	}
	for y := o.YearFrom; y <= o.YearTo; y++ {
		dates := []day{mkDay(y, 4, 15) + day(r.intn(76))}
		if r.chance(0.15) {
			dates = append(dates, mkDay(y, 11, 2)+day(r.intn(45)))
		}
		for _, d := range dates {
			ent := members(d)
			pres := int(math.Round(float64(ent) * clamp(turnout+0.08*r.norm(), 0.1, 1)))
			if pres < 1 {
				pres = 1
			}
			if pres > ent {
				pres = ent
			}
			out.row(c.id, "assembly", itDate(d), strconv.Itoa(ent), strconv.Itoa(pres))
		}
		k := int(clamp(math.Round(meetings+1.2*r.norm()), 4, 12))
		ys := mkDay(y, 1, 1)
		span := int(mkDay(y, 12, 31) - ys + 1)
		for i := 0; i < k; i++ {
			d := ys + day(i*span/k+r.intn(span/k))
			pres := board
			for j := 0; j < board; j++ {
				if r.chance(0.1) {
					pres--
				}
			}
			if pres < (board+1)/2 {
				pres = (board + 1) / 2
			}
			out.row(c.id, "board", itDate(d), strconv.Itoa(board), strconv.Itoa(pres))
		}
	}
}
