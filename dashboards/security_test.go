package dashboards

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, r := range []*req{newReq("GET", "/login"), newReq("GET", "/").as(e.session("coop_admin")), newReq("GET", "/api/v1/me"), newReq("GET", "/nope")} {
		got := e.do(r)
		csp := got.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", r.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", r.path, csp)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got.header.Get(h) != want {
				t.Errorf("%s: %s = %q", r.path, h, got.header.Get(h))
			}
		}
		if got.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", r.path)
		}
		if got.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", r.path)
		}
	}
}

// Session cookies are HttpOnly and SameSite=Lax, and Secure exactly when
// the request came over HTTPS (X-Forwarded-Proto counts only behind a
// proxy the configuration trusts).
func TestCookiesAndHTTPS(t *testing.T) {
	for _, c := range []struct {
		name       string
		trustProxy bool
		proto      string
		secure     bool
	}{
		{"plain HTTP", false, "", false},
		{"header ignored without a trusted proxy", false, "https", false},
		{"trusted proxy over HTTPS", true, "https", true},
		{"trusted proxy over HTTP", true, "http", false},
	} {
		e := newEnv(t, func(d *Deps) { d.TrustProxy = c.trustProxy })
		r := newReq("POST", "/login").cookie(csrfCookie, anonCSRF).
			form(url.Values{"csrf_token": {anonCSRF}, "email": {e.users["staff"].Email}, "password": {testPassword}})
		if c.proto != "" {
			r.with("X-Forwarded-Proto", c.proto)
		}
		got := e.do(r)
		ck := got.cookie(sessionCookie)
		if got.status != 303 || ck == nil {
			t.Fatalf("%s: login %d", c.name, got.status)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != c.secure || ck.Path != "/" {
			t.Errorf("%s: cookie %+v", c.name, ck)
		}
		if hsts := got.header.Get("Strict-Transport-Security"); (hsts != "") != c.secure {
			t.Errorf("%s: HSTS %q", c.name, hsts)
		}
		// The visitor's CSRF cookie has the same flags.
		v := e.do(newReq("GET", "/login").with("X-Forwarded-Proto", c.proto))
		if vc := v.cookie(csrfCookie); vc == nil || !vc.HttpOnly || vc.SameSite != http.SameSiteLaxMode || vc.Secure != c.secure {
			t.Errorf("%s: visitor CSRF cookie %+v", c.name, vc)
		}
	}
}

// An upload over the configured limit is refused with a friendly page (or
// JSON for the API), whether the length is declared or not.
func TestBodyLimits(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.UploadLimit = 4 << 10 })
	admin := e.session("coop_admin")
	big := bytes.Repeat([]byte("a;b;c\n"), 3000) // 18 KB
	page := newReq("POST", "/coops/"+coopSole+"/upload").as(admin).
		multipart(part{name: "csrf_token", data: []byte(admin.CSRFToken())}, part{name: "file", file: "grande.csv", data: big})
	got := e.do(page)
	if got.status != 413 || !strings.Contains(got.body, "Il file è troppo grande: il limite è 4\u00a0KB.") || strings.Contains(got.body, "goroutine") {
		t.Fatalf("page: %d %.500s", got.status, squash(got.body))
	}
	if n := countFiles(t, e.deps.TempDir); n != 0 {
		t.Fatalf("%d temporary files left", n)
	}
	// Without a declared length the stream itself is cut at the limit.
	mp := newReq("POST", "/").multipart(part{name: "csrf_token", data: []byte(admin.CSRFToken())}, part{name: "file", file: "grande.csv", data: big})
	b, _ := io.ReadAll(mp.body)
	chunked := newReq("POST", "/coops/"+coopSole+"/upload").as(admin)
	chunked.body, chunked.ctype = io.MultiReader(bytes.NewReader(b)), mp.ctype // a reader of unknown length: sent chunked
	got = e.do(chunked)
	if got.status != 413 || !strings.Contains(got.body, "troppo grande") {
		t.Fatalf("chunked page upload: %d %.300s", got.status, squash(got.body))
	}
	if n := countFiles(t, e.deps.TempDir); n != 0 {
		t.Fatalf("%d temporary files left after a cut stream", n)
	}
	api := e.do(newReq("POST", "/api/v1/cooperatives/"+coopSole+"/uploads").as(admin).with(csrfHeader, admin.CSRFToken()).
		multipart(part{name: "file", file: "grande.csv", data: big}))
	var body struct{ Error, Code string }
	json.Unmarshal([]byte(api.body), &body)
	if api.status != 413 || body.Code != "too_large" || body.Error != "Il file è troppo grande: il limite è 4\u00a0KB." {
		t.Fatalf("API: %d %s", api.status, api.body)
	}
	// Forms are small.
	got = e.do(newReq("POST", "/settings").as(admin).form(url.Values{"csrf_token": {admin.CSRFToken()}, "name": {strings.Repeat("x", 70<<10)}}))
	if got.status != 413 {
		t.Fatalf("large form: %d", got.status)
	}
	// A form without a declared length is not read at all.
	r := newReq("POST", "/settings").as(admin)
	r.body, r.ctype = io.MultiReader(strings.NewReader(url.Values{"csrf_token": {admin.CSRFToken()}}.Encode())), "application/x-www-form-urlencoded"
	if got := e.do(r); got.status != 411 {
		t.Fatalf("chunked form: %d", got.status)
	}
}
