package dashboards

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userEnable lets a disabled account sign in again.
func (s *Server) userEnable(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return auth.ErrNotFound
	}
	done := s.dbTimer("auth.EnableUser")
	err = s.deps.Auth.EnableUser(c.UserContext(), state(c).scope, int64(id))
	done()
	if err != nil {
		return err
	}
	s.flash(c, "users.enabled")
	return c.Redirect("/users/"+strconv.Itoa(id), fiber.StatusSeeOther)
}
