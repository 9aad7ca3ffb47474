package stats

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"testing"
)

func FuzzQuantiles(f *testing.F) {
	enc := func(xs ...float64) []byte {
		b := make([]byte, 0, 8*len(xs))
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	f.Add(enc(1))
	f.Add(enc(1, 2, 3, 4))
	f.Add(enc(-math.MaxFloat64, math.MaxFloat64, 0))
	f.Add(enc(math.MaxFloat64, math.MaxFloat64, math.MaxFloat64))
	f.Add(enc(5e-324, -0.0, 0, 1e300))
	f.Add(enc(math.NaN(), 1))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		var xs []float64
		finite := true
		for len(data) >= 8 {
			x := math.Float64frombits(binary.LittleEndian.Uint64(data))
			finite = finite && !math.IsNaN(x) && !math.IsInf(x, 0)
			xs = append(xs, x)
			data = data[8:]
		}
		s, err := Summarize(xs)
		switch {
		case len(xs) == 0:
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("empty: %v", err)
			}
			return
		case !finite:
			if !errors.Is(err, ErrNonFinite) {
				t.Fatalf("non-finite: %v", err)
			}
			return
		case err != nil:
			t.Fatal(err)
		}
		if !(s.Min <= s.P25 && s.P25 <= s.Median && s.Median <= s.P75 && s.P75 <= s.Max) {
			t.Fatalf("unordered %+v for %v", s, xs)
		}
		if !(s.Min <= s.Mean && s.Mean <= s.Max) || s.N != len(xs) {
			t.Fatalf("mean/n %+v for %v", s, xs)
		}
		// Peers must agree with Summarize on the same values.
		obs := make([]Obs, len(xs))
		for i, x := range xs {
			obs[i] = Obs{CoopID: strconv.Itoa(i), Value: x, Groups: map[string]string{"network": "all"}}
		}
		r, err := Peers(obs, PeerOptions{K: 1, Direction: Up})
		if err != nil {
			t.Fatal(err)
		}
		if r.Groups[0].Summary != s {
			t.Fatalf("peers %+v, summarize %+v", r.Groups[0].Summary, s)
		}
		for _, p := range r.Positions {
			if p.Rank < 1 || p.Rank > len(xs) || p.Percentile <= 0 || p.Percentile > 100 {
				t.Fatalf("position %+v", p)
			}
		}
	})
}
