package browser

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// roleExpect is what each demo account must find: its menu (routes.go's
// navFor) and every page reachable by following links from it, as route
// patterns ({coop} is a cooperative code, {id} a user number).
var roleExpect = map[string]struct {
	nav   []string
	pages []string
}{
	"hub_admin": {
		nav: []string{"/", "/coops", "/upload", "/runs", "/templates", "/users", "/settings"},
		pages: []string{"/", "/coops", "/coops/{coop}", "/coops/{coop}/upload", "/coops/{coop}/runs", "/upload", "/runs",
			"/templates", "/users", "/users/new", "/users/import", "/users/{id}", "/settings", "/password", "/settings/tokens"},
	},
	"hub_analyst": {
		nav:   []string{"/", "/coops", "/templates", "/settings"},
		pages: []string{"/", "/coops", "/coops/{coop}", "/templates", "/settings", "/password", "/settings/tokens"},
	},
	"coop_admin": {
		nav: []string{"/", "/coops/{coop}/upload", "/coops/{coop}/runs", "/templates", "/users", "/settings"},
		pages: []string{"/", "/coops/{coop}", "/coops/{coop}/upload", "/coops/{coop}/runs", "/templates", "/users",
			"/users/new", "/users/import", "/users/{id}", "/settings", "/password", "/settings/tokens"},
	},
	"board": {
		nav:   []string{"/", "/coops/{coop}", "/settings"},
		pages: []string{"/", "/coops/{coop}", "/settings", "/password", "/settings/tokens"},
	},
	"staff": {
		nav:   []string{"/", "/coops/{coop}", "/settings"},
		pages: []string{"/", "/coops/{coop}", "/settings", "/password", "/settings/tokens"},
	},
}

var userNumber = regexp.MustCompile(`^[0-9]+$`)

// pattern is a page's route: ids replaced, query dropped.
func pattern(path string) string {
	path, _, _ = strings.Cut(path, "?")
	seg := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case seg[0] == "coops" && len(seg) > 1:
		seg[1] = "{coop}"
	case seg[0] == "users" && len(seg) > 1 && userNumber.MatchString(seg[1]):
		seg[1] = "{id}"
	case seg[0] == "runs" && len(seg) > 1:
		seg[1] = "{run}"
	}
	return "/" + strings.Join(seg, "/")
}

// walkable tells the pages a walk opens: not downloads, the API, the login
// page (the walk is signed in) or machine endpoints.
func walkable(pat string) bool {
	for _, prefix := range []string{"/static/", "/api/", "/blob/", "/templates/", "/metrics", "/login", "/logout", "/reset/"} {
		if strings.HasPrefix(pat, prefix) {
			return false
		}
	}
	return !strings.HasSuffix(pat, "/file")
}

// TestRolesInBrowser is acceptance 4 of the portal: every role logs in with
// the form, lands on its home page, walks the pages its menu and their links
// lead to, switches to English and to the dark theme with the header's own
// controls, walks them again on a 360-px phone and logs out. axe-core must
// find no serious or critical violation on any page, the console must stay
// clean (no exception, console error or CSP violation), charts must draw and
// no page may scroll sideways on the phone.
func TestRolesInBrowser(t *testing.T) {
	axe := axeSource(t)
	chromiumPath(t) // skip before building anything when the browser is missing
	start := time.Now()
	p := startPortal(t)
	t.Logf("portal ready in %.1fs at %s (cooperative %s, %q)", time.Since(start).Seconds(), p.base, p.coopID, p.coopName)
	browser := startBrowser(t)
	it, en := translations(t, "it"), translations(t, "en")

	t.Run("harness", func(t *testing.T) { checkHarness(t, newTab(t, browser, p.base, axe)) })
	total := 0
	for _, l := range p.logins {
		t.Run(l.role, func(t *testing.T) {
			t0 := time.Now()
			n := walkRole(t, newTab(t, browser, p.base, axe), p, l, it, en)
			total += n
			t.Logf("%s: %d page checks in %.1fs", l.role, n, time.Since(t0).Seconds())
		})
	}
	t.Logf("%d page checks for %d roles in %.1fs", total, len(p.logins), time.Since(start).Seconds())
}

