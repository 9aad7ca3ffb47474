package dashboards

import (
	"context"

	"coopimpact/internal/auth"
)

// IndicatorReader gives one cooperative's indicator values for a year, as
// `coopimpact metrics show --json` prints them:
//
//	{"coop_id": …, "year": …, "values": [{"id", "value", "unit", "status", "numerator", "denominator", "n"}, …]}
//
// The metrics engine implements it (the lead wires it in cmd/coopimpact);
// the API marshals the value unchanged. The portal checks the scope and
// that the cooperative exists before calling; errors wrapping auth's
// sentinels (ErrNotFound, ErrInvalid, …) map to their status codes, and an
// error with a Message(lang string) string method is shown in those words.
type IndicatorReader interface {
	CoopIndicators(ctx context.Context, sc auth.Scope, coopID string, year int) (any, error)
}

// IndicatorReaderFunc adapts a function to IndicatorReader, e.g.
//
//	dashboards.IndicatorReaderFunc(func(ctx context.Context, sc auth.Scope, coop string, year int) (any, error) {
//		return engine.Values(ctx, sc, metrics.Filter{CoopID: coop, Year: year})
//	})
type IndicatorReaderFunc func(ctx context.Context, sc auth.Scope, coopID string, year int) (any, error)

// CoopIndicators calls f.
func (f IndicatorReaderFunc) CoopIndicators(ctx context.Context, sc auth.Scope, coopID string, year int) (any, error) {
	return f(ctx, sc, coopID, year)
}
