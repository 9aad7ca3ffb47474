// Package dashboards is the web portal: the Fiber app, its routes (all in
// routes.go), one handler per file, templates and embedded assets.
// Handlers stay thin: they read the request, call a domain package and render.
package dashboards

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Pinger is anything readiness depends on (the database, object storage).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the portal is built from; cmd/coopimpact wires them.
type Deps struct {
	DB      Pinger
	Blob    Pinger
	Log     *slog.Logger
	Version string
	// BlobHandler serves the local object store's presigned URLs under /blob/
	// (nil with S3: there the browser goes to the S3 service directly).
	BlobHandler http.Handler
}

// Server is the portal.
type Server struct {
	app    *fiber.App
	deps   Deps
	assets *assets
}

// New builds the portal with every route installed.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{deps: d, assets: a}
	s.app = fiber.New(fiber.Config{
		AppName:               "coopimpact",
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             1 << 20, // per-route limits raise this where uploads need it
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

// errorHandler is the one place errors become responses: a status and a
// short message, never a stack trace; the detail goes to the log with the request id.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	msg := "Errore interno / Internal error"
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code, msg = fe.Code, fe.Message
	}
	if code >= 500 {
		s.deps.Log.Error("request failed", "request_id", c.Locals(requestIDKey), "path", c.Path(), "err", err)
	}
	return c.Status(code).JSON(fiber.Map{"error": msg, "request_id": c.Locals(requestIDKey)})
}
