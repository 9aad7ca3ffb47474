package dashboards

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userDisable stops an account: its sessions and API tokens end now.
func (s *Server) userDisable(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return auth.ErrNotFound
	}
	done := s.dbTimer("auth.DisableUser")
	err = s.deps.Auth.DisableUser(c.UserContext(), state(c).scope, int64(id))
	done()
	if err != nil {
		return err
	}
	s.flash(c, "users.disabled")
	return c.Redirect("/users/"+strconv.Itoa(id), fiber.StatusSeeOther)
}
