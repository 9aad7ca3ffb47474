package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// tokenRevoke stops one of the user's API tokens for good.
func (s *Server) tokenRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return auth.ErrNotFound
	}
	done := s.dbTimer("auth.RevokeAPIToken")
	err = s.deps.Auth.RevokeAPIToken(c.UserContext(), state(c).scope, int64(id))
	done()
	if err != nil {
		return err
	}
	s.flash(c, "tokens.revoked")
	return c.Redirect("/settings/tokens", fiber.StatusSeeOther)
}
