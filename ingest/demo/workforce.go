package demo

import "math"

type worker struct {
	id        string
	female    bool
	gender    string
	birthYear int
	role      string
	manager   bool
	specialty string // admin_hr or admin_accounting for clerks
	travels   bool
	disadv    bool
	cat       string
	pay       float64 // annual gross, full-time equivalent
	pct       float64 // part-time percentage (100 = full time)
	spells    []*spell
	first     day // first start
	courseHrs map[int]float64
}

type spell struct {
	w        *worker
	contract string // canonical contract type
	start    day
	end      day // noEnd while open
	exit     string
	member   bool
	open     bool // open-ended contract
}

// Role mix by cooperative type: social-care staff in A, production staff
// ("other") in B, more clerks and coordinators in consortia.
var roleNames = []string{"direct_care", "coordination", "admin", "management", "other"}
var roleMix = map[string][]float64{
	"A":          {0.74, 0.09, 0.08, 0.04, 0.05},
	"B":          {0.05, 0.09, 0.08, 0.04, 0.74},
	"AB":         {0.42, 0.10, 0.08, 0.04, 0.36},
	"consortium": {0.15, 0.30, 0.35, 0.15, 0.05},
	"worker":     {0.15, 0.10, 0.10, 0.05, 0.60},
	"other":      {0.50, 0.10, 0.12, 0.08, 0.20},
}

// Share of a role's time spent on administration before the programme.
var adminWeight = map[string]float64{"direct_care": 0.10, "coordination": 0.25, "admin": 0.85, "management": 0.40, "other": 0.08}

var femaleShare = map[string]float64{"direct_care": 0.84, "coordination": 0.72, "admin": 0.80, "management": 0.50, "other": 0.38}

// Gross yearly pay (FTE) ranges by role, CCNL cooperative sociali levels A1–F2.
var payRange = map[string][2]float64{
	"direct_care": {21500, 27000}, "coordination": {28500, 36000}, "admin": {23000, 30000},
	"management": {36000, 58000}, "other": {20000, 23500},
}

// Weekly hours against the 38-hour contract week; FTE = hours/38 ≥ 0.5.
var weeklyHours = []float64{38, 36, 34, 32, 30, 28, 25, 24, 20, 19}
var weeklyCare = []float64{0.34, 0.06, 0.06, 0.08, 0.12, 0.08, 0.08, 0.09, 0.05, 0.04}
var weeklyOffice = []float64{0.60, 0.06, 0.04, 0.05, 0.10, 0.03, 0.03, 0.05, 0.04, 0.00}

var disadvCats = []string{"physical", "psychic", "sensory", "addiction", "detention", "minor_family", "other"}
var disadvCatW = []float64{0.28, 0.30, 0.06, 0.16, 0.10, 0.03, 0.07}

var contractsInitial = []string{"permanent", "fixed_term", "collaborator", "intern", "other"}
var contractsInitialW = []float64{0.68, 0.22, 0.05, 0.01, 0.04}
var contractsHireW = []float64{0.22, 0.60, 0.08, 0.07, 0.03}

// contractIT writes contract types with the Italian synonyms datasets.md accepts.
var contractIT = map[string]string{"permanent": "indeterminato", "fixed_term": "determinato",
	"collaborator": "collaborazione", "intern": "tirocinio", "other": "other"}

