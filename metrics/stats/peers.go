package stats

import (
	"cmp"
	"slices"
	"sort"
)

// DefaultK is the minimum number of cooperatives behind any peer statistic.
const DefaultK = 5

// Direction is an indicator's intended direction (indicators.md).
type Direction string

// Directions.
const (
	Up   Direction = "up"
	Down Direction = "down"
	Band Direction = "band"
	Law  Direction = "law"
)

func (d Direction) valid() bool { return d == Up || d == Down || d == Band || d == Law }

// Obs is one cooperative's value of one indicator in one year. Groups maps
// each peer dimension to the cooperative's group in it, e.g. "network":"all",
// "coop_type":"B", "region":"Lombardia", "size":"10-49", "cohort":"none".
type Obs struct {
	CoopID string
	Value  float64
	Groups map[string]string
}

// PeerOptions configure Peers.
type PeerOptions struct {
	K         int       // minimum cooperatives per statistic; ≤ 0 means DefaultK
	Direction Direction // drives Rank only
}

// GroupStats is the distribution of one peer group. It carries no
// cooperative ids. When Suppressed, every number (N included) is zero.
type GroupStats struct {
	Dimension string `json:"dimension"`
	Group     string `json:"group"`
	Summary
	Suppressed bool   `json:"suppressed"`
	Reason     Reason `json:"reason,omitempty"`
}

// Position is one cooperative within one of its peer groups. It carries only
// that cooperative's own id. When Suppressed, N, Percentile and Rank are zero.
type Position struct {
	CoopID     string  `json:"coop_id"`
	Dimension  string  `json:"dimension"`
	Group      string  `json:"group"`
	Value      float64 `json:"value"`
	N          int     `json:"n"`
	Percentile float64 `json:"percentile"` // 0–100, share of the group's values ≤ Value
	Rank       int     `json:"rank"`       // 1 = best per direction; ties share the best rank
	Suppressed bool    `json:"suppressed"`
	Reason     Reason  `json:"reason,omitempty"`
}

// PeerResult is the output of Peers. Groups are sorted by dimension then
// group; Positions by cooperative then dimension.
type PeerResult struct {
	K         int          `json:"k"`
	Groups    []GroupStats `json:"groups"`
	Positions []Position   `json:"positions"`
}

// Peers computes the peer distributions of one indicator in one year.
//
// obs must be the whole population the network figure is computed on: one
// Obs per cooperative, finite values (missing values are left out by the
// caller). A cooperative without a key for a dimension is in no group of it.
//
// Suppression, per dimension:
//  1. a group with fewer than k cooperatives is suppressed (ReasonBelowK);
//  2. complementary: let hidden = len(obs) − Σ n of the groups still shown.
//     hidden is what "network minus the shown groups" would reveal. While
//     0 < hidden < k, the shown group with the fewest cooperatives (ties: the
//     lowest key) is suppressed too (ReasonComplementary) and hidden grows by
//     its n. With one group suppressed by size this is exactly "also suppress
//     the next smallest group"; the loop also covers several small groups
//     whose sum is still below k, and cooperatives left without a key.
//
// Interactions across dimensions (e.g. region × size) are not checked.
func Peers(obs []Obs, opt PeerOptions) (PeerResult, error) {
	k := opt.K
	if k <= 0 {
		k = DefaultK
	}
	if !opt.Direction.valid() {
		return PeerResult{}, errorf(ErrDirection, "",
			"Direzione dell'indicatore non valida: %q (attese up, down, band, law).",
			"Invalid indicator direction: %q (expected up, down, band, law).", string(opt.Direction))
	}
	seen := make(map[string]bool, len(obs))
	for _, o := range obs {
		if seen[o.CoopID] {
			return PeerResult{}, errorf(ErrDuplicateCoop, o.CoopID,
				"La cooperativa %q compare più di una volta.",
				"Cooperative %q appears more than once.", o.CoopID)
		}
		seen[o.CoopID] = true
		if err := checkFinite([]float64{o.Value}, []string{o.CoopID}); err != nil {
			return PeerResult{}, err
		}
	}

	type gkey struct{ dim, group string }
	members := map[gkey][]int{} // indexes into obs
	for i, o := range obs {
		for d, g := range o.Groups {
			members[gkey{d, g}] = append(members[gkey{d, g}], i)
		}
	}
	keys := make([]gkey, 0, len(members))
	for gk := range members {
		keys = append(keys, gk)
	}
	slices.SortFunc(keys, func(a, b gkey) int {
		return cmp.Or(cmp.Compare(a.dim, b.dim), cmp.Compare(a.group, b.group))
	})

	// Decide suppression first, dimension by dimension (keys are grouped by dim).
	reason := make(map[gkey]Reason, len(keys))
	for start := 0; start < len(keys); {
		end := start
		for end < len(keys) && keys[end].dim == keys[start].dim {
			end++
		}
		dim := keys[start:end]
		shown := 0
		for _, gk := range dim {
			if n := len(members[gk]); n < k {
				reason[gk] = ReasonBelowK
			} else {
				shown += n
			}
		}
		for hidden := len(obs) - shown; hidden > 0 && hidden < k; {
			best := -1
			for i, gk := range dim { // sorted by key, so the first minimum has the lowest key
				if reason[gk] == ReasonNone && (best < 0 || len(members[gk]) < len(members[dim[best]])) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			reason[dim[best]] = ReasonComplementary
			hidden += len(members[dim[best]])
		}
		start = end
	}

	res := PeerResult{K: k, Groups: make([]GroupStats, 0, len(keys))}
	for _, gk := range keys {
		idx := members[gk]
		gs := GroupStats{Dimension: gk.dim, Group: gk.group}
		if r := reason[gk]; r != ReasonNone {
			gs.Suppressed, gs.Reason = true, r
			res.Groups = append(res.Groups, gs)
			for _, i := range idx {
				res.Positions = append(res.Positions, Position{CoopID: obs[i].CoopID, Dimension: gk.dim,
					Group: gk.group, Value: obs[i].Value, Suppressed: true, Reason: r})
			}
			continue
		}
		vals := make([]float64, len(idx))
		for j, i := range idx {
			vals[j] = obs[i].Value
		}
		slices.Sort(vals)
		gs.Summary = summarizeSorted(vals)
		res.Groups = append(res.Groups, gs)
		n := len(vals)
		for _, i := range idx {
			v := obs[i].Value
			below := sort.SearchFloat64s(vals, v)                                // count < v
			atOrBelow := sort.Search(n, func(j int) bool { return vals[j] > v }) // count ≤ v
			rank := 1 + below                                                    // ascending: down, band, law
			if opt.Direction == Up {
				rank = 1 + n - atOrBelow
			}
			res.Positions = append(res.Positions, Position{CoopID: obs[i].CoopID, Dimension: gk.dim,
				Group: gk.group, Value: v, N: n, Percentile: 100 * float64(atOrBelow) / float64(n), Rank: rank})
		}
	}
	slices.SortFunc(res.Positions, func(a, b Position) int {
		return cmp.Or(cmp.Compare(a.CoopID, b.CoopID), cmp.Compare(a.Dimension, b.Dimension))
	})
	return res, nil
}
