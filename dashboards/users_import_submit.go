package dashboards

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// usersImportSubmit imports a staff list (CSV or XLSX: name, email, role)
// into a cooperative, all or nothing, and shows a one-time link for every
// account it created.
func (s *Server) usersImportSubmit(c *fiber.Ctx) error {
	st := state(c)
	rec, err := s.receive(c, importLimit, 1)
	if err != nil {
		return err
	}
	defer rec.remove()
	if len(rec.files) == 0 {
		return errNoFile
	}
	p, err := s.importPage(c)
	if err != nil {
		return err
	}
	if st.scope.IsHub() {
		p.CoopID = rec.fields["coop_id"]
	}
	rows, err := readStaffFile(rec.files[0].path)
	if err != nil {
		return err
	}
	done := s.dbTimer("auth.ImportStaff")
	rep, err := s.deps.Auth.ImportStaff(c.UserContext(), st.scope, p.CoopID, rows)
	done()
	p.Report = &rep
	status := fiber.StatusOK
	if err != nil {
		var ae *auth.Error
		if authStatus(err) != fiber.StatusUnprocessableEntity || !errors.As(err, &ae) {
			return err // not found, forbidden, internal: the error page
		}
		status, p.Message = fiber.StatusUnprocessableEntity, ae.Message(string(st.lang))
		return s.render(c, status, "users_import", "users.import.title", p)
	}
	for _, r := range rep.Rows {
		if r.Action != "created" {
			continue
		}
		done := s.dbTimer("auth.CreateResetToken")
		token, err := s.deps.Auth.CreateResetToken(c.UserContext(), st.scope, r.UserID)
		done()
		if err != nil {
			return err
		}
		p.Links = append(p.Links, importLink{Email: r.Email, Link: s.absURL(c, "/reset/"+token)})
	}
	return s.render(c, status, "users_import", "users.import.title", p)
}
