// Package metrics holds the indicator catalogue (indicators.md) as embedded
// data (metrics/catalog, extendable with --catalog DIR) and the engine that
// computes it into indicator_values: values with numerator, denominator, n,
// status, missing inputs, parameters, formula version and lineage; targets,
// peer statistics and the programme effect (through metrics/stats), and data
// completeness. Every read takes a Scope; a cooperative outside it answers
// ErrNotFound, like one that does not exist. docs/metrics.md is the contract.
package metrics
