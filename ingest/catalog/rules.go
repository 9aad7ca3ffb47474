package catalog

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Rule identifiers, as recorded in ingest_rejects.rule for column rules. Row checks use
// Check.Rule() and duplicate keys RuleDuplicateKey.
const (
	RuleRequired     = "required"
	RuleType         = "type"
	RuleRange        = "range"
	RulePattern      = "pattern"
	RuleEnum         = "enum"
	RuleDuplicateKey = "duplicate_key"
)

// Rules lists the rules that apply to the column, in the order a value is checked.
func (col *Column) Rules() []string {
	var out []string
	if col.Required {
		out = append(out, RuleRequired)
	}
	if col.Type != TypeText {
		out = append(out, RuleType)
	}
	if col.Min != nil || col.Max != nil {
		out = append(out, RuleRange)
	}
	if col.Pattern != "" {
		out = append(out, RulePattern)
	}
	if len(col.Enum) > 0 {
		out = append(out, RuleEnum)
	}
	return out
}

// RuleText is the rule in plain words in lang ("it" or "en"), for the current year.
func (col *Column) RuleText(rule, lang string) string {
	return col.Rule(rule, time.Now().Year()).Get(lang)
}

// Rule is the rule in plain Italian and English, with year-relative bounds resolved for
// year. An unknown rule yields the rule identifier itself.
func (col *Column) Rule(rule string, year int) Text {
	c := col.cat
	switch rule {
	case RuleRequired:
		return c.Message("required")
	case RuleType:
		t := c.Types[col.Type]
		return Text{It: fill(c.Messages["type"].It, []string{"type", t.It}), En: fill(c.Messages["type"].En, []string{"type", t.En})}
	case RuleRange:
		return Text{It: col.rangeText("it", year), En: col.rangeText("en", year)}
	case RulePattern:
		return Text{
			It: fill(c.Messages["pattern"].It, []string{"hint", col.PatternDoc.It}),
			En: fill(c.Messages["pattern"].En, []string{"hint", col.PatternDoc.En}),
		}
	case RuleEnum:
		var it, en []string
		for _, e := range col.Enum {
			en = append(en, e.Value)
			if e.It != "" {
				it = append(it, e.Value+" ("+e.It+")")
			} else {
				it = append(it, e.Value)
			}
		}
		return Text{
			It: fill(c.Messages["enum"].It, []string{"values", strings.Join(it, ", ")}),
			En: fill(c.Messages["enum"].En, []string{"values", strings.Join(en, ", ")}),
		}
	}
	return Text{It: rule, En: rule}
}

func (col *Column) rangeText(lang string, year int) string {
	c := col.cat
	msg := func(key string, kv ...string) string { return fill(c.Messages[key].Get(lang), kv) }
	var parts []string
	lo, hi := col.Bounds(year)
	switch {
	case lo != nil && hi != nil && !col.MinExclusive && !col.MaxExclusive:
		parts = append(parts, msg("range_between", "min", FormatNumber(*lo, lang), "max", FormatNumber(*hi, lang)))
	default:
		if lo != nil {
			key := "range_min"
			if col.MinExclusive {
				key = "range_min_exclusive"
			}
			parts = append(parts, msg(key, "min", FormatNumber(*lo, lang)))
		}
		if hi != nil {
			key := "range_max"
			if col.MaxExclusive {
				key = "range_max_exclusive"
			}
			parts = append(parts, msg(key, "max", FormatNumber(*hi, lang)))
		}
	}
	return msg("range", "range", strings.Join(parts, " "+c.Messages["and"].Get(lang)+" "))
}

// FormatNumber writes a number the way lang reads it: "0,5" in Italian, "0.5" in English.
// Years and other whole numbers carry no thousands separator.
func FormatNumber(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.HasPrefix(strings.ToLower(lang), "en") {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Bounds resolves the column's range for the given current year (nil = unbounded).
func (col *Column) Bounds(year int) (lo, hi *float64) {
	if col.Min != nil {
		v := col.Min.Resolve(year)
		lo = &v
	}
	if col.Max != nil {
		v := col.Max.Resolve(year)
		hi = &v
	}
	return lo, hi
}

// InRange reports whether v satisfies the column's range when the current year is year.
// NaN and infinities never do.
func (col *Column) InRange(v float64, year int) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	lo, hi := col.Bounds(year)
	if lo != nil && (v < *lo || (col.MinExclusive && v == *lo)) {
		return false
	}
	if hi != nil && (v > *hi || (col.MaxExclusive && v == *hi)) {
		return false
	}
	return true
}

// NormalizeText prepares a text value for checks and storage: trims blanks, applies the
// column's case and, for all-digit values, its zero padding ("1001" -> "001001").
func (col *Column) NormalizeText(s string) string {
	s = strings.TrimSpace(s)
	switch col.Case {
	case "upper":
		s = strings.ToUpper(s)
	case "lower":
		s = strings.ToLower(s)
	}
	if col.ZeroPad > 0 && len(s) > 0 && len(s) < col.ZeroPad && allDigits(s) {
		s = strings.Repeat("0", col.ZeroPad-len(s)) + s
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MatchPattern reports whether a (normalised, see NormalizeText) value fits the column's
// pattern; true when the column has none.
func (col *Column) MatchPattern(s string) bool { return col.re == nil || col.re.MatchString(s) }

// EnumValue maps a value as written to its canonical enum value.
func (col *Column) EnumValue(raw string) (string, bool) {
	v, ok := col.enumKeys[NormalizeEnumKey(raw)]
	return v, ok
}

// EnumKeys is a copy of the normalised key -> canonical value map (nil if not an enum).
func (col *Column) EnumKeys() map[string]string {
	if col.enumKeys == nil {
		return nil
	}
	out := make(map[string]string, len(col.enumKeys))
	for k, v := range col.enumKeys {
		out[k] = v
	}
	return out
}

// EnumPair is one normalised key and its canonical value.
type EnumPair struct{ Key, Value string }

// EnumPairs lists the enum's keys sorted, for deterministic SQL (CASE key WHEN … THEN …).
func (col *Column) EnumPairs() []EnumPair {
	out := make([]EnumPair, 0, len(col.enumKeys))
	for k, v := range col.enumKeys {
		out = append(out, EnumPair{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// EnumValues lists the canonical values in catalogue order.
func (col *Column) EnumValues() []string {
	out := make([]string, len(col.Enum))
	for i, e := range col.Enum {
		out[i] = e.Value
	}
	return out
}
