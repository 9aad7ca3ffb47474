package demo

import (
	"math"
	"strconv"
)

type course struct {
	title  string
	topic  string
	area   int // DigComp area for digital courses
	hours  []float64
	costPH float64 // euro per hour when paid
}

var safetyGeneral = course{"Formazione generale lavoratori (D.Lgs. 81/08)", "safety", 0, []float64{4}, 10}
var safetySpecific = course{"Formazione specifica lavoratori - rischio medio", "safety", 0, []float64{8}, 12}
var safetySpecificHigh = course{"Formazione specifica lavoratori - rischio alto", "safety", 0, []float64{12}, 12}

var safetyOther = []course{
	{"Aggiornamento formazione sicurezza lavoratori", "safety", 0, []float64{6}, 12},
	{"Addetti primo soccorso (gruppo B)", "safety", 0, []float64{12}, 18},
	{"Addetti antincendio - livello 2", "safety", 0, []float64{8}, 18},
	{"Movimentazione manuale dei carichi", "safety", 0, []float64{4}, 15},
}

var professionalCare = []course{
	{"Aggiornamento professionale OSS", "professional", 0, []float64{8, 16, 24}, 25},
	{"Gestione dei comportamenti aggressivi", "professional", 0, []float64{8, 12}, 30},
	{"Demenze e Alzheimer: l'assistenza quotidiana", "professional", 0, []float64{8, 12, 16}, 28},
	{"Disturbi dello spettro autistico a scuola", "professional", 0, []float64{12, 16, 20}, 30},
	{"Mobilizzazione e prevenzione delle cadute", "professional", 0, []float64{8}, 25},
	{"Primo soccorso pediatrico", "professional", 0, []float64{8}, 30},
	{"Progetto educativo individualizzato", "professional", 0, []float64{12, 16}, 28},
}

var professionalOps = []course{
	{"Tecniche di manutenzione del verde", "professional", 0, []float64{16, 24}, 22},
	{"Uso in sicurezza del decespugliatore", "professional", 0, []float64{8}, 22},
	{"Tecniche di pulizia e sanificazione", "professional", 0, []float64{8, 12}, 20},
	{"HACCP - addetti alimentaristi", "professional", 0, []float64{4, 8}, 18},
	{"Patentino per carrelli elevatori", "professional", 0, []float64{12}, 25},
}

var professionalOffice = []course{
	{"Aggiornamento paghe e CCNL cooperative sociali", "professional", 0, []float64{8, 16}, 40},
	{"Rendicontazione dei servizi agli enti pubblici", "professional", 0, []float64{8, 12}, 35},
	{"Appalti pubblici e codice dei contratti", "professional", 0, []float64{12, 16}, 45},
	{"Bilancio sociale degli enti del Terzo settore", "professional", 0, []float64{8, 12}, 40},
}

var softCourses = []course{
	{"Comunicazione efficace nel lavoro di cura", "soft", 0, []float64{4, 8}, 25},
	{"Lavorare in équipe", "soft", 0, []float64{8, 12}, 25},
	{"Gestione dello stress e prevenzione del burnout", "soft", 0, []float64{4, 8}, 25},
	{"Leadership per coordinatori", "soft", 0, []float64{12, 16}, 40},
}

// digitalCourses by DigComp area (index = area - 1).
var digitalCourses = [5][]course{
	{{"Cercare e valutare informazioni online", "digital", 1, nil, 25}, {"Organizzare file e cartelle nel cloud", "digital", 1, nil, 25}},
	{{"Comunicare e collaborare con strumenti digitali", "digital", 2, nil, 25}, {"SPID, PEC e servizi pubblici online", "digital", 2, nil, 22}, {"Videoconferenze e lavoro a distanza", "digital", 2, nil, 25}},
	{{"Documenti e fogli di calcolo per il lavoro", "digital", 3, nil, 28}, {"Creare contenuti per i social della cooperativa", "digital", 3, nil, 30}},
	{{"Sicurezza informatica e protezione dei dati (GDPR)", "digital", 4, nil, 30}, {"Riconoscere truffe e phishing", "digital", 4, nil, 25}},
	{{"Risolvere problemi con smartphone e PC", "digital", 5, nil, 25}, {"Usare le app gestionali della cooperativa", "digital", 5, nil, 25}},
}
var digitalAreaW = []float64{0.2, 0.3, 0.2, 0.2, 0.1}

