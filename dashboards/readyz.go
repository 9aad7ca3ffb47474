package dashboards

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// readyz answers 200 only when DuckDB answers a query and object storage is reachable.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()
	checks := fiber.Map{}
	ok := true
	for name, p := range map[string]Pinger{"database": s.deps.DB, "object_storage": s.deps.Blob} {
		if p == nil {
			checks[name] = "not configured"
			ok = false
			continue
		}
		if err := p.Ping(ctx); err != nil {
			s.deps.Log.Warn("readiness check failed", "check", name, "err", err)
			checks[name] = "unavailable"
			ok = false
			continue
		}
		checks[name] = "ok"
	}
	status := "ready"
	if !ok {
		status = "not ready"
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(fiber.Map{"status": status, "checks": checks})
}
