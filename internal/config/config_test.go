package config

import (
	"flag"
	"testing"
)

func TestPrecedence(t *testing.T) {
	env := map[string]string{"COOPIMPACT_DATA": "/env/data", "COOPIMPACT_ADDR": "0.0.0.0:9"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cases := []struct {
		name      string
		args      []string
		wantData  string
		wantAddr  string
		wantLevel string
	}{
		{"env fills what flags leave", nil, "/env/data", "0.0.0.0:9", "info"},
		{"flag beats env", []string{"--data", "/flag"}, "/flag", "0.0.0.0:9", "info"},
		{"flag beats env for addr", []string{"--addr", "127.0.0.1:1"}, "/env/data", "127.0.0.1:1", "info"},
		{"default when neither", []string{"--log-level", "debug"}, "/env/data", "0.0.0.0:9", "debug"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			var c Common
			c.Register(fs)
			addr := fs.String("addr", "127.0.0.1:8080", "")
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if err := ApplyEnv(fs, lookup); err != nil {
				t.Fatal(err)
			}
			if c.DataDir != tc.wantData || *addr != tc.wantAddr || c.LogLevel != tc.wantLevel {
				t.Fatalf("got data=%q addr=%q level=%q", c.DataDir, *addr, c.LogLevel)
			}
		})
	}
}

func TestBadEnvValueNamesTheVariable(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("coops", 120, "")
	err := ApplyEnv(fs, func(k string) (string, bool) { return "many", k == "COOPIMPACT_COOPS" })
	if err == nil || err.Error()[:16] != "COOPIMPACT_COOPS" {
		t.Fatalf("want error naming COOPIMPACT_COOPS, got %v", err)
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("log-format"); got != "COOPIMPACT_LOG_FORMAT" {
		t.Fatal(got)
	}
}
