package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// importPage is the staff-import form and, after a submission, its result.
type importPage struct {
	Coops   []Coop // the hub admin picks the cooperative
	CoopID  string
	Report  *auth.ImportReport
	Links   []importLink // one-time links of the accounts created
	Message string
}

type importLink struct {
	Email, Link string
}

// usersImportShow is the form to import a cooperative's staff list.
func (s *Server) usersImportShow(c *fiber.Ctx) error {
	p, err := s.importPage(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "users_import", "users.import.title", p)
}

func (s *Server) importPage(c *fiber.Ctx) (*importPage, error) {
	sc := state(c).scope
	p := &importPage{CoopID: sc.CoopID}
	if sc.IsHub() {
		coops, err := s.findCoops(c, sc)
		if err != nil {
			return nil, err
		}
		p.Coops = coops
	}
	return p, nil
}
