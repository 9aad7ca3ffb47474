package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Scope is who is asking (internal/auth.Scope satisfies it). Every read is
// scoped: a cooperative the scope cannot see answers ErrNotFound, exactly
// like one that does not exist.
type Scope interface {
	IsHub() bool
	CanSeeCoop(coopID string) bool
}

type hubScope struct{}

func (hubScope) IsHub() bool            { return true }
func (hubScope) CanSeeCoop(string) bool { return true }

// HubScope sees everything: for the CLI, whose user holds the data folder.
func HubScope() Scope { return hubScope{} }

// Value is one stored value with what is needed to read it.
type Value struct {
	IndicatorID    string    `json:"id"`
	CoopID         string    `json:"coop_id,omitempty"` // empty: a network value
	Year           int       `json:"year"`
	Breakdown      string    `json:"breakdown,omitempty"` // "gender=F"; empty for the main value
	Value          *float64  `json:"value"`
	Numerator      *float64  `json:"numerator"`
	Denominator    *float64  `json:"denominator"`
	N              *int64    `json:"n"`
	Unit           string    `json:"unit"`
	Status         string    `json:"status"`  // ok | not_computable | not_applicable
	Missing        []string  `json:"missing"` // inputs with no data, when not computable
	Params         string    `json:"params,omitempty"`
	FormulaVersion int       `json:"formula_version"`
	RunIDs         []int64   `json:"run_ids"`
	ComputedAt     time.Time `json:"computed_at"`
	// Law indicators: the limit in force when computed and whether the value meets it.
	Limit *float64 `json:"limit,omitempty"`
	Pass  *bool    `json:"pass,omitempty"`
	// The target for this cooperative (or the network's) and year, if any.
	Target *TargetCheck `json:"target,omitempty"`
}

// Filter selects values. CoopID empty selects the network values.
type Filter struct {
	CoopID string
	Year   int      // 0: every year
	IDs    []string // empty: every indicator
}

// Catalogue is the indicators in catalogue order.
func (e *Engine) Catalogue() []*Indicator { return e.Catalog.Indicators }

