package blob

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Layout of a Local folder. Objects live under dataDir, so a mirror of that
// tree is a plain copy of the bucket; the sidecars and temporary files live
// in trees no key can reach (every key is under dataDir).
const (
	dataDir = "data"  // data/<key>: the object bytes
	metaDir = ".meta" // .meta/<key>: JSON localMeta
	tmpDir  = ".tmp"  // temporary files, renamed into place on commit
)

// staleTempAge is how old a leftover temporary file must be before NewLocal
// removes it; younger ones may belong to another process still writing.
const staleTempAge = time.Hour

// Local is a Store in a folder. Writes are atomic (temporary file, fsync,
// rename); every access goes through an os.Root, so neither a crafted key
// nor a symlink inside the folder can reach a file outside it.
type Local struct {
	dir        string
	root       *os.Root
	signingKey []byte
	baseURL    string
	now        func() time.Time // replaced in tests

	// Striped per-key locks make the data and sidecar renames of one Put
	// appear as one step to Get/Stat of the same key.
	locks [64]sync.RWMutex
}

// localMeta is the sidecar of an object. Size and ModNano identify the data
// file it was written with: a crash between the two renames leaves a sidecar
// that no longer matches, which is then ignored rather than trusted.
type localMeta struct {
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ModNano     int64  `json:"mod_nano"`
}

var _ Store = (*Local)(nil)

// NewLocal opens (creating it if needed) a local store in dir. signingKey
// (at least 16 bytes) signs presigned URLs; baseURL is the portal's external
// address that PresignGet puts in front of "/blob/<key>" (may be empty for
// host-relative URLs).
func NewLocal(dir string, signingKey []byte, baseURL string) (*Local, error) {
	if len(signingKey) < 16 {
		return nil, newErr("open", "", ErrInvalidArgument, errors.New("signing key shorter than 16 bytes"))
	}
	if dir == "" {
		return nil, newErr("open", "", ErrInvalidArgument, errors.New("empty folder"))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, newErr("open", "", nil, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, newErr("open", "", nil, err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, newErr("open", "", nil, err)
	}
	for _, d := range []string{dataDir, metaDir, tmpDir} {
		if err := root.MkdirAll(d, 0o750); err != nil {
			root.Close()
			return nil, newErr("open", "", nil, err)
		}
	}
	l := &Local{
		dir:        abs,
		root:       root,
		signingKey: bytes.Clone(signingKey),
		baseURL:    strings.TrimRight(baseURL, "/"),
		now:        time.Now,
	}
	l.removeStaleTemps()
	return l, nil
}

// Close releases the folder handle.
func (l *Local) Close() error { return l.root.Close() }

// Dir is the absolute folder of the store.
func (l *Local) Dir() string { return l.dir }

// Name is "local".
func (l *Local) Name() string { return "local" }

func (l *Local) lock(key string) *sync.RWMutex {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &l.locks[h.Sum32()%uint32(len(l.locks))]
}

func dataPath(key string) string { return filepath.FromSlash(dataDir + "/" + key) }
func metaPath(key string) string { return filepath.FromSlash(metaDir + "/" + key) }

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := validateKey("put", key); err != nil {
		return err
	}
	ct, err := normalizeContentType(key, contentType)
	if err != nil {
		return err
	}
	if size < -1 {
		return newErr("put", key, ErrInvalidArgument, fmt.Errorf("size %d", size))
	}
	if err := ctx.Err(); err != nil {
		return newErr("put", key, nil, err)
	}

	tmpData, f, err := l.createTemp()
	if err != nil {
		return newErr("put", key, nil, err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = l.root.Remove(tmpData)
		}
	}()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	src := ctxReader{ctx, r}
	buf := make([]byte, 256<<10)
	var n int64
	if size >= 0 {
		n, err = io.CopyBuffer(w, io.LimitReader(src, size), buf)
		if err == nil && n < size {
			err = newErr("put", key, ErrSizeMismatch, fmt.Errorf("got %d of %d bytes", n, size))
		}
	} else {
		n, err = io.CopyBuffer(w, src, buf)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var be *Error
		if errors.As(err, &be) {
			return err
		}
		return newErr("put", key, nil, err)
	}
	fi, err := l.root.Stat(tmpData)
	if err != nil {
		return newErr("put", key, nil, err)
	}

	metaJSON, err := json.Marshal(localMeta{
		ContentType: ct,
		SHA256:      hex.EncodeToString(h.Sum(nil)),
		Size:        n,
		ModNano:     fi.ModTime().UnixNano(),
	})
	if err != nil {
		return newErr("put", key, nil, err)
	}
	tmpMeta, mf, err := l.createTemp()
	if err != nil {
		return newErr("put", key, nil, err)
	}
	defer func() {
		if !committed {
			_ = l.root.Remove(tmpMeta)
		}
	}()
	_, err = mf.Write(metaJSON)
	if err == nil {
		err = mf.Sync()
	}
	if cerr := mf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return newErr("put", key, nil, err)
	}

	mu := l.lock(key)
	mu.Lock()
	defer mu.Unlock()
	// Data first: if the sidecar rename then fails, the old sidecar no longer
	// matches the new data (size/mtime) and is ignored.
	if err := l.renameInto(tmpData, dataPath(key)); err != nil {
		return l.commitErr(key, err)
	}
	committed = true // the data file is in place; tmpMeta is handled below
	if err := l.renameInto(tmpMeta, metaPath(key)); err != nil {
		_ = l.root.Remove(tmpMeta)
		return l.commitErr(key, err)
	}
	l.syncDir(path.Dir(dataDir + "/" + key))
	l.syncDir(path.Dir(metaDir + "/" + key))
	return nil
}

