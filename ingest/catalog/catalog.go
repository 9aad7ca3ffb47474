// Package catalog holds the operational data contract (design: datasets.md) as embedded data
// (datasets.yaml) plus the Go types, loader, validator, header matching and DDL built on it.
//
// The YAML file is the one place to read and change what ingestion accepts; everything else
// (readers, validation, the DuckDB canonical tables, templates) derives from it.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed datasets.yaml
var embedded []byte

// Embedded returns the raw embedded catalogue (for docs and templates that show it).
func Embedded() []byte { return bytes.Clone(embedded) }

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := Parse(embedded)
	if err != nil {
		// Only a broken embedded file gets here; TestDefault guards it.
		panic("catalog: embedded datasets.yaml is invalid: " + err.Error())
	}
	return c
})

// Default returns the catalogue parsed once from the embedded datasets.yaml.
// Callers must treat it as read-only: it is shared.
func Default() *Catalog { return defaultCatalog() }

// Text is a user-visible text in Italian and English.
type Text struct {
	It string `yaml:"it"`
	En string `yaml:"en"`
}

// Get returns the English text for lang "en" (or "en-…"), Italian otherwise: Italian first.
func (t Text) Get(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return t.En
	}
	return t.It
}

func (t Text) complete() bool { return strings.TrimSpace(t.It) != "" && strings.TrimSpace(t.En) != "" }

// Type is a column's contract type.
type Type string

// Column types of the contract.
const (
	TypeText  Type = "text"
	TypeInt   Type = "int"
	TypeDec   Type = "dec"
	TypeBool  Type = "bool"
	TypeDate  Type = "date"
	TypeMonth Type = "month" // stored as the first day of the month
	TypeYear  Type = "year"
)

// Types lists every contract type.
var Types = []Type{TypeText, TypeInt, TypeDec, TypeBool, TypeDate, TypeMonth, TypeYear}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, k := range Types {
		if t == k {
			return true
		}
	}
	return false
}

// Numeric reports whether values of t are numbers (ranges apply to them).
func (t Type) Numeric() bool { return t == TypeInt || t == TypeDec || t == TypeYear }

// SQL is the DuckDB column type for t.
func (t Type) SQL() string {
	switch t {
	case TypeInt:
		return "BIGINT"
	case TypeDec:
		return "DOUBLE"
	case TypeBool:
		return "BOOLEAN"
	case TypeDate, TypeMonth:
		return "DATE"
	case TypeYear:
		return "INTEGER"
	default:
		return "VARCHAR"
	}
}

// Level says who may load a dataset.
type Level string

// Dataset levels.
const (
	LevelCoop Level = "coop" // a cooperative's own data
	LevelHub  Level = "hub"  // network-wide data, loaded by hub users only
)

// SliceKind says which rows a loaded file replaces.
type SliceKind string

// Slice kinds.
const (
	SliceKey      SliceKind = "key"       // rows whose Column value appears in the file
	SliceCoop     SliceKind = "coop"      // the cooperative's whole table
	SliceYear     SliceKind = "year"      // coop_id × Column (a year column)
	SliceMonth    SliceKind = "month"     // coop_id × Column (a month column)
	SliceYearOf   SliceKind = "year_of"   // coop_id × year of Column (a date column)
	SliceYearSpan SliceKind = "year_span" // coop_id × years from min(From) to max(To or today)
	SliceValue    SliceKind = "value"     // coop_id × distinct values of Column
)

// Slice describes what loading a file replaces.
type Slice struct {
	Kind   SliceKind `yaml:"kind"`
	Column string    `yaml:"column"`
	From   string    `yaml:"from"`
	To     string    `yaml:"to"`
	Doc    Text      `yaml:"doc"`
}

// Booleans lists the accepted spellings of boolean values.
type Booleans struct {
	True     []string `yaml:"true_values"`
	False    []string `yaml:"false_values"`
	Checkbox []string `yaml:"checkbox_values"` // marks of checkbox columns: empty reads as false there
}

// Catalog is the parsed data contract.
type Catalog struct {
	Version  int
	NameLike []string        // normalised headers dropped as people's names
	Booleans Booleans        // accepted boolean spellings
	Types    map[Type]Text   // how each type is described in messages
	Messages map[string]Text // message templates with {placeholders}
	Datasets []*Dataset      // in catalogue order

	byName   map[string]*Dataset
	nameLike map[string]bool
	boolKeys map[string]bool
	checkbox map[string]bool
}

// Dataset is one operational dataset of the contract.
type Dataset struct {
	Name        string    `yaml:"name"`
	Table       string    `yaml:"table"`
	Title       Text      `yaml:"title"`
	Description Text      `yaml:"description"`
	Level       Level     `yaml:"level"`
	Slice       Slice     `yaml:"slice"`
	Keys        []string  `yaml:"keys"`
	Columns     []*Column `yaml:"columns"`
	Checks      []*Check  `yaml:"checks"`

	cat    *Catalog
	byName map[string]*Column
	index  map[string]headerTarget // normalised header -> column
}

