package dashboards

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/blob"
)

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

func get(t *testing.T, s *Server, path string) (int, string, map[string]string) {
	t.Helper()
	resp, err := s.App().Test(httptest.NewRequest("GET", path, nil), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return resp.StatusCode, string(b), h
}

func TestHealthAndReadiness(t *testing.T) {
	cases := []struct {
		name       string
		db, store  Pinger
		wantStatus int
		wantBody   string
	}{
		{"all up", pinger{}, pinger{}, 200, `"database":"ok","object_storage":"ok"`},
		{"database down", pinger{errors.New("x")}, pinger{}, 503, `"database":"unavailable"`},
		{"storage down", pinger{}, pinger{errors.New("x")}, 503, `"object_storage":"unavailable"`},
	}
	for _, c := range cases {
		s, err := New(Deps{DB: c.db, Blob: c.store})
		if err != nil {
			t.Fatal(err)
		}
		if code, _, _ := get(t, s, "/healthz"); code != 200 {
			t.Errorf("%s: healthz %d", c.name, code)
		}
		code, body, _ := get(t, s, "/readyz")
		if code != c.wantStatus || !strings.Contains(body, c.wantBody) {
			t.Errorf("%s: readyz %d %s", c.name, code, body)
		}
	}
}

func TestStaticAssetsUnderContentHashURLs(t *testing.T) {
	s, err := New(Deps{DB: pinger{}, Blob: pinger{}})
	if err != nil {
		t.Fatal(err)
	}
	url := s.assets.URL("app.css")
	if !strings.HasPrefix(url, "/static/app.") || len(url) != len("/static/app.12345678.css") {
		t.Fatalf("url %q", url)
	}
	code, body, h := get(t, s, url)
	if code != 200 || !strings.Contains(body, "color-scheme") || !strings.Contains(h["Cache-Control"], "immutable") || h["Content-Type"] != "text/css; charset=utf-8" {
		t.Fatalf("%d %v", code, h)
	}
	if code, _, _ := get(t, s, "/static/app.css"); code != 404 {
		t.Fatalf("unhashed name served: %d", code)
	}
	if code, body, _ := get(t, s, "/nope"); code != 404 || strings.Contains(body, "goroutine") {
		t.Fatalf("unknown path: %d %s", code, body)
	}
}

// A presigned URL of the local object store is served by the portal.
func TestLocalPresignedURLServed(t *testing.T) {
	l, err := blob.NewLocal(t.TempDir(), bytes.Repeat([]byte{9}, 32), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := l.Put(ctx, "courses/c1/v1/video.vtt", strings.NewReader("WEBVTT"), 6, "text/vtt"); err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{DB: pinger{}, Blob: l, BlobHandler: l.PresignedHandler()})
	if err != nil {
		t.Fatal(err)
	}
	u, err := l.PresignGet(ctx, "courses/c1/v1/video.vtt", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, s, u); code != 200 || body != "WEBVTT" {
		t.Fatalf("presigned GET: %d %q", code, body)
	}
	if code, _, _ := get(t, s, strings.Replace(u, "sig=", "sig=0", 1)); code != 403 {
		t.Fatalf("tampered URL: %d", code)
	}
}
