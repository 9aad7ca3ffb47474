package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"coopimpact/internal/testsupport"
)

// need stops the test when a tool is missing: a skip on a developer's
// machine, a failure on CI, which must run these tests.
func need(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// repoRoot is the folder holding go.mod, found from the package folder.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test folder")
		}
		dir = up
	}
}

// chromiumPath is Debian's chromium (installed by `make tools`).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "chromium is not installed (run `make tools`): the browser tests need it")
	return ""
}

// axeSource is axe-core's script (installed by `make assets`).
func axeSource(t *testing.T) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		need(t, "axe-core is missing (%v): run `make assets`", err)
	}
	return string(b)
}

// translations reads the portal's words, so the tests expect what a user
// of each language reads.
func translations(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "internal", "i18n", "locales", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// fill replaces the {name} placeholders of a message.
func fill(msg string, args ...string) string {
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+args[i]+"}", args[i+1])
	}
	return msg
}

// login is one demo account as `coopimpact demo` prints it.
type login struct{ role, email, password string }

// portal is a running `coopimpact serve` over a fresh demo network.
type portal struct {
	base     string
	coopID   string // the cooperative of the demo accounts
	coopName string
	other    string // another cooperative, out of the demo accounts' scope
	logins   []login
	log      *testsupport.Output // the server's stderr, shown when a test fails
}

// startPortal builds the binary, loads a small demo network, serves it and
// stops it (SIGTERM) when the test ends.
func startPortal(t *testing.T) *portal {
	t.Helper()
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "coopimpact")
	build := exec.Command("go", "build", "-o", bin, "./cmd/coopimpact")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(tmp, "data")
	out, err := exec.Command(bin, "demo", "--data", data, "--coops", "3").CombinedOutput()
	if err != nil {
		t.Fatalf("coopimpact demo: %v\n%s", err, out)
	}
	p := &portal{log: &testsupport.Output{}}
	p.coopID, p.logins = parseDemoLogins(t, string(out))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p.base = "http://" + addr
	srv := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	srv.Stderr = p.log
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		io.Copy(io.Discard, bufio.NewReader(stdout))
		done <- srv.Wait()
	}()
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("coopimpact serve did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			srv.Process.Kill()
			t.Error("coopimpact serve did not stop within 30 s of SIGTERM")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", tail(p.log.String(), 60))
		}
	})
	waitReady(t, p.base, done)
	coopNames(t, p)
	return p
}

// parseDemoLogins reads the "demo logins (cooperative X):" block.
func parseDemoLogins(t *testing.T, out string) (string, []login) {
	t.Helper()
	_, block, ok := strings.Cut(out, "demo logins (cooperative ")
	if !ok {
		t.Fatalf("coopimpact demo printed no logins:\n%s", out)
	}
	coop, rest, _ := strings.Cut(block, "):")
	var ls []login
	for _, line := range strings.Split(rest, "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			ls = append(ls, login{role: f[0], email: f[1], password: f[2]})
		}
	}
	if len(ls) != 5 {
		t.Fatalf("want 5 demo logins, got %d:\n%s", len(ls), out)
	}
	return coop, ls
}

func waitReady(t *testing.T, base string, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("coopimpact serve exited: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not answer 200 within 30 s (last error %v)", err)
		}
	}
}

// coopNames asks the JSON API (as the hub admin) for the name of the demo
// accounts' cooperative, independently of the pages under test, and for
// another cooperative.
func coopNames(t *testing.T, p *portal) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var admin login
	for _, l := range p.logins {
		if l.role == "hub_admin" {
			admin = l
		}
	}
	body, _ := json.Marshal(map[string]string{"email": admin.email, "password": admin.password})
	resp, err := c.Post(p.base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /api/v1/session: %s", resp.Status)
	}
	resp, err = c.Get(p.base + "/api/v1/cooperatives")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var coops []struct {
		ID   string `json:"coop_id"`
		Name string `json:"name"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&coops); err != nil {
		t.Fatalf("GET /api/v1/cooperatives: %v", err)
	}
	for _, co := range coops {
		if co.ID == p.coopID {
			p.coopName = co.Name
		} else if p.other == "" {
			p.other = co.ID
		}
	}
	if p.coopName == "" || p.other == "" {
		t.Fatalf("want cooperative %s and another in /api/v1/cooperatives: %+v", p.coopID, coops)
	}
}

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// startBrowser launches one headless chromium for the whole test; each role
// gets its own browser context (cookie jar) from it, see newTab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(desktopWidth, desktopHeight),
		// Without these Chromium keeps calling home, which floods a closed network.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		// An Italian browser: visitors get Italian pages, as most users will.
		chromedp.Flag("accept-lang", "it-IT,it"),
		chromedp.Flag("lang", "it-IT"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	// Cleanups run last-in first-out: the browser exits before its profile is removed.
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		need(t, "chromium %s does not start: %v", exe, err)
	}
	return ctx
}

const (
	desktopWidth, desktopHeight = 1280, 900
	phoneWidth, phoneHeight     = 360, 740
)

// tab is one role's browser tab, in its own browser context, with what the
// page reported to the console since the last check.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axe   string
	phone bool

	mu       sync.Mutex
	problems []string
}

func newTab(t *testing.T, browser context.Context, base, axe string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancelTimeout)
	tb := &tab{t: t, ctx: ctx, base: base, axe: axe}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	// JavaScript exceptions, console.error calls and browser log errors
	// (Content-Security-Policy violations, failed loads) all fail the page.
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg = "exception: " + d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		case *log.EventEntryAdded:
			e := ev.Entry
			if e.Level != log.EntryLevelError {
				return
			}
			msg = fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL)
		default:
			return
		}
		tb.mu.Lock()
		tb.problems = append(tb.problems, msg)
		tb.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// takeProblems returns and clears what the console reported.
func (tb *tab) takeProblems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		tb.t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}

// open loads a page of the portal and requires a 200.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.openStatus(path, http.StatusOK)
}

// openStatus loads a page and requires its status. The browser logs an
// error status of the page itself as a failed load; that one is expected.
func (tb *tab) openStatus(path string, status int) {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if int(resp.Status) != status {
		tb.t.Fatalf("open %s: HTTP %d, want %d", path, resp.Status, status)
	}
	if status < 400 {
		return
	}
	for _, m := range tb.console() {
		if !strings.Contains(m, fmt.Sprintf("status of %d", status)) || !strings.HasSuffix(m, " "+tb.base+path) {
			tb.t.Errorf("%s: %s", path, m)
		}
	}
}

// submit runs a step that sends a form (a click, a key) and waits for the
// page it leads to, which must answer 200.
func (tb *tab) submit(what string, step chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, step)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		tb.t.Fatalf("%s: HTTP %d at %s", what, resp.Status, resp.URL)
	}
}

// path is the current page's path and query.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname + location.search`)
}