// Column is one canonical column.
type Column struct {
	Name         string      `yaml:"name"`
	Type         Type        `yaml:"type"`
	Required     bool        `yaml:"required"`
	Pseudonymise bool        `yaml:"pseudonymise"` // keyed hash at ingest; raw value never stored
	Case         string      `yaml:"case"`         // "", "upper" or "lower": applied before checks
	ZeroPad      int         `yaml:"zero_pad"`     // left-pad all-digit values (Excel drops leading zeros)
	Min          *Bound      `yaml:"min"`
	Max          *Bound      `yaml:"max"`
	MinExclusive bool        `yaml:"min_exclusive"`
	MaxExclusive bool        `yaml:"max_exclusive"`
	Pattern      string      `yaml:"pattern"`
	PatternDoc   Text        `yaml:"pattern_doc"`
	Percent      bool        `yaml:"percent"` // the column itself holds a percentage
	Enum         []EnumValue `yaml:"enum"`
	Aliases      []Alias     `yaml:"aliases"`
	Doc          Text        `yaml:"doc"`

	cat      *Catalog
	re       *regexp.Regexp
	enumKeys map[string]string // NormalizeEnumKey(value or synonym) -> value
}

// EnumValue is one accepted value of an enum column.
type EnumValue struct {
	Value    string   `yaml:"value"`
	It       string   `yaml:"it"` // Italian label shown next to the value in Italian messages
	Synonyms []string `yaml:"synonyms"`
}

// Alias is an accepted header for a column. Scale multiplies the value read (percentuale
// part-time 75 -> fte 0.75); Percent says the input is a percentage ("75%" reads as 75).
type Alias struct {
	Name    string
	Scale   float64
	Percent bool
}

// UnmarshalYAML accepts a bare name or {name, scale, percent}.
func (a *Alias) UnmarshalYAML(n *yaml.Node) error {
	a.Scale = 1
	if n.Kind == yaml.ScalarNode {
		a.Name = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: an alias must be a name or {name, scale, percent}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch k {
		case "name":
			a.Name = v.Value
		case "scale":
			f, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				return fmt.Errorf("line %d: alias scale %q is not a number", v.Line, v.Value)
			}
			a.Scale = f
		case "percent":
			if err := v.Decode(&a.Percent); err != nil {
				return fmt.Errorf("line %d: alias percent: %v", v.Line, err)
			}
		default:
			return fmt.Errorf("line %d: unknown alias field %q", n.Content[i].Line, k)
		}
	}
	return nil
}

// Bound is a range limit: an absolute number, or relative to the current year
// ("current", "current-14") so that rules like "birth year ≤ current − 14" stay true over time.
type Bound struct {
	Value   float64 // the number, or the offset from the current year when Current
	Current bool
}

var currentRE = regexp.MustCompile(`^current\s*(?:([+-])\s*([0-9]+))?$`)

// UnmarshalYAML accepts a number or current[±N].
func (b *Bound) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a bound must be a number or current[±N]", n.Line)
	}
	s := strings.TrimSpace(n.Value)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		*b = Bound{Value: f}
		return nil
	}
	m := currentRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("line %d: bound %q must be a number or current[±N]", n.Line, s)
	}
	off := 0.0
	if m[2] != "" {
		v, _ := strconv.Atoi(m[2])
		off = float64(v)
		if m[1] == "-" {
			off = -off
		}
	}
	*b = Bound{Value: off, Current: true}
	return nil
}

// Resolve returns the bound's value when the current year is year.
func (b Bound) Resolve(year int) float64 {
	if b.Current {
		return float64(year) + b.Value
	}
	return b.Value
}

// String renders the bound as written in the catalogue.
func (b Bound) String() string {
	if !b.Current {
		return strconv.FormatFloat(b.Value, 'f', -1, 64)
	}
	switch {
	case b.Value > 0:
		return "current+" + strconv.FormatFloat(b.Value, 'f', -1, 64)
	case b.Value < 0:
		return "current" + strconv.FormatFloat(b.Value, 'f', -1, 64)
	}
	return "current"
}

// Check is a row-level comparison between two columns; rows where either is empty pass.
type Check struct {
	Kind    string `yaml:"kind"` // gte, gt, lte, lt
	Column  string `yaml:"column"`
	Other   string `yaml:"other"`
	Message Text   `yaml:"message"`
}

