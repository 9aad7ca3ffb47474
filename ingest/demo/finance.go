package demo

import (
	"math"
	"strconv"
)

var counterparties = []string{"municipality", "health_authority", "region", "other_public",
	"family_private", "company", "third_sector", "member"}

var publicCounterparty = map[string]bool{"municipality": true, "health_authority": true, "region": true, "other_public": true}

// Revenue mix by counterparty (same order as counterparties): A cooperatives
// live on public contracts, B on companies and procurement, consortia on
// their members.
var revenueMix = map[string][]float64{
	"A":          {0.42, 0.25, 0.04, 0.05, 0.14, 0.03, 0.06, 0.01},
	"B":          {0.24, 0.03, 0.02, 0.10, 0.04, 0.46, 0.10, 0.01},
	"AB":         {0.35, 0.15, 0.03, 0.07, 0.08, 0.25, 0.06, 0.01},
	"consortium": {0.20, 0.10, 0.05, 0.05, 0.00, 0.03, 0.02, 0.55},
	"worker":     {0.15, 0.00, 0.00, 0.05, 0.20, 0.55, 0.05, 0.00},
	"other":      {0.25, 0.00, 0.05, 0.05, 0.35, 0.20, 0.10, 0.00},
}

// Personnel cost as a share of the value of production, by type.
var personnelShare = map[string][2]float64{
	"A": {0.66, 0.79}, "B": {0.52, 0.65}, "AB": {0.58, 0.72}, "consortium": {0.25, 0.45},
	"worker": {0.60, 0.75}, "other": {0.55, 0.70},
}

// writeFinance writes the yearly accounts and the revenue by counterparty.
// Personnel cost comes from the roster; the value of production follows from
// the cooperative's personnel-cost ratio; the operating margin is drawn
// around a cooperative mean with no trend and no programme effect (the
// ProgrammeNeutralIndicator).
func (cs *coopSim) writeFinance(fin, rev *csvOut) {
	r := cs.rng(streamFinance)
	o, c, st := cs.o, cs.c, &cs.c.st
	ps := personnelShare[c.typ]
	pctC := r.between(ps[0], ps[1])
	marginC := clamp(0.008+0.018*r.norm(), -0.04, 0.05)
	depC := r.between(0.008, 0.028)
	grantsC := r.between(0.003, 0.03)
	donC := r.between(0, 0.004)
	if c.typ == "A" {
		donC = r.between(0, 0.012)
	}
	assetsC := r.between(0.45, 0.85)
	eqC := r.between(0.06, 0.40)
	caC := r.between(0.65, 0.85)
	crC := r.between(0.85, 1.7)
	cashC := r.between(0.4, 2.8)
	memberLabour := (c.typ == "worker" || c.typ == "other") && r.chance(0.4)
	mlC := r.between(0.05, 0.2)
	dsoPub := r.between(70, 140)
	if southRegions[c.region.name] {
		dsoPub = r.between(140, 260)
	}
	dsoPriv := r.between(30, 75)
	mix := make([]float64, len(counterparties))
	for i, v := range revenueMix[c.typ] {
		if v > 0 {
			mix[i] = v * math.Exp(0.35*r.norm())
		}
	}
	for yi := 0; yi < cs.years; yi++ {
		y := o.YearFrom + yi
		ys := strconv.Itoa(y)
		pers := st.personnel[yi]
		if pers <= 0 {
			continue
		}
		vop := pers / (pctC * math.Exp(0.03*r.norm()))
		margin := clamp(marginC+0.012*r.norm(), -0.05, 0.06)
		st.margin[yi] = margin
		prodCosts := vop * (1 - margin)
		dep := vop * depC * math.Exp(0.1*r.norm())
		grants := vop * grantsC * math.Exp(0.2*r.norm())
		don := vop * donC * math.Exp(0.2*r.norm())
		otherRev := vop * r.between(0.005, 0.02)
		sales := vop - grants - don - otherRev
		costServices := math.Max(0, prodCosts-pers-dep) * r.between(0.45, 0.65)
		ml := 0.0
		if memberLabour {
			ml = costServices * mlC
		}
		// Revenue by counterparty sums to revenue_sales (A1).
		w := make([]float64, len(mix))
		tot := 0.0
		for i, v := range mix {
			if v > 0 {
				w[i] = v * math.Exp(0.08*r.norm())
				tot += w[i]
			}
		}
		recPub, recAll, salesMembers := 0.0, 0.0, 0.0
		type line struct {
			cp       string
			amt, rec float64
		}
		var lines []line
		for i, v := range w {
			if v/tot < 0.005 {
				continue
			}
			amt := sales * v / tot
			cp := counterparties[i]
			dso := dsoPriv
			if publicCounterparty[cp] {
				dso = dsoPub
			}
			rec := amt * dso / 365 * math.Exp(0.1*r.norm())
			recAll += rec
			if publicCounterparty[cp] {
				recPub += rec
			}
			if cp == "member" {
				salesMembers = amt
			}
			lines = append(lines, line{cp, amt, rec})
		}
		for _, l := range lines {
			rev.row(c.id, ys, l.cp, siNo(publicCounterparty[l.cp]), "€ "+money(l.amt), "€ "+money(l.rec))
		}
		opResult := vop - prodCosts
		finCharges := vop * r.between(0.002, 0.008)
		tax := math.Max(0, opResult) * 0.05
		net := opResult - finCharges - tax
		prodOps := prodCosts - dep
		cash := cashC * math.Exp(0.2*r.norm()) * prodOps / 12
		assets := vop * assetsC * math.Exp(0.05*r.norm())
		curAssets := assets * caC
		if need := (recAll + cash) * 1.1; curAssets < need {
			curAssets = need
		}
		if assets < curAssets/0.85 {
			assets = curAssets / 0.85
		}
		equity := assets * eqC * math.Exp(0.05*r.norm())
		curLiab := curAssets / (crC * math.Exp(0.06*r.norm()))
		dig := vop * r.between(0.0005, 0.004)
		if c.cohort && y >= o.CohortStart {
			dig = vop * r.between(0.008, 0.025)
		}
		fin.row(c.id, ys, money(vop), money(sales), money(salesMembers), money(grants), money(don),
			money(prodCosts), money(costServices), money(ml), money(pers), money(st.personnelMem[yi]),
			money(dep), money(net), money(assets), money(equity), money(curAssets), money(curLiab),
			money(cash), money(recPub), money(dig))
	}
}
