// Package catalog holds the indicator catalogue as data: shared SQL
// definitions (*.sql, run in name order) and one YAML file per outcome area
// (*.yaml). The file format is docs/metrics.md's contract; package metrics
// loads, validates and computes it.
package catalog

import "embed"

// Files are the embedded catalogue files.
//
//go:embed *.sql *.yaml
var Files embed.FS
