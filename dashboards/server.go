// Package dashboards is the web portal: the Fiber app, its routes (all in
// routes.go), one handler per file, templates and embedded assets.
// Handlers stay thin: they read the request, call a domain package and render.
package dashboards

import (
	"context"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"
	"coopimpact/internal/auth"
	"coopimpact/internal/store"
)

// Pinger is anything readiness depends on (the database, object storage).
type Pinger interface {
	Ping(ctx context.Context) error
}

// DefaultUploadLimit bounds one upload request when Deps.UploadLimit is zero.
const DefaultUploadLimit = 100 << 20

// Deps are what the portal is built from; cmd/coopimpact wires them.
type Deps struct {
	DB      Pinger
	Blob    Pinger
	Log     *slog.Logger
	Version string
	// BlobHandler serves the local object store's presigned URLs under /blob/
	// (nil with S3: there the browser goes to the S3 service directly).
	BlobHandler http.Handler

	Store      *store.DB       // the cooperatives registry (scoped reads)
	Auth       *auth.Service   // accounts, sessions, API tokens
	Ingest     *ingest.Service // uploads, runs, archived files, templates (its Catalog)
	Indicators IndicatorReader // nil until the metrics engine is wired: the API answers 501

	TempDir     string // uploads are streamed to files here (DATA/tmp); "" = the system's
	UploadLimit int64  // bytes per upload request; 0 = DefaultUploadLimit
	// TrustProxy honours X-Forwarded-Proto and X-Forwarded-For: set it only
	// when a reverse proxy that overwrites them is the sole way in.
	TrustProxy bool
	// BaseURL, if set, is the absolute root reset links are built on
	// ("https://impatto.example.org"); otherwise the request's scheme and host.
	BaseURL string
}

// Server is the portal.
type Server struct {
	app    *fiber.App
	deps   Deps
	assets *assets
	pages  map[string]*template.Template
	prom   *promRegistry

	missingKeys sync.Map // translation keys a page asked for and i18n lacks (tests read it)
}

// New builds the portal with every route installed.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.UploadLimit <= 0 {
		d.UploadLimit = DefaultUploadLimit
	}
	if d.TempDir == "" {
		d.TempDir = os.TempDir()
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{deps: d, assets: a, prom: newPromRegistry()}
	if s.pages, err = s.loadTemplates(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "coopimpact",
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
		ReadTimeout:           10 * time.Minute, // covers streaming an upload (100 MB on a slow office line)
		WriteTimeout:          10 * time.Minute, // covers a large archived file sent to a slow line
		IdleTimeout:           120 * time.Second,
		// Bodies are streamed: fasthttp reads a few KB and hands the rest
		// over as a stream, so an upload never sits in memory. Limits are
		// therefore per route (see limit in middleware.go), not global.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    64 << 10,
	})
	s.routes()
	return s, nil
}

// App exposes the Fiber app to tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Serve answers on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.app.ShutdownWithContext(ctx)
}

// catalog is the data contract the ingest service loads against.
func (s *Server) catalog() *catalog.Catalog {
	if s.deps.Ingest != nil && s.deps.Ingest.Catalog != nil {
		return s.deps.Ingest.Catalog
	}
	return catalog.Default()
}