type trainingRow struct {
	w     *worker
	c     course
	hours float64
	done  bool
	end   day
	cost  float64
}

// randomActiveDay returns a day of the year the person works, or 0.
func (cs *coopSim) randomActiveDay(r *rng, w *worker, y int) day {
	ys, ye := mkDay(y, 1, 1), mkDay(y, 12, 31)
	var segs [][2]day
	total := 0
	for _, s := range w.spells {
		a, b := s.start, s.end
		if a < ys {
			a = ys
		}
		if b > ye {
			b = ye
		}
		if b >= a {
			segs = append(segs, [2]day{a, b})
			total += int(b-a) + 1
		}
	}
	if total == 0 {
		return 0
	}
	k := r.intn(total)
	for _, sg := range segs {
		n := int(sg[1]-sg[0]) + 1
		if k < n {
			return sg[0] + day(k)
		}
		k -= n
	}
	return 0
}

// writeTrainings draws the external courses each person attended: safety
// training on hiring and refreshers, professional and soft-skill courses,
// and digital courses (far more often in cohort cooperatives from
// CohortStart on). Course hours also appear as "training" in the hours file.
func (cs *coopSim) writeTrainings(out *csvOut) {
	r := cs.rng(streamTrain)
	o, c := cs.o, cs.c
	var rows []trainingRow
	add := func(w *worker, crs course, end day) {
		if end == 0 {
			return
		}
		h := crs.hours[r.intn(len(crs.hours))]
		done := r.chance(0.93)
		cost := 0.0
		if r.chance(0.6) { // the rest is paid by the interprofessional fund
			cost = math.Round(h*crs.costPH*r.between(0.8, 1.3)/5) * 5
		}
		rows = append(rows, trainingRow{w, crs, h, done, end, cost})
		m := cs.monthIndex(end)
		if m >= 0 {
			att := h
			if !done {
				att = math.Round(h / 2)
			}
			w.courseHrs[m] += att
		}
	}
	for _, w := range cs.workers {
		if w.first >= cs.simStart {
			end := w.first + day(r.ibetween(1, 25))
			if w.activeOn(end) == nil {
				end = w.first
			}
			add(w, safetyGeneral, end)
			spec := safetySpecific
			if c.typ == "B" || c.typ == "worker" {
				spec = safetySpecificHigh
			}
			add(w, spec, end)
		}
		for y := o.YearFrom; y <= o.YearTo; y++ {
			if cs.randomActiveDay(r, w, y) == 0 {
				continue
			}
			if r.chance(0.18) {
				add(w, safetyOther[r.intn(len(safetyOther))], cs.randomActiveDay(r, w, y))
			}
			if r.chance(0.35) {
				list := professionalCare
				switch {
				case w.role == "admin" || w.role == "management":
					list = professionalOffice
				case w.role == "other":
					list = professionalOps
				}
				add(w, list[r.intn(len(list))], cs.randomActiveDay(r, w, y))
			}
			if r.chance(0.10) {
				add(w, softCourses[r.intn(len(softCourses))], cs.randomActiveDay(r, w, y))
			}
			rate, hrs := ControlDigitalCourseRate, []float64{4, 8, 12}
			if c.cohort && y >= o.CohortStart {
				rate, hrs = CohortDigitalCourseRate, []float64{8, 12, 16, 20}
			}
			if r.chance(rate) {
				area := r.pick(digitalAreaW)
				crs := digitalCourses[area][r.intn(len(digitalCourses[area]))]
				crs.hours = hrs
				add(w, crs, cs.randomActiveDay(r, w, y))
			}
		}
	}
	for _, t := range rows {
		area := ""
		if t.c.area > 0 {
			area = strconv.Itoa(t.c.area)
			if t.done {
				if yi := cs.yi(t.end.year()); yi >= 0 && yi < cs.years {
					c.st.digHours[yi] += t.hours
				}
			}
		}
		out.row(c.id, t.w.id, t.c.title, t.c.topic, area, decShort(t.hours), siNo(t.done), itDate(t.end), money(t.cost))
	}
}

