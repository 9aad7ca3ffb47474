package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every catalogue validation error.
var ErrInvalid = errors.New("catalog: invalid catalogue")

// Error is one problem in a catalogue, naming the dataset and column where it applies.
// Catalogue errors are for whoever edits datasets.yaml (developers), hence English only.
type Error struct {
	Dataset string
	Column  string
	Msg     string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("catalog: ")
	if e.Dataset != "" {
		fmt.Fprintf(&b, "dataset %q, ", e.Dataset)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q, ", e.Column)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Error) Unwrap() error { return ErrInvalid }

// Errors is every problem found in a catalogue.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap exposes the individual errors to errors.Is / errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// reservedColumns are added to every table by the DDL.
var reservedColumns = map[string]bool{"run_id": true, "source_line": true}

// reservedTables are created by MigrationSQL besides the datasets.
var reservedTables = map[string]bool{RejectsTable: true}

// requiredMessages are the templates the code fills.
var requiredMessages = []string{
	"required", "type", "range", "range_between", "range_min", "range_min_exclusive",
	"range_max", "range_max_exclusive", "and", "pattern", "enum", "duplicate_key",
	"missing_column", "unknown_column", "name_like_column", "ambiguous_column",
	"unknown_coop", "foreign_coop",
}

// validate checks the whole catalogue and builds the lookup indexes.
func (c *Catalog) validate() Errors {
	var errs Errors
	add := func(ds, col, format string, a ...any) {
		errs = append(errs, &Error{Dataset: ds, Column: col, Msg: fmt.Sprintf(format, a...)})
	}

	if c.Version != 1 {
		add("", "", "version must be 1, got %d", c.Version)
	}
	c.nameLike = map[string]bool{}
	if len(c.NameLike) == 0 {
		add("", "", "name_like_columns is empty")
	}
	for _, n := range c.NameLike {
		k := NormalizeHeader(n)
		if k == "" {
			add("", "", "name_like_columns has an empty entry")
		}
		c.nameLike[k] = true
	}

	c.boolKeys, c.checkbox = map[string]bool{}, map[string]bool{}
	if len(c.Booleans.True) == 0 || len(c.Booleans.False) == 0 {
		add("", "", "booleans: true_values and false_values must both be listed")
	}
	for _, list := range []struct {
		vals []string
		v    bool
	}{{c.Booleans.True, true}, {c.Booleans.False, false}} {
		for _, s := range list.vals {
			k := NormalizeEnumKey(s)
			if k == "" {
				add("", "", "booleans: empty spelling")
				continue
			}
			if prev, dup := c.boolKeys[k]; dup && prev != list.v {
				add("", "", "booleans: %q is both true and false", s)
			}
			c.boolKeys[k] = list.v
		}
	}
	for _, s := range c.Booleans.Checkbox {
		k := NormalizeEnumKey(s)
		if v, ok := c.boolKeys[k]; !ok || !v {
			add("", "", "booleans: checkbox mark %q must also be a true value", s)
		}
		c.checkbox[k] = true
	}

	for _, t := range Types {
		if !c.Types[t].complete() {
			add("", "", "types: %q needs an Italian and an English description", t)
		}
	}
	for t := range c.Types {
		if !t.Valid() {
			add("", "", "types: unknown type %q", t)
		}
	}
	for _, k := range requiredMessages {
		if !c.Messages[k].complete() {
			add("", "", "messages: %q needs Italian and English text", k)
		}
	}
	for k, t := range c.Messages {
		if !t.complete() {
			add("", "", "messages: %q needs Italian and English text", k)
		}
	}

	if len(c.Datasets) == 0 {
		add("", "", "no datasets")
	}
	c.byName = map[string]*Dataset{}
	tables := map[string]string{}
	for i, d := range c.Datasets {
		if d == nil {
			add("", "", "dataset #%d is empty", i+1)
			continue
		}
		d.cat = c
		ds := d.Name
		if !identRE.MatchString(ds) {
			add(ds, "", "name must match %s", identRE)
		}
		if _, dup := c.byName[ds]; dup {
			add(ds, "", "duplicate dataset name")
		}
		c.byName[ds] = d
		if !identRE.MatchString(d.Table) {
			add(ds, "", "table %q must match %s", d.Table, identRE)
		}
		if reservedTables[d.Table] {
			add(ds, "", "table %q is reserved", d.Table)
		}
		if other, dup := tables[d.Table]; dup {
			add(ds, "", "table %q already used by dataset %q", d.Table, other)
		}
		tables[d.Table] = ds
		if !d.Title.complete() {
			add(ds, "", "title needs Italian and English text")
		}
		if !d.Description.complete() {
			add(ds, "", "description needs Italian and English text")
		}
		if d.Level != LevelCoop && d.Level != LevelHub {
			add(ds, "", "level must be %q or %q, got %q", LevelCoop, LevelHub, d.Level)
		}
		errs = append(errs, c.validateColumns(d)...)
		errs = append(errs, validateSlice(d)...)
		if len(d.Keys) == 0 {
			add(ds, "", "keys is empty")
		}
		seenKey := map[string]bool{}
		for _, k := range d.Keys {
			if _, ok := d.byName[k]; !ok {
				add(ds, k, "key names an unknown column")
			}
			if seenKey[k] {
				add(ds, k, "key column listed twice")
			}
			seenKey[k] = true
		}
		for _, k := range d.Checks {
			errs = append(errs, validateCheck(d, k)...)
		}
	}
	return errs
}

func (c *Catalog) validateColumns(d *Dataset) Errors {
	var errs Errors
	ds := d.Name
	add := func(col, format string, a ...any) {
		errs = append(errs, &Error{Dataset: ds, Column: col, Msg: fmt.Sprintf(format, a...)})
	}
	d.byName = map[string]*Column{}
	d.index = map[string]headerTarget{}
	hasPersonal := false
	for _, col := range d.Columns {
		if col != nil && col.Pseudonymise {
			hasPersonal = true
		}
	}
	if len(d.Columns) == 0 {
		add("", "no columns")
	}
	// claim records which column a normalised header belongs to.
	claim := func(col *Column, header string, t headerTarget) {
		k := NormalizeHeader(header)
		if k == "" {
			add(col.Name, "empty alias")
			return
		}
		if prev, dup := d.index[k]; dup {
			if prev.col == col {
				add(col.Name, "alias %q repeats a name or alias of the same column", header)
			} else {
				add(col.Name, "alias %q (normalised %q) is already a name or alias of column %q", header, k, prev.col.Name)
			}
			return
		}
		if hasPersonal && c.nameLike[k] {
			add(col.Name, "alias %q looks like people's names; not allowed in a dataset with personal identifiers", header)
		}
		d.index[k] = t
	}
	for i, col := range d.Columns {
		if col == nil {
			add("", "column #%d is empty", i+1)
			continue
		}
		col.cat = c
		cn := col.Name
		if !identRE.MatchString(cn) {
			add(cn, "name must match %s", identRE)
		}
		if reservedColumns[cn] {
			add(cn, "name is reserved (added to every table)")
		}
		if _, dup := d.byName[cn]; dup {
			add(cn, "duplicate column name")
		}
		d.byName[cn] = col
		if !col.Type.Valid() {
			add(cn, "unknown type %q (want one of %v)", col.Type, Types)
		}
		if !col.Doc.complete() {
			add(cn, "doc needs Italian and English text")
		}
		switch col.Case {
		case "", "upper", "lower":
		default:
			add(cn, "case must be upper or lower, got %q", col.Case)
		}
		if col.Pseudonymise && col.Type != TypeText {
			add(cn, "only text columns can be pseudonymised")
		}
		if col.Pseudonymise && (col.Pattern != "" || len(col.Enum) > 0) {
			add(cn, "a pseudonymised column cannot have a pattern or enum (its raw value must not show in messages)")
		}
		if col.ZeroPad < 0 || (col.ZeroPad > 0 && col.Type != TypeText) {
			add(cn, "zero_pad needs a text column and a positive width")
		}
		if (col.Min != nil || col.Max != nil) && !col.Type.Numeric() {
			add(cn, "min/max apply only to int, dec and year columns, not %q", col.Type)
		}
		if col.MinExclusive && col.Min == nil {
			add(cn, "min_exclusive without min")
		}
		if col.MaxExclusive && col.Max == nil {
			add(cn, "max_exclusive without max")
		}
		if col.Min != nil && col.Max != nil && col.Min.Current == col.Max.Current && col.Min.Value > col.Max.Value {
			add(cn, "min %s is above max %s", col.Min, col.Max)
		}
		if col.Percent && !col.Type.Numeric() {
			add(cn, "percent applies only to numeric columns")
		}
		if col.Pattern != "" {
			if col.Type != TypeText {
				add(cn, "pattern applies only to text columns")
			}
			re, err := regexp.Compile(col.Pattern)
			if err != nil {
				add(cn, "pattern %q does not compile: %v", col.Pattern, err)
			} else {
				if !strings.HasPrefix(col.Pattern, "^") || !strings.HasSuffix(col.Pattern, "$") {
					add(cn, "pattern %q must be anchored with ^ and $", col.Pattern)
				}
				col.re = re
			}
			if !col.PatternDoc.complete() {
				add(cn, "pattern_doc needs Italian and English text (it is the rule users read)")
			}
		} else if col.PatternDoc != (Text{}) {
			add(cn, "pattern_doc without pattern")
		}
		errs = append(errs, validateEnum(ds, col)...)
		claim(col, cn, headerTarget{col: col, prio: 0, scale: 1, percent: col.Percent})
	}
	// Aliases after all canonical names, so a clash is reported on the alias.
	for _, col := range d.Columns {
		if col == nil {
			continue
		}
		cn := col.Name
		for j, a := range col.Aliases {
			if a.Scale <= 0 {
				add(cn, "alias %q: scale must be positive", a.Name)
			}
			if (a.Scale != 1 || a.Percent) && !col.Type.Numeric() {
				add(cn, "alias %q: scale and percent apply only to numeric columns", a.Name)
			}
			claim(col, a.Name, headerTarget{col: col, prio: j + 1, scale: a.Scale, percent: a.Percent || col.Percent})
		}
	}
	coop, ok := d.byName["coop_id"]
	switch {
	case !ok:
		add("coop_id", "every dataset needs a coop_id column")
	case coop.Type != TypeText:
		add("coop_id", "coop_id must be text")
	case d.Level == LevelCoop && !coop.Required:
		add("coop_id", "coop_id must be required in a coop-level dataset")
	}
	return errs
}

func validateEnum(ds string, col *Column) Errors {
	var errs Errors
	add := func(format string, a ...any) {
		errs = append(errs, &Error{Dataset: ds, Column: col.Name, Msg: fmt.Sprintf(format, a...)})
	}
	if col.Enum == nil {
		return nil
	}
	if len(col.Enum) == 0 {
		add("enum is empty")
		return errs
	}
	if col.Type != TypeText {
		add("enum applies only to text columns")
	}
	col.enumKeys = map[string]string{}
	values := map[string]bool{}
	put := func(raw, value string) {
		k := NormalizeEnumKey(raw)
		if k == "" {
			add("enum value %q: empty synonym", value)
			return
		}
		if prev, dup := col.enumKeys[k]; dup && prev != value {
			add("enum synonym %q (key %q) maps to both %q and %q", raw, k, prev, value)
			return
		}
		col.enumKeys[k] = value
	}
	for _, e := range col.Enum {
		if strings.TrimSpace(e.Value) == "" {
			add("enum has an empty value")
			continue
		}
		if values[e.Value] {
			add("enum value %q listed twice", e.Value)
		}
		values[e.Value] = true
		put(e.Value, e.Value)
		for _, s := range e.Synonyms {
			put(s, e.Value)
		}
	}
	return errs
}

func validateSlice(d *Dataset) Errors {
	var errs Errors
	add := func(col, format string, a ...any) {
		errs = append(errs, &Error{Dataset: d.Name, Column: col, Msg: fmt.Sprintf(format, a...)})
	}
	s := d.Slice
	need := func(name string, types ...Type) {
		if name == "" {
			add("", "slice %q needs a column", s.Kind)
			return
		}
		col, ok := d.byName[name]
		if !ok {
			add(name, "slice names an unknown column")
			return
		}
		for _, t := range types {
			if col.Type == t {
				if !col.Required {
					add(name, "slice column must be required")
				}
				return
			}
		}
		add(name, "slice %q needs a column of type %v, got %q", s.Kind, types, col.Type)
	}
	switch s.Kind {
	case SliceKey:
		need(s.Column, TypeText)
	case SliceCoop:
		if s.Column != "" {
			add(s.Column, "slice coop takes no column")
		}
	case SliceYear:
		need(s.Column, TypeYear)
	case SliceMonth:
		need(s.Column, TypeMonth)
	case SliceYearOf:
		need(s.Column, TypeDate)
	case SliceValue:
		need(s.Column, TypeText, TypeInt)
	case SliceYearSpan:
		need(s.From, TypeDate)
		if col, ok := d.byName[s.To]; !ok || col.Type != TypeDate {
			add(s.To, "slice year_span needs a date column in to")
		}
	default:
		add("", "unknown slice kind %q", s.Kind)
	}
	if s.Kind != SliceYearSpan && (s.From != "" || s.To != "") {
		add("", "slice from/to apply only to year_span")
	}
	if !s.Doc.complete() {
		add("", "slice doc needs Italian and English text")
	}
	return errs
}

func validateCheck(d *Dataset, k *Check) Errors {
	var errs Errors
	if k == nil {
		return Errors{{Dataset: d.Name, Msg: "empty check"}}
	}
	add := func(col, format string, a ...any) {
		errs = append(errs, &Error{Dataset: d.Name, Column: col, Msg: fmt.Sprintf(format, a...)})
	}
	if _, ok := checkOps[k.Kind]; !ok {
		add(k.Column, "unknown check kind %q (want gte, gt, lte, lt)", k.Kind)
	}
	a, okA := d.byName[k.Column]
	if !okA {
		add(k.Column, "check names an unknown column")
	}
	b, okB := d.byName[k.Other]
	if !okB {
		add(k.Other, "check names an unknown column")
	}
	if okA && okB && !comparableTypes(a.Type, b.Type) {
		add(k.Column, "check compares %q (%s) with %q (%s)", a.Name, a.Type, b.Name, b.Type)
	}
	if !k.Message.complete() {
		add(k.Column, "check message needs Italian and English text")
	}
	return errs
}

func comparableTypes(a, b Type) bool {
	if a.Numeric() && b.Numeric() {
		return true
	}
	return a == b && (a == TypeDate || a == TypeMonth)
}
