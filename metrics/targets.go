package metrics

import (
	"context"
	"database/sql"
	"math"
)

// Target statuses.
const (
	OnTrack  = "on_track"
	OffTrack = "off_track"
	NoTarget = "no_target" // no target for this cooperative (nor the network) and year
	NoValue  = "no_value"  // a target exists but the value is not computable
)

// MaintainTolerance is how far from its reference a "maintain" value may be
// and still be on track: 5 % of the baseline, or of the target when there is
// no baseline.
const MaintainTolerance = 0.05

// Target is one row of the targets table (coop_id empty: the network's).
type Target struct {
	CoopID      string   `json:"coop_id,omitempty"`
	IndicatorID string   `json:"id"`
	Year        int      `json:"year"`
	Value       float64  `json:"target"`
	Baseline    *float64 `json:"baseline,omitempty"`
	Direction   string   `json:"direction"` // increase | decrease | maintain
	Note        string   `json:"note,omitempty"`
}

// TargetCheck is a target with the status of the value against it.
type TargetCheck struct {
	Target
	Status string `json:"status"`
}

// TargetStatus says whether value is on track for the target:
//   - increase: value ≥ target;
//   - decrease: value ≤ target;
//   - maintain: value within ±5 % of the baseline, or of the target when
//     there is no baseline (a reference of 0 allows only 0).
//
// A nil value gives NoValue; an unknown direction NoTarget.
func TargetStatus(direction string, value *float64, target float64, baseline *float64) string {
	if value == nil {
		return NoValue
	}
	v := *value
	switch direction {
	case "increase":
		if v >= target {
			return OnTrack
		}
		return OffTrack
	case "decrease":
		if v <= target {
			return OnTrack
		}
		return OffTrack
	case "maintain":
		ref := target
		if baseline != nil {
			ref = *baseline
		}
		// A hair of slack so 105 against 100 is on track despite rounding.
		if math.Abs(v-ref) <= MaintainTolerance*math.Abs(ref)+1e-9*math.Max(1, math.Abs(ref)) {
			return OnTrack
		}
		return OffTrack
	}
	return NoTarget
}

// targetsFor reads the targets that apply to a cooperative's values (its
// own, else the network's) or, coopID empty, to the network values.
func (e *Engine) targetsFor(ctx context.Context, coopID string) (map[string]map[int]Target, error) {
	q := "SELECT coalesce(coop_id, ''), indicator_id, year, target_value, baseline_value, direction, coalesce(note, '') FROM targets WHERE coop_id IS NULL"
	args := []any{}
	if coopID != "" {
		q += " OR coop_id = ?"
		args = append(args, coopID)
	}
	rows, err := e.DB.QueryContext(ctx, q+" ORDER BY coop_id NULLS FIRST", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[int]Target{}
	for rows.Next() {
		var t Target
		var b sql.NullFloat64
		if err := rows.Scan(&t.CoopID, &t.IndicatorID, &t.Year, &t.Value, &b, &t.Direction, &t.Note); err != nil {
			return nil, err
		}
		t.Baseline = fptr(b)
		if out[t.IndicatorID] == nil {
			out[t.IndicatorID] = map[int]Target{}
		}
		out[t.IndicatorID][t.Year] = t // the cooperative's own rows come last and win
	}
	return out, rows.Err()
}

// attachTargets sets Target on the main values that have one.
func (e *Engine) attachTargets(ctx context.Context, coopID string, vals []Value) error {
	if len(vals) == 0 {
		return nil
	}
	if _, ok := e.tableExists(ctx, "targets"); !ok {
		return nil
	}
	ts, err := e.targetsFor(ctx, coopID)
	if err != nil {
		return err
	}
	for i := range vals {
		v := &vals[i]
		if v.Breakdown != "" || v.Status == StatusNotApplicable {
			continue
		}
		if t, ok := ts[v.IndicatorID][v.Year]; ok {
			v.Target = &TargetCheck{Target: t, Status: TargetStatus(t.Direction, v.Value, t.Value, t.Baseline)}
		}
	}
	return nil
}

// Targets lists the targets of a cooperative (and the network's), or of the
// network alone when coopID is empty.
func (e *Engine) Targets(ctx context.Context, sc Scope, coopID string) ([]Target, error) {
	if sc == nil {
		return nil, ErrNotFound
	}
	if coopID != "" {
		if err := e.checkCoop(ctx, sc, coopID); err != nil {
			return nil, err
		}
	}
	q := "SELECT coalesce(coop_id, ''), indicator_id, year, target_value, baseline_value, direction, coalesce(note, '') FROM targets WHERE "
	var args []any
	if coopID == "" {
		q += "coop_id IS NULL"
	} else {
		q += "coop_id = ?"
		args = append(args, coopID)
	}
	rows, err := e.DB.QueryContext(ctx, q+" ORDER BY indicator_id, year", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Target{}
	for rows.Next() {
		var t Target
		var b sql.NullFloat64
		if err := rows.Scan(&t.CoopID, &t.IndicatorID, &t.Year, &t.Value, &b, &t.Direction, &t.Note); err != nil {
			return nil, err
		}
		t.Baseline = fptr(b)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (e *Engine) tableExists(ctx context.Context, name string) (string, bool) {
	var n int
	err := e.DB.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?", name).Scan(&n)
	return name, err == nil && n > 0
}
