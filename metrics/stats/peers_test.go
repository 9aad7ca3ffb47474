package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func findGroup(t *testing.T, r PeerResult, dim, group string) GroupStats {
	t.Helper()
	for _, g := range r.Groups {
		if g.Dimension == dim && g.Group == group {
			return g
		}
	}
	t.Fatalf("group %s/%s missing", dim, group)
	return GroupStats{}
}

func findPos(t *testing.T, r PeerResult, coop, dim string) Position {
	t.Helper()
	for _, p := range r.Positions {
		if p.CoopID == coop && p.Dimension == dim {
			return p
		}
	}
	t.Fatalf("position %s/%s missing", coop, dim)
	return Position{}
}

// Values 10, 20, 20, 30, 5 → sorted 5 10 20 20 30 (n=5).
// Percentile = share ≤ value: e 20, a 40, b 80, c 80, d 100.
// up:   d 1, b 2, c 2, a 4, e 5   down/band/law: e 1, a 2, b 3, c 3, d 5.
func TestPercentileRankTiesDirections(t *testing.T) {
	obs := []Obs{
		{"a", 10, map[string]string{"network": "all"}},
		{"b", 20, map[string]string{"network": "all"}},
		{"c", 20, map[string]string{"network": "all"}},
		{"d", 30, map[string]string{"network": "all"}},
		{"e", 5, map[string]string{"network": "all"}},
	}
	pct := map[string]float64{"a": 40, "b": 80, "c": 80, "d": 100, "e": 20}
	ranks := map[Direction]map[string]int{
		Up:   {"d": 1, "b": 2, "c": 2, "a": 4, "e": 5},
		Down: {"e": 1, "a": 2, "b": 3, "c": 3, "d": 5},
		Band: {"e": 1, "a": 2, "b": 3, "c": 3, "d": 5},
		Law:  {"e": 1, "a": 2, "b": 3, "c": 3, "d": 5},
	}
	for dir, want := range ranks {
		r, err := Peers(obs, PeerOptions{Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		if r.K != DefaultK {
			t.Errorf("K = %d, want default %d", r.K, DefaultK)
		}
		g := findGroup(t, r, "network", "all")
		assertSummary(t, g.Summary, Summary{5, 5, 10, 20, 20, 30, 17}, 1e-12)
		for id, rank := range want {
			p := findPos(t, r, id, "network")
			if p.Rank != rank || p.Percentile != pct[id] || p.N != 5 || p.Suppressed || p.Value != obs[slices.IndexFunc(obs, func(o Obs) bool { return o.CoopID == id })].Value {
				t.Errorf("%s %s: got rank %d pct %v n %d, want rank %d pct %v", dir, id, p.Rank, p.Percentile, p.N, rank, pct[id])
			}
		}
	}
}

// groupsObs builds a network whose "region" dimension has groups of the given
// sizes (keys r0, r1, … unless named), values 1..n.
func groupsObs(sizes map[string]int) []Obs {
	var obs []Obs
	keys := make([]string, 0, len(sizes))
	for k := range sizes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		for i := range sizes[key] {
			obs = append(obs, Obs{CoopID: fmt.Sprintf("%s-%02d", key, i), Value: float64(len(obs) + 1),
				Groups: map[string]string{"network": "all", "region": key}})
		}
	}
	return obs
}

func TestSuppression(t *testing.T) {
	cases := []struct {
		name  string
		sizes map[string]int
		extra int // cooperatives with no region key
		k     int
		want  map[string]Reason // region → reason (absent = shown)
	}{
		{"3,6,20 → 3 and 6", map[string]int{"a": 3, "b": 6, "c": 20}, 0, 5,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonComplementary}},
		{"3,20,40 → 3 and 20", map[string]int{"a": 3, "b": 20, "c": 40}, 0, 5,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonComplementary}},
		{"all ≥ k → none", map[string]int{"a": 5, "b": 6, "c": 20}, 0, 5, map[string]Reason{}},
		{"tie on size → lowest key", map[string]int{"a": 3, "c": 6, "b": 6}, 0, 5,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonComplementary}},
		{"two small summing < k → one more", map[string]int{"a": 1, "b": 2, "c": 20, "d": 40}, 0, 5,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonBelowK, "c": ReasonComplementary}},
		{"two small summing ≥ k → none more", map[string]int{"a": 3, "b": 4, "c": 20}, 0, 5,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonBelowK}},
		{"keyless cooperatives count as hidden", map[string]int{"a": 20, "b": 30}, 2, 5,
			map[string]Reason{"a": ReasonComplementary}},
		{"k=3 default overridden", map[string]int{"a": 3, "b": 6, "c": 20}, 0, 3, map[string]Reason{}},
		{"k=7", map[string]int{"a": 3, "b": 6, "c": 20}, 0, 7,
			map[string]Reason{"a": ReasonBelowK, "b": ReasonBelowK}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs := groupsObs(c.sizes)
			for i := range c.extra {
				obs = append(obs, Obs{CoopID: fmt.Sprintf("x%d", i), Value: 1, Groups: map[string]string{"network": "all"}})
			}
			r, err := Peers(obs, PeerOptions{K: c.k, Direction: Up})
			if err != nil {
				t.Fatal(err)
			}
			if g := findGroup(t, r, "network", "all"); g.Suppressed || g.N != len(obs) {
				t.Errorf("network: suppressed=%v n=%d", g.Suppressed, g.N)
			}
			for key, size := range c.sizes {
				g := findGroup(t, r, "region", key)
				want := c.want[key]
				if g.Reason != want || g.Suppressed != (want != ReasonNone) {
					t.Errorf("region %s (n=%d): reason %q suppressed %v, want %q", key, size, g.Reason, g.Suppressed, want)
				}
				if g.Suppressed && g.Summary != (Summary{}) {
					t.Errorf("region %s suppressed but numbers shown: %+v", key, g.Summary)
				}
				if !g.Suppressed && g.N != size {
					t.Errorf("region %s n = %d, want %d", key, g.N, size)
				}
				// Every member's position follows its group.
				for _, p := range r.Positions {
					if p.Dimension == "region" && p.Group == key {
						if p.Suppressed != g.Suppressed || p.Reason != g.Reason {
							t.Errorf("%s: position suppressed=%v, group %v", p.CoopID, p.Suppressed, g.Suppressed)
						}
						if p.Suppressed && (p.Rank != 0 || p.Percentile != 0 || p.N != 0) {
							t.Errorf("%s: suppressed position leaks %+v", p.CoopID, p)
						}
					}
				}
			}
		})
	}
}

