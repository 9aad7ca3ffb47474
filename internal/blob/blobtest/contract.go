// Package blobtest is the contract every blob.Store implementation must pass.
// It is one suite, run against Local and against S3 (a real MinIO), so the
// two cannot drift apart.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"coopimpact/internal/blob"
)

// LargeSize is the size of the large round-trip object (50 MB).
const LargeSize = 50 << 20

// RunContract runs the contract as subtests. newStore must return an empty
// store, a fresh one on every call (a new folder, a new bucket), and
// register its own cleanup. Presigned URLs are fetched with plain net/http,
// so the store's URLs must really be served: S3 by the server, Local by an
// httptest server running Local.PresignedHandler.
func RunContract(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"Name", testName},
		{"Ping", testPing},
		{"EmptyObject", testEmptyObject},
		{"LargeObject", testLargeObject},
		{"UnknownSizeMultipart", testUnknownSize},
		{"Ranges", testRanges},
		{"List", testList},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"Missing", testMissing},
		{"InvalidKeys", testInvalidKeys},
		{"UnusualValidKeys", testUnusualKeys},
		{"Presign", testPresign},
		{"ConcurrentOverwrite", testConcurrentOverwrite},
		{"Cancelled", testCancelled},
		{"ShortBody", testShortBody},
		{"InvalidArguments", testInvalidArguments},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var httpClient = &http.Client{Timeout: 60 * time.Second}

func put(t *testing.T, s blob.Store, key, content, ct string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(content), int64(len(content)), ct); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t *testing.T, s blob.Store, key string, rng *blob.Range) (string, blob.Info) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key, rng)
	if err != nil {
		t.Fatalf("Get(%q, %+v): %v", key, rng, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %q: %v", key, err)
	}
	return string(b), info
}

func stat(t *testing.T, s blob.Store, key string) blob.Info {
	t.Helper()
	info, err := s.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	return info
}

// checkInfo asserts the fields of Info every store must fill.
func checkInfo(t *testing.T, what string, got blob.Info, key string, size int64, ct string) {
	t.Helper()
	if got.Key != key || got.Size != size || got.ContentType != ct {
		t.Errorf("%s: Info{Key:%q Size:%d ContentType:%q}, want {%q %d %q}", what, got.Key, got.Size, got.ContentType, key, size, ct)
	}
	if got.ETag == "" {
		t.Errorf("%s: empty ETag", what)
	}
	// Same machine, so a sanity window rather than a timing assertion.
	if d := time.Since(got.ModTime); d < -time.Hour || d > time.Hour {
		t.Errorf("%s: ModTime %v is not around now", what, got.ModTime)
	}
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error %v, want %v", what, err, kind)
	}
}

// stream is deterministic pseudo-random data: the same seed gives the same
// bytes, so expected values are recomputed, never kept in memory.
func stream(seed byte, n int64) io.Reader {
	var s [32]byte
	s[0] = seed
	return io.LimitReader(rand.NewChaCha8(s), n)
}

func sha(t *testing.T, r io.Reader) ([32]byte, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, n
}

func testName(t *testing.T, s blob.Store) {
	if n := s.Name(); n != "local" && n != "s3" {
		t.Errorf("Name() = %q, want local or s3", n)
	}
}

