package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"coopimpact/internal/auth"
)

var (
	tagRe    = regexp.MustCompile(`(?s)<[^>]*>`)
	rawKeyRe = regexp.MustCompile(`\b(app|nav|auth|role|dataset|upload|ingest|templates|courses|dashboard|users|tokens|settings|error|theme|lang|table|date|common|flash|coops|api)\.[a-z_]+(\.[a-z_]+)*\b`)
	inlineRe = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|\sstyle\s*=|\son[a-z]+\s*=|<style`)
	scriptRe = regexp.MustCompile(`(?i)<script([^>]*)>`)
)

// Every page renders in Italian and in English with no missing translation
// (no raw key in the text), no inline script or style, and the right lang.
func TestPagesTranslated(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.load(coopSole, "workers", "lavoratori.csv", workersOf(t, coopSole)) // the history pages have a row
	// Pages by route, with who can see them; every GET route that answers
	// HTML must be here (downloads and machine routes are listed apart).
	pages := map[string][]struct{ path, role string }{
		"/":                      {{"/", "hub_admin"}, {"/", "staff"}, {"/", "board"}},
		"/login":                 {{"/login", "anon"}},
		"/reset/:token":          {{"/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "anon"}},
		"/password":              {{"/password", "staff"}},
		"/settings":              {{"/settings", "board"}},
		"/settings/tokens":       {{"/settings/tokens", "coop_admin"}},
		"/coops":                 {{"/coops", "hub_analyst"}},
		"/coops/:coop_id":        {{"/coops/" + coopSole, "hub_admin"}, {"/coops/" + coopSole, "board"}, {"/coops/" + coopLuna, "board"}},
		"/templates":             {{"/templates", "coop_admin"}},
		"/upload":                {{"/upload", "hub_admin"}, {"/upload", "coop_admin"}},
		"/coops/:coop_id/upload": {{"/coops/" + coopSole + "/upload", "coop_admin"}},
		"/runs":                  {{"/runs", "hub_admin"}},
		"/coops/:coop_id/runs":   {{"/coops/" + coopSole + "/runs", "coop_admin"}},
		"/users":                 {{"/users", "hub_admin"}, {"/users", "coop_admin"}},
		"/users/new":             {{"/users/new", "hub_admin"}, {"/users/new", "coop_admin"}},
		"/users/import":          {{"/users/import", "hub_admin"}},
		"/users/:id<int>":        {{fmt.Sprintf("/users/%d", e.users["staff"].ID), "coop_admin"}},
		"unmatched":              {{"/nessuna/pagina", "staff"}, {"/nessuna/pagina", "anon"}},
	}
	notPages := map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true, "/static/*": true, "/blob/*": true,
		"/templates/:dataset/:format": true, "/runs/:run_id/file": true}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/api/") || notPages[r.Path] {
			continue
		}
		if _, ok := pages[r.Path]; !ok {
			t.Errorf("page %s is not checked for translations", r.Path)
		}
	}

	check := func(name, lang, body string) {
		t.Helper()
		if !strings.Contains(body, `<html lang="`+lang+`"`) {
			t.Errorf("%s (%s): wrong or missing lang attribute", name, lang)
		}
		text := tagRe.ReplaceAllString(body, " ")
		if k := rawKeyRe.FindString(text); k != "" {
			t.Errorf("%s (%s): raw key %q in the text", name, lang, k)
		}
		if m := inlineRe.FindString(body); m != "" {
			t.Errorf("%s (%s): inline code %q", name, lang, m)
		}
		for _, s := range scriptRe.FindAllStringSubmatch(body, -1) {
			if !strings.Contains(s[1], "src=") && !strings.Contains(s[1], `type="application/json"`) {
				t.Errorf("%s (%s): inline script %q", name, lang, s[0])
			}
		}
		if !strings.Contains(body, `<main id="main"`) || !strings.Contains(body, `<nav class="menu" aria-label=`) {
			t.Errorf("%s (%s): landmarks missing", name, lang)
		}
	}
	setLang := func(lang string) {
		for _, k := range []string{"hub_admin", "hub_analyst", "coop_admin", "board", "staff"} {
			u := e.users[k]
			if _, err := e.auth.UpdateUser(ctx, u.Scope(), u.ID, auth.UserUpdate{Lang: &lang}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Pages that exist only as the answer to a form.
	posted := func(lang string) map[string]response {
		admin, hub := e.session("coop_admin"), e.session("hub_admin")
		out := map[string]response{}
		out["login failure"] = e.do(newReq("POST", "/login").cookie(csrfCookie, anonCSRF).with("Accept-Language", lang).
			form(url.Values{"csrf_token": {anonCSRF}, "email": {"x@y.it"}, "password": {"nonvalida-123456"}}))
		out["upload result"] = e.do(newReq("POST", "/coops/"+coopSole+"/upload").as(admin).multipart(
			part{name: "csrf_token", data: []byte(admin.CSRFToken())}, part{name: "file", file: "lavoratori.csv", data: []byte(badWorkers)},
			part{name: "file", file: "vuoto.csv", data: []byte(" ")}, part{name: "file", file: "ok.csv", data: workersOf(t, coopSole)}))
		out["token created"] = e.do(newReq("POST", "/settings/tokens").as(admin).form(url.Values{"csrf_token": {admin.CSRFToken()}, "name": {"script"}}))
		out["reset link"] = e.do(newReq("POST", fmt.Sprintf("/users/%d/reset-link", e.users["staff"].ID)).as(admin).form(url.Values{"csrf_token": {admin.CSRFToken()}}))
		out["user refused"] = e.do(newReq("POST", "/users").as(admin).form(url.Values{"csrf_token": {admin.CSRFToken()}, "email": {"non-valida"}, "role": {"staff"}}))
		out["import result"] = e.do(newReq("POST", "/users/import").as(hub).multipart(part{name: "csrf_token", data: []byte(hub.CSRFToken())},
			part{name: "coop_id", data: []byte(coopSole)}, part{name: "file", file: "p.csv", data: []byte("nome,email,ruolo\nA B,a.b." + lang + "@sole.test.it,staff\n")}))
		out["import refused"] = e.do(newReq("POST", "/users/import").as(hub).multipart(part{name: "csrf_token", data: []byte(hub.CSRFToken())},
			part{name: "coop_id", data: []byte(coopSole)}, part{name: "file", file: "p.csv", data: []byte("nome;email;ruolo\nA B;non-valida;capo\n")}))
		out["forbidden"] = e.do(newReq("GET", "/users").as(e.session("staff")))
		out["csrf"] = e.do(newReq("POST", "/settings").as(admin).form(url.Values{"name": {"x"}}))
		return out
	}
	for _, lang := range []string{"it", "en"} {
		setLang(lang)
		for route, cases := range pages {
			for _, c := range cases {
				r := newReq("GET", c.path).as(e.session(c.role))
				if c.role == "anon" {
					r.with("Accept-Language", lang+";q=0.9")
				}
				got := e.do(r)
				if got.status >= 500 {
					t.Errorf("%s as %s: %d", c.path, c.role, got.status)
				}
				check(route+" as "+c.role, lang, got.body)
			}
		}
		for name, got := range posted(lang) {
			if got.status >= 500 || got.status == 303 {
				t.Errorf("%s (%s): %d", name, lang, got.status)
			}
			check(name, lang, got.body)
		}
	}
	e.srv.missingKeys.Range(func(k, _ any) bool {
		t.Errorf("missing translation %s", k)
		return true
	})
}
