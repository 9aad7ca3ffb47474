package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"coopimpact/internal/auth"
	"coopimpact/internal/config"
	"coopimpact/internal/store"
)

// runUsersIn runs `coopimpact users ARGS` in this process with stdin.
func runUsersIn(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	usersStdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	code := runUsers(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// withUsersDB opens the data folder's database between commands (the CLI closes it after each).
func withUsersDB(t *testing.T, data string, fn func(*auth.Service)) {
	t.Helper()
	c := config.Common{DataDir: data}
	db, err := store.Open(context.Background(), c.DBPath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(&auth.Service{DB: db})
}

func TestUsersCLI(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var o, e bytes.Buffer
	if code := runIngest(ctx, []string{"--data", data, "--dataset", "cooperatives", fixtures + "cooperatives.csv"}, &o, &e); code != 0 {
		t.Fatalf("load cooperatives: %d %s %s", code, o.String(), e.String())
	}
	const pw = "Fiume-Verde-sotto-il-ponte-7"

	out, errOut, code := runUsersIn(t, pw+"\n", "add", "--data", data, "--email", "Hub@Rete.it", "--role", "hub_admin", "--name", "Hub", "--password-stdin")
	if code != 0 || !strings.Contains(out, "hub@rete.it") {
		t.Fatalf("add hub admin: %d %q %q", code, out, errOut)
	}
	out, _, code = runUsersIn(t, "", "add", "--data", data, "--email", "staff@sole.it", "--role", "staff", "--coop", "01234567890", "--generate-password", "--lang", "en")
	m := regexp.MustCompile(`password \(shown only now\): (\S+)\n`).FindStringSubmatch(out)
	if code != 0 || m == nil || len(m[1]) != 20 {
		t.Fatalf("generated: %d %q", code, out)
	}
	generated := m[1]

	// Refusals: exit 2 with one sentence, Italian by default.
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"ciaociao1234\n", []string{"add", "--email", "x@sole.it", "--role", "staff", "--coop", "01234567890", "--password-stdin"}, "più usate"},
		{"short\n", []string{"add", "--email", "x@sole.it", "--role", "staff", "--coop", "01234567890", "--password-stdin", "--lang", "en"}, "at least 12"},
		{pw, []string{"add", "--email", "x@sole.it", "--role", "boss", "--password-stdin"}, "Ruolo sconosciuto"},
		{pw, []string{"add", "--email", "x@sole.it", "--role", "staff", "--password-stdin"}, "cooperativa"},
		{pw, []string{"add", "--email", "x@sole.it", "--role", "staff", "--coop", "99999999999", "--password-stdin"}, "anagrafica"},
		{pw, []string{"add", "--email", "hub@rete.it", "--role", "hub_analyst", "--password-stdin"}, "Esiste già"},
		{"", []string{"add", "--email", "x@sole.it", "--role", "staff", "--coop", "01234567890", "--password-stdin"}, "nessuna password"},
		{pw, []string{"add", "--email", "x@sole.it", "--role", "staff", "--coop", "01234567890"}, "--password-stdin"},
		{pw, []string{"add", "--email", "x@sole.it", "--role", "staff", "--password-stdin", "--generate-password"}, "--generate-password"},
		{"", []string{"disable", "--email", "nobody@sole.it"}, "nessun account"},
		{"", []string{"reset-password", "--email", "staff@sole.it", "--base-url", "ftp://x"}, "--base-url"},
		{"", []string{"list", "--role", "boss"}, "Ruolo sconosciuto"},
		{"", []string{"frobnicate"}, "frobnicate"},
		{"", nil, "add, list, disable, enable"},
	} {
		args := c.args
		if len(args) > 0 && args[0] != "frobnicate" {
			args = append([]string{args[0], "--data", data}, args[1:]...)
		}
		_, errOut, code := runUsersIn(t, c.stdin, args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: code %d, stderr %q (want 2 and %q in one line)", c.args, code, errOut, c.want)
		}
	}
	if out, _, code := runUsersIn(t, "", "--help"); code != 0 || !strings.Contains(out, "reset-password") {
		t.Fatalf("--help: %d %q", code, out)
	}

	// list --json: the two accounts, hub first, no hash in sight.
	out, _, code = runUsersIn(t, "", "list", "--data", data, "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || strings.Contains(out, "argon2") {
		t.Fatalf("list: %d %q", code, out)
	}
	var first map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	if first["email"] != "hub@rete.it" || first["role"] != "hub_admin" || first["coop_id"] != "" || first["has_password"] != true {
		t.Fatalf("first %v", first)
	}
	out, _, _ = runUsersIn(t, "", "list", "--data", data, "--coop", "01234567890")
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "staff@sole.it") {
		t.Fatalf("list --coop: %q", out)
	}

	// The generated password signs in; the reset link works once.
	withUsersDB(t, data, func(s *auth.Service) {
		if _, err := s.Login(ctx, "staff@sole.it", generated, ""); err != nil {
			t.Fatalf("generated password: %v", err)
		}
	})
	out, _, code = runUsersIn(t, "", "reset-password", "--data", data, "--email", "STAFF@sole.it", "--base-url", "https://portale.rete.it/")
	m = regexp.MustCompile(`^https://portale\.rete\.it/reset/([A-Za-z0-9_-]{43})\n$`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("reset link: %d %q", code, out)
	}
	withUsersDB(t, data, func(s *auth.Service) {
		if err := s.ResetPassword(ctx, m[1], "Nuova-Parola-Lunga-9"); err != nil {
			t.Fatal(err)
		}
		if err := s.ResetPassword(ctx, m[1], "Altra-Parola-Lunga-8"); err == nil {
			t.Fatal("reset link worked twice")
		}
	})
	out, _, _ = runUsersIn(t, "", "reset-password", "--data", data, "--email", "hub@rete.it")
	if !strings.HasPrefix(out, "http://127.0.0.1:8080/reset/") {
		t.Fatalf("default base URL: %q", out)
	}

	// disable: the account can no longer sign in.
	if _, errOut, code := runUsersIn(t, "", "disable", "--data", data, "--email", "staff@sole.it"); code != 0 {
		t.Fatalf("disable: %d %q", code, errOut)
	}
	withUsersDB(t, data, func(s *auth.Service) {
		if _, err := s.Login(ctx, "staff@sole.it", "Nuova-Parola-Lunga-9", ""); err == nil {
			t.Fatal("disabled account signed in")
		}
	})
	out, _, _ = runUsersIn(t, "", "list", "--data", data, "--lang", "en")
	if !strings.Contains(out, "disabled") {
		t.Fatalf("list does not show the disabled account: %q", out)
	}

	// enable: the same password works again.
	if out, errOut, code := runUsersIn(t, "", "enable", "--data", data, "--email", "staff@sole.it"); code != 0 || !strings.Contains(out, "account riattivato: staff@sole.it") {
		t.Fatalf("enable: %d %q %q", code, out, errOut)
	}
	withUsersDB(t, data, func(s *auth.Service) {
		if _, err := s.Login(ctx, "staff@sole.it", "Nuova-Parola-Lunga-9", ""); err != nil {
			t.Fatalf("enabled account cannot sign in: %v", err)
		}
	})
}
