package catalog_test

import (
	"database/sql"
	"fmt"
	"math"
)

// Numeric helpers shared by the golden suites of every area.

// nullableFloat turns a SQL NULL into nil.
func nullableFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

// fmtFloat prints an optional number for failure messages.
func fmtFloat(p *float64) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%.10g", *p)
}

// sameFloat: both NULL, or equal within 1e-9 relative.
func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*a))
}
