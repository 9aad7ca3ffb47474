package blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"coopimpact/internal/blob"
	"coopimpact/internal/blob/blobtest"
	"coopimpact/internal/testsupport"
)

var bucketSeq atomic.Int64

// freshBucket names a bucket no other test uses.
func freshBucket(t *testing.T) string {
	t.Helper()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "t" + hex.EncodeToString(b[:]) + "-" + strconv.FormatInt(bucketSeq.Add(1), 10)
}

func s3Config(m *testsupport.MinIO, bucket string) blob.S3Config {
	return blob.S3Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: bucket}
}

// rawClient talks to the server behind the store's back.
func rawClient(t *testing.T, m *testsupport.MinIO) *minio.Client {
	t.Helper()
	c, err := minio.New(m.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestS3 shares one MinIO server among its subtests; every store gets its
// own bucket.
func TestS3(t *testing.T) {
	m := testsupport.StartMinIO(t)
	ctx := context.Background()
	newStore := func(t *testing.T) *blob.S3 {
		t.Helper()
		s, err := blob.NewS3(ctx, s3Config(m, freshBucket(t)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("Contract", func(t *testing.T) {
		blobtest.RunContract(t, func(t *testing.T) blob.Store { return newStore(t) })
	})

	t.Run("NewS3CreatesBucketOnce", func(t *testing.T) {
		bucket := freshBucket(t)
		raw := rawClient(t, m)
		if ok, err := raw.BucketExists(ctx, bucket); err != nil || ok {
			t.Fatalf("bucket exists before NewS3: %v %v", ok, err)
		}
		s, err := blob.NewS3(ctx, s3Config(m, bucket))
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := raw.BucketExists(ctx, bucket); err != nil || !ok {
			t.Fatalf("bucket missing after NewS3: %v %v", ok, err)
		}
		if s.Name() != "s3" || s.Bucket() != bucket {
			t.Errorf("Name %q Bucket %q", s.Name(), s.Bucket())
		}
		if err := s.Put(ctx, "keep", strings.NewReader("kept"), 4, ""); err != nil {
			t.Fatal(err)
		}
		// Opening an existing bucket keeps its content.
		s2, err := blob.NewS3(ctx, s3Config(m, bucket))
		if err != nil {
			t.Fatalf("NewS3 on an existing bucket: %v", err)
		}
		if info, err := s2.Stat(ctx, "keep"); err != nil || info.Size != 4 {
			t.Errorf("Stat after reopening: %+v %v", info, err)
		}
	})

	t.Run("EndpointForms", func(t *testing.T) {
		cfg := s3Config(m, freshBucket(t))
		cfg.Endpoint = "http://" + m.Endpoint
		s, err := blob.NewS3(ctx, cfg)
		if err != nil {
			t.Fatalf("http:// endpoint: %v", err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Error(err)
		}
		for _, ep := range []string{"ftp://" + m.Endpoint, "http://" + m.Endpoint + "/path", "http://"} {
			cfg.Endpoint = ep
			if _, err := blob.NewS3(ctx, cfg); !errors.Is(err, blob.ErrInvalidArgument) {
				t.Errorf("endpoint %q: %v, want ErrInvalidArgument", ep, err)
			}
		}
		cfg = s3Config(m, "")
		if _, err := blob.NewS3(ctx, cfg); !errors.Is(err, blob.ErrInvalidArgument) {
			t.Errorf("empty bucket: %v, want ErrInvalidArgument", err)
		}
	})

	// Behind a proxy or in a container the browser reaches the service at
	// another address: the URL is signed for that one and works there.
	t.Run("PresignForThePublicEndpoint", func(t *testing.T) {
		_, port, err := net.SplitHostPort(m.Endpoint)
		if err != nil {
			t.Fatal(err)
		}
		cfg := s3Config(m, freshBucket(t))
		cfg.PublicEndpoint = "http://localhost:" + port
		s, err := blob.NewS3(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		body := []byte("WEBVTT\n\n00:00.000 --> 00:01.000\nciao\n")
		if err := s.Put(ctx, "courses/c1/v1/sub.vtt", bytes.NewReader(body), int64(len(body)), "text/vtt"); err != nil {
			t.Fatal(err)
		}
		raw, err := s.PresignGet(ctx, "courses/c1/v1/sub.vtt", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host != "localhost:"+port {
			t.Fatalf("presigned URL %q: host %q, want localhost:%s", raw, u.Host, port)
		}
		res, err := http.Get(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(got, body) {
			t.Fatalf("GET %s: %d %q", raw, res.StatusCode, got)
		}
		// Without a public endpoint the URL names the server's own.
		plain, err := newStore(t).PresignGet(ctx, "x", time.Minute)
		if err != nil || !strings.Contains(plain, "//"+m.Endpoint+"/") {
			t.Fatalf("default presign: %q %v", plain, err)
		}
		cfg.PublicEndpoint = "ftp://elsewhere"
		if _, err := blob.NewS3(ctx, cfg); !errors.Is(err, blob.ErrInvalidArgument) {
			t.Errorf("bad public endpoint: %v, want ErrInvalidArgument", err)
		}
	})

	t.Run("WrongCredentials", func(t *testing.T) {
		cfg := s3Config(m, freshBucket(t))
		cfg.SecretKey += "x"
		if _, err := blob.NewS3(ctx, cfg); err == nil {
			t.Error("NewS3 with a wrong secret key succeeded")
		}
	})

	t.Run("PingFailsWithoutBucket", func(t *testing.T) {
		s := newStore(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		if err := rawClient(t, m).RemoveBucket(ctx, s.Bucket()); err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(ctx); err == nil {
			t.Error("Ping succeeded with the bucket gone")
		}
	})

	t.Run("ListSkipsForeignKeys", func(t *testing.T) {
		s := newStore(t)
		raw := rawClient(t, m)
		for _, k := range []string{"folder/", "ok/a"} { // "folder/" as console tools make
			if _, err := raw.PutObject(ctx, s.Bucket(), k, strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		infos, err := s.List(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 1 || infos[0].Key != "ok/a" {
			t.Errorf("List = %+v, want only ok/a", infos)
		}
	})
}
