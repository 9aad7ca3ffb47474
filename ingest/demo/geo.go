package demo

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// comuniCSV is ISTAT's list of municipalities reduced to the columns the
// generator needs (see comuni_SOURCE.md).
//
//go:embed comuni.csv
var comuniCSV string

type comune struct {
	code      string // ISTAT code, 6 digits
	belfiore  string // codice catastale, used in codici fiscali
	region    string
	province  string
	sigla     string
	pop       int
	provIndex int // index in region.provinces
}

type regionInfo struct {
	name     string
	weight   float64 // social cooperatives in the region (ISTAT 2023)
	empPer   float64 // employees per social cooperative (ISTAT 2023)
	comuni   []*comune
	popTotal float64
}

// regionStats: ISTAT, "Struttura e profili del settore non profit – 2023",
// social cooperatives (istituzioni) and their employees (dipendenti) by region,
// from /work/shared/data/istat/istat_non_profit_2023.csv. Names as in the
// ISTAT list of municipalities.
var regionStats = []struct {
	name       string
	coops, emp float64
}{
	{"Piemonte", 699, 46506},
	{"Valle d'Aosta/Vallée d'Aoste", 36, 1410},
	{"Liguria", 315, 12313},
	{"Lombardia", 1977, 96555},
	{"Trentino-Alto Adige/Südtirol", 324, 11277},
	{"Veneto", 779, 40938},
	{"Friuli-Venezia Giulia", 210, 13310},
	{"Emilia-Romagna", 860, 62580},
	{"Toscana", 578, 33863},
	{"Umbria", 221, 8495},
	{"Marche", 335, 13825},
	{"Lazio", 1272, 45771},
	{"Abruzzo", 315, 8931},
	{"Molise", 140, 2566},
	{"Campania", 1548, 27141},
	{"Puglia", 1230, 23535},
	{"Basilicata", 230, 5827},
	{"Calabria", 585, 6684},
	{"Sicilia", 1736, 30473},
	{"Sardegna", 953, 17333},
}

// southRegions pay their suppliers (and get paid by the PA) more slowly.
var southRegions = map[string]bool{
	"Abruzzo": true, "Molise": true, "Campania": true, "Puglia": true, "Basilicata": true,
	"Calabria": true, "Sicilia": true, "Sardegna": true, "Lazio": true,
}

type geography struct {
	regions []*regionInfo
	byCode  map[string]*comune
	all     []*comune
}

var (
	geoOnce sync.Once
	geoData *geography
	geoErr  error
)

func loadGeography() (*geography, error) {
	geoOnce.Do(func() { geoData, geoErr = parseComuni(comuniCSV) })
	return geoData, geoErr
}

func parseComuni(text string) (*geography, error) {
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("demo: embedded comuni.csv: %w", err)
	}
	g := &geography{byCode: map[string]*comune{}}
	byName := map[string]*regionInfo{}
	for _, s := range regionStats {
		ri := &regionInfo{name: s.name, weight: s.coops, empPer: s.emp / s.coops}
		g.regions = append(g.regions, ri)
		byName[s.name] = ri
	}
	for i, rec := range recs {
		if i == 0 {
			continue
		}
		if len(rec) != 6 {
			return nil, fmt.Errorf("demo: embedded comuni.csv line %d: %d fields", i+1, len(rec))
		}
		pop, err := strconv.Atoi(rec[5])
		if err != nil {
			return nil, fmt.Errorf("demo: embedded comuni.csv line %d: population %q", i+1, rec[5])
		}
		c := &comune{code: rec[0], belfiore: rec[1], region: rec[2], province: rec[3], sigla: rec[4], pop: pop}
		ri := byName[c.region]
		if ri == nil {
			return nil, fmt.Errorf("demo: embedded comuni.csv line %d: unknown region %q", i+1, c.region)
		}
		ri.comuni = append(ri.comuni, c)
		ri.popTotal += float64(pop)
		g.byCode[c.code] = c
		g.all = append(g.all, c)
	}
	for _, ri := range g.regions {
		if len(ri.comuni) == 0 {
			return nil, fmt.Errorf("demo: embedded comuni.csv: no municipality in %s", ri.name)
		}
	}
	return g, nil
}

// sampler draws municipalities with probability growing with population
// (cooperatives sit in towns, people live where people live).
type sampler struct {
	items []*comune
	cum   []float64
}

func newSampler(list []*comune, power float64) *sampler {
	s := &sampler{items: list, cum: make([]float64, len(list))}
	t := 0.0
	for i, c := range list {
		t += math.Pow(float64(c.pop)+1, power)
		s.cum[i] = t
	}
	return s
}

func (s *sampler) pick(r *rng) *comune {
	x := r.float() * s.cum[len(s.cum)-1]
	i := sort.SearchFloat64s(s.cum, x)
	if i >= len(s.items) {
		i = len(s.items) - 1
	}
	return s.items[i]
}

// foreignBelfiore are birth-country codes (Z…) common among care workers
// born abroad: Romania, Albania, Morocco, Ukraine, Peru, Philippines, Moldova.
var foreignBelfiore = []string{"Z129", "Z100", "Z330", "Z138", "Z611", "Z216", "Z140"}