var checkOps = map[string]string{"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}

// Op is the SQL comparison operator of the check.
func (k *Check) Op() string { return checkOps[k.Kind] }

// Rule is the check's identifier for reject records, e.g. "end_date>=start_date".
func (k *Check) Rule() string { return k.Column + k.Op() + k.Other }

// SQL is the condition that holds for a good row, over the canonical column names.
func (k *Check) SQL() string {
	c, o := QuoteIdent(k.Column), QuoteIdent(k.Other)
	return fmt.Sprintf("(%s IS NULL OR %s IS NULL OR %s %s %s)", c, o, c, k.Op(), o)
}

// Holds evaluates the check on two present values (numbers, or dates as comparable numbers).
func (k *Check) Holds(v, other float64) bool {
	switch k.Kind {
	case "gte":
		return v >= other
	case "gt":
		return v > other
	case "lte":
		return v <= other
	case "lt":
		return v < other
	}
	return false
}

// file is the YAML document; anchors is only a place for YAML anchors.
type file struct {
	Version  int             `yaml:"version"`
	NameLike []string        `yaml:"name_like_columns"`
	Booleans Booleans        `yaml:"booleans"`
	Types    map[Type]Text   `yaml:"types"`
	Messages map[string]Text `yaml:"messages"`
	Anchors  yaml.Node       `yaml:"anchors"`
	Datasets []*Dataset      `yaml:"datasets"`
}

// Parse decodes and validates a catalogue. Unknown keys are errors; validation errors are
// returned together as Errors, each naming the dataset and column.
func Parse(data []byte) (*Catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, Errors{{Msg: "YAML: " + err.Error()}}
	}
	c := &Catalog{
		Version:  f.Version,
		NameLike: f.NameLike,
		Booleans: f.Booleans,
		Types:    f.Types,
		Messages: f.Messages,
		Datasets: f.Datasets,
	}
	if errs := c.validate(); len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// Dataset returns the dataset with the given name.
func (c *Catalog) Dataset(name string) (*Dataset, bool) {
	d, ok := c.byName[name]
	return d, ok
}

// Names lists the dataset names in catalogue order.
func (c *Catalog) Names() []string {
	out := make([]string, len(c.Datasets))
	for i, d := range c.Datasets {
		out[i] = d.Name
	}
	return out
}

// IsNameLike reports whether a header looks like people's names (compared normalised).
func (c *Catalog) IsNameLike(header string) bool { return c.nameLike[NormalizeHeader(header)] }

// Bool reads a boolean as written (sì, no, 1, 0, x, …). ok is false for empty or unknown
// values: the caller decides whether empty is NULL or, for checkbox columns, false.
func (c *Catalog) Bool(raw string) (v, ok bool) {
	k := NormalizeEnumKey(raw)
	if k == "" {
		return false, false
	}
	v, ok = c.boolKeys[k]
	return v, ok
}

// IsCheckboxMark reports whether raw is a checkbox mark ("x", "✓").
func (c *Catalog) IsCheckboxMark(raw string) bool { return c.checkbox[NormalizeEnumKey(raw)] }

// BoolKeys returns the normalised true and false spellings (sorted), for building SQL.
func (c *Catalog) BoolKeys() (trueKeys, falseKeys []string) {
	for k, v := range c.boolKeys {
		if v {
			trueKeys = append(trueKeys, k)
		} else {
			falseKeys = append(falseKeys, k)
		}
	}
	sortStrings(trueKeys)
	sortStrings(falseKeys)
	return trueKeys, falseKeys
}

// Message fills the template key with pairs of placeholder names and values
// (Message("missing_column", "column", "fte")). An unknown key yields the key itself.
func (c *Catalog) Message(key string, kv ...string) Text {
	t, ok := c.Messages[key]
	if !ok {
		return Text{It: key, En: key}
	}
	return Text{It: fill(t.It, kv), En: fill(t.En, kv)}
}

func fill(s string, kv []string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// Column returns the named column.
func (d *Dataset) Column(name string) (*Column, bool) {
	col, ok := d.byName[name]
	return col, ok
}

// Required lists the required columns in catalogue order.
func (d *Dataset) Required() []*Column {
	var out []*Column
	for _, col := range d.Columns {
		if col.Required {
			out = append(out, col)
		}
	}
	return out
}

// Pseudonymised lists the columns hashed at ingest.
func (d *Dataset) Pseudonymised() []*Column {
	var out []*Column
	for _, col := range d.Columns {
		if col.Pseudonymise {
			out = append(out, col)
		}
	}
	return out
}

// MaskedValue replaces the raw value of a pseudonymised column wherever a value would be
// stored or shown (ingest_rejects.value, reports): the raw identifier is never persisted.
const MaskedValue = "***"

// RejectValue is the value to record for a rejected cell: the raw value, except for
// pseudonymised columns, whose raw value (often a codice fiscale) is masked.
func (d *Dataset) RejectValue(column, raw string) string {
	if col, ok := d.byName[column]; ok && col.Pseudonymise && raw != "" {
		return MaskedValue
	}
	return raw
}

// Enum returns the normalised synonym key -> canonical value map of an enum column
// (keys as produced by NormalizeEnumKey, canonical values included). The map is a copy.
func (d *Dataset) Enum(column string) (map[string]string, bool) {
	col, ok := d.byName[column]
	if !ok || len(col.Enum) == 0 {
		return nil, false
	}
	return col.EnumKeys(), true
}

// DuplicateKeyText is the message for a key that appears twice in one file.
func (d *Dataset) DuplicateKeyText() Text {
	return d.cat.Message("duplicate_key", "keys", "("+strings.Join(d.Keys, ", ")+")")
}
