package dashboards

import (
	"github.com/gofiber/fiber/v2"
)

// apiRunsList is the cooperative's ingest history, newest first (?limit=N, at most 1000).
func (s *Server) apiRunsList(c *fiber.Ctx) error {
	limit := c.QueryInt("limit", runsShown)
	if limit <= 0 || limit > 1000 {
		return errBadRequest
	}
	runs, err := s.runs(c, coopOf(c), limit)
	if err != nil {
		return err
	}
	return c.JSON(runs)
}
