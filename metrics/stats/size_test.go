package stats

import (
	"math"
	"testing"
)

func TestSizeClass(t *testing.T) {
	for _, c := range []struct {
		fte  float64
		want string
	}{
		{0, "<10"}, {0.5, "<10"}, {9.5, "<10"}, {9.999, "<10"},
		{10, "10-49"}, {49.9, "10-49"}, {49.999999, "10-49"},
		{50, "50-249"}, {249.99, "50-249"},
		{250, ">=250"}, {1e6, ">=250"},
		{-1, ""}, {math.NaN(), ""}, {math.Inf(1), ""},
	} {
		if got := SizeClass(c.fte); got != c.want {
			t.Errorf("SizeClass(%v) = %q, want %q", c.fte, got, c.want)
		}
	}
}
