// Package metrics will hold the indicator catalogue (indicators.md) as
// embedded data and the engine that computes values, targets, peer
// statistics, the programme effect and completeness. Filled in by the metrics issue.
package metrics