func TestNetworkBelowK(t *testing.T) {
	r, err := Peers(groupsObs(map[string]int{"a": 2, "b": 2}), PeerOptions{Direction: Down})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		if !g.Suppressed || g.Reason != ReasonBelowK {
			t.Errorf("%s/%s not suppressed", g.Dimension, g.Group)
		}
	}
	for _, p := range r.Positions {
		if !p.Suppressed {
			t.Errorf("%s/%s position not suppressed", p.CoopID, p.Dimension)
		}
	}
	if msg := ReasonBelowK.Message(5); !strings.Contains(msg.It, "5") || !strings.Contains(msg.En, "5") {
		t.Errorf("message %+v", msg)
	}
}

func TestNoCoopIDsInGroups(t *testing.T) {
	obs := groupsObs(map[string]int{"a": 3, "b": 6, "c": 20})
	r, err := Peers(obs, PeerOptions{Direction: Up})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r.Groups)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if strings.Contains(string(b), o.CoopID) {
			t.Fatalf("group output contains cooperative id %q", o.CoopID)
		}
	}
	// Each position names only its own cooperative: one network and one region row per id.
	count := map[string]int{}
	for _, p := range r.Positions {
		count[p.CoopID]++
	}
	for _, o := range obs {
		if count[o.CoopID] != 2 {
			t.Errorf("%s has %d positions, want 2", o.CoopID, count[o.CoopID])
		}
	}
	if !slices.IsSortedFunc(r.Positions, func(a, b Position) int {
		return strings.Compare(a.CoopID+"\x00"+a.Dimension, b.CoopID+"\x00"+b.Dimension)
	}) {
		t.Error("positions not sorted")
	}
}

