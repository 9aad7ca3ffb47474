package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userForm is the form to add an account.
type userForm struct {
	Roles   []auth.Role
	Coops   []Coop // the hub admin picks one; a coop admin adds to their own
	Email   string
	Name    string
	Role    auth.Role
	CoopID  string
	Lang    string
	Message string
	Field   string // the input at fault
}

// userNew is the form to add an account.
func (s *Server) userNew(c *fiber.Ctx) error {
	f, err := s.userForm(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user_new", "users.add", f)
}

// userForm lists the roles and cooperatives the admin may hand out.
func (s *Server) userForm(c *fiber.Ctx) (*userForm, error) {
	sc := state(c).scope
	f := &userForm{Role: auth.RoleStaff, Lang: "it", CoopID: sc.CoopID}
	if sc.Role == auth.RoleHubAdmin {
		f.Roles = auth.Roles()
		coops, err := s.findCoops(c, sc)
		if err != nil {
			return nil, err
		}
		f.Coops = coops
	} else {
		f.Roles = []auth.Role{auth.RoleStaff, auth.RoleBoard}
	}
	return f, nil
}
