// Package testsupport holds helpers that tests across coopimpact share:
// real servers started on demand, never mocks.
package testsupport

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// MinIO is a running MinIO server owned by one test.
type MinIO struct {
	Endpoint  string // host:port, without scheme (as minio-go wants it)
	AccessKey string
	SecretKey string
}

// minioStartTimeout bounds the wait for the server to be ready; a cold start on a
// loaded 2-core box takes a few seconds, so this only catches a hung server.
const minioStartTimeout = 60 * time.Second

// StartMinIO starts a private MinIO server on free loopback ports, with data
// in a temporary folder, and stops it when the test ends.
//
// The binary comes from $MINIO_BIN, then `minio` on PATH, then
// <repo root>/.tools/bin/minio (built by `make tools`). Without it the test is
// skipped, except under CI=true where a missing server is a failure: CI must
// really exercise object storage.
func StartMinIO(t testing.TB) *MinIO {
	t.Helper()
	bin, tried := findMinIO()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MinIO not found (looked at %s): run `make tools` (it builds it into .tools/bin) or set MINIO_BIN to a minio server binary", strings.Join(tried, ", "))
		}
		t.Skip("MinIO not found: run `make test` (it builds it into .tools/bin) or set MINIO_BIN")
	}

	m := &MinIO{AccessKey: "u" + minioRandomHex(t, 8), SecretKey: minioRandomHex(t, 20)}
	dir := t.TempDir()
	// A port found free may be taken before MinIO binds it; retry a few times
	// instead of failing a test for a race that has nothing to do with it.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		srv, err := startMinIOOnce(t, bin, m, filepath.Join(dir, "try"+strconv.Itoa(attempt)))
		if err == nil {
			m.Endpoint = srv
			t.Logf("MinIO %s on %s", bin, m.Endpoint)
			return m
		}
		lastErr = err
		if !errors.Is(err, errMinIOPortTaken) {
			break
		}
	}
	t.Fatalf("starting MinIO %s: %v", bin, lastErr)
	return nil
}

var errMinIOPortTaken = errors.New("address already in use")

// startMinIOOnce starts the server and waits for it to be live. On success the
// process is registered for cleanup; on failure it is already stopped.
func startMinIOOnce(t testing.TB, bin string, m *MinIO, dir string) (string, error) {
	apiPort, err := minioFreePort()
	if err != nil {
		return "", err
	}
	consolePort, err := minioFreePort()
	if err != nil {
		return "", err
	}
	endpoint := "127.0.0.1:" + strconv.Itoa(apiPort)
	dataDir := filepath.Join(dir, "data")
	certsDir := filepath.Join(dir, "certs") // keeps MinIO away from $HOME/.minio
	for _, d := range []string{dataDir, certsDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", err
		}
	}

	cmd := exec.Command(bin, "server",
		"--address", endpoint,
		"--console-address", "127.0.0.1:"+strconv.Itoa(consolePort),
		"--certs-dir", certsDir,
		dataDir)
	cmd.Env = append(minioEnvironWithout("MINIO_"),
		"MINIO_ROOT_USER="+m.AccessKey,
		"MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	out := &Output{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	liveURL := "http://" + endpoint + "/minio/health/live"
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(minioStartTimeout)
	for {
		select {
		case <-exited:
			msg := out.String()
			if strings.Contains(msg, "address already in use") {
				return "", fmt.Errorf("%w: %s", errMinIOPortTaken, msg)
			}
			return "", fmt.Errorf("server exited before becoming live (%v); output:\n%s", waitErr, msg)
		default:
		}
		if minioReady(client, liveURL, endpoint, m) {
			t.Cleanup(stop)
			return endpoint, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("not live at %s after %s; output:\n%s", liveURL, minioStartTimeout, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// minioReady reports whether the server is live and answers S3 requests.
// The liveness probe answers 200 before the object layer and IAM are up
// (marking it with x-minio-server-status: offline), and requests made then
// fail with "Server not initialized yet", so a signed ListBuckets is the
// final check.
func minioReady(client *http.Client, liveURL, endpoint string, m *MinIO) bool {
	resp, err := client.Get(liveURL)
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("x-minio-server-status") == "offline" {
		return false
	}
	c, err := minio.New(endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""),
		Transport: client.Transport,
	})
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), client.Timeout)
	defer cancel()
	_, err = c.ListBuckets(ctx)
	return err == nil
}

// findMinIO returns the first usable binary and the places it looked.
func findMinIO() (string, []string) {
	var tried []string
	if p := os.Getenv("MINIO_BIN"); p != "" {
		tried = append(tried, "$MINIO_BIN="+p)
		if minioIsExecutable(p) {
			return p, tried
		}
	}
	tried = append(tried, "minio on PATH")
	if p, err := exec.LookPath("minio"); err == nil {
		return p, tried
	}
	if root, err := minioRepoRoot(); err == nil {
		p := filepath.Join(root, ".tools", "bin", "minio")
		tried = append(tried, p)
		if minioIsExecutable(p) {
			return p, tried
		}
	}
	return "", tried
}

// minioRepoRoot walks up from the working directory to the folder holding go.mod.
func minioRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func minioIsExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func minioFreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// minioEnvironWithout drops inherited variables with the prefix, so a developer's
// own MinIO settings cannot change the test server.
func minioEnvironWithout(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	return env
}

func minioRandomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// Output collects a child process's output: exec's copying goroutines
// write it while a test may read it (to show it when the test fails).
type Output struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Output) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Output) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