// walkRole is one role's visit; it returns the number of page checks made.
func walkRole(t *testing.T, tb *tab, p *portal, l login, it, en map[string]string) int {
	want, ok := roleExpect[l.role]
	if !ok {
		t.Fatalf("no expectations for role %q", l.role)
	}
	checks := 0
	check := func(label string) { tb.check(label); checks++ }

	// The login page, for a visitor with an Italian browser, light and dark.
	tb.open("/login")
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "it" {
		t.Errorf("login page for an Italian browser: <html lang=%q>, want it", lang)
	}
	check("/login")
	setSchemeDark(t, tb, true)
	check("/login (system dark)")
	setSchemeDark(t, tb, false)

	// Sign in as a user would: type, then press the button.
	tb.do("fill the login form",
		chromedp.SendKeys(chromedp.ID("login-email"), l.email),
		chromedp.SendKeys(chromedp.ID("login-password"), l.password))
	tb.submit("log in", chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`)))
	if got := tb.path(); got != "/" {
		t.Fatalf("after logging in as %s: at %s, want /", l.role, got)
	}
	checkHome(t, tb, p, l, it)
	check("/")

	nav := navPatterns(t, tb)
	if !slices.Equal(nav, want.nav) {
		t.Errorf("menu of %s: %v, want %v", l.role, nav, want.nav)
	}

	// Walk: the menu's pages, then what they link to, one page per route.
	visited := []string{"/"}
	seen := map[string]bool{"/": true}
	queue := tb.links()
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		pat := pattern(path)
		if seen[pat] || !walkable(pat) {
			continue
		}
		seen[pat] = true
		visited = append(visited, path)
		tb.open(path)
		check(path)
		if pat == "/coops/{coop}" {
			checkCoopPage(t, tb, path)
		}
		if pat == "/coops/{coop}/upload" && l.role == "coop_admin" {
			uploadWithProblems(t, tb, p, it)
			check(path + " (upload with problems)")
		}
		queue = append(queue, tb.links()...)
	}
	// Another cooperative: the hub's to see, a 404 page for the cooperative's roles.
	checkOtherCoop(t, tb, p, l, it)
	checks++

	var got []string
	for _, v := range visited {
		got = append(got, pattern(v))
	}
	slices.Sort(got)
	exp := slices.Sorted(slices.Values(want.pages))
	if !slices.Equal(got, exp) {
		t.Errorf("pages reachable by %s: %v, want %v", l.role, got, exp)
	}

	// English, with the header's language list (app.js sends it on change).
	tb.open("/")
	tb.submit("switch to English", chromedp.SendKeys(chromedp.ID("pref-lang"), "e"))
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "en" {
		t.Fatalf("after choosing English: <html lang=%q>", lang)
	}
	if got, want := eval[string](tb, `document.querySelector("nav.menu").innerText`), en["nav.settings"]; !strings.Contains(got, want) {
		t.Errorf("English menu %q lacks %q", got, want)
	}
	if got, want := eval[string](tb, `document.querySelector("main").innerText`), fill(en["app.your_role"], "role", en["role."+l.role]); !strings.Contains(got, want) {
		t.Errorf("English home page lacks %q:\n%s", want, got)
	}
	check("/ (English)")

	// Dark theme, with the header's theme list (applied at once, stored in the background).
	tb.do("choose the dark theme", chromedp.SendKeys(chromedp.ID("pref-theme"), "d"))
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.documentElement.dataset.theme === "dark" &&
		performance.getEntriesByType("resource").some(e => e.name.endsWith("/preferences") && e.responseEnd > 0)`)); err != nil {
		t.Fatalf("choosing the dark theme: %v", err)
	}
	check("/ (English, dark)")

	// Every page again on a phone, in English and dark (from the server's cookie now).
	tb.setPhone(true)
	for _, path := range visited {
		tb.open(path)
		if got := eval[string](tb, `document.documentElement.lang + " " + document.documentElement.dataset.theme`); got != "en dark" {
			t.Errorf("%s: <html> lang and theme %q, want \"en dark\"", path, got)
		}
		check(path + " (phone, English, dark)")
		if pattern(path) == "/coops/{coop}/upload" && l.role == "coop_admin" {
			uploadWithProblems(t, tb, p, en)
			check(path + " (phone, English, dark, upload with problems)")
		}
	}

	// Log out with the header's button.
	tb.submit("log out", chromedp.Click(chromedp.CSS(`form.logout button[type="submit"]`)))
	if got := tb.path(); got != "/login" {
		t.Fatalf("after logging out: at %s, want /login", got)
	}
	if got, want := eval[string](tb, `(document.querySelector("main .flash") || {}).innerText || ""`), en["auth.logout.done"]; got != want {
		t.Errorf("after logging out the page says %q, want %q", got, want)
	}
	check("/login (after logout, phone)")
	return checks
}

