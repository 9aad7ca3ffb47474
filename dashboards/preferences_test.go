package dashboards

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"coopimpact/internal/auth"
)

var errBoom = errors.New("boom: the engine exploded")

// The header's switches: a visitor's language and theme live in cookies; a
// user's language is saved on the account.
func TestPreferences(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// A visitor: Italian by default, English from the browser, the switch wins.
	if got := e.do(newReq("GET", "/login")); !strings.Contains(got.body, `<html lang="it"`) || !strings.Contains(got.body, "Accesso") {
		t.Fatal("default language is not Italian")
	}
	if got := e.do(newReq("GET", "/login").with("Accept-Language", "en-GB,en;q=0.9,it;q=0.5")); !strings.Contains(got.body, `<html lang="en"`) {
		t.Fatal("Accept-Language not honoured")
	}
	got := e.do(newReq("POST", "/preferences").cookie(csrfCookie, anonCSRF).
		form(url.Values{"csrf_token": {anonCSRF}, "lang": {"en"}, "theme": {"dark"}, "next": {"/login"}}))
	lang, theme := got.cookie(langCookie), got.cookie(themeCookie)
	if got.status != 303 || got.header.Get("Location") != "/login" || lang == nil || lang.Value != "en" || theme == nil || theme.Value != "dark" {
		t.Fatalf("preferences: %d %v", got.status, got.header)
	}
	page := e.do(newReq("GET", "/login").with("Accept-Language", "it").cookie(langCookie, "en").cookie(themeCookie, "dark"))
	if !strings.Contains(page.body, `<html lang="en" data-theme="dark">`) || !strings.Contains(page.body, `<option value="dark" selected>`) {
		t.Fatalf("cookies not applied: %.300s", squash(page.body))
	}
	// app.js posts the theme in the background and gets 204.
	got = e.do(newReq("POST", "/preferences").cookie(csrfCookie, anonCSRF).with("X-Requested-With", "fetch").
		form(url.Values{"csrf_token": {anonCSRF}, "theme": {"system"}}))
	if got.status != 204 || got.cookie(themeCookie) == nil || got.cookie(themeCookie).Value != "" {
		t.Fatalf("background theme: %d", got.status)
	}

	// A signed-in user: the language is saved on the account and wins over cookies.
	s := e.session("board")
	got = e.do(newReq("POST", "/preferences").as(s).form(url.Values{"csrf_token": {s.CSRFToken()}, "lang": {"en"}, "next": {"//evil.example"}}))
	if got.status != 303 || got.header.Get("Location") != "/" {
		t.Fatalf("user preferences: %d %v", got.status, got.header.Get("Location"))
	}
	u, _ := e.auth.FindUserByID(ctx, e.users["board"].Scope(), e.users["board"].ID)
	if u.Lang != "en" {
		t.Fatalf("lang not saved: %q", u.Lang)
	}
	if page := e.do(newReq("GET", "/").as(s).cookie(langCookie, "it")); !strings.Contains(page.body, `<html lang="en"`) || !strings.Contains(page.body, "Welcome") {
		t.Fatalf("user's language: %.300s", squash(page.body))
	}
}

// Errors are pages in the user's language (JSON on the API), without
// internals; internal failures are logged with the request id the user sees.
func TestFriendlyErrors(t *testing.T) {
	var log strings.Builder
	e := newEnv(t, func(d *Deps) {
		d.Indicators = IndicatorReaderFunc(func(context.Context, auth.Scope, string, int) (any, error) {
			return nil, errBoom
		})
		d.Log = newTextLogger(&log)
	})
	s := e.session("hub_admin")
	lang := "en"
	e.auth.UpdateUser(context.Background(), e.users["staff"].Scope(), e.users["staff"].ID, auth.UserUpdate{Lang: &lang})
	got := e.do(newReq("GET", "/coops/NOPE").as(e.session("staff")))
	if got.status != 404 || !strings.Contains(got.body, "Page not found") || !strings.Contains(got.body, `<html lang="en"`) {
		t.Fatalf("404 page: %d %.300s", got.status, squash(got.body))
	}
	got = e.do(newReq("GET", "/users").as(e.session("staff")))
	if got.status != 403 || !strings.Contains(got.body, "You do not have permission") {
		t.Fatalf("403 page: %d %.300s", got.status, squash(got.body))
	}
	got = e.do(newReq("GET", "/api/v1/cooperatives/"+coopSole+"/indicators?year=2024").as(s))
	rid := got.header.Get("X-Request-Id")
	if got.status != 500 || strings.Contains(got.body, "boom") || !strings.Contains(got.body, `"request_id":"`+rid+`"`) {
		t.Fatalf("500: %d %s", got.status, got.body)
	}
	if !strings.Contains(log.String(), "request_id="+rid) || !strings.Contains(log.String(), "boom") {
		t.Fatalf("not logged with the request id: %s", log.String())
	}
	got = e.do(newReq("GET", "/api/v1/cooperatives/"+coopSole+"/indicators?year=duemila").as(s))
	if got.status != 400 || !strings.Contains(got.body, "?year=AAAA") {
		t.Fatalf("a year that is not one: %d %s", got.status, got.body)
	}
	// Without an indicator engine wired, the API says so.
	e.deps.Indicators = nil
	got = e.doOn(e.newServer(), newReq("GET", "/api/v1/cooperatives/"+coopSole+"/indicators?year=2024").as(s))
	if got.status != 501 || !strings.Contains(got.body, "non sono ancora disponibili") {
		t.Fatalf("no engine: %d %s", got.status, got.body)
	}
}
