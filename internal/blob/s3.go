package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is how to reach an S3 service.
type S3Config struct {
	// Endpoint is host[:port], or a URL "http(s)://host[:port]" whose scheme
	// then overrides UseSSL.
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	UseSSL    bool
	Region    string // empty: the server's default (us-east-1 on MinIO)
	// PublicEndpoint, when set, is where browsers reach the service (host[:port]
	// or http(s)://host[:port]): presigned URLs are signed for it, since the
	// host is part of the signature. Empty: the Endpoint the server uses.
	PublicEndpoint string

	envErr error // a malformed variable seen by S3ConfigFromEnv, reported by NewS3
}

// S3ConfigFromEnv reads COOPIMPACT_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY,
// _BUCKET, _USE_SSL (a Go boolean: true/false/1/0), _REGION and _PUBLIC_ENDPOINT. ok is false
// when the endpoint is empty, meaning "use the local store". A malformed
// _USE_SSL is not silently read as false: NewS3 refuses the config.
func S3ConfigFromEnv() (cfg S3Config, ok bool) {
	cfg = S3Config{
		Endpoint:  os.Getenv("COOPIMPACT_S3_ENDPOINT"),
		AccessKey: os.Getenv("COOPIMPACT_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("COOPIMPACT_S3_SECRET_KEY"),
		Bucket:    os.Getenv("COOPIMPACT_S3_BUCKET"),
		Region:    os.Getenv("COOPIMPACT_S3_REGION"),

		PublicEndpoint: os.Getenv("COOPIMPACT_S3_PUBLIC_ENDPOINT"),
	}
	if v := strings.TrimSpace(os.Getenv("COOPIMPACT_S3_USE_SSL")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			cfg.envErr = fmt.Errorf("COOPIMPACT_S3_USE_SSL=%q: not a boolean", v)
		}
		cfg.UseSSL = b
	}
	return cfg, cfg.Endpoint != ""
}

// unknownSizePartSize bounds the memory of a Put with size -1: minio-go
// buffers one part, and would otherwise pick ~512 MiB parts. 16 MiB parts
// allow objects up to ~156 GiB (10 000 parts).
const unknownSizePartSize = 16 << 20

// S3 is a Store in one bucket of an S3 service.
type S3 struct {
	client    *minio.Client
	presigner *minio.Client // signs for the public endpoint; never dials
	bucket    string
}

var _ Store = (*S3)(nil)

// NewS3 connects to the service and creates the bucket when it is missing.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.envErr != nil {
		return nil, newErr("open", "", ErrInvalidArgument, cfg.envErr)
	}
	if cfg.Bucket == "" {
		return nil, newErr("open", "", ErrInvalidArgument, errors.New("empty bucket name"))
	}
	client, err := s3Client(cfg, cfg.Endpoint, cfg.Region)
	if err != nil {
		return nil, err
	}
	s := &S3{client: client, presigner: client, bucket: cfg.Bucket}
	if cfg.PublicEndpoint != "" {
		// A fixed region spares the presigner the bucket-location request,
		// which it could not make: the public address may not route from here.
		region := cfg.Region
		if region == "" {
			region = "us-east-1"
		}
		if s.presigner, err = s3Client(cfg, cfg.PublicEndpoint, region); err != nil {
			return nil, err
		}
	}
	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, newErr("open", "", nil, fmt.Errorf("bucket %q: %w", cfg.Bucket, err))
	}
	if !exists {
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region})
		if err != nil && s3Code(err) != minio.BucketAlreadyOwnedByYou { // created meanwhile by another process
			return nil, newErr("open", "", nil, fmt.Errorf("creating bucket %q: %w", cfg.Bucket, err))
		}
	}
	return s, nil
}

// s3Client is a client for endpoint (host[:port], or a URL whose scheme
// then overrides UseSSL).
func s3Client(cfg S3Config, endpoint, region string) (*minio.Client, error) {
	host, secure := endpoint, cfg.UseSSL
	if strings.Contains(host, "://") {
		u, err := url.Parse(host)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return nil, newErr("open", "", ErrInvalidArgument, fmt.Errorf("endpoint %q: want host:port or http(s)://host:port", endpoint))
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: region,
	})
	if err != nil {
		return nil, newErr("open", "", ErrInvalidArgument, err)
	}
	return client, nil
}

// Name is "s3".
func (s *S3) Name() string { return "s3" }

// Bucket is the bucket the store uses.
func (s *S3) Bucket() string { return s.bucket }

func s3Code(err error) string {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		return er.Code
	}
	return ""
}

// mapErr attaches the kind callers switch on to a minio-go error.
func (s *S3) mapErr(op, key string, err error) error {
	var kind error
	switch s3Code(err) {
	case minio.NoSuchKey:
		kind = ErrNotFound
	case minio.InvalidRange:
		kind = ErrInvalidRange
	}
	return newErr(op, key, kind, err)
}

// shortReader notices a body that ends before its declared size, so a
// failed upload is reported as ErrSizeMismatch whatever minio-go says.
type shortReader struct {
	r     io.Reader
	left  int64
	short bool
}

