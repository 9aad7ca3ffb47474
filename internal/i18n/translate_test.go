package i18n

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestKeyParity: every key exists in both languages, in the same file order,
// with a non-empty value and the same placeholders on both sides.
func TestKeyParity(t *testing.T) {
	it, en := catalogues[IT], catalogues[EN]
	for _, k := range it.order {
		if _, ok := en.msgs[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for _, k := range en.order {
		if _, ok := it.msgs[k]; !ok {
			t.Errorf("it.json lacks %q", k)
		}
	}
	if !slices.Equal(it.order, en.order) && !t.Failed() {
		t.Errorf("it.json and en.json list the same keys in a different order; keep them aligned for review")
	}
	for _, l := range All() {
		for k, v := range catalogues[l].msgs {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s %q is empty", l, k)
			}
		}
	}
	for k, v := range it.msgs {
		e, ok := en.msgs[k]
		if !ok {
			continue
		}
		if pi, pe := placeholders(v), placeholders(e); !slices.Equal(pi, pe) {
			t.Errorf("%q placeholders differ: it %v, en %v", k, pi, pe)
		}
	}
}

// TestPluralPairs: a counted message has both forms and uses {n}.
func TestPluralPairs(t *testing.T) {
	for _, l := range All() {
		msgs := catalogues[l].msgs
		for k, v := range msgs {
			base, form, _ := cutLast(k)
			var other string
			switch form {
			case "one":
				other = base + ".other"
			case "other":
				other = base + ".one"
			default:
				continue
			}
			if _, ok := msgs[other]; !ok {
				t.Errorf("%s %q has no %q", l, k, other)
			}
			if !slices.Contains(placeholders(v), "n") {
				t.Errorf("%s %q does not show the count {n}", l, k)
			}
		}
	}
}

func cutLast(k string) (string, string, bool) {
	i := strings.LastIndexByte(k, '.')
	if i < 0 {
		return k, "", false
	}
	return k[:i], k[i+1:], true
}

// TestRequiredKeys: the keys other packages are told exist.
func TestRequiredKeys(t *testing.T) {
	var want []string
	for _, d := range []string{"cooperatives", "workers", "hours", "finance", "revenue_sources",
		"beneficiaries", "services", "processes", "certifications", "trainings",
		"skills_assessments", "dma_responses", "surveys", "governance_meetings", "targets"} {
		want = append(want, "dataset."+d+".title", "dataset."+d+".description")
	}
	for _, r := range []string{"hub_admin", "hub_analyst", "coop_admin", "board", "staff"} {
		want = append(want, "role."+r, "role."+r+".description")
	}
	for _, s := range []string{"loaded", "rejected", "unchanged", "refused"} {
		want = append(want, "upload.status."+s)
	}
	for _, c := range []string{"line", "sheet", "column", "value", "rule"} {
		want = append(want, "upload.problems."+c)
	}
	for _, n := range []string{"home", "dashboards", "data", "upload", "ingest_history", "templates",
		"courses", "users", "api_tokens", "settings", "logout", "login"} {
		want = append(want, "nav."+n)
	}
	want = append(want, "app.name", "app.tagline", "auth.login.locked", "auth.login.failed",
		"error.not_found.title", "error.forbidden.title", "error.csrf.title", "error.file_too_large",
		"error.generic.text", "theme.light", "theme.dark", "theme.system", "lang.label", "lang.it",
		"lang.en", "table.empty", "date.last_updated", "upload.dataset.detect", "upload.allow_rejects.label",
		"upload.result.loaded.one", "upload.result.rejected.other", "upload.result.unchanged", "upload.result.refused")
	for _, l := range All() {
		for _, k := range want {
			if !Has(l, k) {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

// TestLockoutMessage: the wording is fixed by the brief and names no account.
func TestLockoutMessage(t *testing.T) {
	if got := T(IT, "auth.login.locked"); !strings.HasPrefix(got, "Troppi tentativi: riprova tra un minuto") {
		t.Errorf("it lockout = %q", got)
	}
	if got := T(EN, "auth.login.locked"); got != "Too many attempts: try again in a minute." {
		t.Errorf("en lockout = %q", got)
	}
	// The failed-login message must not tell an unknown email from a wrong password.
	for _, l := range All() {
		for _, k := range []string{"auth.login.locked", "auth.login.failed", "auth.reset.sent"} {
			low := strings.ToLower(T(l, k))
			for _, leak := range []string{"non esiste", "does not exist", "unknown", "sconosciut", "not found", "non trovat"} {
				if strings.Contains(low, leak) {
					t.Errorf("%s %q reveals whether the account exists: %q", l, k, low)
				}
			}
		}
	}
}

func TestT(t *testing.T) {
	cases := []struct {
		lang Lang
		key  string
		args []any
		want string
	}{
		{IT, "nav.home", nil, "Home"},
		{EN, "nav.logout", nil, "Log out"},
		{IT, "nav.logout", nil, "Esci"},
		{IT, "dataset.workers.title", nil, "Lavoratori"},
		{EN, "dataset.dma_responses.title", nil, "Digital maturity (DMA)"},
		// name/value pairs
		{IT, "upload.result.unchanged", []any{"file", "paghe.csv", "date", "31/12/2024"},
			"paghe.csv: questo file era già stato caricato il 31/12/2024; non è cambiato nulla."},
		{EN, "upload.result.unchanged", []any{"date", "31 Dec 2024", "file", "payroll.csv"},
			"payroll.csv: this file was already loaded on 31 Dec 2024; nothing changed."},
		// one Args map, non-string values through fmt.Sprint
		{IT, "table.page", []any{Args{"page": 2, "pages": 10}}, "Pagina 2 di 10"},
		{EN, "table.page", []any{map[string]any{"page": 2, "pages": 10}}, "Page 2 of 10"},
		// a missing value leaves the placeholder visible
		{EN, "table.page", []any{"page", 3}, "Page 3 of {pages}"},
		// an odd trailing name and a non-string name are dropped
		{EN, "table.page", []any{"page", 1, 7, 8, "pages"}, "Page 1 of {pages}"},
		// extra args are ignored
		{IT, "nav.home", []any{"x", 1}, "Home"},
		{IT, "error.generic.text", []any{"request_id", "a1b2c3"},
			"Si è verificato un errore imprevisto. Se si ripete, comunica all'assistenza questo codice: a1b2c3."},
		// a value is not re-expanded
		{EN, "date.last_updated", []any{"date", "{date}"}, "Last updated: {date}"},
		// an unknown language gets Italian
		{Lang("fr"), "nav.home", nil, "Home"},
		{Lang(""), "nav.logout", nil, "Esci"},
		{Lang("en-GB"), "nav.logout", nil, "Log out"},
	}
	for _, c := range cases {
		if got := T(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", c.lang, c.key, c.args, got, c.want)
		}
	}
}

func TestFill(t *testing.T) {
	args := map[string]any{"a": "X", "b_2": "Y"}
	cases := []struct{ msg, want string }{
		{"", ""},
		{"plain", "plain"},
		{"{a}", "X"},
		{"{a}{b_2}{a}", "XYX"},
		{"{ a } {A} {1a} {} {a-b}", "{ a } {A} {1a} {} {a-b}"}, // not placeholders
		{"{{a}}", "{X}"},
		{"open { and {a", "open { and {a"},
		{"é {a} ü", "é X ü"},
		{"{missing}", "{missing}"},
	}
	for _, c := range cases {
		if got := fill(IT, "test.fill", c.msg, args); got != c.want {
			t.Errorf("fill(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
	if got := placeholders("{b} {a} {b} {A} {} x{c_1}"); !slices.Equal(got, []string{"a", "b", "c_1"}) {
		t.Errorf("placeholders = %v", got)
	}
}

func TestTN(t *testing.T) {
	cases := []struct {
		lang Lang
		n    int
		args []any
		want string
	}{
		{IT, 0, nil, "0 righe"},
		{IT, 1, nil, "1 riga"},
		{IT, 2, nil, "2 righe"},
		{IT, 12345, nil, "12.345 righe"},
		{EN, 1, nil, "1 row"},
		{EN, 1234567, nil, "1,234,567 rows"},
		{EN, -1, nil, "-1 rows"},
		{EN, 3, []any{"n", "three"}, "three rows"}, // the caller's n wins
	}
	for _, c := range cases {
		if got := TN(c.lang, "table.rows", c.n, c.args...); got != c.want {
			t.Errorf("TN(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	got := TN(IT, "upload.result.loaded", 1, Args{"file": "ore.xlsx", "dataset": "Ore lavorate"})
	if want := "ore.xlsx: caricata 1 riga in «Ore lavorate»."; got != want {
		t.Errorf("TN loaded one = %q, want %q", got, want)
	}
	got = TN(EN, "upload.result.rejected", 1500, "file", "a.csv")
	if want := "a.csv: no rows loaded because 1,500 rows have problems. Fix the file and upload it again, or choose to load only the correct rows."; got != want {
		t.Errorf("TN rejected other = %q, want %q", got, want)
	}
	// The caller's map is not modified by TN adding n.
	m := Args{"file": "f"}
	TN(IT, "upload.result.quarantined", 4, m)
	if _, ok := m["n"]; ok {
		t.Error("TN wrote n into the caller's map")
	}
	if got := TN(EN, "no.such", 2); got != "no.such.other" {
		t.Errorf("missing plural = %q", got)
	}
}

// recorder is a slog handler that keeps the records, to count warnings.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := rec.Message
	rec.Attrs(func(a slog.Attr) bool { s += " " + a.Key + "=" + a.Value.String(); return true })
	r.msgs = append(r.msgs, s)
	return nil
}

func TestMissingKeyLoggedOnce(t *testing.T) {
	rec := &recorder{}
	old := slog.Default()
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(old) })

	for range 3 {
		if got := T(IT, "test.missing_once"); got != "test.missing_once" {
			t.Fatalf("missing key gave %q", got)
		}
	}
	if got := T(EN, "test.missing_once", "x", 1); got != "test.missing_once" {
		t.Fatalf("missing key gave %q", got)
	}
	T(IT, "table.page", "page", 1) // {pages} without a value
	T(IT, "table.page", "page", 2)

	want := []string{
		"i18n: missing translation lang=it key=test.missing_once",
		"i18n: missing translation lang=en key=test.missing_once",
		"i18n: placeholder without a value lang=it key=table.page placeholder=pages",
	}
	if !slices.Equal(rec.msgs, want) {
		t.Errorf("logged %q\nwant   %q", rec.msgs, want)
	}
}

func TestHasKeys(t *testing.T) {
	if !Has(IT, "nav.home") || !Has(EN, "nav.home") {
		t.Error("Has(nav.home) = false")
	}
	if Has(IT, "nav") || Has(EN, "nav.nope") || Has(IT, "") {
		t.Error("Has reports a key that does not exist")
	}
	for _, l := range All() {
		ks := Keys(l)
		if !slices.IsSorted(ks) {
			t.Errorf("Keys(%s) not sorted", l)
		}
		if len(ks) != len(catalogues[l].msgs) || len(ks) < 200 {
			t.Errorf("Keys(%s) has %d keys, catalogue %d", l, len(ks), len(catalogues[l].msgs))
		}
		ks[0] = "mutated" // a copy: the caller may not change the catalogue
		if Keys(l)[0] == "mutated" {
			t.Error("Keys returns the internal slice")
		}
	}
	if !slices.Equal(Keys(IT), Keys(EN)) {
		t.Error("Keys differ between languages")
	}
}

func TestDecode(t *testing.T) {
	good := `{"a.b": "x {n}", "a.c_1": "y"}`
	c, err := decode([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.order, []string{"a.b", "a.c_1"}) || c.msgs["a.b"] != "x {n}" {
		t.Errorf("decode = %+v", c)
	}
	bad := map[string]string{
		"duplicate":    `{"a": "x", "a": "y"}`,
		"nested":       `{"a": {"b": "x"}}`,
		"number":       `{"a": 1}`,
		"empty value":  `{"a": ""}`,
		"blank value":  `{"a": "  "}`,
		"upper key":    `{"Nav.home": "x"}`,
		"empty seg":    `{"nav..home": "x"}`,
		"dash key":     `{"nav-home": "x"}`,
		"array":        `["a"]`,
		"trailing":     `{"a": "x"} {}`,
		"truncated":    `{"a": "x"`,
		"not json":     `nope`,
		"empty input":  ``,
		"null value":   `{"a": null}`,
		"leading dot":  `{".a": "x"}`,
		"trailing dot": `{"a.": "x"}`,
	}
	for name, in := range bad {
		if _, err := decode([]byte(in)); err == nil {
			t.Errorf("%s: decode(%s) accepted", name, in)
		}
	}
}
