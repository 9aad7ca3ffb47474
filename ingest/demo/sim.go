package demo

import (
	"math"
	"strconv"
)

// coopStats keeps the per-year values the targets file needs as baselines,
// indexed by year - YearFrom.
type coopStats struct {
	cohortLabel  string
	adminHours   []float64
	totalHours   []float64
	hcEnd        []int
	disadvEnd    []int
	permEnd      []int
	fteAvg       []float64
	hires        []int
	digHours     []float64 // completed digital training hours
	personnel    []float64
	personnelMem []float64
	served       []int
	npsProm      []int
	npsDet       []int
	npsN         []int
	mgt01        []float64
	margin       []float64
	dmaT0, dmaT1 float64
}

// coopSim holds one cooperative's hidden parameters while it is simulated.
type coopSim struct {
	n                *network
	c                *coop
	o                Options
	months           int
	simStart, simEnd day
	years            int

	growth      float64
	adminTarget float64 // admin-hours share the role mix is scaled to
	adminC      float64 // cooperative-level multiplier of admin time
	adminDrop   float64 // cohort: admin-share fall at full effect, points
	adminScale  float64 // cohort: relative cut that yields adminDrop
	yearNoise   []float64
	travelHeavy bool
	services    []string // service types offered, main first
	svcWeight   []float64

	workers []*worker
	spells  []*spell
	benef   []*beneficiary
}

func (cs *coopSim) rng(stream uint64) *rng {
	return newRNG(cs.o.Seed, stream, uint64(cs.c.idx))
}

func (cs *coopSim) monthStart(m int) day {
	return mkDay(cs.o.YearFrom+m/12, m%12+1, 1)
}

func (cs *coopSim) yi(year int) int { return year - cs.o.YearFrom }

var mainServiceA = []string{"home_care", "day_centre", "residential", "school_support", "family_support"}
var mainServiceAW = []float64{0.32, 0.20, 0.16, 0.22, 0.10}

func (n *network) newSim(c *coop) *coopSim {
	o := n.o
	cs := &coopSim{n: n, c: c, o: o, years: o.YearTo - o.YearFrom + 1}
	cs.months = cs.years * 12
	cs.simStart, cs.simEnd = mkDay(o.YearFrom, 1, 1), mkDay(o.YearTo, 12, 31)
	r := cs.rng(streamParams)
	cs.growth = clamp(0.02+0.035*r.norm(), -0.06, 0.10)
	if c.size0 > 150 {
		cs.growth *= 0.5
	}
	cs.adminTarget = r.between(0.16, 0.26)
	if c.typ == "consortium" {
		cs.adminTarget = r.between(0.24, 0.30)
	}
	if c.cohort {
		cs.adminDrop = r.between(CohortAdminShareDropMin, CohortAdminShareDropMax)
	}
	cs.yearNoise = make([]float64, cs.years)
	for i := range cs.yearNoise {
		cs.yearNoise[i] = 0.02 * r.norm()
	}
	switch c.typ {
	case "A", "AB":
		main := mainServiceA[r.pick(mainServiceAW)]
		cs.services = []string{main}
		cs.svcWeight = []float64{1}
		if r.chance(0.45) {
			second := mainServiceA[r.pick(mainServiceAW)]
			if second != main {
				cs.services = append(cs.services, second)
				cs.svcWeight = []float64{0.75, 0.25}
			}
		}
		if c.typ == "AB" {
			cs.services = append(cs.services, "work_integration")
			cs.svcWeight = append(cs.svcWeight, 0)
		}
		cs.travelHeavy = main == "home_care" || main == "school_support"
	case "B":
		cs.services = []string{"work_integration"}
		cs.svcWeight = []float64{0}
	case "other":
		cs.services = []string{"other"}
		cs.svcWeight = []float64{0}
	}
	c.st.cohortLabel = c.cohortLabel(o)
	st := &c.st
	st.adminHours, st.totalHours = make([]float64, cs.years), make([]float64, cs.years)
	st.hcEnd, st.disadvEnd, st.permEnd = make([]int, cs.years), make([]int, cs.years), make([]int, cs.years)
	st.fteAvg, st.hires, st.digHours = make([]float64, cs.years), make([]int, cs.years), make([]float64, cs.years)
	st.personnel, st.personnelMem = make([]float64, cs.years), make([]float64, cs.years)
	st.served, st.npsProm, st.npsDet, st.npsN = make([]int, cs.years), make([]int, cs.years), make([]int, cs.years), make([]int, cs.years)
	st.mgt01, st.margin = make([]float64, cs.years), make([]float64, cs.years)
	return cs
}

