package dashboards

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// metricsShow is the Prometheus scrape endpoint (hub admin: a session, or
// an API token as the scraper's bearer credential).
func (s *Server) metricsShow(c *fiber.Ctx) error {
	var buf bytes.Buffer
	s.prom.write(&buf, s.deps.Version)
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
