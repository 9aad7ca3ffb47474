package stats

import "math"

// Size classes by average FTE (indicators.md: <10, 10–49, 50–249, ≥250).
const (
	SizeMicro  = "<10"
	SizeSmall  = "10-49"
	SizeMedium = "50-249"
	SizeLarge  = ">=250"
)

// SizeClass maps an average FTE to its class using half-open intervals
// [0,10), [10,50), [50,250), [250,∞): FTE is fractional, so 9.5 is "<10" and
// 49.9 is "10-49" (no rounding; the class bounds are the EU headcount bounds
// read on a continuous scale). A negative or non-finite FTE has no class and
// gives "".
func SizeClass(fteAvg float64) string {
	switch {
	case math.IsNaN(fteAvg) || math.IsInf(fteAvg, 0) || fteAvg < 0:
		return ""
	case fteAvg < 10:
		return SizeMicro
	case fteAvg < 50:
		return SizeSmall
	case fteAvg < 250:
		return SizeMedium
	default:
		return SizeLarge
	}
}
