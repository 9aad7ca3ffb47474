package blob_test

import (
	"errors"
	"strings"
	"testing"

	"coopimpact/internal/blob"
)

func TestValidateKey(t *testing.T) {
	for _, tc := range []struct {
		key   string
		valid bool
	}{
		{"a", true},
		{"raw/ab/abcdef.csv", true},
		{"x/.hidden", true},
		{"...", true},
		{"a..b/c", true},
		{"città/è perché.txt", true},
		{"a b/c+d=e?f#g%h", true},
		{strings.Repeat("k", 255), true},
		{strings.Repeat("k/", 511) + "kk", true}, // exactly 1024 bytes
		{"", false},
		{"/a", false},
		{"/", false},
		{"a/", false},
		{"a//b", false},
		{".", false},
		{"..", false},
		{"../a", false},
		{"a/..", false},
		{"a/../b", false},
		{"a/./b", false},
		{`a\b`, false},
		{"a\x00b", false},
		{"a\tb", false},
		{"a\x7fb", false},
		{"\xff", false},
		{strings.Repeat("k", 256), false},
		{strings.Repeat("k/", 512) + "k", false}, // 1025 bytes
	} {
		err := blob.ValidateKey(tc.key)
		if (err == nil) != tc.valid {
			t.Errorf("ValidateKey(%.30q) = %v, want valid=%v", tc.key, err, tc.valid)
		}
		if err != nil && !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("ValidateKey(%.30q) = %v, not ErrInvalidKey", tc.key, err)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	err := blob.ValidateKey("a/../b")
	if got, want := err.Error(), `blob: validate "a/../b": invalid object key: contains a . or .. segment`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var be *blob.Error
	if !errors.As(err, &be) || be.Key != "a/../b" || be.Op != "validate" {
		t.Errorf("errors.As *blob.Error: %+v", be)
	}
	cause := errors.New("disk on fire")
	err = &blob.Error{Op: "get", Key: "k", Kind: blob.ErrNotFound, Err: cause}
	if got, want := err.Error(), `blob: get "k": object not found: disk on fire`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, blob.ErrNotFound) || !errors.Is(err, cause) || errors.Is(err, blob.ErrInvalidKey) {
		t.Error("errors.Is must see the kind and the cause, and nothing else")
	}
	long := &blob.Error{Op: "put", Key: strings.Repeat("x", 1000), Kind: blob.ErrInvalidKey}
	if n := len(long.Error()); n > 200 {
		t.Errorf("message of %d bytes for a long key; want it truncated", n)
	}
}

func TestS3ConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		want   blob.S3Config
		ok     bool
		badSSL bool
	}{
		{name: "unset", env: map[string]string{}, ok: false},
		{
			name: "full",
			env: map[string]string{
				"COOPIMPACT_S3_ENDPOINT":   "minio.local:9000",
				"COOPIMPACT_S3_ACCESS_KEY": "ak",
				"COOPIMPACT_S3_SECRET_KEY": "sk",
				"COOPIMPACT_S3_BUCKET":     "coop",
				"COOPIMPACT_S3_USE_SSL":    "true",
				"COOPIMPACT_S3_REGION":     "eu-south-1",
			},
			want: blob.S3Config{Endpoint: "minio.local:9000", AccessKey: "ak", SecretKey: "sk", Bucket: "coop", UseSSL: true, Region: "eu-south-1"},
			ok:   true,
		},
		{
			name: "ssl 0",
			env:  map[string]string{"COOPIMPACT_S3_ENDPOINT": "h:1", "COOPIMPACT_S3_USE_SSL": "0"},
			want: blob.S3Config{Endpoint: "h:1"},
			ok:   true,
		},
		{
			name:   "ssl malformed",
			env:    map[string]string{"COOPIMPACT_S3_ENDPOINT": "h:1", "COOPIMPACT_S3_BUCKET": "b", "COOPIMPACT_S3_USE_SSL": "yes please"},
			ok:     true,
			badSSL: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"ENDPOINT", "ACCESS_KEY", "SECRET_KEY", "BUCKET", "USE_SSL", "REGION"} {
				t.Setenv("COOPIMPACT_S3_"+k, tc.env["COOPIMPACT_S3_"+k])
			}
			got, ok := blob.S3ConfigFromEnv()
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if tc.badSSL {
				// Refused before any network access.
				_, err := blob.NewS3(t.Context(), got)
				if !errors.Is(err, blob.ErrInvalidArgument) || !strings.Contains(err.Error(), "COOPIMPACT_S3_USE_SSL") {
					t.Errorf("NewS3 with a malformed USE_SSL: %v", err)
				}
				return
			}
			if got != tc.want {
				t.Errorf("config %+v, want %+v", got, tc.want)
			}
		})
	}
}
