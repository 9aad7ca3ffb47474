package demo

import (
	"math"
	"sort"
	"strconv"
)

// Random streams: each dataset of each cooperative draws from its own stream.
const (
	streamPlan uint64 = iota + 1
	streamCoopPlan
	streamParams
	streamWorkers
	streamTrain
	streamHours
	streamSkills
	streamBenef
	streamServices
	streamSurvey
	streamFinance
	streamProc
	streamCert
	streamDMA
	streamGov
)

var coopTypes = []string{"A", "B", "AB", "consortium", "worker", "other"}
var coopTypeShares = []float64{0.45, 0.35, 0.08, 0.05, 0.04, 0.03}

// Relative size (headcount) by type: consortia and small worker
// cooperatives employ fewer people than the service providers.
var typeSize = map[string]float64{"A": 1.0, "B": 0.85, "AB": 1.3, "consortium": 0.5, "worker": 0.7, "other": 0.6}

const (
	cohortShare    = 0.40
	medianSize     = 22.0
	sizeSigma      = 0.85
	largeThreshold = 250
)

type network struct {
	o     Options
	geo   *geography
	ids   idSet
	coops []*coop
	samp  map[string]*sampler
}

// sampler returns (and caches) a population-weighted sampler over a
// region's municipalities, or over all of Italy when ri is nil.
func (n *network) sampler(ri *regionInfo, power float64) *sampler {
	key := "*"
	list := n.geo.all
	if ri != nil {
		key, list = ri.name, ri.comuni
	}
	key += "|" + strconv.FormatFloat(power, 'f', 2, 64)
	s := n.samp[key]
	if s == nil {
		s = newSampler(list, power)
		n.samp[key] = s
	}
	return s
}

type coop struct {
	idx           int
	id, name, typ string
	region        *regionInfo
	com           *comune
	founded       int
	cohort        bool
	size0         float64 // target headcount on 1 January of YearFrom
	disadvTarget  float64 // B/AB: share of disadvantaged workers aimed at
	failingDisadv bool

	// filled in by the simulation
	workersEnd int
	fteEnd     float64
	certs      []certRow
	st         coopStats
}

func newNetwork(o Options, g *geography) *network {
	return &network{o: o, geo: g, ids: idSet{}, samp: map[string]*sampler{}}
}

