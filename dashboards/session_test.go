package dashboards

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"coopimpact/internal/auth"
)

// A session outlives the server: a new Server (and account service) over
// the same database accepts the same cookie. Disabling the user ends it at
// the next request.
func TestSessionSurvivesRestartAndDisable(t *testing.T) {
	e := newEnv(t)
	login := e.do(newReq("POST", "/api/v1/session").json(`{"email":"` + e.users["board"].Email + `","password":"` + testPassword + `"}`))
	c := login.cookie(sessionCookie)
	if login.status != 204 || c == nil {
		t.Fatalf("API login: %d %s", login.status, login.body)
	}
	if got := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, c.Value)); got.status != 200 ||
		got.body != `{"coop_id":"`+coopSole+`","email":"`+e.users["board"].Email+`","role":"board"}` {
		t.Fatalf("me: %d %s", got.status, got.body)
	}

	// Restart: new services, new portal, same database file.
	e.auth = e.newAuth()
	e.deps.Auth = e.auth
	restarted := e.newServer()
	if got := e.doOn(restarted, newReq("GET", "/").cookie(sessionCookie, c.Value)); got.status != 200 || !strings.Contains(got.body, e.users["board"].Email) {
		t.Fatalf("after restart: %d %.300s", got.status, squash(got.body))
	}

	// The hub admin disables the account from the portal.
	admin := e.session("hub_admin")
	got := e.doOn(restarted, newReq("POST", "/users/"+itoa(e.users["board"].ID)+"/disable").as(admin).
		form(url.Values{"csrf_token": {admin.CSRFToken()}}))
	if got.status != 303 {
		t.Fatalf("disable: %d %.300s", got.status, squash(got.body))
	}
	if got := e.doOn(restarted, newReq("GET", "/api/v1/me").cookie(sessionCookie, c.Value)); got.status != 401 {
		t.Fatalf("disabled user's session: %d %s", got.status, got.body)
	}
	got = e.doOn(restarted, newReq("GET", "/settings").cookie(sessionCookie, c.Value))
	if got.status != 303 || got.header.Get("Location") != "/login?next=%2Fsettings" {
		t.Fatalf("disabled user's page: %d %v", got.status, got.header.Get("Location"))
	}
	// And the login page says nothing about the account being disabled.
	got = e.doOn(restarted, newReq("POST", "/login").cookie(csrfCookie, anonCSRF).
		form(url.Values{"csrf_token": {anonCSRF}, "email": {e.users["board"].Email}, "password": {testPassword}}))
	if got.status != 401 || alertOf(t, got.body) != "Email o password non corretti." {
		t.Fatalf("disabled login: %d", got.status)
	}
}

// Logging out ends the session on the server, not only in the browser.
func TestLogout(t *testing.T) {
	e := newEnv(t)
	s := e.session("staff")
	got := e.do(newReq("POST", "/logout").as(s).form(url.Values{"csrf_token": {s.CSRFToken()}}))
	if got.status != 303 || got.header.Get("Location") != "/login" {
		t.Fatalf("logout: %d", got.status)
	}
	if c := got.cookie(sessionCookie); c == nil || c.Value != "" {
		t.Fatalf("cookie not cleared: %v", c)
	}
	if got := e.do(newReq("GET", "/api/v1/me").as(s)); got.status != 401 {
		t.Fatalf("after logout: %d", got.status)
	}
	// The API way.
	s = e.session("staff")
	if got := e.do(newReq("DELETE", "/api/v1/session").as(s).with(csrfHeader, s.CSRFToken())); got.status != 204 {
		t.Fatalf("API logout: %d", got.status)
	}
	if got := e.do(newReq("GET", "/api/v1/me").as(s)); got.status != 401 {
		t.Fatalf("after API logout: %d", got.status)
	}
}

// Changing the password ends every session of the user and signs this
// browser in again with a new id; a reset link works once.
func TestPasswordChangeAndReset(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.session("staff")
	elsewhere := e.session("staff")
	const next = "Un-Altro-Fiume-Lontano-42"
	got := e.do(newReq("POST", "/password").as(s).form(url.Values{"csrf_token": {s.CSRFToken()},
		"current": {testPassword}, "password": {next}, "confirm": {next}}))
	c := got.cookie(sessionCookie)
	if got.status != 303 || c == nil || c.Value == s.ID {
		t.Fatalf("change: %d %.300s", got.status, squash(got.body))
	}
	for _, old := range []*auth.Session{s, elsewhere} {
		if got := e.do(newReq("GET", "/api/v1/me").as(old)); got.status != 401 {
			t.Fatalf("old session still works: %d", got.status)
		}
	}
	if got := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, c.Value)); got.status != 200 {
		t.Fatalf("new session: %d", got.status)
	}

	// A policy refusal is shown on the form, in the user's words.
	s2, _ := e.auth.Login(ctx, e.users["staff"].Email, next, "")
	got = e.do(newReq("POST", "/password").as(s2).form(url.Values{"csrf_token": {s2.CSRFToken()},
		"current": {next}, "password": {"corta"}, "confirm": {"corta"}}))
	if got.status != 422 || !strings.Contains(alertOf(t, got.body), "almeno 12 caratteri") {
		t.Fatalf("short password: %d", got.status)
	}

	// Reset link made by the coop admin, used once.
	admin := e.session("coop_admin")
	got = e.do(newReq("POST", "/users/"+itoa(e.users["staff"].ID)+"/reset-link").as(admin).form(url.Values{"csrf_token": {admin.CSRFToken()}}))
	i := strings.Index(got.body, "http://example.com/reset/")
	if got.status != 200 || i < 0 {
		t.Fatalf("reset link page: %d %.400s", got.status, squash(got.body))
	}
	link := got.body[i+len("http://example.com") : i+len("http://example.com/reset/")+43]
	if got := e.do(newReq("GET", link)); got.status != 200 || !strings.Contains(got.body, e.users["staff"].Email) || got.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("open link: %d", got.status)
	}
	const third = "Terzo-Ponte-Sul-Fiume-77"
	got = e.do(newReq("POST", link).cookie(csrfCookie, anonCSRF).form(url.Values{"csrf_token": {anonCSRF}, "password": {third}, "confirm": {third}}))
	if got.status != 303 || got.header.Get("Location") != "/login" {
		t.Fatalf("reset: %d %.300s", got.status, squash(got.body))
	}
	if _, err := e.auth.Login(ctx, e.users["staff"].Email, third, ""); err != nil {
		t.Fatalf("new password: %v", err)
	}
	got = e.do(newReq("POST", link).cookie(csrfCookie, anonCSRF).form(url.Values{"csrf_token": {anonCSRF}, "password": {third}, "confirm": {third}}))
	if got.status != 422 || !strings.Contains(alertOf(t, got.body), "non è valido") {
		t.Fatalf("second use: %d", got.status)
	}
}
