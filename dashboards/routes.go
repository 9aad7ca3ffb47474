package dashboards

// routes installs every route of the portal, in one place.
func (s *Server) routes() {
	s.app.Use(s.requestID, s.accessLog)
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/static/*", s.static)
}