// apportion splits n into integer counts proportional to w (largest
// remainder, ties to the lower index), so shares are met exactly.
func apportion(w []float64, n int) []int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	counts := make([]int, len(w))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(w))
	left := n
	for i, x := range w {
		q := x / total * float64(n)
		counts[i] = int(math.Floor(q))
		left -= counts[i]
		rems[i] = rem{i, q - math.Floor(q)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < left; k++ {
		counts[rems[k%len(rems)].i]++
	}
	return counts
}

func (n *network) plan() {
	N := n.o.Coops
	r := newRNG(n.o.Seed, streamPlan)

	var types []string
	for i, k := range apportion(coopTypeShares, N) {
		for j := 0; j < k; j++ {
			types = append(types, coopTypes[i])
		}
	}
	var regions []*regionInfo
	rw := make([]float64, len(n.geo.regions))
	for i, ri := range n.geo.regions {
		rw[i] = ri.weight
	}
	for i, k := range apportion(rw, N) {
		for j := 0; j < k; j++ {
			regions = append(regions, n.geo.regions[i])
		}
	}
	tp, rp := r.perm(N), r.perm(N)
	n.coops = make([]*coop, N)
	for i := range n.coops {
		n.coops[i] = &coop{idx: i, typ: types[tp[i]], region: regions[rp[i]]}
	}

	// Cohort: the same share inside every type, so the comparison is balanced.
	byType := map[string][]*coop{}
	for _, c := range n.coops {
		byType[c.typ] = append(byType[c.typ], c)
	}
	for _, t := range coopTypes {
		list := byType[t]
		p := r.perm(len(list))
		k := int(math.Round(cohortShare * float64(len(list))))
		for j := 0; j < k; j++ {
			list[p[j]].cohort = true
		}
		// L. 381/1991 share for B and AB: ~15 % of them below 30 %.
		if t == "B" || (t == "AB" && len(list) >= 4) {
			fail := int(math.Ceil(0.15 * float64(len(list))))
			q := r.perm(len(list))
			for j, idx := range q {
				c := list[idx]
				if j < fail {
					c.failingDisadv = true
					c.disadvTarget = r.between(0.18, 0.27)
				} else {
					c.disadvTarget = r.between(0.36, 0.46)
				}
			}
		} else if t == "AB" {
			for _, c := range list {
				c.disadvTarget = r.between(0.32, 0.42)
			}
		}
	}

	// Sizes: log-normal around the median, scaled by the region's
	// employees-per-cooperative (damped) and by type; calibrated so the
	// network median stays at medianSize.
	national := 509333.0 / 14343.0
	logs := make([]float64, N)
	sumLog := 0.0
	for i, c := range n.coops {
		f := math.Sqrt(c.region.empPer/national) * typeSize[c.typ]
		logs[i] = math.Log(f)
		sumLog += logs[i]
	}
	shift := sumLog / float64(N)
	for i, c := range n.coops {
		s := medianSize * math.Exp(logs[i]-shift+sizeSigma*r.norm())
		c.size0 = clamp(s, 3, 600)
	}
	// A few large employers (> 250) exist in any real network of this size.
	if N >= 40 {
		order := make([]*coop, N)
		copy(order, n.coops)
		sort.SliceStable(order, func(a, b int) bool { return order[a].size0 > order[b].size0 })
		for k := 0; k < N/60 || k == 0; k++ {
			if order[k].size0 < largeThreshold+20 {
				order[k].size0 = r.between(largeThreshold+20, 420)
			}
		}
	}

	names := map[string]bool{}
	for _, c := range n.coops {
		cr := newRNG(n.o.Seed, streamCoopPlan, uint64(c.idx))
		c.com = n.sampler(c.region, 1.15).pick(cr)
		c.founded = foundedYear(cr, c.typ, n.o.YearFrom)
		c.id = n.ids.claim(func() string { return fakePIVA(cr) })
		c.name = coopName(cr, c, names)
	}
}

func foundedYear(r *rng, typ string, yearFrom int) int {
	// Most social cooperatives were founded between the late 1980s and the
	// 2010s; consortia and AB cooperatives tend to be older.
	mean := 2002.0
	if typ == "consortium" || typ == "AB" {
		mean = 1994
	}
	y := int(math.Round(mean + 9*r.norm()))
	if y < 1975 {
		y = 1975 + r.intn(5)
	}
	if y > yearFrom-2 {
		y = yearFrom - 2 - r.intn(6)
	}
	return y
}

// nameBases are made-up cooperative names of the usual kind (plants, places,
// journeys, objects); none is a person's name.
var nameBases = []string{
	"Il Girasole", "L'Arcobaleno", "Il Melograno", "La Quercia", "Il Ponte", "La Rete", "Il Faro",
	"L'Aquilone", "La Bussola", "Il Sentiero", "La Tenda", "Il Mosaico", "Nuovi Orizzonti",
	"Progetto Insieme", "Spazio Aperto", "La Fonte", "Il Seme", "Il Germoglio", "La Sorgente",
	"Terra Nuova", "Il Cerchio", "L'Approdo", "La Lanterna", "Il Granello", "Il Cammino", "La Ginestra",
	"L'Albero", "Il Glicine", "La Nuvola", "Il Quadrifoglio", "La Clessidra", "Il Mandorlo",
	"L'Officina", "La Spiga", "Il Pozzo", "La Piazza", "Il Volo", "Orizzonte Comune", "Mani Aperte",
	"Passo dopo Passo", "Oltre il Muro", "La Strada", "Il Timone", "La Vela", "L'Ancora", "Il Carro",
	"La Carovana", "Il Sole", "La Zattera", "Il Borgo", "La Corte", "Il Frutteto", "Il Vivaio",
	"La Serra", "La Fenice", "L'Incontro", "Il Nido", "La Goccia", "Il Mulino", "Il Castagno",
	"La Betulla", "La Rondine", "L'Airone", "Il Gabbiano", "Prisma", "Alveare", "Tandem", "Sinergie",
	"Controvento", "Ventaglio", "Azimut", "Il Portico", "La Meridiana", "Il Crocevia", "Il Baobab",
}

func coopName(r *rng, c *coop, taken map[string]bool) string {
	base := nameBases[r.intn(len(nameBases))]
	for attempt := 0; ; attempt++ {
		b := base
		if attempt == 1 {
			b = base + " " + c.com.province
		} else if attempt > 1 {
			b = base + " " + c.com.province + " " + strconv.Itoa(attempt)
		}
		var name string
		switch c.typ {
		case "consortium":
			name = "Consorzio " + b + " Società Cooperativa Sociale"
		case "worker":
			name = b + " Società Cooperativa"
		case "other":
			name = b + " Cooperativa di Comunità"
		default:
			switch r.intn(4) {
			case 0:
				name = "Cooperativa Sociale " + b
			case 1:
				name = b + " Soc. Coop. Sociale Onlus"
			case 2:
				name = b + " Società Cooperativa Sociale Impresa Sociale"
			default:
				name = b + " Società Cooperativa Sociale"
			}
		}
		if !taken[name] {
			taken[name] = true
			return name
		}
	}
}

func (c *coop) cohortLabel(o Options) string {
	if c.cohort {
		return strconv.Itoa(o.CohortStart)
	}
	return ""
}

func (c *coop) info() CoopInfo {
	return CoopInfo{ID: c.id, Name: c.name, Type: c.typ, Region: c.region.name, Province: c.com.sigla,
		MunicipalityCode: c.com.code, Cohort: c.st.cohortLabel, Workers: c.workersEnd, FTE: c.fteEnd}
}
