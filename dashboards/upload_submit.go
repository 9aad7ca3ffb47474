package dashboards

import (
	"github.com/gofiber/fiber/v2"
)

// uploadSubmit loads one or several files and shows each result as the CLI
// reports it. The files were streamed to disk (receive); each is loaded in
// turn and its temporary copy removed.
func (s *Server) uploadSubmit(c *fiber.Ctx) error {
	st := state(c)
	rec, err := s.receive(c, s.deps.UploadLimit, maxUploadFiles)
	if err != nil {
		return err
	}
	defer rec.remove()
	if len(rec.files) == 0 {
		return errNoFile
	}
	p := s.uploadPage(c)
	if p.Dataset, err = s.checkDataset(rec.fields["dataset"]); err != nil {
		return err
	}
	p.AllowRejects = rec.fields["allow_rejects"] != ""
	coopID := ""
	if p.Coop != nil {
		coopID = p.Coop.ID
	}
	for _, f := range rec.files {
		rep, err := s.ingestFile(c, st.scope, coopID, p.Dataset, p.AllowRejects, f)
		if err != nil {
			return err
		}
		p.Results = append(p.Results, rep)
	}
	if isHTMX(c) {
		return s.renderBlock(c, fiber.StatusOK, "upload", "results", "upload.title", p)
	}
	return s.render(c, fiber.StatusOK, "upload", "upload.title", p)
}
