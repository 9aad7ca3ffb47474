package dashboards

import (
	"bytes"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

var csrfFieldRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Over a real connection, as a browser does it: a 40 MB upload of unknown
// length is streamed to disk (the process does not allocate anything like
// its size), refused by its content, and the connection serves the next
// request.
func TestUploadStreamsOverRealConnection(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.UploadLimit = 64 << 20 })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.Serve(ln)
	defer e.srv.Shutdown(t.Context())
	base := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	token := func(path string) string {
		t.Helper()
		r, err := cl.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		m := csrfFieldRe.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("%s: no CSRF field (%d)", path, r.StatusCode)
		}
		return m[1]
	}
	r, err := cl.PostForm(base+"/login", url.Values{"csrf_token": {token("/login")}, "email": {e.users["coop_admin"].Email}, "password": {testPassword}})
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, r)
	}
	r.Body.Close()

	upload := func(mb int) (int, string) {
		t.Helper()
		tok := token("/coops/" + coopSole + "/upload")
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			mw.WriteField("csrf_token", tok)
			fw, _ := mw.CreateFormFile("file", "grande.bin")
			chunk := bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7}, 1<<17) // 1 MB, not text
			for i := 0; i < mb; i++ {
				if _, err := fw.Write(chunk); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			mw.Close()
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", base+"/coops/"+coopSole+"/upload", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		r, err := cl.Do(req)
		if err != nil {
			t.Fatalf("upload %d MB: %v", mb, err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	status, body := upload(40)
	runtime.ReadMemStats(&after)
	if status != 200 || !strings.Contains(body, "grande.bin: non è un file di testo") {
		t.Fatalf("40 MB upload: %d %.300s", status, squash(body))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 24<<20 {
		t.Errorf("the upload allocated %d MB: it is held in memory, not streamed", alloc>>20)
	}
	if n := countFiles(t, e.deps.TempDir); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
	// The same keep-alive connection answers the next request.
	if r, err := cl.Get(base + "/api/v1/me"); err != nil || r.StatusCode != 200 {
		t.Fatalf("next request: %v %v", err, r)
	}
}