func testPing(t *testing.T, s blob.Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testEmptyObject(t *testing.T, s blob.Store) {
	ctx := context.Background()
	put(t, s, "empty/known", "", "text/plain")
	if err := s.Put(ctx, "empty/unknown", bytes.NewReader(nil), -1, ""); err != nil {
		t.Fatal(err)
	}
	body, info := get(t, s, "empty/known", nil)
	if body != "" {
		t.Errorf("body %q, want empty", body)
	}
	checkInfo(t, "Get empty/known", info, "empty/known", 0, "text/plain")
	checkInfo(t, "Stat empty/known", stat(t, s, "empty/known"), "empty/known", 0, "text/plain")
	body, info = get(t, s, "empty/unknown", nil)
	if body != "" {
		t.Errorf("body %q, want empty", body)
	}
	checkInfo(t, "Get empty/unknown", info, "empty/unknown", 0, blob.DefaultContentType)
	// The only ranges an empty object has are the empty ones.
	body, _ = get(t, s, "empty/known", &blob.Range{Offset: 0, Length: -1})
	if body != "" {
		t.Errorf("range body %q, want empty", body)
	}
	_, _, err := s.Get(ctx, "empty/known", &blob.Range{Offset: 1, Length: -1})
	wantKind(t, "range past an empty object", err, blob.ErrInvalidRange)
}

func testLargeObject(t *testing.T, s blob.Store) {
	ctx := context.Background()
	const key = "large/video.mp4"
	if err := s.Put(ctx, key, stream(7, LargeSize), LargeSize, "video/mp4"); err != nil {
		t.Fatal(err)
	}
	want, _ := sha(t, stream(7, LargeSize))

	rc, info, err := s.Get(ctx, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, n := sha(t, rc)
	rc.Close()
	if n != LargeSize || got != want {
		t.Fatalf("read back %d bytes, sha256 %x; want %d bytes, %x", n, got, LargeSize, want)
	}
	checkInfo(t, "Get", info, key, LargeSize, "video/mp4")
	checkInfo(t, "Stat", stat(t, s, key), key, LargeSize, "video/mp4")

	// A range in the middle, across what would be a 16 MiB part boundary.
	const off, length = 16<<20 - 1000, 1_000_000
	exp := stream(7, LargeSize)
	if _, err := io.CopyN(io.Discard, exp, off); err != nil {
		t.Fatal(err)
	}
	wantPart := make([]byte, length)
	if _, err := io.ReadFull(exp, wantPart); err != nil {
		t.Fatal(err)
	}
	part, info := get(t, s, key, &blob.Range{Offset: off, Length: length})
	if !bytes.Equal([]byte(part), wantPart) {
		t.Errorf("range [%d,+%d): %d bytes differing from the source", off, length, len(part))
	}
	if info.Size != LargeSize {
		t.Errorf("ranged Get Info.Size = %d, want the full %d", info.Size, LargeSize)
	}

	// The tail, to the end.
	tail, _ := get(t, s, key, &blob.Range{Offset: LargeSize - 5, Length: -1})
	all, err := io.ReadAll(stream(7, LargeSize))
	if err != nil {
		t.Fatal(err)
	}
	if want := string(all[LargeSize-5:]); tail != want {
		t.Errorf("tail %x, want %x", tail, want)
	}
}

func testUnknownSize(t *testing.T, s blob.Store) {
	// Over 16 MiB, so S3 must upload more than one part from an unsized body.
	const size = 17<<20 + 123
	const key = "big/unknown.bin"
	if err := s.Put(context.Background(), key, stream(9, size), -1, "application/zip"); err != nil {
		t.Fatal(err)
	}
	want, _ := sha(t, stream(9, size))
	rc, info, err := s.Get(context.Background(), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, n := sha(t, rc)
	if n != size || got != want {
		t.Fatalf("read back %d bytes, sha256 %x; want %d, %x", n, got, size, want)
	}
	checkInfo(t, "Get", info, key, size, "application/zip")
}

func testRanges(t *testing.T, s blob.Store) {
	const content = "0123456789abcdefghij" // byte i is easy to read off
	put(t, s, "r/digits.txt", content, "text/plain")
	for _, tc := range []struct {
		rng  *blob.Range
		want string
	}{
		{nil, content},
		{&blob.Range{Offset: 0, Length: 1}, "0"},            // first byte
		{&blob.Range{Offset: 5, Length: 4}, "5678"},         // middle
		{&blob.Range{Offset: 15, Length: -1}, "fghij"},      // to the end
		{&blob.Range{Offset: 0, Length: -1}, content},       // whole, as a range
		{&blob.Range{Offset: 19, Length: 1}, "j"},           // last byte
		{&blob.Range{Offset: 18, Length: 10}, "ij"},         // clipped at the end
		{&blob.Range{Offset: 0, Length: 20}, content},       // exactly all
		{&blob.Range{Offset: 3, Length: 0}, ""},             // empty length
		{&blob.Range{Offset: 20, Length: -1}, ""},           // at the end
		{&blob.Range{Offset: 20, Length: 5}, ""},            // at the end, clipped
		{&blob.Range{Offset: 1, Length: 18}, content[1:19]}, // all but the ends
	} {
		got, info := get(t, s, "r/digits.txt", tc.rng)
		if got != tc.want {
			t.Errorf("range %+v: %q, want %q", *rangeOrZero(tc.rng), got, tc.want)
		}
		checkInfo(t, fmt.Sprintf("range %+v", *rangeOrZero(tc.rng)), info, "r/digits.txt", 20, "text/plain")
	}
	for _, rng := range []blob.Range{{Offset: 21, Length: -1}, {Offset: -1, Length: 5}, {Offset: 100, Length: 1}} {
		_, _, err := s.Get(context.Background(), "r/digits.txt", &rng)
		wantKind(t, fmt.Sprintf("range %+v", rng), err, blob.ErrInvalidRange)
	}
}

func rangeOrZero(r *blob.Range) *blob.Range {
	if r == nil {
		return &blob.Range{Offset: 0, Length: -1}
	}
	return r
}

func testList(t *testing.T, s blob.Store) {
	ctx := context.Background()
	keys := []string{ // deliberately unsorted
		"reports/2024/q2.csv",
		"reportsX/other",
		"reports/summary.txt",
		"raw/x",
		"reports/2023/q4.csv",
		"reports-old/z",
		"reports/2024/q1.csv",
	}
	for _, k := range keys {
		put(t, s, k, "content of "+k, "text/csv")
	}
	// Byte order: '-' (0x2d) < '/' (0x2f) < 'X' (0x58).
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"reports/", []string{"reports/2023/q4.csv", "reports/2024/q1.csv", "reports/2024/q2.csv", "reports/summary.txt"}},
		{"reports", []string{"reports-old/z", "reports/2023/q4.csv", "reports/2024/q1.csv", "reports/2024/q2.csv", "reports/summary.txt", "reportsX/other"}},
		{"reports/2024/q", []string{"reports/2024/q1.csv", "reports/2024/q2.csv"}},
		{"reports/2024/", []string{"reports/2024/q1.csv", "reports/2024/q2.csv"}},
		{"", []string{"raw/x", "reports-old/z", "reports/2023/q4.csv", "reports/2024/q1.csv", "reports/2024/q2.csv", "reports/summary.txt", "reportsX/other"}},
		{"r", []string{"raw/x", "reports-old/z", "reports/2023/q4.csv", "reports/2024/q1.csv", "reports/2024/q2.csv", "reports/summary.txt", "reportsX/other"}},
		{"raw/x", []string{"raw/x"}},
		{"nothing/", nil},
		{"raw/x/deeper/", nil}, // under an object, not a folder
		{"reports/2025", nil},
	} {
		infos, err := s.List(ctx, tc.prefix)
		if err != nil {
			t.Errorf("List(%q): %v", tc.prefix, err)
			continue
		}
		var got []string
		for _, in := range infos {
			got = append(got, in.Key)
			if want := int64(len("content of " + in.Key)); in.Size != want {
				t.Errorf("List(%q): %s size %d, want %d", tc.prefix, in.Key, in.Size, want)
			}
			if in.ETag == "" || in.ModTime.IsZero() {
				t.Errorf("List(%q): %s has empty ETag or ModTime: %+v", tc.prefix, in.Key, in)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	for _, p := range []string{"../", "/reports", "reports//", "a\\b", "./", "reports/../raw"} {
		_, err := s.List(ctx, p)
		wantKind(t, fmt.Sprintf("List(%q)", p), err, blob.ErrInvalidKey)
	}
}

func testOverwrite(t *testing.T, s blob.Store) {
	put(t, s, "doc/x", "first version, the longer one", "text/plain")
	first := stat(t, s, "doc/x")
	put(t, s, "doc/x", `{"v":2}`, "application/json")
	body, info := get(t, s, "doc/x", nil)
	if body != `{"v":2}` {
		t.Errorf("body %q after overwrite", body)
	}
	checkInfo(t, "Get after overwrite", info, "doc/x", 7, "application/json")
	if info.ETag == first.ETag {
		t.Errorf("ETag %q unchanged by an overwrite with other content", info.ETag)
	}
	infos, err := s.List(context.Background(), "doc/")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Key != "doc/x" || infos[0].Size != 7 {
		t.Errorf("List after overwrite = %+v, want one doc/x of 7 bytes", infos)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	put(t, s, "d/e/f", "nested", "text/plain")
	put(t, s, "d/g", "sibling", "text/plain")
	if err := s.Delete(ctx, "d/e/f"); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Get(ctx, "d/e/f", nil)
	wantKind(t, "Get after Delete", err, blob.ErrNotFound)
	_, err = s.Stat(ctx, "d/e/f")
	wantKind(t, "Stat after Delete", err, blob.ErrNotFound)
	if err := s.Delete(ctx, "d/e/f"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if err := s.Delete(ctx, "never/was"); err != nil {
		t.Errorf("Delete of a key never stored: %v", err)
	}
	if err := s.Delete(ctx, "d"); err != nil { // a "folder", not an object
		t.Errorf("Delete of a folder-like prefix: %v", err)
	}
	if body, _ := get(t, s, "d/g", nil); body != "sibling" {
		t.Errorf("sibling body %q after deleting its neighbour", body)
	}
	infos, err := s.List(ctx, "d/")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Key != "d/g" {
		t.Errorf("List after Delete = %+v, want only d/g", infos)
	}
	// The deleted key's "folder" is free again for an object of that name.
	put(t, s, "d/e", "now a file", "text/plain")
	if body, _ := get(t, s, "d/e", nil); body != "now a file" {
		t.Errorf("d/e = %q", body)
	}
	// And a deleted key can be stored again.
	put(t, s, "d/g", "again", "text/plain")
	if body, _ := get(t, s, "d/g", nil); body != "again" {
		t.Errorf("d/g = %q", body)
	}
}

func testMissing(t *testing.T, s blob.Store) {
	ctx := context.Background()
	put(t, s, "present/a", "a", "text/plain")
	for _, key := range []string{"absent", "present/b", "present", "present/a/below"} {
		_, err := s.Stat(ctx, key)
		wantKind(t, "Stat "+key, err, blob.ErrNotFound)
		var be *blob.Error
		if errors.As(err, &be) && be.Key != key {
			t.Errorf("Stat %s: error names key %q", key, be.Key)
		}
		_, _, err = s.Get(ctx, key, nil)
		wantKind(t, "Get "+key, err, blob.ErrNotFound)
		_, _, err = s.Get(ctx, key, &blob.Range{Offset: 0, Length: 1})
		wantKind(t, "ranged Get "+key, err, blob.ErrNotFound)
	}
}

// InvalidKeys are keys every store must refuse with ErrInvalidKey.
var InvalidKeys = []string{
	"",
	"/abs/path",
	"/",
	"../escape",
	"a/../../escape",
	"a/../b",
	"..",
	".",
	"./a",
	"a/.",
	"a/./b",
	"a//b",
	"a/",
	`a\b`,
	`..\..\windows`,
	"nul\x00byte",
	"new\nline",
	"bad\xffutf8",
	strings.Repeat("k", blob.MaxKeyLen+1),
	strings.Repeat("s", blob.MaxSegmentLen+1) + "/x",
}

func testInvalidKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range InvalidKeys {
		name := fmt.Sprintf("%.40q", key)
		err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain")
		wantKind(t, "Put "+name, err, blob.ErrInvalidKey)
		_, _, err = s.Get(ctx, key, nil)
		wantKind(t, "Get "+name, err, blob.ErrInvalidKey)
		_, err = s.Stat(ctx, key)
		wantKind(t, "Stat "+name, err, blob.ErrInvalidKey)
		err = s.Delete(ctx, key)
		wantKind(t, "Delete "+name, err, blob.ErrInvalidKey)
		_, err = s.PresignGet(ctx, key, time.Minute)
		wantKind(t, "PresignGet "+name, err, blob.ErrInvalidKey)
	}
	// Nothing was stored by the refused Puts.
	infos, err := s.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 0 {
		t.Errorf("store holds %+v after refused Puts", infos)
	}
	// The limits themselves are fine.
	for _, key := range []string{strings.Repeat("k", blob.MaxSegmentLen), strings.Repeat("k/", blob.MaxKeyLen/2-1) + "kk"} {
		if len(key) > blob.MaxKeyLen {
			t.Fatalf("test key of %d bytes", len(key))
		}
		put(t, s, key, "edge", "text/plain")
		if body, _ := get(t, s, key, nil); body != "edge" {
			t.Errorf("key of %d bytes: body %q", len(key), body)
		}
	}
}

// UnusualValidKeys are keys that are valid but trip naive escaping.
var UnusualValidKeys = []string{
	"spazi e accenti/città è perché.txt",
	"sym/+&=?#;,@!$'()*.bin",
	"pct/a%2Fb%20c%",
	"dots/...",
	"dots/..a",
	"dots/.hidden",
	"colon/a:b",
	"emoji/😀.png",
	"Upper/Case/ABC",
	"tilde~/x",
}

func testUnusualKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range UnusualValidKeys {
		put(t, s, key, "body of "+key, "text/plain")
	}
	for _, key := range UnusualValidKeys {
		if body, info := get(t, s, key, nil); body != "body of "+key || info.Key != key {
			t.Errorf("Get %q: %q (Info.Key %q)", key, body, info.Key)
		}
		u, err := s.PresignGet(ctx, key, time.Minute)
		if err != nil {
			t.Fatalf("PresignGet %q: %v", key, err)
		}
		status, body, _ := fetch(t, u, "")
		if status != http.StatusOK || body != "body of "+key {
			t.Errorf("GET presigned %q (%s): %d %q", key, u, status, body)
		}
	}
	infos, err := s.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range infos {
		got = append(got, in.Key)
	}
	want := slices.Sorted(slices.Values(UnusualValidKeys))
	if !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
}

func fetch(t *testing.T, u, rangeHeader string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("presigned URL %q: %v", u, err)
	}
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func testPresign(t *testing.T, s blob.Store) {
	ctx := context.Background()
	content, err := io.ReadAll(stream(3, 1000))
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "media/clip.mp4", string(content), "video/mp4")
	put(t, s, "media/clap.mp4", "another object", "video/mp4")

	u, err := s.PresignGet(ctx, "media/clip.mp4", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	status, body, h := fetch(t, u, "")
	if status != http.StatusOK || body != string(content) {
		t.Fatalf("GET presigned: %d, %d bytes (want 200, the 1000 stored)", status, len(body))
	}
	if ct := h.Get("Content-Type"); ct != "video/mp4" {
		t.Errorf("Content-Type %q, want video/mp4", ct)
	}
	// Media players seek with Range requests.
	status, body, h = fetch(t, u, "bytes=100-199")
	if status != http.StatusPartialContent || body != string(content[100:200]) {
		t.Errorf("ranged GET: %d, %d bytes (want 206, bytes 100-199)", status, len(body))
	}
	if cr := h.Get("Content-Range"); cr != "bytes 100-199/1000" {
		t.Errorf("Content-Range %q", cr)
	}

	// A signature is for one key: pointing it at another object is refused.
	other := strings.Replace(u, "clip.mp4", "clap.mp4", 1)
	if other == u {
		t.Fatalf("key not found in URL %s", u)
	}
	if status, _, _ := fetch(t, other, ""); status != http.StatusForbidden {
		t.Errorf("URL re-pointed to another key: %d, want 403", status)
	}
	// A tampered signature is refused.
	if status, _, _ := fetch(t, tamperSignature(t, u), ""); status != http.StatusForbidden {
		t.Errorf("tampered signature: %d, want 403", status)
	}
	// Presigning does not check existence; fetching a missing key is 404.
	u, err = s.PresignGet(ctx, "media/missing.mp4", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := fetch(t, u, ""); status != http.StatusNotFound {
		t.Errorf("presigned missing key: %d, want 404", status)
	}
	for _, d := range []time.Duration{0, -time.Second, blob.MaxPresignExpiry + time.Second} {
		_, err := s.PresignGet(ctx, "media/clip.mp4", d)
		wantKind(t, fmt.Sprintf("PresignGet expiry %s", d), err, blob.ErrInvalidArgument)
	}
	if _, err := s.PresignGet(ctx, "media/clip.mp4", blob.MaxPresignExpiry); err != nil {
		t.Errorf("PresignGet at the maximum expiry: %v", err)
	}
}

// tamperSignature flips the last hex digit of the signature parameter
// (sig for Local, X-Amz-Signature for S3).
func tamperSignature(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for _, name := range []string{"sig", "X-Amz-Signature"} {
		if v := q.Get(name); v != "" {
			last := v[len(v)-1]
			flipped := byte('0')
			if last == '0' {
				flipped = '1'
			}
			q.Set(name, v[:len(v)-1]+string(flipped))
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	t.Fatalf("no signature parameter in %s", raw)
	return ""
}

func testConcurrentOverwrite(t *testing.T, s blob.Store) {
	// Writers replace the object with versions whose content type names
	// the version; readers check every read is one whole version.
	const key, writers, rounds = "hot/key", 4, 5
	version := func(i int) (string, string) {
		return strings.Repeat(string(rune('a'+i)), 64<<10+i), fmt.Sprintf("application/x-v%d", i)
	}
	body0, ct0 := version(0)
	put(t, s, key, body0, ct0)

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	done := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			body, ct := version(i + 1) // version 0 is the initial one
			for range rounds {
				if err := s.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), ct); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				rc, info, err := s.Get(context.Background(), key, nil)
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					errs <- err
					return
				}
				var i int
				if _, err := fmt.Sscanf(info.ContentType, "application/x-v%d", &i); err != nil {
					errs <- fmt.Errorf("content type %q", info.ContentType)
					return
				}
				if want, _ := version(i); string(b) != want || info.Size != int64(len(want)) {
					errs <- fmt.Errorf("read %d bytes (Info.Size %d) under content type %q: a mixed version", len(b), info.Size, info.ContentType)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	body, info := get(t, s, key, nil)
	var i int
	if _, err := fmt.Sscanf(info.ContentType, "application/x-v%d", &i); err != nil || i < 1 || i > writers {
		t.Fatalf("final content type %q, want one writer's", info.ContentType)
	}
	if want, _ := version(i); body != want {
		t.Errorf("final body is not version %d", i)
	}
}

// cancelAfter cancels its context once n bytes have been read through it,
// like a client that disconnects during an upload.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

func testCancelled(t *testing.T, s blob.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, "c/before", strings.NewReader("x"), 1, "text/plain"); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
	_, err := s.Stat(context.Background(), "c/before")
	wantKind(t, "Stat after cancelled Put", err, blob.ErrNotFound)

	for _, size := range []int64{5 << 20, -1} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancelAfter{r: stream(5, 5<<20), n: 1 << 20, cancel: cancel}
		err := s.Put(ctx, "c/during", r, size, "text/plain")
		cancel()
		if err == nil {
			t.Errorf("Put (size %d) cancelled mid-body succeeded", size)
		}
		_, err = s.Stat(context.Background(), "c/during")
		wantKind(t, "Stat after Put cancelled mid-body", err, blob.ErrNotFound)
	}
}

func testShortBody(t *testing.T, s blob.Store) {
	ctx := context.Background()
	err := s.Put(ctx, "short/new", strings.NewReader("12345"), 10, "text/plain")
	wantKind(t, "Put of 5 bytes declared as 10", err, blob.ErrSizeMismatch)
	_, err = s.Stat(ctx, "short/new")
	wantKind(t, "Stat after short Put", err, blob.ErrNotFound)

	// A failed overwrite leaves the previous object whole.
	put(t, s, "short/old", "previous", "text/plain")
	err = s.Put(ctx, "short/old", strings.NewReader("abc"), 1000, "application/json")
	wantKind(t, "short overwrite", err, blob.ErrSizeMismatch)
	body, info := get(t, s, "short/old", nil)
	if body != "previous" || info.ContentType != "text/plain" {
		t.Errorf("after a failed overwrite: %q %q, want the previous object", body, info.ContentType)
	}
}

func testInvalidArguments(t *testing.T, s blob.Store) {
	ctx := context.Background()
	err := s.Put(ctx, "arg/ct", strings.NewReader("x"), 1, "text/plain\r\nX-Injected: 1")
	wantKind(t, "Put with a header-injecting content type", err, blob.ErrInvalidArgument)
	err = s.Put(ctx, "arg/size", strings.NewReader("x"), -2, "text/plain")
	wantKind(t, "Put with size -2", err, blob.ErrInvalidArgument)
	for _, key := range []string{"arg/ct", "arg/size"} {
		_, err := s.Stat(ctx, key)
		wantKind(t, "Stat "+key, err, blob.ErrNotFound)
	}
	// A parameterised content type is kept as given.
	put(t, s, "arg/csv", "a;b\n", "text/csv; charset=utf-8")
	if info := stat(t, s, "arg/csv"); info.ContentType != "text/csv; charset=utf-8" {
		t.Errorf("ContentType %q, want text/csv; charset=utf-8", info.ContentType)
	}
}
