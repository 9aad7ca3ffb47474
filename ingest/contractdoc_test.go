package ingest

import (
	"bytes"
	"os"
	"testing"

	"coopimpact/ingest/catalog"
)

// docs/datasets.md is generated: it must match the catalogue (run `make docs`).
func TestContractDocIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteContractMarkdown(&buf, catalog.Default()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/datasets.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("docs/datasets.md is stale: run `make docs`")
	}
	for _, d := range catalog.Default().Datasets {
		if !bytes.Contains(got, []byte("\n## "+d.Name+"\n")) {
			t.Errorf("dataset %s missing from docs/datasets.md", d.Name)
		}
	}
}
