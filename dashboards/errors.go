package dashboards

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/ingest/read"
	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// webError is a refusal of the portal itself (the domain packages have
// their own typed errors); its words are i18n keys.
type webError struct {
	status int
	code   string
	title  string // i18n key
	text   string // i18n key
	args   i18n.Args
}

func (e *webError) Error() string { return e.code }

// with returns a copy carrying placeholder values for the text.
func (e *webError) with(args i18n.Args) *webError {
	c := *e
	c.args = args
	return &c
}

var (
	errCSRF           = &webError{status: fiber.StatusForbidden, code: "csrf", title: "error.csrf.title", text: "error.csrf.text"}
	errTooLarge       = &webError{status: fiber.StatusRequestEntityTooLarge, code: "too_large", title: "error.too_large.title", text: "error.file_too_large"}
	errLengthRequired = &webError{status: fiber.StatusLengthRequired, code: "length_required", title: "error.invalid.title", text: "error.length_required"}
	errBadRequest     = &webError{status: fiber.StatusBadRequest, code: "bad_request", title: "error.invalid.title", text: "error.bad_request"}
	errNotJSON        = &webError{status: fiber.StatusUnsupportedMediaType, code: "not_json", title: "error.invalid.title", text: "error.not_json"}
	errNoIndicators   = &webError{status: fiber.StatusNotImplemented, code: "indicators_unavailable", title: "error.generic.title", text: "api.indicators_unavailable"}
	errUnknownDataset = &webError{status: fiber.StatusBadRequest, code: "unknown_dataset", title: "error.invalid.title", text: "upload.dataset.unknown"}
	errNoFile         = &webError{status: fiber.StatusBadRequest, code: "no_file", title: "error.invalid.title", text: "upload.no_file"}
	errTooManyFiles   = &webError{status: fiber.StatusBadRequest, code: "too_many_files", title: "error.invalid.title", text: "upload.too_many_files"}
	errYear           = &webError{status: fiber.StatusBadRequest, code: "year_invalid", title: "error.invalid.title", text: "api.year_invalid"}
	errNotConfigured  = &webError{status: fiber.StatusServiceUnavailable, code: "not_configured", title: "error.generic.title", text: "error.unavailable"}
)

// failure is an error as the user is told about it.
type failure struct {
	Status     int
	Code       string
	Title      string
	Message    string
	RetryAfter time.Duration
}

// describe maps any error to its status code and words: the one table
// from error kinds to HTTP. Internal errors get a generic sentence.
func (s *Server) describe(err error, lang i18n.Lang) failure {
	var (
		we *webError
		ae *auth.Error
		fe *ingest.FileError
		re *read.FileError
		fb *fiber.Error
	)
	f := failure{Status: fiber.StatusInternalServerError, Code: "internal"}
	switch {
	case errors.As(err, &we):
		f.Status, f.Code = we.status, we.code
		f.Title, f.Message = i18n.T(lang, we.title), i18n.T(lang, we.text, we.args)
		return f
	case errors.As(err, &ae):
		f.Status, f.Code, f.Message = authStatus(ae.Kind), ae.Code, ae.Message(string(lang))
		f.RetryAfter = ae.RetryAfter
	case errors.As(err, &fe):
		f.Status, f.Code, f.Message = fiber.StatusBadRequest, fe.Code, fe.Message(string(lang))
	case errors.As(err, &re):
		f.Status, f.Code = fiber.StatusBadRequest, re.Code
		f.Message = re.It
		if lang == i18n.EN {
			f.Message = re.En
		}
	case errors.Is(err, ingest.ErrNotFound):
		f.Status, f.Code = fiber.StatusNotFound, "not_found"
	case errors.As(err, &fb):
		f.Status, f.Code = fb.Code, "http_"+strconv.Itoa(fb.Code)
		if fb.Code == fiber.StatusRequestEntityTooLarge {
			return s.describe(errTooLarge.with(i18n.Args{"max": s.uploadLimitText(lang)}), lang)
		}
	default:
		if st := authStatus(err); st != 0 {
			f.Status, f.Code = st, "refused"
		}
	}
	// Domain errors outside auth and ingest (e.g. metrics) may carry their own words.
	var m interface{ Message(lang string) string }
	if f.Message == "" && f.Status < 500 && errors.As(err, &m) {
		f.Message = m.Message(string(lang))
	}
	title, text := statusWords(f.Status)
	f.Title = i18n.T(lang, title)
	if f.Message == "" {
		f.Message = i18n.T(lang, text, "request_id", "")
	}
	return f
}

// authStatus maps a refusal kind (auth's sentinels, which other domain
// packages may wrap too) to a status; 0 when err is none of them.
func authStatus(err error) int {
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return fiber.StatusNotFound
	case errors.Is(err, auth.ErrForbidden):
		return fiber.StatusForbidden
	case errors.Is(err, auth.ErrUnauthenticated):
		return fiber.StatusUnauthorized
	case errors.Is(err, auth.ErrRateLimited):
		return fiber.StatusTooManyRequests
	case errors.Is(err, auth.ErrInvalid):
		return fiber.StatusUnprocessableEntity
	}
	return 0
}

// statusWords are the i18n keys of a status's title and sentence.
func statusWords(status int) (title, text string) {
	switch {
	case status == fiber.StatusNotFound:
		return "error.not_found.title", "error.not_found.text"
	case status == fiber.StatusForbidden:
		return "error.forbidden.title", "error.forbidden.text"
	case status == fiber.StatusUnauthorized:
		return "auth.login.title", "auth.login.required"
	case status == fiber.StatusTooManyRequests:
		return "error.too_many.title", "error.too_many_requests"
	case status == fiber.StatusRequestEntityTooLarge:
		return "error.too_large.title", "error.file_too_large"
	case status >= 400 && status < 500:
		return "error.invalid.title", "error.bad_request"
	}
	return "error.generic.title", "error.generic.text"
}

// errorHandler is the one place errors become responses: a status and a
// short message in the user's language, never a stack trace; the detail
// goes to the log with the request id.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	st := state(c)
	lang := st.lang
	if lang == "" {
		lang = s.langFor(c, nil)
	}
	f := s.describe(err, lang)
	rid, _ := c.Locals(requestIDKey).(string)
	if f.Status >= 500 {
		s.deps.Log.Error("request failed", "request_id", rid, "method", c.Method(), "path", loggedPath(c), "err", err)
		if f.Status == fiber.StatusInternalServerError {
			f.Message = i18n.T(lang, "error.generic.text", "request_id", rid)
		}
	}
	if f.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	if isMachine(c) {
		if f.Status == fiber.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="coopimpact"`)
		}
		return c.Status(f.Status).JSON(fiber.Map{"error": f.Message, "code": f.Code, "request_id": rid})
	}
	if f.Status == fiber.StatusUnauthorized {
		// Pages send people to the login form and back here afterwards.
		to := "/login"
		if c.Method() == fiber.MethodGet && c.Path() != "/" {
			to += "?next=" + url.QueryEscape(string(c.Request().URI().RequestURI()))
		}
		if isHTMX(c) {
			c.Set("HX-Redirect", to)
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		return c.Redirect(to, fiber.StatusSeeOther)
	}
	return s.renderError(c, f, rid)
}

// isMachine tells whether the request wants JSON (the API) or plain text
// (/metrics) rather than an HTML page.
func isMachine(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || p == "/metrics" || p == "/healthz" || p == "/readyz"
}

func isHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }
