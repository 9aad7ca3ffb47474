package catalog

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzNormalizeHeader(f *testing.F) {
	for _, s := range []string{" Codice Fiscale ", "Attività", "Data-Assunzione", "% part-time", "\ufeffcoop_id",
		"Utile (perdita) dell'esercizio", "İSTANBUL", "ﬁne", "m²", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := NormalizeHeader(s)
		if NormalizeHeader(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, NormalizeHeader(out))
		}
		if strings.HasPrefix(out, "_") || strings.HasSuffix(out, "_") || strings.Contains(out, "__") {
			t.Fatalf("bad separators: %q -> %q", s, out)
		}
		for _, r := range out {
			if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("unexpected rune %q in %q", r, out)
			}
		}
		// Any header of the catalogue survives being surrounded by blanks and changed case.
		if NormalizeHeader("  "+strings.ToUpper(out)+" ") != NormalizeHeader(strings.ToUpper(out)) {
			t.Fatalf("blanks change the key of %q", out)
		}
	})
}

func FuzzNormalizeEnumKey(f *testing.F) {
	for _, s := range []string{"Tempo Indeterminato", "Valle d’Aosta", "Trentino-Alto Adige / Südtirol", "1,1", "co.co.co.", "- / -", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := NormalizeEnumKey(s)
		if NormalizeEnumKey(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, NormalizeEnumKey(out))
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") ||
			strings.Contains(out, " /") || strings.Contains(out, "/ ") {
			t.Fatalf("bad spacing: %q -> %q", s, out)
		}
	})
}

// FuzzParse: any input is either refused with an error or yields a usable catalogue.
func FuzzParse(f *testing.F) {
	// Large seeds (the embedded file) stall coverage-guided workers; a compact valid
	// catalogue (no comments, no anchors) keeps the fuzzer moving.
	f.Add([]byte(compactHeader(f) + demoDatasets))
	f.Add([]byte("version: 1\ndatasets: []\n"))
	f.Add([]byte("datasets:\n  - name: x\n    columns: [{name: a, min: current-"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if !strings.Contains(c.MigrationSQL(), "CREATE TABLE") {
			t.Fatal("valid catalogue without DDL")
		}
		for _, d := range c.Datasets {
			d.MatchHeaders([]string{"coop_id", "x"})
			for _, col := range d.Columns {
				for _, r := range col.Rules() {
					col.Rule(r, 2026)
				}
			}
		}
	})
}

// compactHeader is header() without comment lines and without the anchors section.
func compactHeader(t testing.TB) string {
	var out []string
	skipping := false
	for _, l := range strings.Split(header(t), "\n") {
		switch {
		case strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "":
			continue
		case strings.HasPrefix(l, "anchors:"):
			skipping = true
			continue
		case skipping && strings.HasPrefix(l, " "):
			continue
		}
		skipping = false
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}