func (s *shortReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if err == io.EOF && s.left > 0 {
		s.short = true
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
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
	opts := minio.PutObjectOptions{ContentType: ct}
	body := r
	var sr *shortReader
	if size < 0 {
		opts.PartSize = unknownSizePartSize
	} else {
		sr = &shortReader{r: r, left: size}
		body = sr
	}
	if _, err := s.client.PutObject(ctx, s.bucket, key, body, size, opts); err != nil {
		if sr != nil && sr.short {
			return newErr("put", key, ErrSizeMismatch, err)
		}
		return s.mapErr("put", key, err)
	}
	return nil
}

func infoFromS3(key string, oi minio.ObjectInfo) Info {
	return Info{Key: key, Size: oi.Size, ContentType: oi.ContentType, ModTime: oi.LastModified, ETag: oi.ETag}
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := validateKey("stat", key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.mapErr("stat", key, err)
	}
	return infoFromS3(key, oi), nil
}

// Get implements Store with a single GET, so the bytes and the Info always
// belong to the same version even while the key is being overwritten. The
// full size of a ranged read comes from Content-Range.
func (s *S3) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	if err := validateKey("get", key); err != nil {
		return nil, Info{}, err
	}
	if rng != nil && rng.Offset < 0 {
		return nil, Info{}, newErr("get", key, ErrInvalidRange, fmt.Errorf("offset %d", rng.Offset))
	}
	if rng != nil && rng.Length == 0 {
		// No HTTP range is empty: only check that the offset is inside.
		return s.emptyRead(ctx, key, rng)
	}
	var opts minio.GetObjectOptions
	var off int64
	if rng != nil && (rng.Offset > 0 || rng.Length > 0) {
		off = rng.Offset
		end := int64(0) // with off > 0, SetRange reads end 0 as "to the end"
		if rng.Length > 0 && rng.Length <= math.MaxInt64-off {
			end = off + rng.Length - 1
		}
		if err := opts.SetRange(off, end); err != nil {
			return nil, Info{}, newErr("get", key, ErrInvalidRange, err)
		}
	}
	body, oi, hdr, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		if s3Code(err) == minio.InvalidRange {
			// Offset at or past the end (or an empty object): S3 says 416
			// for both; at the end is an empty read for this package.
			return s.emptyRead(ctx, key, rng)
		}
		return nil, Info{}, s.mapErr("get", key, err)
	}
	info := infoFromS3(key, oi)
	cr := hdr.Get("Content-Range")
	if opts.Header().Get("Range") == "" || cr == "" {
		// Whole object, or a server that ignored Range: cut it here.
		if rng == nil {
			return body, info, nil
		}
		rc, err := cutRange(key, body, info.Size, rng)
		return rc, info, err
	}
	total, err := contentRangeTotal(cr)
	if err != nil {
		body.Close()
		return nil, Info{}, newErr("get", key, nil, err)
	}
	info.Size = total
	return body, info, nil
}

// emptyRead answers a read that selects no bytes, after checking with Stat
// that the key exists and the offset is inside the object.
func (s *S3) emptyRead(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		var be *Error
		if errors.As(err, &be) {
			be.Op = "get"
		}
		return nil, Info{}, err
	}
	off, n, err := rng.resolve(key, info.Size)
	if err != nil {
		return nil, Info{}, err
	}
	if n != 0 { // the object grew between the two requests: read it afresh
		return s.Get(ctx, key, &Range{Offset: off, Length: n})
	}
	return io.NopCloser(strings.NewReader("")), info, nil
}

// cutRange applies rng to a full-object body.
func cutRange(key string, body io.ReadCloser, size int64, rng *Range) (io.ReadCloser, error) {
	off, n, err := rng.resolve(key, size)
	if err == nil {
		_, err = io.CopyN(io.Discard, body, off)
	}
	if err != nil {
		body.Close()
		var be *Error
		if errors.As(err, &be) {
			return nil, err
		}
		return nil, newErr("get", key, nil, err)
	}
	return readCloser{io.LimitReader(body, n), body}, nil
}

// contentRangeTotal reads the full size from "bytes 5-8/20".
func contentRangeTotal(cr string) (int64, error) {
	i := strings.LastIndexByte(cr, '/')
	if i < 0 {
		return 0, fmt.Errorf("malformed Content-Range %q", cr)
	}
	total, err := strconv.ParseInt(cr[i+1:], 10, 64)
	if err != nil || total < 0 {
		return 0, fmt.Errorf("malformed Content-Range %q", cr)
	}
	return total, nil
}

// List implements Store. Keys that are not valid keys (written by other
// tools, such as "folder/" markers) are skipped: they could not be read
// through this package anyway.
func (s *S3) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := validatePrefix(prefix); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's lister if we return early
	var out []Info
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if oi.Err != nil {
			return nil, s.mapErr("list", prefix, oi.Err)
		}
		if keyProblem(oi.Key) != "" {
			continue
		}
		in := infoFromS3(oi.Key, oi)
		in.ContentType = "" // not part of a listing; same as Local
		out = append(out, in)
	}
	if err := ctx.Err(); err != nil {
		return nil, newErr("list", prefix, nil, err)
	}
	// S3 promises UTF-8 binary order; sorting keeps the promise for
	// services that do not.
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := validateKey("delete", key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if s3Code(err) == minio.NoSuchKey {
			return nil
		}
		return s.mapErr("delete", key, err)
	}
	return nil
}

// PresignGet implements Store with a SigV4 query-signed URL on the public
// endpoint (or the configured one); the browser fetches it directly from the service.
func (s *S3) PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error) {
	if err := checkPresign(key, expiry); err != nil {
		return "", err
	}
	u, err := s.presigner.PresignedGetObject(ctx, s.bucket, key, expiry, nil)
	if err != nil {
		return "", s.mapErr("presign", key, err)
	}
	return u.String(), nil
}

// Ping checks that the service answers and the bucket exists.
func (s *S3) Ping(ctx context.Context) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return newErr("ping", "", nil, err)
	}
	if !exists {
		return newErr("ping", "", nil, fmt.Errorf("bucket %q does not exist", s.bucket))
	}
	return nil
}
