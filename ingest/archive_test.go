package ingest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand"
	"testing"
)

func TestArchiveRoundTripAndTamper(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	for _, size := range []int{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 3*segmentSize + 5} {
		plain := make([]byte, size)
		rand.New(rand.NewSource(int64(size))).Read(plain)
		var sealed bytes.Buffer
		if err := sealArchive(&sealed, bytes.NewReader(plain), key); err != nil {
			t.Fatal(err)
		}
		if size > 100 && bytes.Contains(sealed.Bytes(), plain[:64]) {
			t.Fatalf("size %d: plaintext visible in the archive", size)
		}
		var back bytes.Buffer
		if err := openArchive(&back, bytes.NewReader(sealed.Bytes()), key); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if sha256.Sum256(back.Bytes()) != sha256.Sum256(plain) {
			t.Fatalf("size %d: round trip differs", size)
		}
		b := sealed.Bytes()
		// Truncation at a segment boundary must be detected (last flag).
		if size > segmentSize {
			cut := 4 + noncePrefixLen + 4 + segmentSize + 16
			if err := openArchive(&bytes.Buffer{}, bytes.NewReader(b[:cut]), key); !errors.Is(err, ErrArchiveDamaged) {
				t.Fatalf("size %d: truncated archive opened: %v", size, err)
			}
		}
		flipped := append([]byte(nil), b...)
		flipped[len(flipped)-1] ^= 1
		if err := openArchive(&bytes.Buffer{}, bytes.NewReader(flipped), key); !errors.Is(err, ErrArchiveDamaged) {
			t.Fatalf("size %d: flipped bit not detected: %v", size, err)
		}
		if err := openArchive(&bytes.Buffer{}, bytes.NewReader(b), bytes.Repeat([]byte{8}, 32)); !errors.Is(err, ErrArchiveDamaged) {
			t.Fatalf("size %d: wrong key opened the archive", size)
		}
	}
}