func (cs *coopSim) newWorker(r *rng, hire day, initial, forceManager, disadv bool) *worker {
	c := cs.c
	w := &worker{disadv: disadv}
	if forceManager {
		w.role = "management"
	} else {
		w.role = roleNames[r.pick(roleMix[c.typ])]
		if disadv && (w.role == "management" || w.role == "coordination") {
			w.role = "other"
			if c.typ == "A" {
				w.role = "direct_care"
			}
		}
	}
	w.manager = w.role == "management" || (w.role == "coordination" && r.chance(0.4))
	pf := femaleShare[w.role]
	if disadv {
		pf *= 0.7
	}
	w.female = r.chance(pf)
	w.gender = "M"
	if w.female {
		w.gender = "F"
	}
	if r.chance(0.002) {
		w.gender = "X"
	}
	age := 0.0
	if initial {
		age = clamp(44+10*r.norm(), 20, 64)
	} else {
		age = clamp(35+10*r.norm(), 19, 62)
	}
	w.birthYear = hire.year() - int(age)
	var bel string
	switch {
	case r.chance(map[bool]float64{true: 0.20, false: 0.08}[w.role == "direct_care"]):
		bel = foreignBelfiore[r.intn(len(foreignBelfiore))]
	case r.chance(0.65):
		bel = cs.n.sampler(c.region, 1).pick(r).belfiore
	default:
		bel = cs.n.sampler(nil, 1).pick(r).belfiore
	}
	cfFemale := w.female
	if w.gender == "X" {
		cfFemale = r.chance(0.5)
	}
	w.id = cs.n.ids.claim(func() string { return fakeCF(r, w.birthYear, cfFemale, bel) })
	if w.role == "admin" {
		w.specialty = "admin_hr"
		if r.chance(0.5) {
			w.specialty = "admin_accounting"
		}
	}
	if w.role == "direct_care" {
		w.travels = r.chance(0.1)
		if cs.travelHeavy {
			w.travels = r.chance(0.7)
		}
	}
	if disadv {
		w.cat = disadvCats[r.pick(disadvCatW)]
	}
	pr := payRange[w.role]
	pay := r.between(pr[0], pr[1])
	if !w.female {
		pay *= 1.09 // allowances, seniority steps and overtime: the usual gap
	}
	w.pay = clamp(math.Round(pay/10)*10, 20000, 60000)
	hw := weeklyCare
	if w.role == "admin" || w.role == "management" || w.role == "coordination" {
		hw = weeklyOffice
	}
	h := weeklyHours[r.pick(hw)]
	if disadv && h == 38 && r.chance(0.4) {
		h = 25
	}
	w.pct = math.Round(h/38*10000) / 100
	w.courseHrs = map[int]float64{}
	return w
}

func (w *worker) fte() float64 { return w.pct / 100 }

func (cs *coopSim) addSpell(w *worker, contract string, start, end day, member bool) *spell {
	s := &spell{w: w, contract: contract, start: start, end: end, member: member,
		open: contract == "permanent" || contract == "other"}
	if s.open {
		s.end = noEnd
	}
	if len(w.spells) == 0 {
		w.first = start
		cs.workers = append(cs.workers, w)
	}
	w.spells = append(w.spells, s)
	cs.spells = append(cs.spells, s)
	return s
}

// termLength is the planned duration of a non-permanent contract, in days.
func termLength(r *rng, contract string) day {
	switch contract {
	case "fixed_term":
		return day(30 * r.ibetween(6, 12))
	case "intern":
		return day(30 * r.ibetween(3, 6))
	default: // collaborator: yearly assignments
		return day(30 * r.ibetween(6, 12))
	}
}

func memberOnHire(r *rng, contract string) bool {
	switch contract {
	case "permanent", "other":
		return r.chance(0.65)
	case "fixed_term":
		return r.chance(0.12)
	case "collaborator":
		return r.chance(0.05)
	}
	return false
}

// disadvantaged decides whether the next person is a disadvantaged worker,
// steering a B/AB cooperative toward its target share.
func (cs *coopSim) disadvantaged(r *rng, active []*spell, at day) bool {
	if cs.c.disadvTarget == 0 {
		return false
	}
	n, d := 0, 0
	for _, s := range active {
		if s.start <= at && s.end >= at {
			n++
			if s.w.disadv {
				d++
			}
		}
	}
	if n == 0 || float64(d)/float64(n) < cs.c.disadvTarget {
		return r.chance(0.85)
	}
	return r.chance(0.06)
}