// simulate runs every generator for one cooperative and writes its rows.
func (n *network) simulate(c *coop, out *outputs) {
	cs := n.newSim(c)
	cs.simulateWorkforce()
	cs.rosterStats()
	cs.writeWorkers(out.workers)
	cs.writeTrainings(out.trainings)
	cs.writeHours(out.hours)
	cs.writeSkills(out.skills)
	cs.simulateBeneficiaries()
	cs.writeBeneficiaries(out.benef)
	cs.writeServices(out.services)
	cs.writeSurveys(out.surveys)
	cs.writeFinance(out.finance, out.revenue)
	cs.writeProcesses(out.processes)
	cs.makeCertifications()
	cs.writeDMA(out.dma)
	cs.writeGovernance(out.gov)
}

// rosterStats computes year-end headcounts, hires, average FTE and payroll
// cost (gross pay plus ~30 % employer contributions and severance accrual).
func (cs *coopSim) rosterStats() {
	st := &cs.c.st
	for yi := 0; yi < cs.years; yi++ {
		y := cs.o.YearFrom + yi
		ys, ye := mkDay(y, 1, 1), mkDay(y, 12, 31)
		ndays := float64(ye - ys + 1)
		for _, s := range cs.spells {
			a, b := s.start, s.end
			if s.start >= ys && s.start <= ye && s == s.w.spells[0] {
				st.hires[yi]++
			}
			if a < ys {
				a = ys
			}
			if b > ye {
				b = ye
			}
			if b < a {
				continue
			}
			cost := s.w.pay * s.w.fte() * float64(b-a+1) / ndays * 1.30
			st.personnel[yi] += cost
			if s.member {
				st.personnelMem[yi] += cost
			}
			if s.start <= ye && s.end >= ye {
				st.hcEnd[yi]++
				if s.w.disadv {
					st.disadvEnd[yi]++
				}
				if s.contract == "permanent" {
					st.permEnd[yi]++
				}
			}
		}
		for m := 0; m < 12; m++ {
			ms := mkDay(y, m+1, 1)
			me := mkDay(y, m+1, daysIn(y, m+1))
			for _, w := range cs.workers {
				st.fteAvg[yi] += w.fteIn(ms, me) / 12
			}
		}
	}
	cs.c.workersEnd = st.hcEnd[cs.years-1]
	cs.c.fteEnd = math.Round(st.fteAvg[cs.years-1]*100) / 100
}

func (cs *coopSim) writeWorkers(out *csvOut) {
	id := cs.c.id
	for _, s := range cs.spells {
		w := s.w
		end, exit := s.end, s.exit
		if end > cs.simEnd {
			end, exit = noEnd, ""
		}
		out.row(id, w.id, w.gender, strconv.Itoa(w.birthYear), siNo(s.member), contractIT[s.contract],
			dec2(w.pct), itDate(s.start), itDate(end), exit, w.role, siNo(w.manager), money(w.pay),
			siNo(w.disadv), w.cat)
	}
}

// Seasonal profile of worked hours (holidays in August and December).
var season = [12]float64{0.99, 1.02, 1.04, 1.00, 1.04, 1.02, 1.01, 0.73, 1.04, 1.06, 1.04, 0.93}

const hoursPerFTE = 140.0

