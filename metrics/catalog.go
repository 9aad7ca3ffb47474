package metrics

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	ingestcatalog "coopimpact/ingest/catalog"
	"coopimpact/metrics/catalog"
)

// Areas are the outcome areas in the order the catalogue shows them.
var Areas = []string{"dig", "mgt", "eco", "law", "skl", "crt", "wel", "tim"}

// Units an indicator may have (docs/metrics.md).
var Units = []string{"%", "ratio", "EUR", "EUR/FTE", "h/person", "days", "months", "n", "persons",
	"points", "levels", "score", "index", "h", "h/year", "EUR/year"}

// Directions and grains.
const (
	DirUp   = "up"
	DirDown = "down"
	DirBand = "band"
	DirLaw  = "law"

	GrainYear    = "year"    // one value per cooperative and year
	GrainNetwork = "network" // one value per year for the whole network (coop_id NULL)
)

// Parameter kinds: the YAML type of the default, kept so SET VARIABLE gives
// the SQL a number where the catalogue wrote a number.
const (
	KindString = "string"
	KindInt    = "int"
	KindFloat  = "float"
	KindBool   = "bool"
)

// Param is a setting the sources leave open. Values are kept as text in the
// canonical form of their kind ("8", "0.5", "true", "headcount").
type Param struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Default string   `json:"default"`
	Values  []string `json:"values,omitempty"` // empty: any value of the kind
	Doc     Text     `json:"doc"`
}

// Threshold is a legal limit: value op threshold passes. When Param is set,
// the threshold is that parameter's current value.
type Threshold struct {
	Op    string  `json:"op" yaml:"op"`
	Value float64 `json:"value" yaml:"value"`
	Param string  `json:"param,omitempty" yaml:"param"`
}

// Pass tells whether value meets the threshold t (with the limit given).
func (t Threshold) Pass(value, limit float64) bool {
	switch t.Op {
	case ">":
		return value > limit
	case ">=":
		return value >= limit
	case "<":
		return value < limit
	case "<=":
		return value <= limit
	}
	return false
}

// Indicator is one entry of the catalogue (docs/metrics.md, "Catalogue files").
type Indicator struct {
	ID          string     `json:"id"`
	Area        string     `json:"area"`
	Version     int        `json:"version"`
	Name        Text       `json:"name"`
	Description Text       `json:"description"`
	Unit        string     `json:"unit"`
	Direction   string     `json:"direction"`
	Grain       string     `json:"grain"`
	Inputs      []string   `json:"inputs"`
	AppliesTo   []string   `json:"applies_to,omitempty"`
	Threshold   *Threshold `json:"threshold,omitempty"`
	Params      []Param    `json:"params,omitempty"` // in file order
	Breakdowns  []string   `json:"breakdowns,omitempty"`
	MapsTo      []string   `json:"maps_to"`
	SQL         string     `json:"sql"`
	File        string     `json:"file"`                // where it was read
	Overrides   string     `json:"overrides,omitempty"` // the embedded file it replaces, if any
}

// Param returns the named parameter.
func (ind *Indicator) Param(name string) (Param, bool) {
	for _, p := range ind.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Area is one outcome area's title.
type Area struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
	File  string `json:"file"`
}

// SharedSQL is one shared file (TEMP views and macros named m_*), run in
// name order before any indicator.
type SharedSQL struct {
	Name string // file name; a file of the same name in --catalog replaces the embedded one
	File string // where it was read
	SQL  string
}

// Catalog is the loaded catalogue: embedded files plus the --catalog folder.
type Catalog struct {
	Areas      []Area       // in the order of Areas
	Indicators []*Indicator // by area (order of Areas), then id
	Shared     []SharedSQL  // in name order
	byID       map[string]*Indicator
}

// Indicator returns the indicator with that id.
func (c *Catalog) Indicator(id string) (*Indicator, bool) {
	ind, ok := c.byID[id]
	return ind, ok
}

// Area returns an area's title.
func (c *Catalog) Area(code string) (Area, bool) {
	for _, a := range c.Areas {
		if a.Code == code {
			return a, true
		}
	}
	return Area{}, false
}

// The YAML shape, decoded strictly: a field outside the contract is a problem.
type yamlFile struct {
	Area       string          `yaml:"area"`
	Title      Text            `yaml:"title"`
	Indicators []yamlIndicator `yaml:"indicators"`
}

