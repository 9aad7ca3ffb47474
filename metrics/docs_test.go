package metrics

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// docs/indicators.md is generated: it must match the embedded catalogue
// (`make docs`, i.e. `coopimpact metrics docs > docs/indicators.md`).
func TestCatalogueDocIsCurrent(t *testing.T) {
	cat, err := LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCatalogueMarkdown(&buf, cat); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/indicators.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("docs/indicators.md is stale: run `make docs`")
	}
	for _, ind := range cat.Indicators {
		section := "\n### " + ind.ID + "\n"
		if !bytes.Contains(got, []byte(section)) {
			t.Errorf("%s missing from docs/indicators.md", ind.ID)
			continue
		}
		body := string(got[bytes.Index(got, []byte(section)):])
		if next := strings.Index(body[1:], "\n### "); next > 0 {
			body = body[:next]
		}
		for _, want := range []string{ind.Name.It, ind.Name.En, ind.Description.It, ind.Description.En, "`" + ind.Unit + "`", ind.SQL} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the section lacks %q", ind.ID, want)
			}
		}
		for _, p := range ind.Params {
			if !strings.Contains(body, "`"+p.Name+"`") || !strings.Contains(body, p.Doc.It) {
				t.Errorf("%s: the section lacks parameter %s", ind.ID, p.Name)
			}
		}
	}
}