// checkHome: the home page greets the role, with its cooperative for the
// cooperative's roles.
func checkHome(t *testing.T, tb *tab, p *portal, l login, it map[string]string) {
	t.Helper()
	if got := eval[string](tb, `document.documentElement.lang`); got != "it" {
		t.Errorf("home of %s: <html lang=%q>, want it (the demo accounts are Italian)", l.role, got)
	}
	h1 := eval[string](tb, `(document.querySelector("main h1") || {}).innerText || ""`)
	greeting, _, _ := strings.Cut(it["app.welcome"], "{")
	if !strings.HasPrefix(h1, greeting) {
		t.Errorf("home of %s: heading %q, want it to start with %q", l.role, h1, greeting)
	}
	main := eval[string](tb, `document.querySelector("main").innerText`)
	if want := fill(it["app.your_role"], "role", it["role."+l.role]); !strings.Contains(main, want) {
		t.Errorf("home of %s lacks %q:\n%s", l.role, want, main)
	}
	coopRole := l.role == "coop_admin" || l.role == "board" || l.role == "staff"
	if want := fmt.Sprintf("%s (%s)", p.coopName, p.coopID); coopRole != strings.Contains(main, want) {
		t.Errorf("home of %s: shows cooperative %q = %v, want %v:\n%s", l.role, want, !coopRole, coopRole, main)
	}
}

// checkCoopPage: a cooperative's page names it and draws its charts, if any.
func checkCoopPage(t *testing.T, tb *tab, path string) {
	t.Helper()
	id := strings.TrimPrefix(path, "/coops/")
	if got := eval[string](tb, `document.querySelector("main").innerText`); !strings.Contains(got, id) {
		t.Errorf("%s does not show the cooperative's code %s", path, id)
	}
	if n := tb.waitCharts(path); n == 0 {
		t.Logf("%s has no charts yet: nothing for echarts to draw", path)
	}
}

// navPatterns are the route patterns of the header menu's links.
func navPatterns(t *testing.T, tb *tab) []string {
	t.Helper()
	hrefs := eval[[]string](tb, `Array.from(document.querySelectorAll("nav.menu a[href]")).map(a => a.getAttribute("href"))`)
	out := make([]string, len(hrefs))
	for i, h := range hrefs {
		out[i] = pattern(h)
	}
	return out
}

// setSchemeDark emulates a system set to the dark colour scheme.
func setSchemeDark(t *testing.T, tb *tab, dark bool) {
	t.Helper()
	v := "light"
	if dark {
		v = "dark"
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}}); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](tb, `getComputedStyle(document.documentElement).colorScheme`); got != v {
		t.Fatalf("emulated %s scheme: the page's color-scheme is %q", v, got)
	}
}

