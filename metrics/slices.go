package metrics

import (
	"context"
	"regexp"
	"sort"
	"strconv"

	"coopimpact/ingest"
	ingestcatalog "coopimpact/ingest/catalog"
)

var (
	yearPeriod  = regexp.MustCompile(`^(\d{4})$`)
	monthPeriod = regexp.MustCompile(`^(\d{4})-\d{2}$`)
)

// SlicesToPairs turns the slices an ingest replaced into the
// (cooperative, year) pairs whose values may have changed:
//
//   - a year ("2024", finance, targets-like datasets) or a month ("2024-03")
//     affects that year and the next one, since some indicators compare with
//     the previous year (revenue growth, year-on-year changes);
//   - a workers roster (year_span slices) affects every year of the
//     cooperative: an old spell overlapping the file's years is replaced
//     whole, also in the years outside them;
//   - a wave ("T0"), a survey id, the whole list ("all") or the registry
//     ("registry") affect every year of the cooperative (Year 0): a wave
//     holds until the next one, the registry gives the type every year.
//
// Targets are not inputs of any indicator: they give no pairs.
func SlicesToPairs(dataset string, slices []ingest.Slice) []CoopYear {
	if dataset == "targets" {
		return nil
	}
	kind := ingestcatalog.SliceKind("")
	if d, ok := ingestcatalog.Default().Dataset(dataset); ok {
		kind = d.Slice.Kind
	}
	all := map[string]bool{}
	years := map[CoopYear]bool{}
	for _, sl := range slices {
		if sl.CoopID == "" {
			continue
		}
		y := 0
		switch kind {
		case ingestcatalog.SliceYear, ingestcatalog.SliceYearOf, ingestcatalog.SliceMonth:
			if m := yearPeriod.FindStringSubmatch(sl.Period); m != nil {
				y, _ = strconv.Atoi(m[1])
			} else if m := monthPeriod.FindStringSubmatch(sl.Period); m != nil {
				y, _ = strconv.Atoi(m[1])
			}
		}
		if y == 0 {
			all[sl.CoopID] = true
			continue
		}
		years[CoopYear{sl.CoopID, y}] = true
		years[CoopYear{sl.CoopID, y + 1}] = true
	}
	var out []CoopYear
	for c := range all {
		out = append(out, CoopYear{CoopID: c})
	}
	for p := range years {
		if !all[p.CoopID] {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CoopID != out[j].CoopID {
			return out[i].CoopID < out[j].CoopID
		}
		return out[i].Year < out[j].Year
	})
	return out
}

// AfterLoad matches ingest.Service.AfterLoad: it recomputes the values an
// upload may have changed. It never fails the upload (the rows are already
// committed): a failure is logged, and `coopimpact metrics recompute`
// repairs. It runs to the end even if the upload's request is cancelled.
func (e *Engine) AfterLoad(ctx context.Context, dataset string, slices []ingest.Slice) {
	pairs := SlicesToPairs(dataset, slices)
	if len(pairs) == 0 {
		return
	}
	st, err := e.Recompute(context.WithoutCancel(ctx), pairs)
	if e.Log == nil {
		return
	}
	if err != nil {
		e.Log.Error("metrics recompute after upload failed; run 'coopimpact metrics recompute'", "dataset", dataset, "error", err)
		return
	}
	e.Log.Info("metrics recomputed after upload", "dataset", dataset, "pairs", st.Pairs, "rows", st.Rows, "duration", st.Duration)
}