// setPhone switches between a desktop window and a 360-px mobile phone.
func (tb *tab) setPhone(on bool) {
	tb.t.Helper()
	tb.phone = on
	if on {
		tb.do("phone viewport", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch,
			chromedp.EmulatePortrait, chromedp.EmulateScale(2)))
	} else {
		tb.do("desktop viewport", chromedp.EmulateViewport(desktopWidth, desktopHeight))
	}
}

// violation is one axe-core rule failure, reduced to what a report needs.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
	Nodes   int      `json:"nodes"`
}

// axeRun injects axe-core into the page through DevTools (which the page's
// CSP does not govern), runs it on the whole document and returns the
// violations.
func (tb *tab) axeRun() []violation {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe === "object"`) {
		eval[chromedp.Void](tb, tb.axe)
		if !eval[bool](tb, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
			tb.t.Fatal("axe-core did not load into the page: is the DevTools evaluation blocked?")
		}
	}
	return eval[[]violation](tb, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length,
		targets: v.nodes.slice(0, 3).map(n => n.target.map(String).join(" "))})))`, chromedp.EvalAwaitPromise)
}

// check runs every page-level assertion on the page in the tab: axe-core
// (no serious or critical violation), the console (nothing reported), the
// charts (rendered) and, on a phone, the width (no sideways scrolling).
// label names the page and the conditions in failure messages.
func (tb *tab) check(label string) {
	tb.t.Helper()
	tb.waitCharts(label)
	for _, v := range tb.axeRun() {
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Errorf("%s: axe %s (%s): %s; %d element(s), e.g. %s", label, v.ID, v.Impact, v.Help, v.Nodes, strings.Join(v.Targets, " | "))
		} else {
			tb.t.Logf("%s: axe %s (%s, not failing): %s; e.g. %s", label, v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | "))
		}
	}
	if tb.phone {
		// A mobile browser widens its window to fit a page that is too wide.
		if w := tb.width(); w.Inner != phoneWidth || w.Scroll > phoneWidth {
			tb.t.Errorf("%s: on a %d-px phone the page is %d px wide in a %d-px window; too wide: %s",
				label, phoneWidth, w.Scroll, w.Inner, strings.Join(w.Culprits, ", "))
		}
	}
	for _, p := range tb.console() {
		tb.t.Errorf("%s: %s", label, p)
	}
}

// console returns and clears what the page reported to the console.
func (tb *tab) console() []string {
	tb.t.Helper()
	// A round trip first, so the events the page sent so far have arrived.
	eval[chromedp.Void](tb, `0`)
	return tb.takeProblems()
}

// pageWidth is how wide the page is against the window, with the elements
// that stick out of a phone's width (outside a table's own scrolling wrapper).
type pageWidth struct {
	Scroll   int      `json:"scroll"`
	Inner    int      `json:"inner"`
	Culprits []string `json:"culprits"`
}

func (tb *tab) width() pageWidth {
	tb.t.Helper()
	return eval[pageWidth](tb, fmt.Sprintf(`(() => {
		const vw = %d, culprits = [];
		for (const el of document.body.querySelectorAll("*")) {
			if (el.closest(".table-wrap") && !el.classList.contains("table-wrap")) continue;
			const r = el.getBoundingClientRect();
			if (r.right > vw + 0.5 && culprits.length < 5) {
				culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
					(el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
					" right=" + Math.round(r.right));
			}
		}
		return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, culprits};
	})()`, phoneWidth))
}

// waitCharts waits until echarts has drawn every chart of the page (an
// svg or canvas inside each [data-chart] container) and returns how many.
func (tb *tab) waitCharts(label string) int {
	tb.t.Helper()
	n := eval[int](tb, `document.querySelectorAll("[data-chart]").length`)
	if n == 0 {
		return 0
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.querySelectorAll("[data-chart]")).every(
		el => el.querySelector("svg, canvas") !== null)`))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			tb.t.Errorf("%s: %d chart(s) but echarts drew no svg/canvas in some of them", label, n)
		} else {
			tb.t.Fatalf("%s: charts: %v", label, err)
		}
	}
	return n
}

// links lists the portal pages the header and the main content link to, as
// paths with their query (downloads and other sites left out).
func (tb *tab) links() []string {
	tb.t.Helper()
	hrefs := eval[[]string](tb, `Array.from(document.querySelectorAll("header a[href], main a[href]"))
		.filter(a => !a.hasAttribute("download")).map(a => a.href)`)
	var out []string
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil || u.Scheme+"://"+u.Host != tb.base {
			continue
		}
		p := u.Path
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		out = append(out, p)
	}
	return out
}
