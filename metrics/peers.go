package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"coopimpact/metrics/stats"
)

// Peer dimensions (docs/metrics.md, "Peers and programme effect").
const (
	DimNetwork  = "network"
	DimCoopType = "coop_type"
	DimRegion   = "region"
	DimSize     = "size"
	DimCohort   = "cohort"
	NoCohort    = "none"
)

// PeerView is one indicator's distribution in one year across the peer
// groups, and the positions of the cooperatives the scope may see (a
// cooperative's user sees its own position only; group statistics never
// carry cooperative ids).
type PeerView struct {
	IndicatorID string             `json:"id"`
	Year        int                `json:"year"`
	Unit        string             `json:"unit"`
	K           int                `json:"k"`
	Groups      []stats.GroupStats `json:"groups"`
	Positions   []stats.Position   `json:"positions"`
}

// peerObs reads the values ok of a cooperative-grain indicator in a year
// with each cooperative's groups.
func (e *Engine) peerObs(ctx context.Context, indicatorID string, year int) ([]stats.Obs, error) {
	rows, err := e.DB.QueryContext(ctx, `SELECT v.coop_id, v.value, k.coop_type, k.region, coalesce(k.cohort, ''), y.fte_avg
		FROM indicator_values v
		JOIN cooperatives k ON k.coop_id = v.coop_id
		LEFT JOIN metric_coop_years y ON y.coop_id = v.coop_id AND y.year = v.year
		WHERE v.indicator_id = ? AND v.year = ? AND v.breakdown = '' AND v.status = 'ok' AND v.coop_id IS NOT NULL
		ORDER BY v.coop_id`, indicatorID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var obs []stats.Obs
	for rows.Next() {
		var o stats.Obs
		var typ, region, cohort string
		var fte sql.NullFloat64
		if err := rows.Scan(&o.CoopID, &o.Value, &typ, &region, &cohort, &fte); err != nil {
			return nil, err
		}
		o.Groups = map[string]string{DimNetwork: "all", DimCoopType: typ, DimRegion: region, DimCohort: NoCohort}
		if cohort != "" {
			o.Groups[DimCohort] = cohort
		}
		if fte.Valid {
			if c := stats.SizeClass(fte.Float64); c != "" {
				o.Groups[DimSize] = c
			}
		}
		obs = append(obs, o)
	}
	return obs, rows.Err()
}

// Peers compares the cooperatives on one indicator in one year, by network,
// type, region, size class (average FTE) and programme cohort. Statistics
// over fewer than k cooperatives (k ≤ 0: 5) are suppressed, with the
// complementary suppression of stats.Peers.
func (e *Engine) Peers(ctx context.Context, sc Scope, indicatorID string, year, k int) (*PeerView, error) {
	if sc == nil {
		return nil, ErrNotFound
	}
	ind, ok := e.Catalog.Indicator(indicatorID)
	if !ok || ind.Grain != GrainYear {
		return nil, ErrNotFound
	}
	obs, err := e.peerObs(ctx, indicatorID, year)
	if err != nil {
		return nil, err
	}
	res, err := stats.Peers(obs, stats.PeerOptions{K: k, Direction: stats.Direction(ind.Direction)})
	if err != nil {
		return nil, err
	}
	v := &PeerView{IndicatorID: indicatorID, Year: year, Unit: ind.Unit, K: res.K, Groups: res.Groups, Positions: []stats.Position{}}
	for _, p := range res.Positions {
		if sc.IsHub() || sc.CanSeeCoop(p.CoopID) {
			v.Positions = append(v.Positions, p)
		}
	}
	if v.Groups == nil {
		v.Groups = []stats.GroupStats{}
	}
	return v, nil
}

// EffectView is the programme effect of one indicator for one cohort (wave).
type EffectView struct {
	IndicatorID string       `json:"id"`
	Cohort      string       `json:"cohort"`       // as in the registry, "2023"
	CohortStart int          `json:"cohort_start"` // first programme year
	Baseline    int          `json:"baseline"`     // the year before
	Latest      int          `json:"latest"`       // latest year with values
	Effect      stats.Effect `json:"effect"`
	// Reason is set, in both languages, when no effect can be estimated
	// (no year after the baseline yet, a cohort without a start year).
	Reason *Text `json:"reason,omitempty"`
}

var cohortYear = regexp.MustCompile(`(19|20)\d\d`)

// Effect estimates the programme effect of one indicator, per cohort: the
// change from the year before the cohort started (or the start year itself
// when the measure was first taken then, like the DMA's T0) to the latest
// year with values, cohort against the cooperatives in no cohort (difference in
// differences), with n per side and a 95 % bootstrap interval (2,000
// resamples, seed 1). The figures carry no cooperative ids, so any scope
// may see them; sides below k = 5 cooperatives are suppressed.
func (e *Engine) Effect(ctx context.Context, sc Scope, indicatorID string) ([]EffectView, error) {
	if sc == nil {
		return nil, ErrNotFound
	}
	ind, ok := e.Catalog.Indicator(indicatorID)
	if !ok || ind.Grain != GrainYear {
		return nil, ErrNotFound
	}
	rows, err := e.DB.QueryContext(ctx, `SELECT v.coop_id, v.year, v.value, coalesce(k.cohort, '')
		FROM indicator_values v JOIN cooperatives k ON k.coop_id = v.coop_id
		WHERE v.indicator_id = ? AND v.breakdown = '' AND v.status = 'ok'`, indicatorID)
	if err != nil {
		return nil, err
	}
	values := map[string]map[int]float64{}
	cohortOf := map[string]string{}
	withValues := map[int]int{} // cooperatives with a value, per year
	latest := 0
	for rows.Next() {
		var coop, cohort string
		var year int
		var v float64
		if err := rows.Scan(&coop, &year, &v, &cohort); err != nil {
			rows.Close()
			return nil, err
		}
		if values[coop] == nil {
			values[coop] = map[int]float64{}
		}
		values[coop][year] = v
		cohortOf[coop] = cohort
		withValues[year]++
		latest = max(latest, year)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	waves := map[string]bool{}
	for _, c := range cohortOf {
		if c != "" {
			waves[c] = true
		}
	}
	out := []EffectView{}
	for _, w := range sortedKeys(waves) {
		ev := EffectView{IndicatorID: indicatorID, Cohort: w, Latest: latest}
		m := cohortYear.FindString(w)
		if m == "" {
			ev.Reason = &Text{It: "la coorte " + w + " non indica un anno di inizio", En: "cohort " + w + " names no start year"}
			out = append(out, ev)
			continue
		}
		ev.CohortStart, _ = strconv.Atoi(m)
		ev.Baseline = ev.CohortStart - 1
		// Some measures are first taken when the programme starts (the DMA's
		// T0 wave): with no value the year before, the start year is the baseline.
		if withValues[ev.Baseline] == 0 && withValues[ev.CohortStart] > 0 {
			ev.Baseline = ev.CohortStart
		}
		// This wave against the cooperatives in no wave; other waves are left out.
		panel := map[string]map[int]float64{}
		in := map[string]bool{}
		for coop, byYear := range values {
			switch cohortOf[coop] {
			case w:
				in[coop] = true
				panel[coop] = byYear
			case "":
				panel[coop] = byYear
			}
		}
		if latest <= ev.Baseline {
			ev.Reason = &Text{
				It: fmt.Sprintf("nessun anno con valori dopo l'anno di riferimento %d", ev.Baseline),
				En: fmt.Sprintf("no year with values after the baseline year %d", ev.Baseline)}
			out = append(out, ev)
			continue
		}
		eff, err := stats.EffectFromPanel(panel, in, ev.Baseline+1, latest, stats.EffectOptions{})
		if err != nil {
			return nil, err
		}
		ev.Effect = eff
		out = append(out, ev)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CohortStart < out[j].CohortStart })
	return out, nil
}