type yamlIndicator struct {
	ID          string     `yaml:"id"`
	Version     int        `yaml:"version"`
	Name        Text       `yaml:"name"`
	Description Text       `yaml:"description"`
	Unit        string     `yaml:"unit"`
	Direction   string     `yaml:"direction"`
	Grain       string     `yaml:"grain"`
	Inputs      []string   `yaml:"inputs"`
	AppliesTo   []string   `yaml:"applies_to"`
	Threshold   *Threshold `yaml:"threshold"`
	Params      yaml.Node  `yaml:"params"`
	Breakdowns  []string   `yaml:"breakdowns"`
	MapsTo      []string   `yaml:"maps_to"`
	SQL         string     `yaml:"sql"`
}

type yamlParam struct {
	Default yaml.Node   `yaml:"default"`
	Values  []yaml.Node `yaml:"values"`
	Doc     Text        `yaml:"doc"`
}

var (
	idRe        = regexp.MustCompile(`^[A-Z]{3}-\d{2}$`)
	inputRe     = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$`)
	nameRe      = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	getvarRe    = regexp.MustCompile(`getvariable\s*\(\s*'([^']*)'\s*\)`)
	getvarAnyRe = regexp.MustCompile(`getvariable\s*\(`)
	thresholdOp = []string{">", ">=", "<", "<="}
)

// source is one place catalogue files come from.
type source struct {
	fsys  fs.FS
	label func(name string) string // how a file is named in problems
	extra bool
}

// LoadCatalog reads the embedded catalogue and, when dir is not empty, the
// *.yaml and *.sql files of dir, which add indicators or replace those of
// the same id (and shared files of the same name). It checks every file
// against the contract's schema; problems come back as CatalogErrors naming
// the file and indicator. The SQL is checked against the database by Check.
func LoadCatalog(dir string) (*Catalog, error) {
	srcs := []source{{fsys: catalog.Files, label: func(n string) string { return n }}}
	if dir != "" {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			return nil, CatalogErrors{{File: dir, Text: Text{
				It: "la cartella del catalogo non esiste o non è una cartella",
				En: "the catalogue folder does not exist or is not a folder"}}}
		}
		srcs = append(srcs, source{fsys: os.DirFS(dir), label: func(n string) string { return filepath.Join(dir, n) }, extra: true})
	}
	return loadSources(srcs)
}

