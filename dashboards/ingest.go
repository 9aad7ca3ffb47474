package dashboards

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/ingest/read"
	"coopimpact/internal/auth"
)

// maxUploadFiles bounds the files of one page upload.
const maxUploadFiles = 20

// checkDataset accepts "" (detect from the headers) or a dataset of the contract.
func (s *Server) checkDataset(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	if _, ok := s.catalog().Dataset(name); !ok {
		return "", errUnknownDataset
	}
	return name, nil
}

// ingestFile loads one received file as the CLI would and returns its
// report. The type is checked by content (magic bytes) first: a file that is
// not a data table is refused before the loader sees it. A refusal is a
// report with status "refused", not an error; errors are internal failures.
func (s *Server) ingestFile(c *fiber.Ctx, sc auth.Scope, coopID, dataset string, allowRejects bool, f receivedFile) (*ingest.Report, error) {
	if s.deps.Ingest == nil {
		return nil, errNotConfigured
	}
	rep := &ingest.Report{Dataset: dataset, File: f.name, Problems: []ingest.Problem{}, Slices: []ingest.Slice{}}
	if _, err := read.Detect(f.path); err != nil {
		var re *read.FileError
		if !errors.As(err, &re) {
			return nil, err
		}
		rep.Status = ingest.StatusRefused
		rep.Error = &ingest.Notice{It: f.name + ": " + re.It, En: f.name + ": " + re.En}
		s.prom.ingestRun(rep.Status)
		return rep, nil
	}
	done := s.dbTimer("ingest.Ingest")
	got, err := s.deps.Ingest.Ingest(c.UserContext(), sc.IngestScope(), ingest.Request{Dataset: dataset, CoopID: coopID,
		FileName: f.name, Path: f.path, AllowRejects: allowRejects})
	done()
	if got != nil {
		rep = got
	}
	var fe *ingest.FileError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		rep.Status = ingest.StatusRefused
		if rep.Error == nil {
			rep.Error = &ingest.Notice{It: fe.It, En: fe.En}
		}
	default:
		s.prom.ingestRun(ingest.StatusFailed)
		return nil, fmt.Errorf("ingest %s: %w", f.name, err)
	}
	s.prom.ingestRun(rep.Status)
	return rep, nil
}

// reportStatus is the API's status code for a load: 200 loaded or
// unchanged, 422 rejected (row problems), 400 refused (unusable file).
func reportStatus(rep *ingest.Report) int {
	switch rep.Status {
	case ingest.StatusRejected:
		return fiber.StatusUnprocessableEntity
	case ingest.StatusRefused:
		return fiber.StatusBadRequest
	}
	return fiber.StatusOK
}
