package stats

import (
	"cmp"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Defaults for ProgrammeEffect.
const (
	DefaultResamples = 2000
	DefaultSeed      = 1
)

// pcgStream is the fixed second PCG word; only the seed varies.
const pcgStream = 0x636f6f70696d7061 // "coopimpa"

// Change is one cooperative's change of an indicator from the baseline year
// to the latest year.
type Change struct {
	CoopID   string
	Cohort   bool // in the programme cohort (else control)
	Baseline float64
	Latest   float64
}

// EffectOptions configure ProgrammeEffect.
type EffectOptions struct {
	K         int   // minimum cooperatives per side; ≤ 0 means DefaultK
	Resamples int   // bootstrap resamples; ≤ 0 means DefaultResamples
	Seed      int64 // 0 means DefaultSeed
}

// Effect is the programme effect of one indicator. NCohort and NControl are
// always filled; when Suppressed the other numbers are zero.
type Effect struct {
	NCohort           int     `json:"n_cohort"`
	NControl          int     `json:"n_control"`
	MeanChangeCohort  float64 `json:"mean_change_cohort"`
	MeanChangeControl float64 `json:"mean_change_control"`
	DiD               float64 `json:"did"`
	Lo                float64 `json:"lo"` // 95% percentile bootstrap interval
	Hi                float64 `json:"hi"`
	Seed              int64   `json:"seed"`
	Resamples         int     `json:"resamples"`
	K                 int     `json:"k"`
	Suppressed        bool    `json:"suppressed"`
	Reason            Reason  `json:"reason,omitempty"`
}

// ProgrammeEffect computes the difference in differences
// DiD = mean(Latest−Baseline | cohort) − mean(Latest−Baseline | control)
// and its 95% percentile bootstrap interval: B resamples, each drawing
// NCohort cohort changes and NControl control changes with replacement
// (the two sides independently), Lo/Hi = type-7 quantiles 0.025/0.975 of the
// B resampled DiDs. Suppressed (ReasonBelowK) when either side has fewer than
// k cooperatives.
//
// Reproducible bit for bit: changes are put in CoopID order first (so the
// caller's order does not matter) and draws come from a PCG generator
// (math/rand/v2, seeded with Seed) mapped to indexes by our own Lemire
// reduction, so neither depends on Rand helper methods that Go may change.
func ProgrammeEffect(changes []Change, opt EffectOptions) (Effect, error) {
	e := Effect{K: opt.K, Resamples: opt.Resamples, Seed: opt.Seed}
	if e.K <= 0 {
		e.K = DefaultK
	}
	if e.Resamples <= 0 {
		e.Resamples = DefaultResamples
	}
	if e.Seed == 0 {
		e.Seed = DefaultSeed
	}
	cs := slices.Clone(changes)
	slices.SortFunc(cs, func(a, b Change) int { return cmp.Compare(a.CoopID, b.CoopID) })
	var cohort, control []float64
	for i, c := range cs {
		if i > 0 && cs[i-1].CoopID == c.CoopID {
			return Effect{}, errorf(ErrDuplicateCoop, c.CoopID,
				"La cooperativa %q compare più di una volta.",
				"Cooperative %q appears more than once.", c.CoopID)
		}
		d := c.Latest - c.Baseline
		if err := checkFinite([]float64{c.Baseline, c.Latest, d}, []string{c.CoopID, c.CoopID, c.CoopID}); err != nil {
			return Effect{}, err
		}
		if c.Cohort {
			cohort = append(cohort, d)
		} else {
			control = append(control, d)
		}
	}
	e.NCohort, e.NControl = len(cohort), len(control)
	if e.NCohort < e.K || e.NControl < e.K {
		e.Suppressed, e.Reason = true, ReasonBelowK
		return e, nil
	}
	e.MeanChangeCohort = plainMean(cohort)
	e.MeanChangeControl = plainMean(control)
	e.DiD = e.MeanChangeCohort - e.MeanChangeControl

	src := rand.NewPCG(uint64(e.Seed), pcgStream)
	dids := make([]float64, e.Resamples)
	for b := range dids {
		dids[b] = resampleMean(src, cohort) - resampleMean(src, control)
	}
	slices.Sort(dids)
	e.Lo = Quantile(dids, 0.025)
	e.Hi = Quantile(dids, 0.975)
	return e, nil
}

func plainMean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func resampleMean(src *rand.PCG, xs []float64) float64 {
	var s float64
	for range xs {
		s += xs[index(src, len(xs))]
	}
	return s / float64(len(xs))
}

// index draws uniformly from [0,n) (Lemire's multiply-shift with rejection).
func index(src *rand.PCG, n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), un)
		}
	}
	return int(hi)
}

// ChangesFromPanel builds the Changes for a cohort that started in
// cohortStart: baseline = cohortStart−1, latest = latest. values maps
// cooperative → year → value; cohort lists the cohort's cooperatives, every
// other cooperative in values is a control (drop cooperatives of other waves
// before calling). Cooperatives without both years are left out. The result
// is in CoopID order.
func ChangesFromPanel(values map[string]map[int]float64, cohort map[string]bool, cohortStart, latest int) ([]Change, error) {
	base := cohortStart - 1
	if latest <= base {
		return nil, errorf(ErrYears, "",
			"L'anno più recente (%d) deve seguire l'anno di riferimento (%d).",
			"The latest year (%d) must come after the baseline year (%d).", latest, base)
	}
	var out []Change
	for id, byYear := range values {
		b, okB := byYear[base]
		l, okL := byYear[latest]
		if !okB || !okL {
			continue
		}
		out = append(out, Change{CoopID: id, Cohort: cohort[id], Baseline: b, Latest: l})
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.CoopID, b.CoopID) })
	return out, nil
}

// EffectFromPanel is ChangesFromPanel followed by ProgrammeEffect.
func EffectFromPanel(values map[string]map[int]float64, cohort map[string]bool, cohortStart, latest int, opt EffectOptions) (Effect, error) {
	cs, err := ChangesFromPanel(values, cohort, cohortStart, latest)
	if err != nil {
		return Effect{}, err
	}
	return ProgrammeEffect(cs, opt)
}
