package dashboards

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/internal/auth"
)

// templateDownload sends an empty template of one dataset (csv or xlsx).
func (s *Server) templateDownload(c *fiber.Ctx) error {
	d, ok := s.catalog().Dataset(c.Params("dataset"))
	if !ok {
		return auth.ErrNotFound
	}
	var buf bytes.Buffer
	var ctype string
	switch c.Params("format") {
	case "csv":
		if err := ingest.WriteTemplateCSV(&buf, d); err != nil {
			return err
		}
		ctype = "text/csv; charset=utf-8"
	case "xlsx":
		if err := ingest.WriteTemplateXLSX(&buf, d); err != nil {
			return err
		}
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return auth.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, attachment("modello_"+d.Name+"."+c.Params("format")))
	return c.Send(buf.Bytes())
}
