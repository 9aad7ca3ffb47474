package dashboards

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userUpdate changes an account's name and language.
func (s *Server) userUpdate(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return auth.ErrNotFound
	}
	name, lang := c.FormValue("name"), c.FormValue("lang")
	done := s.dbTimer("auth.UpdateUser")
	_, err = s.deps.Auth.UpdateUser(c.UserContext(), state(c).scope, int64(id), auth.UserUpdate{Name: &name, Lang: &lang})
	done()
	if err != nil {
		return err
	}
	s.flash(c, "flash.saved")
	return c.Redirect("/users/"+strconv.Itoa(id), fiber.StatusSeeOther)
}