func loadSources(srcs []source) (*Catalog, error) {
	var errs CatalogErrors
	c := &Catalog{byID: map[string]*Indicator{}}
	shared := map[string]SharedSQL{}
	areas := map[string]Area{}
	coopTypes := coopTypes()
	for _, src := range srcs {
		inThisSource := map[string]string{} // id → file, for duplicates within one source
		yamls, _ := fs.Glob(src.fsys, "*.yaml")
		sqls, _ := fs.Glob(src.fsys, "*.sql")
		sort.Strings(yamls)
		sort.Strings(sqls)
		for _, name := range sqls {
			b, err := fs.ReadFile(src.fsys, name)
			if err != nil {
				errs = append(errs, &CatalogError{File: src.label(name), Text: Text{It: "il file non si può leggere: " + err.Error(), En: "the file cannot be read: " + err.Error()}})
				continue
			}
			shared[name] = SharedSQL{Name: name, File: src.label(name), SQL: string(b)}
		}
		for _, name := range yamls {
			file := src.label(name)
			b, err := fs.ReadFile(src.fsys, name)
			if err != nil {
				errs = append(errs, &CatalogError{File: file, Text: Text{It: "il file non si può leggere: " + err.Error(), En: "the file cannot be read: " + err.Error()}})
				continue
			}
			var yf yamlFile
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			if err := dec.Decode(&yf); err != nil {
				msg := strings.TrimPrefix(err.Error(), "yaml: ")
				errs = append(errs, &CatalogError{File: file, Text: Text{It: "YAML non valido: " + msg, En: "invalid YAML: " + msg}})
				continue
			}
			if !slices.Contains(Areas, yf.Area) {
				errs = append(errs, &CatalogError{File: file, Text: Text{
					It: fmt.Sprintf("area %q sconosciuta: usare una tra %s", yf.Area, strings.Join(Areas, ", ")),
					En: fmt.Sprintf("unknown area %q: use one of %s", yf.Area, strings.Join(Areas, ", "))}})
				continue
			}
			if !src.extra && name != yf.Area+".yaml" {
				errs = append(errs, &CatalogError{File: file, Text: Text{
					It: fmt.Sprintf("il file dell'area %q deve chiamarsi %s.yaml", yf.Area, yf.Area),
					En: fmt.Sprintf("the file of area %q must be named %s.yaml", yf.Area, yf.Area)}})
			}
			if yf.Title.It != "" || yf.Title.En != "" {
				areas[yf.Area] = Area{Code: yf.Area, Title: yf.Title, File: file}
			} else if _, ok := areas[yf.Area]; !ok {
				errs = append(errs, &CatalogError{File: file, Text: Text{It: "manca il titolo dell'area (title: {it, en})", En: "the area has no title (title: {it, en})"}})
			}
			for _, yi := range yf.Indicators {
				ind, problems := buildIndicator(yf.Area, file, yi, coopTypes)
				for _, p := range problems {
					errs = append(errs, &CatalogError{File: file, ID: yi.ID, Text: p})
				}
				if len(problems) > 0 {
					continue
				}
				if prev, dup := inThisSource[ind.ID]; dup {
					errs = append(errs, &CatalogError{File: file, ID: ind.ID, Text: Text{
						It: "identificativo ripetuto: è già definito in " + prev,
						En: "duplicate id: already defined in " + prev}})
					continue
				}
				inThisSource[ind.ID] = file
				if old, ok := c.byID[ind.ID]; ok {
					ind.Overrides = old.File
				}
				c.byID[ind.ID] = ind
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, a := range Areas {
		if t, ok := areas[a]; ok {
			c.Areas = append(c.Areas, t)
		}
	}
	for _, ind := range c.byID {
		c.Indicators = append(c.Indicators, ind)
	}
	sort.Slice(c.Indicators, func(i, j int) bool {
		a, b := c.Indicators[i], c.Indicators[j]
		if a.Area != b.Area {
			return slices.Index(Areas, a.Area) < slices.Index(Areas, b.Area)
		}
		return a.ID < b.ID
	})
	names := make([]string, 0, len(shared))
	for n := range shared {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c.Shared = append(c.Shared, shared[n])
	}
	return c, nil
}

// coopTypes are the registry's cooperative types (applies_to must use them).
func coopTypes() []string {
	ds, ok := ingestcatalog.Default().Dataset("cooperatives")
	if !ok {
		return nil
	}
	col, ok := ds.Column("coop_type")
	if !ok {
		return nil
	}
	var out []string
	for _, e := range col.Enum {
		out = append(out, e.Value)
	}
	return out
}

// buildIndicator checks one indicator against the schema and converts it.
func buildIndicator(area, file string, y yamlIndicator, coopTypes []string) (*Indicator, []Text) {
	var ps []Text
	bad := func(it, en string, args ...any) {
		ps = append(ps, Text{It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...)})
	}
	if !idRe.MatchString(y.ID) {
		bad("identificativo %q non valido: tre lettere maiuscole, trattino, due cifre (ECO-01)",
			"invalid id %q: three capital letters, hyphen, two digits (ECO-01)", y.ID)
	} else if !strings.EqualFold(y.ID[:3], area) {
		bad("l'identificativo %s non appartiene all'area %s (deve iniziare con %s-)",
			"id %s does not belong to area %s (it must start with %s-)", y.ID, area, strings.ToUpper(area))
	}
	if y.Version < 1 {
		bad("version deve essere un intero da 1 in su", "version must be a whole number from 1 up")
	}
	for _, t := range []struct {
		field string
		v     Text
	}{{"name", y.Name}, {"description", y.Description}} {
		if strings.TrimSpace(t.v.It) == "" || strings.TrimSpace(t.v.En) == "" {
			bad("%s deve avere il testo italiano (it) e inglese (en)", "%s needs Italian (it) and English (en) text", t.field)
		}
	}
	if !slices.Contains(Units, y.Unit) {
		bad("unità %q sconosciuta: usare una tra %s", "unknown unit %q: use one of %s", y.Unit, strings.Join(Units, ", "))
	}
	switch y.Direction {
	case DirUp, DirDown, DirBand, DirLaw:
	default:
		bad("direzione %q sconosciuta: usare up, down, band o law", "unknown direction %q: use up, down, band or law", y.Direction)
	}
	switch y.Grain {
	case GrainYear, GrainNetwork:
	default:
		bad("grana %q sconosciuta: usare year o network", "unknown grain %q: use year or network", y.Grain)
	}
	if len(y.Inputs) == 0 {
		bad("inputs è vuoto: elencare le colonne usate (tabella.colonna)", "inputs is empty: list the columns used (table.column)")
	}
	for _, in := range y.Inputs {
		if !inputRe.MatchString(in) {
			bad("input %q non valido: scrivere tabella.colonna", "invalid input %q: write table.column", in)
		}
	}
	for _, t := range y.AppliesTo {
		if len(coopTypes) > 0 && !slices.Contains(coopTypes, t) {
			bad("applies_to: tipo di cooperativa %q sconosciuto (tipi: %s)", "applies_to: unknown cooperative type %q (types: %s)", t, strings.Join(coopTypes, ", "))
		}
	}
	if y.Grain == GrainNetwork && len(y.AppliesTo) > 0 {
		bad("applies_to non ha senso per un indicatore di rete", "applies_to makes no sense for a network indicator")
	}
	params, pps := buildParams(y.Params)
	ps = append(ps, pps...)
	if th := y.Threshold; th != nil {
		if !slices.Contains(thresholdOp, th.Op) {
			bad("soglia: operatore %q sconosciuto: usare >, >=, < o <=", "threshold: unknown operator %q: use >, >=, < or <=", th.Op)
		}
		if th.Param != "" {
			p, ok := paramByName(params, th.Param)
			switch {
			case !ok:
				bad("soglia: il parametro %q non è tra i params", "threshold: parameter %q is not among the params", th.Param)
			case p.Kind != KindInt && p.Kind != KindFloat:
				bad("soglia: il parametro %q deve essere un numero", "threshold: parameter %q must be a number", th.Param)
			case p.Default != formatFloat(th.Value):
				bad("soglia: value (%s) deve essere il valore predefinito del parametro %q (%s)",
					"threshold: value (%s) must be the default of parameter %q (%s)", formatFloat(th.Value), th.Param, p.Default)
			}
		}
	}
	if (y.Direction == DirLaw) != (y.Threshold != nil) {
		bad("un indicatore di legge (direction: law), e solo lui, ha una soglia", "a law indicator (direction: law), and only one, has a threshold")
	}
	for _, b := range y.Breakdowns {
		if !nameRe.MatchString(b) {
			bad("breakdowns: nome %q non valido (minuscole, cifre, _)", "breakdowns: invalid name %q (lower case, digits, _)", b)
		}
	}
	sqlText := strings.TrimSpace(y.SQL)
	for strings.HasSuffix(sqlText, ";") {
		sqlText = strings.TrimSpace(strings.TrimSuffix(sqlText, ";"))
	}
	switch {
	case sqlText == "":
		bad("manca sql", "sql is missing")
	case y.Grain == GrainYear && !strings.Contains(sqlText, "_cy"):
		bad("sql deve limitarsi alle coppie di _cy (join con _cy)", "sql must compute only the pairs in _cy (join _cy)")
	case y.Grain == GrainNetwork && !strings.Contains(sqlText, "_years"):
		bad("sql di rete deve limitarsi agli anni di _years", "network sql must compute only the years in _years")
	}
	all := getvarAnyRe.FindAllStringIndex(sqlText, -1)
	named := getvarRe.FindAllStringSubmatch(sqlText, -1)
	if len(all) != len(named) {
		bad("ogni getvariable deve nominare '<ID>.<parametro>' tra apici", "every getvariable must name '<ID>.<param>' in quotes")
	}
	for _, m := range named {
		id, pname, _ := strings.Cut(m[1], ".")
		if _, ok := paramByName(params, pname); id != y.ID || !ok {
			bad("sql legge %s, che non è un parametro di questo indicatore", "sql reads %s, which is not a parameter of this indicator", m[1])
		}
	}
	mapsTo := y.MapsTo
	if mapsTo == nil {
		mapsTo = []string{}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return &Indicator{ID: y.ID, Area: area, Version: y.Version, Name: y.Name, Description: y.Description,
		Unit: y.Unit, Direction: y.Direction, Grain: y.Grain, Inputs: y.Inputs, AppliesTo: y.AppliesTo,
		Threshold: y.Threshold, Params: params, Breakdowns: y.Breakdowns, MapsTo: mapsTo, SQL: sqlText, File: file}, nil
}

func paramByName(ps []Param, name string) (Param, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// buildParams reads the params mapping in file order.
func buildParams(n yaml.Node) ([]Param, []Text) {
	if n.Kind == 0 {
		return nil, nil
	}
	var ps []Text
	bad := func(it, en string, args ...any) {
		ps = append(ps, Text{It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...)})
	}
	if n.Kind != yaml.MappingNode {
		bad("params deve essere una mappa nome: {default, values, doc}", "params must be a map name: {default, values, doc}")
		return nil, ps
	}
	var out []Param
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := n.Content[i].Value
		if !nameRe.MatchString(name) {
			bad("parametro %q: nome non valido (minuscole, cifre, _)", "parameter %q: invalid name (lower case, digits, _)", name)
			continue
		}
		var yp yamlParam
		if err := n.Content[i+1].Decode(&yp); err != nil {
			msg := strings.TrimPrefix(err.Error(), "yaml: ")
			bad("parametro %s: %s", "parameter %s: %s", name, msg)
			continue
		}
		if err := strictParamFields(n.Content[i+1]); err != "" {
			bad("parametro %s: campo %q sconosciuto (default, values, doc)", "parameter %s: unknown field %q (default, values, doc)", name, err)
			continue
		}
		if yp.Default.Kind == 0 {
			bad("parametro %s: manca default", "parameter %s: default is missing", name)
			continue
		}
		kind, def, ok := scalar(&yp.Default)
		if !ok {
			bad("parametro %s: default deve essere un valore semplice", "parameter %s: default must be a plain value", name)
			continue
		}
		p := Param{Name: name, Kind: kind, Default: def, Doc: yp.Doc}
		for _, v := range yp.Values {
			k, s, ok := scalar(&v)
			if !ok || !sameKind(kind, k) {
				bad("parametro %s: il valore %q non è dello stesso tipo del default", "parameter %s: value %q is not of the default's type", name, v.Value)
				continue
			}
			if kind == KindFloat && k == KindInt {
				f, _ := strconv.ParseFloat(s, 64)
				s = formatFloat(f)
			}
			p.Values = append(p.Values, s)
		}
		if p.Kind == KindInt && slices.ContainsFunc(yp.Values, func(v yaml.Node) bool { k, _, _ := scalar(&v); return k == KindFloat }) {
			p.Kind = KindFloat
		}
		if len(yp.Values) > 0 && !slices.Contains(p.Values, p.Default) {
			bad("parametro %s: il default %q non è tra i valori ammessi %v", "parameter %s: default %q is not among the values %v", name, p.Default, p.Values)
		}
		if strings.TrimSpace(p.Doc.It) == "" || strings.TrimSpace(p.Doc.En) == "" {
			bad("parametro %s: doc deve avere il testo italiano e inglese", "parameter %s: doc needs Italian and English text", name)
		}
		out = append(out, p)
	}
	return out, ps
}

// strictParamFields returns the first key outside default/values/doc.
func strictParamFields(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "default", "values", "doc":
		default:
			return k
		}
	}
	return ""
}

