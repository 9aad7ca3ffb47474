package catalog_test

import (
	"bytes"
	"io/fs"
	"testing"

	"go.yaml.in/yaml/v3"

	"coopimpact/metrics/catalog"
)

// The catalogue file shape of docs/metrics.md, shared by the golden suites
// and decoded strictly so a field outside the contract fails the test.
type catText struct {
	It string `yaml:"it"`
	En string `yaml:"en"`
}

type catParam struct {
	Default any     `yaml:"default"`
	Values  []any   `yaml:"values"`
	Doc     catText `yaml:"doc"`
}

type catThreshold struct {
	Op    string  `yaml:"op"`
	Value float64 `yaml:"value"`
	Param string  `yaml:"param"` // the threshold's value comes from this parameter when set
}

type catIndicator struct {
	ID          string              `yaml:"id"`
	Version     int                 `yaml:"version"`
	Name        catText             `yaml:"name"`
	Description catText             `yaml:"description"`
	Unit        string              `yaml:"unit"`
	Direction   string              `yaml:"direction"`
	Grain       string              `yaml:"grain"`
	Inputs      []string            `yaml:"inputs"`
	AppliesTo   []string            `yaml:"applies_to"`
	Threshold   *catThreshold       `yaml:"threshold"`
	Params      map[string]catParam `yaml:"params"`
	Breakdowns  []string            `yaml:"breakdowns"`
	MapsTo      []string            `yaml:"maps_to"`
	SQL         string              `yaml:"sql"`
}

type catAreaFile struct {
	Area       string         `yaml:"area"`
	Title      catText        `yaml:"title"`
	Indicators []catIndicator `yaml:"indicators"`
}

// catReadFile decodes the embedded catalogue file name strictly.
func catReadFile(t testing.TB, name string) catAreaFile {
	t.Helper()
	b, err := fs.ReadFile(catalog.Files, name)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f catAreaFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}
