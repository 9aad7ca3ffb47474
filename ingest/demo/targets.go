package demo

import (
	"math"
	"strconv"
)

// writeTargets writes network targets (empty coop_id) and a few per
// cooperative, all for YearTo. Baselines are taken from the generated data
// in the year before the cohort start (DMA: wave T0); a network baseline is
// the mean of the cooperatives' own values.
func (n *network) writeTargets(out *csvOut) {
	o := n.o
	bi := o.CohortStart - 1 - o.YearFrom
	year := strconv.Itoa(o.YearTo)
	mean := func(f func(c *coop) (float64, bool)) float64 {
		s, k := 0.0, 0
		for _, c := range n.coops {
			if v, ok := f(c); ok {
				s += v
				k++
			}
		}
		if k == 0 {
			return math.NaN()
		}
		return s / float64(k)
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return decShort(v)
	}
	network := []struct {
		id, dir string
		target  float64
		base    func(c *coop) (float64, bool)
	}{
		{"DIG-01", "increase", 60, func(c *coop) (float64, bool) { return c.st.dmaT0, true }},
		{"TIM-01", "decrease", 15, adminShare(bi)},
		{"LAW-02", "maintain", 30, disadvShare(bi)},
		{"MGT-01", "increase", 60, func(c *coop) (float64, bool) { return c.st.mgt01[bi], true }},
		{"DIG-06", "increase", 8, func(c *coop) (float64, bool) {
			return c.st.digHours[bi] / float64(c.st.hcEnd[bi]), c.st.hcEnd[bi] > 0
		}},
		{"SKL-04", "maintain", 75, func(c *coop) (float64, bool) {
			return 100 * float64(c.st.permEnd[bi]) / float64(c.st.hcEnd[bi]), c.st.hcEnd[bi] > 0
		}},
		{"ECO-01", "maintain", 2, func(c *coop) (float64, bool) { return 100 * c.st.margin[bi], c.st.personnel[bi] > 0 }},
		{"WEL-09", "increase", 40, func(c *coop) (float64, bool) {
			k := c.st.npsN[bi]
			return 100 * float64(c.st.npsProm[bi]-c.st.npsDet[bi]) / float64(k), k > 0
		}},
	}
	for _, t := range network {
		out.row("", t.id, year, num(t.target), num(mean(t.base)), t.dir)
	}
	for _, c := range n.coops {
		if c.cohort {
			out.row(c.id, "DIG-01", year, num(math.Round(c.st.dmaT0+20)), num(c.st.dmaT0), "increase")
			if v, ok := adminShare(bi)(c); ok {
				out.row(c.id, "TIM-01", year, num(math.Max(0, v-5)), num(v), "decrease")
			}
		}
		if c.failingDisadv {
			v, _ := disadvShare(bi)(c)
			out.row(c.id, "LAW-02", year, num(30), num(v), "increase")
		}
	}
}

func adminShare(yi int) func(c *coop) (float64, bool) {
	return func(c *coop) (float64, bool) {
		t := c.st.totalHours[yi]
		return 100 * c.st.adminHours[yi] / t, t > 0
	}
}

func disadvShare(yi int) func(c *coop) (float64, bool) {
	return func(c *coop) (float64, bool) {
		hc := c.st.hcEnd[yi]
		ok := (c.typ == "B" || c.typ == "AB") && hc > 0
		if !ok {
			return 0, false
		}
		return 100 * float64(c.st.disadvEnd[yi]) / float64(hc), true
	}
}