// simulateWorkforce builds the employment spells month by month: an initial
// roster, exits by hazard, term ends (with conversions and renewals), and
// hires toward a target headcount that grows at the cooperative's rate.
func (cs *coopSim) simulateWorkforce() {
	r := cs.rng(streamWorkers)
	o, c := cs.o, cs.c
	n0 := r.round(c.size0)
	if n0 < 3 {
		n0 = 3
	}
	foundedDay := mkDay(c.founded, 1, 1)
	nDis := int(math.Round(c.disadvTarget * float64(n0)))
	disPerm := r.perm(n0)
	var active []*spell
	for i := 0; i < n0; i++ {
		dis := disPerm[i] < nDis && i != 0
		w := cs.newWorker(r, cs.simStart, true, i == 0, dis)
		contract := contractsInitial[r.pick(contractsInitialW)]
		if i == 0 {
			contract = "permanent"
		}
		tenure := day(-6 * 365.25 * math.Log(1-r.float()))
		start := cs.simStart - 1 - tenure
		if start < foundedDay {
			start = foundedDay + day(r.intn(200))
		}
		if adult := mkDay(w.birthYear+19, 1, 1); start < adult {
			start = adult
		}
		if start >= cs.simStart {
			start = cs.simStart - 1 - day(r.intn(60))
		}
		end := noEnd
		if contract != "permanent" && contract != "other" {
			end = cs.simStart + day(r.ibetween(15, 330))
			if lo := end - termLength(r, contract); start < lo {
				start = lo
			}
			if start >= cs.simStart {
				start = cs.simStart - 1 - day(r.intn(60))
			}
		}
		member := contract == "permanent" && r.chance(0.85) || contract != "permanent" && memberOnHire(r, contract)
		active = append(active, cs.addSpell(w, contract, start, end, member))
	}

	for m := 0; m < cs.months; m++ {
		ms, me := cs.monthStart(m), cs.monthStart(m+1)-1
		year := o.YearFrom + m/12

		// Hires at the start of the month, toward the target headcount.
		cont, managers := 0, 0
		for _, s := range active {
			if s.end >= ms {
				cont++
				if s.w.role == "management" {
					managers++
				}
			}
		}
		target := c.size0 * math.Exp(cs.growth*float64(m)/12)
		for k := r.round(target - float64(cont)); k > 0; k-- {
			start := ms
			if r.chance(0.45) {
				start = ms + day(r.intn(int(me-ms)+1))
			}
			dis := cs.disadvantaged(r, active, start)
			w := cs.newWorker(r, start, false, managers == 0, dis && managers > 0)
			if w.role == "management" {
				managers++
			}
			contract := contractsInitial[r.pick(contractsHireW)]
			if contract == "intern" && w.role != "direct_care" && w.role != "other" {
				contract = "fixed_term"
			}
			end := noEnd
			if contract != "permanent" && contract != "other" {
				end = start + termLength(r, contract) - 1
			}
			active = append(active, cs.addSpell(w, contract, start, end, memberOnHire(r, contract)))
		}

		// Exits and term ends during the month.
		for i := 0; i < len(active); i++ {
			s := active[i]
			if s.end < ms || s.start > me {
				continue
			}
			w := s.w
			lo := ms
			if s.start >= lo {
				lo = s.start + 1
			}
			if lo > me {
				continue
			}
			exitDay := func() day { return lo + day(r.intn(int(me-lo)+1)) }
			if s.open {
				age := year - w.birthYear
				switch {
				case age >= 67 || (age >= 63 && r.chance(0.012)):
					s.end, s.exit = exitDay(), "retirement"
				case r.chance(0.0055):
					s.end, s.exit = exitDay(), "voluntary"
				case r.chance(0.002 + map[bool]float64{true: 0.004, false: 0}[w.disadv && ms-w.first > 365]):
					s.end, s.exit = exitDay(), "to_external_job"
				case r.chance(0.0008 + map[bool]float64{true: 0.0007, false: 0}[w.disadv]):
					s.end, s.exit = exitDay(), "involuntary"
				}
				continue
			}
			if s.end > me {
				if r.chance(0.003) {
					s.end, s.exit = exitDay(), "voluntary"
				}
				continue
			}
			// The term falls in this month: convert, renew or end.
			next := ""
			u := r.float()
			switch s.contract {
			case "fixed_term":
				if u < 0.20 {
					next = "permanent"
				} else if u < 0.55 {
					next = "fixed_term"
				}
			case "intern":
				if u < 0.30 {
					next = "fixed_term"
				}
			case "collaborator":
				if u < 0.55 {
					next = "collaborator"
				} else if u < 0.65 {
					next = "permanent"
				}
			}
			if next == "" {
				s.exit = "end_of_term"
				continue
			}
			if s.end >= cs.simEnd {
				s.end = noEnd // continues past the extraction date
				continue
			}
			start := s.end + 1
			end := noEnd
			if next != "permanent" {
				end = start + termLength(r, next) - 1
			}
			member := s.member || (next == "permanent" && r.chance(0.65))
			active = append(active, cs.addSpell(w, next, start, end, member))
		}
		kept := active[:0]
		for _, s := range active {
			if s.end > me {
				kept = append(kept, s)
			}
		}
		active = kept
	}
}

// fteIn returns the person's FTE-weighted share of the days [from, to].
func (w *worker) fteIn(from, to day) float64 {
	total := 0.0
	for _, s := range w.spells {
		a, b := s.start, s.end
		if a < from {
			a = from
		}
		if b > to {
			b = to
		}
		if b >= a {
			total += float64(b - a + 1)
		}
	}
	return total / float64(to-from+1) * w.fte()
}

// activeOn reports the spell active on the date, if any.
func (w *worker) activeOn(d day) *spell {
	for _, s := range w.spells {
		if s.start <= d && s.end >= d {
			return s
		}
	}
	return nil
}
