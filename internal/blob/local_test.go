package blob_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/blob"
	"coopimpact/internal/blob/blobtest"
)

var testSigningKey = []byte("0123456789abcdef")

// newLocal opens a Local in a fresh folder whose presigned URLs are served
// by a real HTTP server, as the portal will serve them.
func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	var l *blob.Local
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.PresignedHandler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	l, err := blob.NewLocal(filepath.Join(t.TempDir(), "objects"), testSigningKey, srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestLocalContract(t *testing.T) {
	blobtest.RunContract(t, func(t *testing.T) blob.Store { return newLocal(t) })
}

func TestLocalName(t *testing.T) {
	if n := newLocal(t).Name(); n != "local" {
		t.Errorf("Name() = %q", n)
	}
}

func TestNewLocalArguments(t *testing.T) {
	if _, err := blob.NewLocal(t.TempDir(), []byte("short"), ""); !errors.Is(err, blob.ErrInvalidArgument) {
		t.Errorf("5-byte signing key: %v, want ErrInvalidArgument", err)
	}
	if _, err := blob.NewLocal("", testSigningKey, ""); !errors.Is(err, blob.ErrInvalidArgument) {
		t.Errorf("empty folder: %v, want ErrInvalidArgument", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.NewLocal(file, testSigningKey, ""); err == nil {
		t.Error("NewLocal on a regular file succeeded")
	}
}

// The object bytes are a plain file tree; sidecars and temporaries are out
// of List's sight.
func TestLocalLayout(t *testing.T) {
	l := newLocal(t)
	ctx := context.Background()
	if err := l.Put(ctx, "a/b.txt", strings.NewReader("hello"), 5, "text/plain; charset=utf-8"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(l.Dir(), "data", "a", "b.txt"))
	if err != nil || string(b) != "hello" {
		t.Fatalf("data file: %q, %v", b, err)
	}
	var meta map[string]any
	mb, err := os.ReadFile(filepath.Join(l.Dir(), ".meta", "a", "b.txt"))
	if err != nil || json.Unmarshal(mb, &meta) != nil {
		t.Fatalf("sidecar: %s, %v", mb, err)
	}
	// sha256("hello"), by `printf hello | sha256sum`.
	const helloSHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	if meta["content_type"] != "text/plain; charset=utf-8" || meta["sha256"] != helloSHA || meta["size"] != 5.0 {
		t.Errorf("sidecar %v", meta)
	}
	info, err := l.Stat(ctx, "a/b.txt")
	if err != nil || info.ETag != helloSHA {
		t.Errorf("Stat ETag %q (%v), want the content's SHA-256", info.ETag, err)
	}
	tmp, err := os.ReadDir(filepath.Join(l.Dir(), ".tmp"))
	if err != nil || len(tmp) != 0 {
		t.Errorf(".tmp holds %v (%v) after a Put", tmp, err)
	}
	infos, err := l.List(ctx, "")
	if err != nil || len(infos) != 1 || infos[0].Key != "a/b.txt" {
		t.Errorf("List = %+v, %v; want only a/b.txt", infos, err)
	}
}

// A file put in by hand, or whose sidecar no longer matches, is served with
// the default type rather than a wrong one.
func TestLocalForeignAndStaleFiles(t *testing.T) {
	l := newLocal(t)
	ctx := context.Background()
	data := filepath.Join(l.Dir(), "data")
	if err := os.WriteFile(filepath.Join(data, "manual.csv"), []byte("a;b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "bad\\name"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := l.Stat(ctx, "manual.csv")
	if err != nil || info.ContentType != blob.DefaultContentType || info.Size != 4 || info.ETag == "" {
		t.Errorf("hand-placed file: %+v, %v", info, err)
	}
	if err := l.Put(ctx, "typed.json", strings.NewReader("{}"), 2, "application/json"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "typed.json"), []byte("[1,2]"), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err = l.Stat(ctx, "typed.json")
	if err != nil || info.ContentType != blob.DefaultContentType || info.Size != 5 {
		t.Errorf("file rewritten behind the store's back: %+v, %v; want the default type", info, err)
	}
	infos, err := l.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, in := range infos {
		keys = append(keys, in.Key)
	}
	if !slices.Equal(keys, []string{"manual.csv", "typed.json"}) {
		t.Errorf("List = %q; the invalid name must be skipped", keys)
	}
}

// Symlinks inside the folder cannot lead reads, writes or deletes outside it.
func TestLocalSymlinkEscape(t *testing.T) {
	l := newLocal(t)
	ctx := context.Background()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("top secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(l.Dir(), "data")
	if err := os.Symlink(outside, filepath.Join(data, "evil")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(data, "link")); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"evil/secret", "link"} {
		if rc, _, err := l.Get(ctx, key, nil); err == nil {
			rc.Close()
			t.Errorf("Get(%q) through a symlink out of the folder succeeded", key)
		}
		if _, err := l.Stat(ctx, key); err == nil {
			t.Errorf("Stat(%q) through a symlink out of the folder succeeded", key)
		}
		if u, err := l.PresignGet(ctx, key, time.Minute); err == nil {
			resp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Errorf("presigned GET of %q through a symlink served the file", key)
			}
		}
	}
	if err := l.Put(ctx, "evil/planted", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put through a symlinked folder succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written outside the folder: %v", err)
	}
	_ = l.Delete(ctx, "evil/secret")
	if b, err := os.ReadFile(secret); err != nil || string(b) != "top secret" {
		t.Errorf("file outside the folder changed by Delete: %q, %v", b, err)
	}
	infos, err := l.List(ctx, "")
	if err != nil || len(infos) != 0 {
		t.Errorf("List = %+v, %v; symlinks must not be listed", infos, err)
	}
}

// A file cannot also be a folder: "a" and "a/b" conflict on disk.
func TestLocalKeyConflict(t *testing.T) {
	l := newLocal(t)
	ctx := context.Background()
	if err := l.Put(ctx, "a/b", strings.NewReader("file"), 4, "text/plain"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"a", "a/b/c"} {
		err := l.Put(ctx, key, strings.NewReader("x"), 1, "text/plain")
		if !errors.Is(err, blob.ErrKeyConflict) {
			t.Errorf("Put(%q) next to a/b: %v, want ErrKeyConflict", key, err)
		}
	}
	rc, info, err := l.Get(ctx, "a/b", nil)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if info.Size != 4 || info.ContentType != "text/plain" {
		t.Errorf("a/b after refused Puts: %+v", info)
	}
	tmp, err := os.ReadDir(filepath.Join(l.Dir(), ".tmp"))
	if err != nil || len(tmp) != 0 {
		t.Errorf(".tmp holds %d entries (%v) after refused Puts", len(tmp), err)
	}
}

func TestLocalPingFailsWithoutFolder(t *testing.T) {
	l := newLocal(t)
	if err := l.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(l.Dir()); err != nil {
		t.Fatal(err)
	}
	if err := l.Ping(context.Background()); err == nil {
		t.Error("Ping succeeded with the folder removed")
	}
}

func TestLocalRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	l, err := blob.NewLocal(dir, testSigningKey, "")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	old, young := filepath.Join(dir, ".tmp", "old"), filepath.Join(dir, ".tmp", "young")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	twoHoursAgo := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, twoHoursAgo, twoHoursAgo); err != nil {
		t.Fatal(err)
	}
	l, err = blob.NewLocal(dir, testSigningKey, "")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("2-hour-old temporary file kept: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("fresh temporary file (maybe another writer's) removed: %v", err)
	}
}

func TestLocalPresignedHandler(t *testing.T) {
	l := newLocal(t)
	ctx := context.Background()
	if err := l.Put(ctx, "page.html", strings.NewReader("<script>alert(1)</script>"), 25, "text/html"); err != nil {
		t.Fatal(err)
	}
	u, err := l.PresignGet(ctx, "page.html", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	h := l.PresignedHandler()
	path := strings.TrimPrefix(u, u[:strings.Index(u, "/blob/")])

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "<script>alert(1)</script>" {
		t.Fatalf("GET: %d %q", rec.Code, rec.Body)
	}
	// Same origin as the portal: the page must not run with its cookies.
	for k, want := range map[string]string{
		"Content-Security-Policy": "sandbox",
		"X-Content-Type-Options":  "nosniff",
		"Content-Type":            "text/html",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	etag := rec.Header().Get("ETag")

	rec = httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etag)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: %d, want 304", rec.Code)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, path, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != "25" || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d, Content-Length %q, body %d bytes", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len())
	}

	for _, tc := range []struct {
		method, target string
		want           int
	}{
		{http.MethodPost, path, http.StatusMethodNotAllowed},
		{http.MethodGet, "/other/page.html", http.StatusNotFound},
		{http.MethodGet, "/blob/page.html", http.StatusForbidden},
		{http.MethodGet, "/blob/page.html?exp=abc&sig=00", http.StatusForbidden},
		{http.MethodGet, strings.Replace(path, "sig=", "sig=0", 1), http.StatusForbidden},
		{http.MethodGet, "/blob/../secret?exp=1&sig=00", http.StatusForbidden},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
		if rec.Code != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.target, rec.Code, tc.want)
		}
	}
}
