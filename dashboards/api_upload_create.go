package dashboards

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// apiUploadCreate loads one file (multipart field "file") into the
// cooperative and answers the ingest report, as `coopimpact ingest --json`
// prints it: 200 loaded or unchanged, 422 rejected, 400 refused.
// ?dataset=NAME names the dataset (else it is detected); ?allow_rejects=true
// loads the good rows and sets the others aside.
func (s *Server) apiUploadCreate(c *fiber.Ctx) error {
	dataset, err := s.checkDataset(c.Query("dataset"))
	if err != nil {
		return err
	}
	rec, err := s.receive(c, s.deps.UploadLimit, 1)
	if err != nil {
		return err
	}
	defer rec.remove()
	if len(rec.files) != 1 || rec.files[0].field != "file" {
		return errNoFile
	}
	allow := strings.EqualFold(c.Query("allow_rejects"), "true") || c.Query("allow_rejects") == "1"
	rep, err := s.ingestFile(c, state(c).scope, coopOf(c).ID, dataset, allow, rec.files[0])
	if err != nil {
		return err
	}
	return c.Status(reportStatus(rep)).JSON(rep)
}
