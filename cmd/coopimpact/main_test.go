package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary builds coopimpact once for the process-level tests.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coopimpact-bin")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "coopimpact")
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func run(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestEverySubcommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		out, _, code := run(t, nil, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: coopimpact "+c.name) || !strings.Contains(out, "env COOPIMPACT_") && c.name != "version" {
			t.Errorf("%s --help: code %d, output %q", c.name, code, out)
		}
	}
	out, _, _ := run(t, nil, "serve", "--help")
	for _, want := range []string{"--data", "COOPIMPACT_DATA", "--addr", "COOPIMPACT_ADDR", "--log-format", "COOPIMPACT_S3_ENDPOINT"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}

func TestUnfinishedSubcommandsSaySo(t *testing.T) {
	for _, name := range []string{"courses", "backup", "restore"} {
		_, errOut, code := run(t, nil, name, "--data", t.TempDir())
		if code != 2 || !strings.Contains(errOut, "not available yet") {
			t.Errorf("%s: code %d, stderr %q; want 2 and 'not available yet'", name, code, errOut)
		}
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeLifecycle starts the real server on a temp data folder: health and
// readiness answer, a second process is refused with one sentence, SIGTERM
// stops it cleanly and the DuckDB file opens again afterwards.
func TestServeLifecycle(t *testing.T) {
	data := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(binPath, "serve", "--data", data, "--addr", addr, "--log-format", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "http://"+addr) {
		t.Fatalf("first line %q (%v); stderr %s", line, err, stderr.String())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, body)
		}
		if path == "/readyz" && fmt.Sprint(body["checks"]) != "map[database:ok object_storage:ok]" {
			t.Fatalf("readyz checks %v", body["checks"])
		}
	}

	// Acceptance: a second process opening the same file gets one sentence and a non-zero exit.
	_, errOut, code := run(t, nil, "serve", "--data", data, "--addr", freeAddr(t))
	if code == 0 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "is in use by") || strings.Contains(errOut, "goroutine") {
		t.Fatalf("second process: code %d, stderr %q", code, errOut)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v; stderr %s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "stopped cleanly") {
		t.Fatalf("no clean stop in log: %s", stderr.String())
	}
	// The file is free again.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c2 := exec.CommandContext(ctx, binPath, "serve", "--data", data, "--addr", freeAddr(t))
	out2, _ := c2.StdoutPipe()
	if err := c2.Start(); err != nil {
		t.Fatal(err)
	}
	l2, _ := bufio.NewReader(out2).ReadString('\n')
	c2.Process.Signal(syscall.SIGTERM)
	c2.Wait()
	if !strings.Contains(l2, "running at") {
		t.Fatalf("restart after clean stop failed: %q", l2)
	}
}