// monthIndex maps a date to the simulation month, or -1 outside the period.
func (cs *coopSim) monthIndex(d day) int {
	y, m, _ := d.ymd()
	i := (y-cs.o.YearFrom)*12 + m - 1
	if i < 0 || i >= cs.months {
		return -1
	}
	return i
}

// DigComp 2.2 competences and the offset of each from a person's latent
// level (communication is the most practised area, programming the least).
var digcompCodes = []string{"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
	"3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4"}
var digcompOffset = []float64{0.3, 0.2, 0.2, 0.6, 0.5, 0.3, 0.4, 0.5, 0.1,
	-0.2, -0.4, -0.5, -1.2, -0.1, -0.1, 0.0, -0.3, -0.3, -0.4, -0.5, -0.4}
var roleSkill = map[string]float64{"direct_care": 0, "coordination": 0.6, "admin": 1.2, "management": 1.0, "other": -0.4}

// writeSkills writes DigComp self-assessments: T0 around the cohort start
// (November of the year before to February) and T1 in the autumn of YearTo,
// for a sample of workers (half the staff in cohort cooperatives, a quarter
// elsewhere). Latent levels rise by CohortDigCompGain or ControlDigCompGain.
func (cs *coopSim) writeSkills(out *csvOut) {
	r := cs.rng(streamSkills)
	o, c := cs.o, cs.c
	t0 := mkDay(o.CohortStart-1, 11, 1) + day(r.intn(110))
	t1 := mkDay(o.YearTo, 9, 1) + day(r.intn(80))
	frac := 0.25
	if c.cohort {
		frac = 0.5
	}
	type person struct {
		w     *worker
		base  float64
		noise []float64
		t0    bool
	}
	var sample []*person
	newPerson := func(w *worker, at day) *person {
		age := float64(at.year() - w.birthYear)
		p := &person{w: w, base: 2.5 + roleSkill[w.role] - 0.025*(age-40) + 0.8*r.norm()}
		p.noise = make([]float64, len(digcompCodes))
		for i := range p.noise {
			p.noise[i] = 0.6 * r.norm()
		}
		return p
	}
	var atT0 []*worker
	for _, w := range cs.workers {
		if w.activeOn(t0) != nil {
			atT0 = append(atT0, w)
		}
	}
	k := int(math.Max(math.Min(3, float64(len(atT0))), math.Round(frac*float64(len(atT0)))))
	for i, j := range r.perm(len(atT0)) {
		if i >= k {
			break
		}
		p := newPerson(atT0[j], t0)
		p.t0 = true
		sample = append(sample, p)
	}
	level := func(x float64) string {
		return strconv.Itoa(int(clamp(math.Round(x), 1, 8)))
	}
	for _, p := range sample {
		d := t0 + day(r.intn(14))
		for i, code := range digcompCodes {
			out.row(c.id, p.w.id, code, level(p.base+digcompOffset[i]+p.noise[i]), "T0", itDate(d))
		}
	}
	// T1: the T0 sample still employed, plus some people hired since.
	for _, w := range cs.workers {
		if w.first > t0 && w.activeOn(t1) != nil && r.chance(frac*0.5) {
			sample = append(sample, newPerson(w, t1))
		}
	}
	for _, p := range sample {
		if p.w.activeOn(t1) == nil {
			continue
		}
		gain := 0.0
		if p.t0 {
			gain = ControlDigCompGain + 0.25*r.norm()
			if c.cohort {
				gain = CohortDigCompGain + 0.35*r.norm()
			}
		}
		d := t1 + day(r.intn(14))
		for i, code := range digcompCodes {
			out.row(c.id, p.w.id, code, level(p.base+gain+digcompOffset[i]+p.noise[i]+0.3*r.norm()), "T1", itDate(d))
		}
	}
}
