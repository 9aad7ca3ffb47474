package dashboards

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// apiIndicatorsShow is a cooperative's indicator values for ?year=Y, the
// same object as `coopimpact metrics show --json`.
func (s *Server) apiIndicatorsShow(c *fiber.Ctx) error {
	year, err := strconv.Atoi(c.Query("year"))
	if err != nil || year < 1900 || year > 2200 {
		return errYear
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
