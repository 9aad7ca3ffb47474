// Package blob is coopimpact's object storage: raw uploads, course packages
// and media, certificates and backups. One interface, Store, has two
// implementations: Local (a folder under the data directory, the default) and
// S3 (MinIO or any S3 service through minio-go). Both pass the same contract
// suite in package blobtest, so callers never need to know which one runs.
//
// Keys are slash-separated relative paths ("raw/ab/abcd….csv"); ValidateKey
// states the rules. They are checked by every method of both stores so a key
// that works on one works on the other, and none can leave the local folder.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string // empty in List results: call Stat when it matters
	ModTime     time.Time
	ETag        string // opaque; changes when the content changes
}

// Range selects bytes [Offset, Offset+Length) of an object. Length < 0 means
// "to the end"; a Length running past the end is clipped. Offset must be in
// [0, size]; Offset == size yields an empty body.
type Range struct {
	Offset, Length int64
}

// Store is object storage as the rest of coopimpact sees it.
type Store interface {
	// Put stores exactly size bytes read from r under key, replacing any
	// previous object atomically: readers see the old or the new object,
	// never a mix. size -1 means unknown (read r to EOF). A reader ending
	// before size bytes is ErrSizeMismatch and nothing is stored. An empty
	// contentType is stored as application/octet-stream.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the object, or the part of it rng selects (nil = whole).
	// Info describes the whole object (Size is the full size).
	Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error)
	// Stat describes the object without reading it.
	Stat(ctx context.Context, key string) (Info, error)
	// List returns every object whose key starts with prefix (a plain string
	// prefix, not only whole folders), recursively, sorted by key.
	List(ctx context.Context, prefix string) ([]Info, error)
	// Delete removes the object; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// PresignGet returns a URL that lets a plain HTTP GET (with Range
	// requests) read the object until expiry, without credentials.
	// expiry must be in (0, MaxPresignExpiry].
	PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error)
	// Ping reports whether the store is usable right now (for /readyz).
	Ping(ctx context.Context) error
	// Name is "local" or "s3".
	Name() string
}

// Sentinel errors; every error the stores return for these conditions wraps
// one of them (errors.Is works) inside an *Error naming the operation and key.
var (
	ErrNotFound        = errors.New("object not found")
	ErrInvalidKey      = errors.New("invalid object key")
	ErrInvalidRange    = errors.New("byte range outside the object")
	ErrInvalidArgument = errors.New("invalid argument")
	ErrSizeMismatch    = errors.New("body shorter than the declared size")
	// ErrKeyConflict is returned by Local only: a folder cannot be a file, so
	// "a" and "a/b" cannot both exist there (S3 allows it).
	ErrKeyConflict = errors.New("key conflicts with an existing key (one is a folder of the other)")
	// ErrPresignInvalid and ErrPresignExpired come from Local.VerifyPresigned.
	ErrPresignInvalid = errors.New("presigned URL signature invalid")
	ErrPresignExpired = errors.New("presigned URL expired")
)

// Error is the error type of this package: the failed operation, the key, the
// kind (one of the sentinels, or nil for an I/O or server failure) and the
// underlying cause.
type Error struct {
	Op   string // "put", "get", "stat", "list", "delete", "presign", "verify", "ping", …
	Key  string // key or prefix; empty when none applies
	Kind error  // sentinel, or nil
	Err  error  // cause or detail, or nil
}

// Error renders as: blob: <op> "<key>": <kind>: <cause>.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("blob: ")
	b.WriteString(e.Op)
	if e.Key != "" {
		k := e.Key
		if len(k) > 120 { // a 1 MB key must not make a 1 MB log line
			k = k[:120] + "…"
		}
		b.WriteString(" ")
		b.WriteString(strconv.Quote(k))
	}
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes both the kind and the cause to errors.Is / errors.As.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func newErr(op, key string, kind, cause error) error {
	return &Error{Op: op, Key: key, Kind: kind, Err: cause}
}

// MaxKeyLen is the longest key accepted, in bytes (S3's own limit).
const MaxKeyLen = 1024

// MaxSegmentLen is the longest path segment accepted, in bytes: the common
// file-name limit, applied to S3 too so every key fits both stores.
const MaxSegmentLen = 255

// MaxPresignExpiry is the longest validity of a presigned URL (S3's limit).
const MaxPresignExpiry = 7 * 24 * time.Hour

// DefaultContentType is stored when Put gets an empty content type.
const DefaultContentType = "application/octet-stream"

// ValidateKey reports whether key is a valid object key: a non-empty,
// relative, slash-separated UTF-8 path of at most MaxKeyLen bytes, whose
// segments are non-empty, at most MaxSegmentLen bytes, not "." or "..",
// without backslash, NUL or other control characters. The error wraps
// ErrInvalidKey.
func ValidateKey(key string) error {
	return validateKey("validate", key)
}

func validateKey(op, key string) error {
	if reason := keyProblem(key); reason != "" {
		return newErr(op, key, ErrInvalidKey, errors.New(reason))
	}
	return nil
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLen:
		return fmt.Sprintf("longer than %d bytes", MaxKeyLen)
	case !utf8.ValidString(key):
		return "not valid UTF-8"
	case key[0] == '/':
		return "absolute (leading /)"
	case strings.ContainsRune(key, '\\'):
		return "contains a backslash"
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return "empty path segment (// or trailing /)"
		case seg == "." || seg == "..":
			return "contains a . or .. segment"
		case len(seg) > MaxSegmentLen:
			return fmt.Sprintf("path segment longer than %d bytes", MaxSegmentLen)
		}
	}
	return ""
}

// validatePrefix accepts "" (everything) or a prefix that is a valid key once
// one trailing slash is removed, so List cannot be pointed outside the store.
func validatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if reason := keyProblem(strings.TrimSuffix(prefix, "/")); reason != "" {
		return newErr("list", prefix, ErrInvalidKey, errors.New(reason))
	}
	return nil
}

// normalizeContentType defaults an empty type and refuses one that would not
// survive an HTTP header, so both stores accept the same values.
func normalizeContentType(key, ct string) (string, error) {
	if ct == "" {
		return DefaultContentType, nil
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		return "", newErr("put", key, ErrInvalidArgument, fmt.Errorf("content type %q: %v", ct, err))
	}
	return ct, nil
}

// checkPresign checks PresignGet's arguments, the same for every Store:
// the key first, then the expiry.
func checkPresign(key string, expiry time.Duration) error {
	if err := validateKey("presign", key); err != nil {
		return err
	}
	if expiry <= 0 || expiry > MaxPresignExpiry {
		return newErr("presign", key, ErrInvalidArgument, fmt.Errorf("expiry %s not in (0, %s]", expiry, MaxPresignExpiry))
	}
	return nil
}

// resolve turns an optional range into an offset and a length within size.
func (r *Range) resolve(key string, size int64) (off, n int64, err error) {
	if r == nil {
		return 0, size, nil
	}
	if r.Offset < 0 || r.Offset > size {
		return 0, 0, newErr("get", key, ErrInvalidRange, fmt.Errorf("offset %d, size %d", r.Offset, size))
	}
	n = size - r.Offset
	if r.Length >= 0 && r.Length < n {
		n = r.Length
	}
	return r.Offset, n, nil
}

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readCloser joins a (limited) reader with the closer of what it reads.
type readCloser struct {
	io.Reader
	io.Closer
}