var activityOrder = []string{"direct_service", "coordination", "admin_hr", "admin_accounting",
	"admin_reporting", "training", "travel", "other"}

// calibrateAdmin scales the role weights every month so that the admin
// share stays at the cooperative's own level whatever the staff mix (small
// cooperatives would swing with every hire): without the programme the
// share has no trend.
func (cs *coopSim) calibrateAdmin(from, to day) {
	num, den := 0.0, 0.0
	for _, w := range cs.workers {
		if w.first > to {
			continue
		}
		if f := w.fteIn(from, to); f > 0 {
			num += f * math.Min(0.95, adminWeight[w.role])
			den += f
		}
	}
	cs.adminC = 1
	if num > 0 {
		cs.adminC = cs.adminTarget * den / num
	}
}

func quarter(x float64) float64 { return math.Round(x*4) / 4 }

// writeHours writes 2–4 activity rows per person and month. The admin share
// follows the role mix; in cohort cooperatives it is cut from CohortStart on,
// scaled so that the share falls by adminDrop points once fully phased in.
func (cs *coopSim) writeHours(out *csvOut) {
	r := cs.rng(streamHours)
	o, st := cs.o, &cs.c.st
	cohortM := (o.CohortStart - o.YearFrom) * 12
	baseYi := cs.yi(o.CohortStart - 1)
	var acts [8]float64
	for m := 0; m < cs.months; m++ {
		ms, me := cs.monthStart(m), cs.monthStart(m+1)-1
		yi := m / 12
		mon := itMonth(o.YearFrom+yi, m%12+1)
		cs.calibrateAdmin(ms, me)
		if m == cohortM && cs.c.cohort && st.totalHours[baseYi] > 0 {
			cs.adminScale = cs.adminDrop / (100 * st.adminHours[baseYi] / st.totalHours[baseYi])
		}
		g := 1 + cs.yearNoise[yi]
		if cs.c.cohort && m >= cohortM {
			ramp := math.Min(1, float64(m-cohortM+1)/AdminRampMonths)
			g *= 1 - cs.adminScale*ramp
		}
		for _, w := range cs.workers {
			if w.first > me {
				continue
			}
			f := w.fteIn(ms, me)
			if f == 0 {
				continue
			}
			h := quarter(f * hoursPerFTE * season[m%12] * (1 + 0.04*r.norm()))
			if h < 2 {
				continue
			}
			acts = [8]float64{}
			train := quarter(math.Min(w.courseHrs[m], 0.6*h))
			rest := h - train
			travel := 0.0
			if w.travels {
				travel = quarter(rest * r.between(0.06, 0.12))
			}
			a := clamp(adminWeight[w.role]*cs.adminC*g*(1+0.05*r.norm()), 0, 0.95)
			admin := quarter((rest - travel) * a)
			remaining := rest - travel - admin
			switch w.role {
			case "coordination":
				acts[1] = quarter(remaining * 0.45)
				acts[0] = remaining - acts[1]
				acts[4] = admin
			case "admin":
				main := quarter(admin * 0.7)
				if w.specialty == "admin_hr" {
					acts[2] = main
				} else {
					acts[3] = main
				}
				acts[4] = admin - main
				acts[7] = remaining
			case "management":
				acts[1] = quarter(remaining * 0.6)
				acts[0] = remaining - acts[1]
				acts[2] = quarter(admin * 0.5)
				acts[4] = admin - acts[2]
			default:
				acts[0] = remaining
				acts[4] = admin
			}
			acts[5], acts[6] = train, travel
			for k, v := range acts {
				if v <= 0 {
					continue
				}
				out.field(cs.c.id)
				out.field(w.id)
				out.field(mon)
				out.field(activityOrder[k])
				out.fieldDec2(v)
				out.end()
				st.totalHours[yi] += v
				if k >= 2 && k <= 4 {
					st.adminHours[yi] += v
				}
			}
		}
	}
}