// checkHarness shows that the checks can fail: axe-core runs in a page
// despite its Content-Security-Policy and finds known violations, the CSP
// violation of an inline script reaches the console collector, an
// exception does too, and an element wider than the phone is measured.
func checkHarness(t *testing.T, tb *tab) {
	tb.open("/login")
	if got := tb.console(); len(got) != 0 {
		t.Fatalf("/login reported %v before the harness check", got)
	}
	eval[chromedp.Void](tb, `(() => {
		const s = document.createElement("script");
		s.textContent = "window.inlineRan = true";
		document.body.append(s);
		// Styles through the CSSOM: the CSP refuses style attributes in markup.
		const m = document.querySelector("main");
		m.insertAdjacentHTML("beforeend", '<img src="/static/none.png"><p id="faint">faint</p><div id="wide">wide</div>');
		Object.assign(document.getElementById("faint").style, {color: "#777", background: "#888"});
		document.getElementById("wide").style.width = "600px";
		setTimeout(() => { throw new Error("harness boom"); });
	})()`)
	if eval[bool](tb, `window.inlineRan === true`) {
		t.Error("an inline script ran: the page has no working Content-Security-Policy")
	}
	ids := map[string]string{}
	for _, v := range tb.axeRun() {
		ids[v.ID] = v.Impact
	}
	if ids["image-alt"] != "critical" || ids["color-contrast"] != "serious" {
		t.Errorf("axe on a page with an image without alt and faint text found %v", ids)
	}
	// The timer's exception may come after the first round trip.
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`new Promise(r => setTimeout(() => r(true), 50))`)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tb.console(), "\n")
	for _, want := range []string{"Content Security Policy", "harness boom", "none.png"} {
		if !strings.Contains(got, want) {
			t.Errorf("the console collector missed %q; it has:\n%s", want, got)
		}
	}
	tb.setPhone(true)
	if w := tb.width(); w.Scroll <= phoneWidth || !strings.Contains(strings.Join(w.Culprits, " "), "div#wide") {
		t.Errorf("a 600-px element on a %d-px phone measured as %+v", phoneWidth, w)
	}
}

// checkOtherCoop opens a cooperative outside the demo accounts' own: the
// hub roles see it, the cooperative's roles get the same 404 page as for a
// cooperative that does not exist.
func checkOtherCoop(t *testing.T, tb *tab, p *portal, l login, it map[string]string) {
	t.Helper()
	path := "/coops/" + p.other
	if l.role == "hub_admin" || l.role == "hub_analyst" {
		path = "/coops/00000000000"
	}
	tb.openStatus(path, http.StatusNotFound)
	if got, want := eval[string](tb, `(document.querySelector("main h1") || {}).innerText || ""`), it["error.not_found.title"]; got != want {
		t.Errorf("%s: heading %q, want %q", path, got, want)
	}
	tb.check(path + " (404)")
}

// badWorkers is a workers file with two row problems (as in
// dashboards/upload_test.go: line 3 gender "Q" is not F/M/X, line 4
// birth_year "millenovecento" is not a year); COOP is the cooperative.
const badWorkers = "coop_id;person_id;gender;birth_year;is_member;contract_type;fte;start_date;end_date;exit_reason;role_category;is_manager;annual_gross_pay;is_disadvantaged;disadvantage_category\n" +
	"COOP;RSSMRA80A01H501U;F;1980;sì;indeterminato;0,75;01/02/2020;;;direct_care;no;28.500,00;no;\n" +
	"COOP;VRDLGU75B02F205X;Q;1975;no;permanent;1;2019-05-01;;;management;sì;45000;no;\n" +
	"COOP;BNCLRA90C43A944K;F;millenovecento;sì;determinato;0,5;15/03/2022;;;admin;no;22000,5;no;\n"

// uploadWithProblems sends a file with row problems from the upload page,
// as a user would (choose the file, let the dataset be detected, press the
// button), and checks the report htmx puts in the page: rejected, with
// both problems by line, column and value.
func uploadWithProblems(t *testing.T, tb *tab, p *portal, words map[string]string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "lavoratori.csv")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(badWorkers, "COOP", p.coopID)), 0o600); err != nil {
		t.Fatal(err)
	}
	before := tb.path()
	tb.do("upload a file with problems",
		chromedp.SetUploadFiles(chromedp.ID("upload-files"), []string{file}),
		chromedp.Click(chromedp.CSS(`form.upload-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#upload-results .report`)))
	if got := tb.path(); got != before {
		t.Errorf("the upload left the page for %s: htmx did not take it", got)
	}
	if got, want := eval[string](tb, `document.querySelector("#upload-results .report .badge").innerText`), words["upload.status.rejected"]; got != want {
		t.Errorf("upload report status %q, want %q", got, want)
	}
	rows := eval[[][]string](tb, `Array.from(document.querySelectorAll("#upload-results table.problems tbody tr")).map(
		tr => Array.from(tr.cells).slice(0, 4).map(td => td.innerText.trim()))`)
	want := [][]string{{"3", "", "gender", "Q"}, {"4", "", "birth_year", "millenovecento"}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("problems shown %q, want %q", rows, want)
	}
}
