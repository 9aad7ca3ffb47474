package dashboards

import "github.com/gofiber/fiber/v2/middleware/adaptor"

// routes installs every route of the portal, in one place.
func (s *Server) routes() {
	s.app.Use(s.requestID, s.accessLog)
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/static/*", s.static)
	if s.deps.BlobHandler != nil {
		s.app.Get("/blob/*", adaptor.HTTPHandler(s.deps.BlobHandler))
	}
}