func (l *Local) commitErr(key string, err error) error {
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR) ||
		errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENOTEMPTY) {
		return newErr("put", key, ErrKeyConflict, err)
	}
	return newErr("put", key, nil, err)
}

// renameInto moves a temporary file to dst, creating dst's folders. A
// concurrent Delete may prune a folder between MkdirAll and Rename, so a
// vanished folder is retried.
func (l *Local) renameInto(tmp, dst string) error {
	var err error
	for range 5 {
		if err = l.root.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		if err = l.root.Rename(tmp, dst); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return err
}

// syncDir makes a rename or removal in dir durable; failures are ignored
// because the data itself is already synced and some filesystems refuse it.
func (l *Local) syncDir(dir string) {
	d, err := l.root.Open(filepath.FromSlash(dir))
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}

func (l *Local) createTemp() (string, *os.File, error) {
	var b [12]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return "", nil, err
		}
		name := filepath.Join(tmpDir, hex.EncodeToString(b[:]))
		f, err := l.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o640)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, f, err
	}
}

func (l *Local) removeStaleTemps() {
	entries, err := fs.ReadDir(l.root.FS(), tmpDir)
	if err != nil {
		return
	}
	cutoff := l.now().Add(-staleTempAge)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			_ = l.root.Remove(filepath.Join(tmpDir, e.Name()))
		}
	}
}

// open returns the data file and its Info, read consistently with Put.
func (l *Local) open(op, key string) (*os.File, Info, error) {
	if err := validateKey(op, key); err != nil {
		return nil, Info{}, err
	}
	mu := l.lock(key)
	mu.RLock()
	defer mu.RUnlock()
	f, err := l.root.Open(dataPath(key))
	if err != nil {
		return nil, Info{}, l.mapOpenErr(op, key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, newErr(op, key, nil, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, newErr(op, key, ErrNotFound, nil) // a folder of other keys
	}
	return f, l.info(key, fi, true), nil
}

func (l *Local) mapOpenErr(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return newErr(op, key, ErrNotFound, nil)
	}
	return newErr(op, key, nil, err)
}

// info builds Info from the data file and, when it still matches, its
// sidecar; a file without a valid sidecar (copied in by hand, or a crash
// between renames) gets the default content type and a size/mtime ETag.
func (l *Local) info(key string, fi fs.FileInfo, withType bool) Info {
	in := Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime(), ContentType: DefaultContentType}
	var m localMeta
	b, err := l.root.ReadFile(metaPath(key))
	if err == nil && json.Unmarshal(b, &m) == nil && m.Size == fi.Size() && m.ModNano == fi.ModTime().UnixNano() {
		in.ContentType = m.ContentType
		in.ETag = m.SHA256
	} else {
		in.ETag = fmt.Sprintf("%x-%x", fi.ModTime().UnixNano(), fi.Size())
	}
	if !withType {
		in.ContentType = ""
	}
	return in
}

// Get implements Store.
func (l *Local) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, Info{}, newErr("get", key, nil, err)
	}
	f, info, err := l.open("get", key)
	if err != nil {
		return nil, Info{}, err
	}
	off, n, err := rng.resolve(key, info.Size)
	if err != nil {
		f.Close()
		return nil, Info{}, err
	}
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			f.Close()
			return nil, Info{}, newErr("get", key, nil, err)
		}
	}
	return readCloser{io.LimitReader(f, n), f}, info, nil
}

// Stat implements Store.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, newErr("stat", key, nil, err)
	}
	f, info, err := l.open("stat", key)
	if err != nil {
		return Info{}, err
	}
	f.Close()
	return info, nil
}

