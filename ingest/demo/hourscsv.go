package demo

import (
	"errors"
	"io"
	"math"
)

// HoursCSV writes a standalone hours file of exactly rows data rows (e.g. 5
// million for benchmarks) with the column layout and value formats of the
// demo hours file: coop_id;person_id;mese;attivita;ore, months from 2019 on
// as MM/YYYY, hours with a decimal comma. Same rows and seed, same bytes.
func HoursCSV(w io.Writer, rows int, seed int64) error {
	if rows < 0 {
		return errors.New("demo: HoursCSV: rows must not be negative")
	}
	geo, err := loadGeography()
	if err != nil {
		return err
	}
	births := newSampler(geo.all, 1)
	out := newCSVWriter(w, csvStyle{})
	out.header(hdrHours...)
	r := newRNG(seed, 0x484f555253)
	ids := idSet{}
	written := 0
	type person struct {
		id      string
		fte     float64
		role    string
		travels bool
	}
	emit := func(coop, pid, mon, act string, h float64) {
		if written >= rows || h <= 0 {
			return
		}
		out.field(coop)
		out.field(pid)
		out.field(mon)
		out.field(act)
		out.fieldDec2(h)
		out.end()
		written++
	}
	var months []string
	for m := 0; m < 84; m++ {
		months = append(months, itMonth(2019+m/12, m%12+1))
	}
	for written < rows {
		coop := ids.claim(func() string { return fakePIVA(r) })
		ps := make([]person, 10+r.intn(70))
		for i := range ps {
			female := r.chance(0.75)
			by := 1960 + r.intn(44)
			bel := births.pick(r).belfiore
			ps[i] = person{
				id:      ids.claim(func() string { return fakeCF(r, by, female, bel) }),
				fte:     weeklyHours[r.pick(weeklyCare)] / 38,
				role:    roleNames[r.pick(roleMix["A"])],
				travels: r.chance(0.5),
			}
		}
		for m := 0; m < len(months) && written < rows; m++ {
			for _, p := range ps {
				h := quarter(p.fte * hoursPerFTE * season[m%12] * (1 + 0.04*r.norm()))
				train := 0.0
				if r.chance(0.1) {
					train = float64(4 * r.ibetween(1, 4))
				}
				travel := 0.0
				if p.travels {
					travel = quarter(h * r.between(0.06, 0.12))
				}
				admin := quarter((h - train - travel) * clamp(adminWeight[p.role]*(1+0.1*r.norm()), 0, 0.95))
				direct := math.Max(0, h-train-travel-admin)
				if p.role == "admin" {
					emit(coop, p.id, months[m], "admin_accounting", admin)
					emit(coop, p.id, months[m], "other", direct)
				} else {
					emit(coop, p.id, months[m], "direct_service", direct)
					emit(coop, p.id, months[m], "admin_reporting", admin)
				}
				emit(coop, p.id, months[m], "training", train)
				emit(coop, p.id, months[m], "travel", travel)
			}
		}
	}
	return out.close()
}
