package demo

import "math"

// rng is a splitmix64 generator. The package carries its own generator (not
// math/rand) so that the output depends only on this code, never on the
// standard library's choice of algorithms across Go releases.
type rng struct{ s uint64 }

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// newRNG derives an independent stream from the seed and a path of keys
// (cooperative index, stream id, ...), so one dataset's draws never shift
// another's when its generator changes.
func newRNG(seed int64, keys ...uint64) *rng {
	h := mix64(uint64(seed) + 0x9e3779b97f4a7c15)
	for _, k := range keys {
		h = mix64(h ^ (k + 0x632be59bd9b4e019))
	}
	return &rng{s: h}
}

func (r *rng) u64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float64 { return float64(r.u64()>>11) / (1 << 53) }

// intn returns a uniform int in [0, n); n must be > 0.
func (r *rng) intn(n int) int { return int(r.u64() % uint64(n)) }

// between returns a uniform value in [a, b).
func (r *rng) between(a, b float64) float64 { return a + (b-a)*r.float() }

// ibetween returns a uniform int in [a, b].
func (r *rng) ibetween(a, b int) int { return a + r.intn(b-a+1) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// norm returns a standard normal draw (Box-Muller, one value per call).
func (r *rng) norm() float64 {
	u1 := 1 - r.float() // (0, 1]
	u2 := r.float()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// pick returns an index drawn with the given (non-negative) weights.
func (r *rng) pick(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.float() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// perm returns a random permutation of 0..n-1.
func (r *rng) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := r.intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// round rounds x to a whole number with probability equal to its fraction,
// so small expected counts are not all rounded away.
func (r *rng) round(x float64) int {
	f := math.Floor(x)
	if r.float() < x-f {
		return int(f) + 1
	}
	return int(f)
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
