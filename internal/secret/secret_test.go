package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreatedOnceWithMode0600AndStable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d", "secret.key")
	k1, err := LoadOrCreate(p)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, err %v", fi.Mode().Perm(), err)
	}
	k2, err := LoadOrCreate(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.Pseudonym, k2.Pseudonym) || !bytes.Equal(k1.Encryption, k2.Encryption) {
		t.Fatal("keys changed between loads")
	}
	if bytes.Equal(k1.Pseudonym, k1.Encryption) || bytes.Equal(k1.Signing, k1.Encryption) || len(k1.Encryption) != 32 {
		t.Fatal("derived keys must be distinct 32-byte keys")
	}
}

func TestRefusesWorldReadableAndDamaged(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.key")
	if _, err := LoadOrCreate(p); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	if _, err := LoadOrCreate(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("want refusal, got %v", err)
	}
	os.Chmod(p, 0o600)
	os.WriteFile(p, []byte("zz\n"), 0o600)
	if _, err := LoadOrCreate(p); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("want damaged, got %v", err)
	}
}