// List implements Store. Files whose names are not valid keys (dropped in by
// hand) and anything but regular files are skipped.
func (l *Local) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := validatePrefix(prefix); err != nil {
		return nil, err
	}
	// Walk only the deepest folder the prefix names whole.
	start := dataDir
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = dataDir + "/" + prefix[:i]
	}
	fsys := l.root.FS()
	var out []Info
	err := fs.WalkDir(fsys, start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
				return fs.SkipAll // nothing stored under the prefix
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		key := strings.TrimPrefix(p, dataDir+"/")
		if !strings.HasPrefix(key, prefix) || keyProblem(key) != "" {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // deleted during the walk
				return nil
			}
			return err
		}
		out = append(out, l.info(key, fi, false))
		return nil
	})
	if err != nil {
		return nil, newErr("list", prefix, nil, err)
	}
	// A folder walk is not key order: "a/b" comes before "a-c" there.
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Delete implements Store. Folders left empty are removed so that a later
// Put of a key equal to their name does not conflict.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := validateKey("delete", key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return newErr("delete", key, nil, err)
	}
	mu := l.lock(key)
	mu.Lock()
	defer mu.Unlock()
	fi, err := l.root.Lstat(dataPath(key))
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		_ = l.root.Remove(metaPath(key)) // an orphan sidecar, if any
		return nil
	case err != nil:
		return newErr("delete", key, nil, err)
	case fi.IsDir():
		return nil // a folder of other keys, not an object
	}
	if err := l.root.Remove(dataPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return newErr("delete", key, nil, err)
	}
	if err := l.root.Remove(metaPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return newErr("delete", key, nil, err)
	}
	for _, tree := range []string{dataDir, metaDir} {
		l.syncDir(path.Dir(tree + "/" + key))
		for dir := path.Dir(key); dir != "."; dir = path.Dir(dir) {
			if l.root.Remove(filepath.FromSlash(tree+"/"+dir)) != nil {
				break // not empty (or already gone): stop pruning
			}
		}
	}
	return nil
}

// Ping checks that the folder is there and writable.
func (l *Local) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return newErr("ping", "", nil, err)
	}
	if _, err := l.root.Stat(dataDir); err != nil {
		return newErr("ping", "", nil, err)
	}
	name, f, err := l.createTemp()
	if err != nil {
		return newErr("ping", "", nil, err)
	}
	f.Close()
	if err := l.root.Remove(name); err != nil {
		return newErr("ping", "", nil, err)
	}
	return nil
}

// PresignGet returns baseURL + "/blob/<key>?exp=<unix>&sig=<hex>", where sig
// is HMAC-SHA-256(signingKey, key + "|" + exp). Each key segment is
// URL-escaped and the slashes kept, so the request path decodes to the key.
// Serve such URLs with PresignedHandler.
func (l *Local) PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error) {
	if err := checkPresign(key, expiry); err != nil {
		return "", err
	}
	exp := l.now().Add(expiry).Unix()
	return l.baseURL + "/blob/" + escapeKey(key) +
		"?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + hex.EncodeToString(l.sign(key, exp)), nil
}

func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// sign is unambiguous without escaping: exp is the decimal digits after the
// last "|", so (key, exp) can be read back from the message.
func (l *Local) sign(key string, exp int64) []byte {
	m := hmac.New(sha256.New, l.signingKey)
	m.Write([]byte(key))
	m.Write([]byte{'|'})
	m.Write([]byte(strconv.FormatInt(exp, 10)))
	return m.Sum(nil)
}

// VerifyPresigned checks the exp and sig of a URL made by PresignGet for key:
// ErrPresignInvalid for a wrong or malformed signature (compared in constant
// time), ErrPresignExpired when now is past exp. The URL is valid up to and
// including the second exp.
func (l *Local) VerifyPresigned(key string, exp int64, sig string, now time.Time) error {
	if err := validateKey("verify", key); err != nil {
		return err
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, l.sign(key, exp)) {
		return newErr("verify", key, ErrPresignInvalid, nil)
	}
	if now.Unix() > exp {
		return newErr("verify", key, ErrPresignExpired, nil)
	}
	return nil
}

// PresignedHandler serves the URLs of PresignGet: GET and HEAD of
// "/blob/<key>?exp=…&sig=…" (mount it with http.StripPrefix if baseURL has
// a path), with Range and conditional requests. Any signature problem is
// 403, a missing object 404. Objects are served with a sandbox CSP because
// they share the portal's origin: an uploaded HTML or SVG file must not run
// script with the portal's cookies.
func (l *Local) PresignedHandler() http.Handler {
	return http.HandlerFunc(l.servePresigned)
}

func (l *Local) servePresigned(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, "/blob/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	now := l.now()
	if err != nil || l.VerifyPresigned(key, exp, q.Get("sig"), now) != nil {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}
	f, info, err := l.open("get", key)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	h.Set("ETag", strconv.Quote(info.ETag))
	h.Set("Cache-Control", "private, max-age="+strconv.FormatInt(max(exp-now.Unix(), 0), 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	http.ServeContent(w, r, "", info.ModTime, f)
}
