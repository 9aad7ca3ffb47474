package dashboards

import (
	"os"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// runDownload sends the file of an ingest run as it was received. The
// ingest service decides who may: the hub admin, or an admin of the
// cooperative the run was about; anyone else gets the same 404 as for a run
// that does not exist. The file is decrypted to a temporary file, which is
// unlinked at once and streamed from its open handle.
func (s *Server) runDownload(c *fiber.Ctx) error {
	if s.deps.Ingest == nil {
		return errNotConfigured
	}
	id, err := c.ParamsInt("run_id")
	if err != nil || id <= 0 {
		return auth.ErrNotFound
	}
	tmp, err := os.CreateTemp(s.deps.TempDir, "download-*")
	if err != nil {
		return err
	}
	os.Remove(tmp.Name())
	done := s.dbTimer("ingest.OpenArchived")
	name, err := s.deps.Ingest.OpenArchived(c.UserContext(), state(c).scope.IngestScope(), int64(id), tmp)
	done()
	if err != nil {
		tmp.Close()
		return err
	}
	size, err := tmp.Seek(0, 1)
	if err == nil {
		_, err = tmp.Seek(0, 0)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, attachment(name))
	return c.SendStream(tmp, int(size)) // fasthttp closes the file when sent
}
