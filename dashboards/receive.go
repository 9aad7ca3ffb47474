package dashboards

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/i18n"
)

// received is a multipart form whose files were streamed to disk.
type received struct {
	fields map[string]string
	files  []receivedFile
}

type receivedFile struct {
	field string // the form field it came in
	name  string // as the user named it (base name only)
	path  string // the temporary copy
	size  int64
}

// remove deletes the temporary copies.
func (r *received) remove() {
	for _, f := range r.files {
		os.Remove(f.path)
	}
}

const maxFieldBytes = 4 << 10

// receive reads a multipart body part by part, writing each file to a
// temporary file under TempDir: nothing larger than a form field is held in
// memory. The whole body may not exceed max bytes. A page form's CSRF token
// (csrfPending) must arrive as a field before the first file.
func (s *Server) receive(c *fiber.Ctx, max int64, maxFiles int) (*received, error) {
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		return nil, errNoFile
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	st := state(c)
	tooLarge := errTooLarge.with(i18n.Args{"max": humanBytes(st.lang, max)})
	cp := &capped{r: body, left: max, err: tooLarge}
	mr := multipart.NewReader(cp, boundary)
	// Any read error past the cap is the cap, however the multipart reader wraps it.
	readErr := func(err error) error {
		if cp.left < 0 {
			return tooLarge
		}
		if errors.As(err, new(*fs.PathError)) {
			return err // the temporary file, not the request
		}
		return errBadRequest // a truncated or malformed multipart body
	}
	rec := &received{fields: map[string]string{}}
	fail := func(err error) (*received, error) {
		rec.remove()
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(readErr(err))
		}
		field := part.FormName()
		name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return fail(readErr(err))
			}
			if len(b) > maxFieldBytes {
				return fail(errBadRequest)
			}
			rec.fields[field] = string(b)
			if field == csrfField && st.csrfPending {
				if !s.validCSRF(c, st, string(b)) {
					return fail(errCSRF)
				}
				st.csrfPending = false
			}
			continue
		}
		if st.csrfPending {
			return fail(errCSRF)
		}
		if len(rec.files) >= maxFiles {
			return fail(errTooManyFiles.with(i18n.Args{"max": maxFiles}))
		}
		f, err := os.CreateTemp(s.deps.TempDir, "upload-*"+safeExt(name))
		if err != nil {
			return fail(err)
		}
		n, err := io.Copy(f, part)
		cerr := f.Close()
		rec.files = append(rec.files, receivedFile{field: field, name: name, path: f.Name(), size: n})
		if err != nil {
			return fail(readErr(err))
		}
		if cerr != nil {
			return fail(cerr)
		}
	}
	if st.csrfPending {
		return fail(errCSRF)
	}
	// Read what follows the closing boundary (an epilogue, the end of a
	// chunked body) so the connection is ready for the next request.
	if _, err := io.Copy(io.Discard, cp); err != nil {
		return fail(readErr(err))
	}
	return rec, nil
}

// capped fails with err once more than left bytes have been read.
type capped struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, c.err
	}
	return n, err
}

// safeExt keeps a known extension (the readers use it to break ties);
// anything else is dropped so user input never shapes a path.
func safeExt(name string) string {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json", ".ndjson", ".jsonl", ".parquet":
		return ext
	}
	return ""
}
