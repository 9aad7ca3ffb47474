package dashboards

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// apiIndicatorsShow is a cooperative's indicator values for ?year=Y (by
// default the latest year with values), the same object as
// `coopimpact metrics show --json`.
func (s *Server) apiIndicatorsShow(c *fiber.Ctx) error {
	year := 0
	if q := c.Query("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 1900 || y > 2200 {
			return errYear
		}
		year = y
	}
	if s.deps.Indicators == nil {
		return errNoIndicators
	}
	done := s.dbTimer("metrics.Values")
	v, err := s.deps.Indicators.CoopIndicators(c.UserContext(), state(c).scope, coopOf(c).ID, year)
	done()
	if err != nil {
		return err
	}
	return c.JSON(v)
}
