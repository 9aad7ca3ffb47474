// Package stats holds the pure statistics the metrics engine calls: peer
// distributions with small-group suppression, FTE size classes and the
// programme effect (difference in differences with a bootstrap interval).
// No database, no HTTP: callers pass plain values, results are plain structs.
//
// Definitions (fixed here so that every figure the hub shows can be
// recomputed by hand):
//
//   - Quantiles are R/numpy "type 7" (linear interpolation between order
//     statistics), the same as DuckDB's quantile_cont: for n sorted values
//     x[0..n-1] and probability p, h = (n-1)·p and
//     Q(p) = x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
//   - A cooperative's percentile in its group is the share (0–100) of the
//     group's values that are ≤ its own value (SQL cume_dist × 100). It is
//     about the value, not about "better": use Rank for that.
//   - Rank is competition ranking ("1224"): 1 = best per the indicator's
//     direction, tied values share the best rank among them. For "up" higher
//     is better, for "down" lower is better; "band" and "law" have no
//     better side, so they rank by value ascending (1 = lowest value).
//   - Suppression: see Peers. Size classes: see SizeClass. Programme effect:
//     see ProgrammeEffect.
package stats
