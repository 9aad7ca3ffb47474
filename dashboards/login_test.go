package dashboards

import (
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

var alertRe = regexp.MustCompile(`<p class="error" role="alert">([^<]*)</p>`)

func alertOf(t *testing.T, body string) string {
	t.Helper()
	m := alertRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no error message on the page: %.400s", squash(body))
	}
	return html.UnescapeString(m[1])
}

// Through HTTP: the 11th wrong password within a minute is refused, then
// even the right one waits; an unknown account gets the same words at every step.
func TestLoginBruteForce(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.TrustProxy = true })
	attempt := func(email, password, ip string) response {
		return e.do(newReq("POST", "/login").with("X-Forwarded-For", "203.0.113.9, "+ip).cookie(csrfCookie, anonCSRF).
			form(url.Values{"csrf_token": {anonCSRF}, "email": {email}, "password": {password}}))
	}
	known := e.users["staff"].Email
	const failed, locked = "Email o password non corretti.", "Troppi tentativi: riprova tra un minuto."

	for i := 1; i <= 10; i++ {
		got := attempt(known, "sbagliata-"+strconv.Itoa(i)+"-xyz", "192.0.2.1")
		if got.status != 401 || alertOf(t, got.body) != failed {
			t.Fatalf("known account, attempt %d: %d %q", i, got.status, alertOf(t, got.body))
		}
		if got.cookie(sessionCookie) != nil && got.cookie(sessionCookie).Value != "" {
			t.Fatalf("attempt %d set a session", i)
		}
	}
	got := attempt(known, "sbagliata-11-xyz", "192.0.2.1")
	if got.status != 429 || alertOf(t, got.body) != locked || got.header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %d %q Retry-After=%q", got.status, alertOf(t, got.body), got.header.Get("Retry-After"))
	}
	if ra, _ := strconv.Atoi(got.header.Get("Retry-After")); ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q", got.header.Get("Retry-After"))
	}
	// The right password, even from elsewhere, still waits: the account is locked.
	got = attempt(known, testPassword, "192.0.2.77")
	if got.status != 429 || alertOf(t, got.body) != locked || got.cookie(sessionCookie) != nil {
		t.Fatalf("correct password while locked: %d %q", got.status, alertOf(t, got.body))
	}
	api := e.do(newReq("POST", "/api/v1/session").with("X-Forwarded-For", "192.0.2.78").
		json(`{"email":"` + known + `","password":"` + testPassword + `"}`))
	var body struct{ Error string }
	json.Unmarshal([]byte(api.body), &body)
	if api.status != 429 || body.Error != locked || api.header.Get("Retry-After") == "" {
		t.Fatalf("API login while locked: %d %s", api.status, api.body)
	}

	// An address with no account: the same words, the same lockout.
	unknown := "nessuno@sole.test.it"
	for i := 1; i <= 10; i++ {
		got := attempt(unknown, "sbagliata-"+strconv.Itoa(i)+"-xyz", "192.0.2.2")
		if got.status != 401 || alertOf(t, got.body) != failed {
			t.Fatalf("unknown account, attempt %d: %d %q", i, got.status, alertOf(t, got.body))
		}
	}
	got = attempt(unknown, "sbagliata-11-xyz", "192.0.2.2")
	if got.status != 429 || alertOf(t, got.body) != locked {
		t.Fatalf("unknown account, 11th attempt: %d %q", got.status, alertOf(t, got.body))
	}

	// Another account from a fresh address is not affected.
	got = attempt(e.users["board"].Email, testPassword, "192.0.2.3")
	if got.status != 303 || got.cookie(sessionCookie) == nil {
		t.Fatalf("another account: %d", got.status)
	}
}

// Login rotates the session: the id the browser had before stops working.
func TestLoginRotatesSession(t *testing.T) {
	e := newEnv(t)
	old := e.session("coop_admin")
	got := e.do(newReq("POST", "/login").as(old).form(url.Values{"csrf_token": {old.CSRFToken()},
		"email": {e.users["coop_admin"].Email}, "password": {testPassword}, "next": {"/settings"}}))
	c := got.cookie(sessionCookie)
	if got.status != 303 || got.header.Get("Location") != "/settings" || c == nil || c.Value == old.ID {
		t.Fatalf("login: %d %v", got.status, got.header)
	}
	if r := e.do(newReq("GET", "/api/v1/me").as(old)); r.status != 401 {
		t.Fatalf("old session still works: %d", r.status)
	}
	if r := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, c.Value)); r.status != 200 {
		t.Fatalf("new session: %d", r.status)
	}
	// An open redirect is not followed.
	got = e.do(newReq("POST", "/login").cookie(csrfCookie, anonCSRF).form(url.Values{"csrf_token": {anonCSRF},
		"email": {e.users["coop_admin"].Email}, "password": {testPassword}, "next": {"//evil.example/x"}}))
	if got.header.Get("Location") != "/" {
		t.Fatalf("next=//evil: Location %q", got.header.Get("Location"))
	}
}
