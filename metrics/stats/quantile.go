package stats

import (
	"math"
	"slices"
)

// Summary is the distribution of one set of values.
type Summary struct {
	N      int     `json:"n"`
	Min    float64 `json:"min"`
	P25    float64 `json:"p25"`
	Median float64 `json:"median"`
	P75    float64 `json:"p75"`
	Max    float64 `json:"max"`
	Mean   float64 `json:"mean"`
}

// Summarize computes the Summary of values (any order; not modified).
// Quantiles are type 7 (see the package doc). It fails with ErrEmpty or
// ErrNonFinite.
func Summarize(values []float64) (Summary, error) {
	if len(values) == 0 {
		return Summary{}, errorf(ErrEmpty, "", "Nessun valore da riassumere.", "No values to summarise.")
	}
	if err := checkFinite(values, nil); err != nil {
		return Summary{}, err
	}
	s := slices.Clone(values)
	slices.Sort(s)
	return summarizeSorted(s), nil
}

func summarizeSorted(s []float64) Summary {
	return Summary{
		N:      len(s),
		Min:    s[0],
		P25:    Quantile(s, 0.25),
		Median: Quantile(s, 0.5),
		P75:    Quantile(s, 0.75),
		Max:    s[len(s)-1],
		Mean:   mean(s, s[0], s[len(s)-1]),
	}
}

// Quantile returns the type-7 quantile of sorted (ascending, finite, non-empty)
// at p in [0,1]; p outside is clamped. It equals DuckDB's quantile_cont.
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if !(p > 0) { // also catches NaN
		return sorted[0]
	}
	if p >= 1 {
		return sorted[n-1]
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return interpolate(sorted[lo], sorted[lo+1], h-float64(lo))
}

// interpolate returns a + f·(b−a) kept inside [a,b]: rounding, or the
// overflow of b−a for values near ±MaxFloat64, must not push a quantile
// outside its interval (quartiles would stop being ordered).
func interpolate(a, b, f float64) float64 {
	if f == 0 || a == b {
		return a
	}
	d := b - a
	var v float64
	if math.IsInf(d, 0) {
		v = a*(1-f) + b*f
	} else {
		v = a + f*d
	}
	return min(max(v, a), b)
}

// mean is sum/n (what DuckDB's avg does); if the sum overflows it falls back
// to Σ x/n, and it is clamped to [lo,hi] against rounding.
func mean(xs []float64, lo, hi float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	n := float64(len(xs))
	m := sum / n
	if math.IsInf(sum, 0) {
		m = 0
		for _, x := range xs {
			m += x / n
		}
	}
	return min(max(m, lo), hi)
}

// checkFinite fails on the first NaN/Inf; ids (optional) name its cooperative.
func checkFinite(values []float64, ids []string) error {
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			id := ""
			if ids != nil {
				id = ids[i]
			}
			return errorf(ErrNonFinite, id,
				"Valore non numerico o infinito (cooperativa %q).",
				"Value is not a number or is infinite (cooperative %q).", id)
		}
	}
	return nil
}