func TestPeersErrors(t *testing.T) {
	ok := map[string]string{"network": "all"}
	if _, err := Peers([]Obs{{"a", 1, ok}}, PeerOptions{Direction: "sideways"}); !errors.Is(err, ErrDirection) {
		t.Errorf("direction: %v", err)
	}
	if _, err := Peers([]Obs{{"a", 1, ok}, {"a", 2, ok}}, PeerOptions{Direction: Up}); !errors.Is(err, ErrDuplicateCoop) {
		t.Errorf("duplicate: %v", err)
	}
	_, err := Peers([]Obs{{"a", 1, ok}, {"b", math.NaN(), ok}}, PeerOptions{Direction: Up})
	var se *Error
	if !errors.Is(err, ErrNonFinite) || !errors.As(err, &se) || se.CoopID != "b" {
		t.Errorf("NaN: %v", err)
	}
	r, err := Peers(nil, PeerOptions{Direction: Up})
	if err != nil || len(r.Groups) != 0 || len(r.Positions) != 0 {
		t.Errorf("empty: %+v %v", r, err)
	}
}

// Cross-check groups, percentiles and ranks against DuckDB on a random network
// with every dimension: quantile_cont/avg per group, cume_dist and rank() per
// cooperative.
func TestPeersMatchDuckDB(t *testing.T) {
	db := openDuckDB(t)
	r := rand.New(rand.NewPCG(3, 4))
	types := []string{"A", "B", "AB"}
	regions := []string{"Lombardia", "Piemonte", "Liguria", "Veneto"}
	var obs []Obs
	for i := range 60 {
		fte := r.Float64() * 300
		obs = append(obs, Obs{
			CoopID: fmt.Sprintf("c%03d", i),
			Value:  float64(r.IntN(40)) / 4, // coarse values → many ties
			Groups: map[string]string{
				"network": "all", "coop_type": types[r.IntN(3)], "region": regions[r.IntN(4)],
				"size": SizeClass(fte), "cohort": []string{"2023", "none"}[r.IntN(2)],
			},
		})
	}
	if _, err := db.Exec(`CREATE OR REPLACE TEMP TABLE p(coop VARCHAR, dim VARCHAR, grp VARCHAR, v DOUBLE)`); err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		for d, g := range o.Groups {
			if _, err := db.Exec(`INSERT INTO p VALUES (?, ?, ?, ?)`, o.CoopID, d, g, o.Value); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, dir := range []Direction{Up, Down} {
		res, err := Peers(obs, PeerOptions{K: 5, Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		shown := 0
		for _, g := range res.Groups {
			if g.Suppressed {
				continue
			}
			shown++
			var want Summary
			err := db.QueryRow(`SELECT count(*)::BIGINT, min(v), quantile_cont(v, 0.25), quantile_cont(v, 0.5),
				quantile_cont(v, 0.75), max(v), avg(v) FROM p WHERE dim = ? AND grp = ?`, g.Dimension, g.Group).
				Scan(&want.N, &want.Min, &want.P25, &want.Median, &want.P75, &want.Max, &want.Mean)
			if err != nil {
				t.Fatal(err)
			}
			assertSummary(t, g.Summary, want, 1e-12)
		}
		if shown < 8 {
			t.Fatalf("only %d groups shown; test network too small", shown)
		}
		order := "DESC"
		if dir == Down {
			order = "ASC"
		}
		rows, err := db.Query(`SELECT coop, dim, 100 * cume_dist() OVER w, rank() OVER (PARTITION BY dim, grp ORDER BY v ` + order + `)
			FROM p WINDOW w AS (PARTITION BY dim, grp ORDER BY v)`)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for rows.Next() {
			var coop, dim string
			var pct float64
			var rank int
			if err := rows.Scan(&coop, &dim, &pct, &rank); err != nil {
				t.Fatal(err)
			}
			p := findPos(t, res, coop, dim)
			if p.Suppressed {
				continue
			}
			checked++
			if math.Abs(p.Percentile-pct) > 1e-9 || p.Rank != rank {
				t.Errorf("%s %s/%s: pct %v rank %d, duckdb %v %d", dir, coop, dim, p.Percentile, p.Rank, pct, rank)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if checked < 200 {
			t.Errorf("only %d positions checked", checked)
		}
	}
}