func sameKind(a, b string) bool {
	if a == b {
		return true
	}
	num := func(k string) bool { return k == KindInt || k == KindFloat }
	return num(a) && num(b)
}

// scalar reads a YAML scalar as (kind, canonical text).
func scalar(n *yaml.Node) (string, string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", "", false
	}
	switch n.Tag {
	case "!!int":
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil {
			return "", "", false
		}
		return KindInt, strconv.FormatInt(v, 10), true
	case "!!float":
		v, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return "", "", false
		}
		return KindFloat, formatFloat(v), true
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return "", "", false
		}
		return KindBool, strconv.FormatBool(b), true
	case "!!null":
		return "", "", false
	}
	return KindString, n.Value, true
}

// ParseParamValue checks a value given as text against a parameter and
// returns its canonical form.
func ParseParamValue(p Param, s string) (string, bool) {
	s = strings.TrimSpace(s)
	var canon string
	switch p.Kind {
	case KindInt:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", false
		}
		canon = strconv.FormatInt(v, 10)
	case KindFloat:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", false
		}
		canon = formatFloat(v)
	case KindBool:
		v, err := strconv.ParseBool(s)
		if err != nil {
			return "", false
		}
		canon = strconv.FormatBool(v)
	default:
		canon = s
	}
	if len(p.Values) > 0 && !slices.Contains(p.Values, canon) {
		return "", false
	}
	return canon, true
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// inputTable splits "table.column" (column may be empty).
func inputTable(in string) (table, column string) {
	table, column, _ = strings.Cut(in, ".")
	return table, column
}
