package main

import (
	"context"
	"coopimpact/ingest/read"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"coopimpact/dashboards"
	"coopimpact/internal/auth"
	"coopimpact/internal/blob"
	"coopimpact/metrics"
)

const serveSummary = `Start the web portal on --addr, holding the DuckDB file in --data.
Object storage is a local folder under --data unless COOPIMPACT_S3_ENDPOINT,
COOPIMPACT_S3_ACCESS_KEY, COOPIMPACT_S3_SECRET_KEY, COOPIMPACT_S3_BUCKET and
COOPIMPACT_S3_USE_SSL (and optionally COOPIMPACT_S3_REGION, and COOPIMPACT_S3_PUBLIC_ENDPOINT
where browsers reach it at another address) point to MinIO or another S3 service.
SIGINT/SIGTERM stop it gracefully: requests in flight finish, then DuckDB is closed.`

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, common := commandFlags("serve", serveSummary, stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "HOST:PORT the portal listens on")
	shutdownAfter := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on shutdown")
	uploadMB := fs.Int("upload-limit-mb", 100, "largest upload request, in MB")
	trustProxy := fs.Bool("trust-proxy", false, "honour X-Forwarded-Proto/For/Host (only behind a reverse proxy that is the sole way in)")
	baseURL := fs.String("base-url", "", "the portal's public root for links sent to people (reset links); empty = the request's own")
	retention := fs.Int("retention-days", 365, "days an archived upload is kept")
	catalogDir := fs.String("catalog", "", "folder of indicator files that add to or override the embedded catalogue")
	choresEvery := fs.Duration("housekeeping-interval", 24*time.Hour, "how often expired sessions and archived uploads past --retention-days are removed (also once at start)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	log, err := newLogger(*common, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact serve: %v\n", err)
		return 2
	}
	e, err := openEnv(ctx, *common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact serve: %s\n", oneLine(err))
		return 2
	}
	defer e.Close()

	eng, err := metrics.Open(ctx, e.db, *catalogDir, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact serve: %s\n", oneLine(err))
		return 2
	}
	ingestSvc := e.ingestService(time.Duration(*retention) * 24 * time.Hour)
	ingestSvc.AfterLoad = eng.AfterLoad // an upload recomputes only the cooperative-years it touched
	authSvc := &auth.Service{DB: e.db}
	deps := dashboards.Deps{DB: e.db, Blob: e.blob, Log: log, Version: version,
		Store: e.db, Auth: authSvc, Ingest: ingestSvc,
		Indicators: dashboards.IndicatorReaderFunc(func(ctx context.Context, sc auth.Scope, coop string, year int) (any, error) {
			snap, err := eng.CoopSnapshot(ctx, sc, coop, year, false)
			if errors.Is(err, metrics.ErrNotFound) {
				return nil, auth.ErrNotFound // one 404 for "not yours" and "does not exist"
			}
			return snap, err
		}),
		TempDir: common.TempDir(), UploadLimit: int64(*uploadMB) << 20, TrustProxy: *trustProxy, BaseURL: *baseURL}
	if l, ok := e.blob.(*blob.Local); ok {
		deps.BlobHandler = l.PresignedHandler()
	}
	srv, err := dashboards.New(deps)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact serve: %s\n", oneLine(err))
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact serve: cannot listen on %s: %s\n", *addr, oneLine(err))
		return 2
	}
	url := "http://" + ln.Addr().String()
	log.Info("portal listening", "url", url, "data", common.DataDir, "object_storage", e.blob.Name())
	fmt.Fprintf(stdout, "coopimpact is running at %s\n", url)

	hctx, stopChores := context.WithCancel(ctx)
	choresDone := make(chan struct{})
	defer func() { stopChores(); <-choresDone }() // before the deferred e.Close: no chore may outlive the database
	go func() {
		defer close(choresDone)
		housekeeping(hctx, log, *choresEvery,
			chore{"expired sessions", authSvc.DeleteExpiredSessions},
			chore{"archived uploads past retention", func(ctx context.Context) (int64, error) {
				n, err := ingestSvc.PurgeArchive(ctx)
				return int64(n), err
			}},
			// A day is far longer than any load: only copies a killed process left.
			chore{"stale temporary copies", func(context.Context) (int64, error) {
				return read.RemoveStaleCopies(common.TempDir(), 24*time.Hour)
			}})
	}()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			fmt.Fprintf(stderr, "coopimpact serve: %s\n", oneLine(err))
			return 2
		}
		return 0
	case <-ctx.Done():
	}
	log.Info("shutting down: waiting for requests in flight", "timeout", shutdownAfter.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownAfter)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
	}
	<-served
	stopChores()
	<-choresDone
	if err := e.Close(); err != nil {
		log.Error("closing the database", "err", err)
		return 2
	}
	e.db = nil
	log.Info("stopped cleanly")
	return 0
}