// checkCoop answers ErrNotFound for a cooperative that does not exist or
// that the scope may not see: the two are indistinguishable on purpose.
func (e *Engine) checkCoop(ctx context.Context, sc Scope, coopID string) error {
	if sc == nil || coopID == "" || !sc.IsHub() && !sc.CanSeeCoop(coopID) {
		return ErrNotFound
	}
	var n int
	if err := e.DB.QueryRowContext(ctx, "SELECT count(*) FROM cooperatives WHERE coop_id = ?", coopID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Values returns the stored values matching f, in catalogue order, then
// year, then breakdown (main value first).
func (e *Engine) Values(ctx context.Context, sc Scope, f Filter) ([]Value, error) {
	if sc == nil {
		return nil, ErrNotFound
	}
	if f.CoopID != "" {
		if err := e.checkCoop(ctx, sc, f.CoopID); err != nil {
			return nil, err
		}
	}
	for _, id := range f.IDs {
		if _, ok := e.Catalog.Indicator(id); !ok {
			return nil, fmt.Errorf("indicator %s: %w", id, ErrNotFound)
		}
	}
	return e.query(ctx, f.CoopID, f.Year, f.IDs)
}

// Series returns one indicator's values for a cooperative over every year
// (coopID empty: a network indicator's values).
func (e *Engine) Series(ctx context.Context, sc Scope, coopID, indicatorID string) ([]Value, error) {
	if _, ok := e.Catalog.Indicator(indicatorID); !ok {
		return nil, ErrNotFound
	}
	return e.Values(ctx, sc, Filter{CoopID: coopID, IDs: []string{indicatorID}})
}

// LatestYear is the latest year in which the cooperative has a value ok
// (0 when none).
func (e *Engine) LatestYear(ctx context.Context, sc Scope, coopID string) (int, error) {
	if err := e.checkCoop(ctx, sc, coopID); err != nil {
		return 0, err
	}
	var y sql.NullInt64
	err := e.DB.QueryRowContext(ctx, "SELECT max(year) FROM indicator_values WHERE coop_id = ? AND status = 'ok'", coopID).Scan(&y)
	return int(y.Int64), err
}

func (e *Engine) query(ctx context.Context, coopID string, year int, ids []string) ([]Value, error) {
	q := `SELECT indicator_id, coalesce(coop_id, ''), year, breakdown, value, numerator, denominator, n, status,
		coalesce(missing, []::VARCHAR[]), coalesce(params, ''), formula_version, coalesce(run_ids, []::BIGINT[]), computed_at
		FROM indicator_values WHERE `
	var args []any
	if coopID == "" {
		q += "coop_id IS NULL"
	} else {
		q += "coop_id = ?"
		args = append(args, coopID)
	}
	if year != 0 {
		q += " AND year = ?"
		args = append(args, year)
	}
	if len(ids) > 0 {
		q += " AND indicator_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := e.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	order := map[string]int{}
	for i, ind := range e.Catalog.Indicators {
		order[ind.ID] = i
	}
	var out []Value
	for rows.Next() {
		var v Value
		var val, num, den sql.NullFloat64
		var n sql.NullInt64
		var missing, runs any
		if err := rows.Scan(&v.IndicatorID, &v.CoopID, &v.Year, &v.Breakdown, &val, &num, &den, &n, &v.Status,
			&missing, &v.Params, &v.FormulaVersion, &runs, &v.ComputedAt); err != nil {
			return nil, err
		}
		ind, ok := e.Catalog.Indicator(v.IndicatorID)
		if !ok {
			continue // left by an indicator no longer in the catalogue
		}
		v.Value, v.Numerator, v.Denominator = fptr(val), fptr(num), fptr(den)
		if n.Valid {
			v.N = &n.Int64
		}
		v.Unit = ind.Unit
		v.Missing = toStrings(missing)
		v.RunIDs = toInt64s(runs)
		if th := ind.Threshold; th != nil {
			limit := th.Value
			if th.Param != "" {
				if s, ok := paramFromString(v.Params, th.Param); ok {
					if f, err := strconv.ParseFloat(s, 64); err == nil {
						limit = f
					}
				}
			}
			v.Limit = &limit
			if v.Value != nil {
				pass := th.Pass(*v.Value, limit)
				v.Pass = &pass
			}
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.IndicatorID != b.IndicatorID {
			return order[a.IndicatorID] < order[b.IndicatorID]
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.Breakdown < b.Breakdown
	})
	if err := e.attachTargets(ctx, coopID, out); err != nil {
		return nil, err
	}
	return out, nil
}

// paramFromString reads one parameter back from a value's params string.
func paramFromString(params, name string) (string, bool) {
	for _, part := range strings.Split(params, "; ") {
		if k, v, ok := strings.Cut(part, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

func fptr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func toStrings(v any) []string {
	out := []string{}
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func toInt64s(v any) []int64 {
	out := []int64{}
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			switch n := x.(type) {
			case int64:
				out = append(out, n)
			case int32:
				out = append(out, int64(n))
			}
		}
	}
	return out
}

// IndicatorCompleteness is one indicator's status for a cooperative-year.
type IndicatorCompleteness struct {
	ID      string   `json:"id"`
	Status  string   `json:"status"`
	Missing []string `json:"missing"`
}

// MissingInput is one input with no data and the indicators it blocks.
type MissingInput struct {
	Input      string   `json:"input"`
	Indicators []string `json:"indicators"`
}

// Completeness is what a cooperative's data allows in one year.
type Completeness struct {
	CoopID        string                  `json:"coop_id"`
	Year          int                     `json:"year"`
	Computable    int                     `json:"computable"`     // status ok
	Applicable    int                     `json:"applicable"`     // indicators that apply to the cooperative
	NotApplicable int                     `json:"not_applicable"` // e.g. LAW-02 for a type A cooperative
	Indicators    []IndicatorCompleteness `json:"indicators"`     // catalogue order
	MissingInputs []MissingInput          `json:"missing_inputs"` // the inputs to upload, most blocking first
}

// Completeness tells, from the stored values, which indicators a
// cooperative's data makes computable in a year (0: its latest year with
// values) and which inputs are missing for the others.
func (e *Engine) Completeness(ctx context.Context, sc Scope, coopID string, year int) (*Completeness, error) {
	if err := e.checkCoop(ctx, sc, coopID); err != nil {
		return nil, err
	}
	if year == 0 {
		var y sql.NullInt64
		if err := e.DB.QueryRowContext(ctx, "SELECT max(year) FROM indicator_values WHERE coop_id = ?", coopID).Scan(&y); err != nil {
			return nil, err
		}
		year = int(y.Int64)
	}
	vals, err := e.query(ctx, coopID, year, nil)
	if err != nil {
		return nil, err
	}
	c := &Completeness{CoopID: coopID, Year: year, Indicators: []IndicatorCompleteness{}, MissingInputs: []MissingInput{}}
	blocks := map[string][]string{}
	for _, v := range vals {
		if v.Breakdown != "" {
			continue
		}
		c.Indicators = append(c.Indicators, IndicatorCompleteness{ID: v.IndicatorID, Status: v.Status, Missing: v.Missing})
		switch v.Status {
		case StatusOK:
			c.Computable++
			c.Applicable++
		case StatusNotApplicable:
			c.NotApplicable++
		default:
			c.Applicable++
			for _, in := range v.Missing {
				blocks[in] = append(blocks[in], v.IndicatorID)
			}
		}
	}
	for in, ids := range blocks {
		c.MissingInputs = append(c.MissingInputs, MissingInput{Input: in, Indicators: ids})
	}
	sort.Slice(c.MissingInputs, func(i, j int) bool {
		a, b := c.MissingInputs[i], c.MissingInputs[j]
		if len(a.Indicators) != len(b.Indicators) {
			return len(a.Indicators) > len(b.Indicators)
		}
		return a.Input < b.Input
	})
	return c, nil
}

// ParamSetting is one parameter with the value in force.
type ParamSetting struct {
	IndicatorID string `json:"id"`
	Param
	Value     string     `json:"value"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Params lists every parameter of the catalogue with its value in force.
func (e *Engine) Params(ctx context.Context, sc Scope) ([]ParamSetting, error) {
	if sc == nil {
		return nil, ErrNotFound
	}
	type set struct {
		value, by string
		at        time.Time
	}
	chosen := map[string]set{}
	rows, err := e.DB.QueryContext(ctx, "SELECT indicator_id, param, value, updated_by, updated_at FROM metric_params")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, p string
		var s set
		if err := rows.Scan(&id, &p, &s.value, &s.by, &s.at); err != nil {
			rows.Close()
			return nil, err
		}
		chosen[id+"."+p] = s
	}
	rows.Close()
	var out []ParamSetting
	for _, ind := range e.Catalog.Indicators {
		for _, p := range ind.Params {
			ps := ParamSetting{IndicatorID: ind.ID, Param: p, Value: p.Default}
			if s, ok := chosen[ind.ID+"."+p.Name]; ok {
				if v, ok := ParseParamValue(p, s.value); ok {
					at := s.at
					ps.Value, ps.UpdatedBy, ps.UpdatedAt = v, s.by, &at
				}
			}
			out = append(out, ps)
		}
	}
	return out, nil
}

// ParamError is a parameter value refused, with the reason in both languages.
type ParamError struct {
	ID, Param, Value string
	Text
}

func (e *ParamError) Error() string { return e.En }
func (e *ParamError) Unwrap() error { return ErrInvalid }

// SetParam sets a parameter for the whole network (hub only) and recomputes
// that indicator. value "" goes back to the catalogue's default.
func (e *Engine) SetParam(ctx context.Context, sc Scope, indicatorID, param, value, by string) (Stats, error) {
	if sc == nil {
		return Stats{}, ErrNotFound
	}
	if !sc.IsHub() {
		return Stats{}, ErrForbidden
	}
	ind, ok := e.Catalog.Indicator(indicatorID)
	if !ok {
		return Stats{}, ErrNotFound
	}
	p, ok := ind.Param(param)
	if !ok {
		return Stats{}, ErrNotFound
	}
	if value == "" {
		if _, err := e.DB.ExecContext(ctx, "DELETE FROM metric_params WHERE indicator_id = ? AND param = ?", indicatorID, param); err != nil {
			return Stats{}, err
		}
		return e.RecomputeIndicators(ctx, []string{indicatorID})
	}
	canon, ok := ParseParamValue(p, value)
	if !ok {
		allowed := strings.Join(p.Values, ", ")
		if allowed == "" {
			allowed = p.Kind
		}
		return Stats{}, &ParamError{ID: indicatorID, Param: param, Value: value, Text: Text{
			It: fmt.Sprintf("%s.%s: il valore %q non è ammesso (valori: %s)", indicatorID, param, value, allowed),
			En: fmt.Sprintf("%s.%s: value %q is not allowed (values: %s)", indicatorID, param, value, allowed)}}
	}
	if _, err := e.DB.ExecContext(ctx, `INSERT INTO metric_params (indicator_id, param, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (indicator_id, param) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		indicatorID, param, canon, by, e.clock()); err != nil {
		return Stats{}, err
	}
	return e.RecomputeIndicators(ctx, []string{indicatorID})
}

// IsNotFound tells whether err is (or wraps) ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Message is the refusal in lang ("en" English, else Italian).
func (e *ParamError) Message(lang string) string { return e.In(lang) }

// SnapshotValue is one value of a Snapshot.
type SnapshotValue struct {
	ID          string   `json:"id"`
	Breakdown   string   `json:"breakdown,omitempty"` // only when breakdown rows are asked for
	Value       *float64 `json:"value"`
	Unit        string   `json:"unit"`
	Status      string   `json:"status"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	N           *int64   `json:"n"`
}

// Snapshot is a cooperative's values in one year, the shape
// `coopimpact metrics show --json` prints: {"coop_id","year","values":[…]}.
type Snapshot struct {
	CoopID string          `json:"coop_id"`
	Year   int             `json:"year"`
	Values []SnapshotValue `json:"values"`
}

// CoopSnapshot returns a cooperative's values in a year (0: the latest year
// with a value ok; Year stays 0 with no values when there is none), main
// values only unless breakdowns.
func (e *Engine) CoopSnapshot(ctx context.Context, sc Scope, coopID string, year int, breakdowns bool) (*Snapshot, error) {
	if year == 0 {
		y, err := e.LatestYear(ctx, sc, coopID)
		if err != nil {
			return nil, err
		}
		if y == 0 {
			return &Snapshot{CoopID: coopID, Values: []SnapshotValue{}}, nil
		}
		year = y
	}
	vals, err := e.Values(ctx, sc, Filter{CoopID: coopID, Year: year})
	if err != nil {
		return nil, err
	}
	out := &Snapshot{CoopID: coopID, Year: year, Values: []SnapshotValue{}}
	for _, v := range vals {
		if v.Breakdown != "" && !breakdowns {
			continue
		}
		out.Values = append(out.Values, SnapshotValue{ID: v.IndicatorID, Breakdown: v.Breakdown, Value: v.Value, Unit: v.Unit,
			Status: v.Status, Numerator: v.Numerator, Denominator: v.Denominator, N: v.N})
	}
	return out, nil
}
