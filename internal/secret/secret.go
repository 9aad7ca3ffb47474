// Package secret keeps the installation secret: 32 random bytes created on
// first run in the data folder (mode 0600). Every key the platform needs is
// derived from it with a distinct label, so one file backs up all of them.
package secret

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Keys are the derived keys, one per purpose.
type Keys struct {
	Pseudonym  []byte // HMAC-SHA-256 of personal identifiers
	Encryption []byte // AES-256-GCM of raw uploads at rest
	Signing    []byte // presigned URLs of the local object store, reset links
}

// LoadOrCreate reads the secret at path, creating it when absent.
// A secret readable by others is refused: it protects codici fiscali.
func LoadOrCreate(path string) (Keys, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return Keys{}, err
		}
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return Keys{}, err
		}
		enc := []byte(hex.EncodeToString(raw) + "\n")
		// O_EXCL: two processes starting at once must not write two secrets.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.Write(enc)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return Keys{}, err
			}
			return derive(raw), nil
		}
		if !errors.Is(err, os.ErrExist) {
			return Keys{}, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return Keys{}, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return Keys{}, fmt.Errorf("the installation secret %s is readable by other users (mode %o): run chmod 600 on it", path, fi.Mode().Perm())
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != 32 {
		return Keys{}, fmt.Errorf("the installation secret %s is damaged: restore it from a backup (without it pseudonyms and archived files cannot be matched)", path)
	}
	return derive(raw), nil
}

func derive(master []byte) Keys {
	d := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte("coopimpact/" + label))
		return m.Sum(nil)
	}
	return Keys{Pseudonym: d("pseudonym"), Encryption: d("encryption"), Signing: d("signing")}
}
