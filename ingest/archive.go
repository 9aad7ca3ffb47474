package ingest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Raw uploads carry codici fiscali, so the archived copy is encrypted at rest
// with AES-256-GCM. GCM needs the whole message in memory, so the file is cut
// into 1 MiB segments, each sealed with its own nonce (a random prefix, the
// segment counter and a last-segment flag): reordering, dropping or truncating
// segments all fail authentication, and memory stays flat for any file size.
//
// Layout: "CIA1" | 7-byte nonce prefix | segments, each: 4-byte big-endian
// ciphertext length | ciphertext (plaintext ≤ 1 MiB + 16-byte tag).

const (
	archiveMagic   = "CIA1"
	segmentSize    = 1 << 20
	noncePrefixLen = 7
)

// ErrArchiveDamaged means an archived file fails authentication.
var ErrArchiveDamaged = errors.New("the archived file is damaged or was encrypted with another installation's key")

func archiveNonce(prefix []byte, counter uint32, last bool) []byte {
	n := make([]byte, 12)
	copy(n, prefix)
	binary.BigEndian.PutUint32(n[7:11], counter)
	if last {
		n[11] = 1
	}
	return n
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealArchive encrypts src into dst.
func sealArchive(dst io.Writer, src io.Reader, key []byte) error {
	aead, err := newGCM(key)
	if err != nil {
		return err
	}
	prefix := make([]byte, noncePrefixLen)
	if _, err := rand.Read(prefix); err != nil {
		return err
	}
	if _, err := io.WriteString(dst, archiveMagic); err != nil {
		return err
	}
	if _, err := dst.Write(prefix); err != nil {
		return err
	}
	// Read one segment ahead so the last one is known when it is sealed.
	cur := make([]byte, segmentSize)
	next := make([]byte, segmentSize)
	n, err := io.ReadFull(src, cur)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	var out []byte
	for counter := uint32(0); ; counter++ {
		m, nerr := io.ReadFull(src, next)
		if nerr != nil && nerr != io.ErrUnexpectedEOF && nerr != io.EOF {
			return nerr
		}
		last := m == 0
		out = aead.Seal(out[:0], archiveNonce(prefix, counter, last), cur[:n], nil)
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], uint32(len(out)))
		if _, err := dst.Write(hdr[:]); err != nil {
			return err
		}
		if _, err := dst.Write(out); err != nil {
			return err
		}
		if last {
			return nil
		}
		cur, next, n = next, cur, m
		if counter == ^uint32(0) {
			return fmt.Errorf("file too large to archive")
		}
	}
}

// openArchive decrypts src into dst, failing on any tampering.
func openArchive(dst io.Writer, src io.Reader, key []byte) error {
	aead, err := newGCM(key)
	if err != nil {
		return err
	}
	head := make([]byte, len(archiveMagic)+noncePrefixLen)
	if _, err := io.ReadFull(src, head); err != nil || string(head[:4]) != archiveMagic {
		return ErrArchiveDamaged
	}
	prefix := head[4:]
	// Like the sealer, look one segment ahead to know which one is last.
	readSeg := func() ([]byte, error) {
		var hdr [4]byte
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			return nil, err
		}
		l := binary.BigEndian.Uint32(hdr[:])
		if l > segmentSize+uint32(aead.Overhead()) {
			return nil, ErrArchiveDamaged
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(src, b); err != nil {
			return nil, ErrArchiveDamaged
		}
		return b, nil
	}
	cur, err := readSeg()
	if err != nil {
		return ErrArchiveDamaged
	}
	for counter := uint32(0); ; counter++ {
		next, nerr := readSeg()
		last := nerr == io.EOF
		if nerr != nil && !last {
			return ErrArchiveDamaged
		}
		plain, err := aead.Open(nil, archiveNonce(prefix, counter, last), cur, nil)
		if err != nil {
			return ErrArchiveDamaged
		}
		if _, err := dst.Write(plain); err != nil {
			return err
		}
		if last {
			return nil
		}
		cur = next
	}
}
