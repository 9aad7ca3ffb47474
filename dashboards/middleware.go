package dashboards

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

const (
	requestIDKey = "request_id"
	stateKey     = "state"
	unmatchedKey = "unmatched"
	coopKey      = "coop"

	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
)

// reqState is who is asking, built once per request by authenticate.
type reqState struct {
	scope    auth.Scope
	user     *auth.User    // nil when anonymous
	session  *auth.Session // nil when anonymous or authenticated by API token
	viaToken bool          // Authorization: Bearer
	lang     i18n.Lang
	// csrfPending: a multipart page form whose token travels in the body;
	// receive verifies it before the first file is written.
	csrfPending bool
}

func state(c *fiber.Ctx) *reqState {
	if st, ok := c.Locals(stateKey).(*reqState); ok {
		return st
	}
	return &reqState{}
}

// requestID tags each request so a user-facing error can be found in the log.
func (s *Server) requestID(c *fiber.Ctx) error {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
	id := hex.EncodeToString(b)
	c.Locals(requestIDKey, id)
	c.Set("X-Request-Id", id)
	return c.Next()
}

// accessLog turns errors into responses here (so the status it records is
// the one sent), writes one structured line per request and counts the
// request for /metrics by route pattern.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := s.errorHandler(c, err); herr != nil {
			s.deps.Log.Error("error handler", "err", herr)
			c.Status(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	if status >= 400 && c.Request().Header.ContentLength() != 0 {
		// A refused request's body may be partly unread (bodies are streamed):
		// close the connection rather than parse the rest as a next request.
		c.Context().SetConnectionClose()
	}
	route := c.Route().Path
	if c.Locals(unmatchedKey) != nil {
		route = "unmatched"
	}
	elapsed := time.Since(start)
	s.prom.request(route, c.Method(), status, elapsed)
	s.deps.Log.Info("request", "method", c.Method(), "path", loggedPath(c), "route", route, "status", status,
		"duration_ms", elapsed.Milliseconds(), "request_id", c.Locals(requestIDKey))
	return nil
}

// contentSecurityPolicy allows nothing inline: scripts and styles come only
// from the portal's own files (chart options travel as JSON data blocks).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are set on every response.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set(fiber.HeaderPermissionsPolicy, "camera=(), microphone=(), geolocation=()")
	if s.isHTTPS(c) {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// isHTTPS: TLS on this connection, or a trusted proxy saying so.
func (s *Server) isHTTPS(c *fiber.Ctx) bool {
	if c.Context().IsTLS() {
		return true
	}
	return s.deps.TrustProxy && strings.EqualFold(strings.TrimSpace(c.Get(fiber.HeaderXForwardedProto)), "https")
}

// clientIP is the address login attempts are counted against: the peer, or
// with a trusted proxy the address it appended last to X-Forwarded-For.
func (s *Server) clientIP(c *fiber.Ctx) string {
	if s.deps.TrustProxy {
		if xff := c.Get(fiber.HeaderXForwardedFor); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	return c.IP()
}

// authenticate builds the request's scope once: from an API token
// (Authorization: Bearer, API and /metrics only) or the session cookie.
// An expired or unknown session makes the request anonymous and drops the cookie.
func (s *Server) authenticate(c *fiber.Ctx) error {
	st := &reqState{}
	c.Locals(stateKey, st)
	if s.deps.Auth != nil {
		if raw, ok := bearer(c); ok && isMachine(c) {
			defer s.dbTimer("auth.AuthenticateToken")()
			u, err := s.deps.Auth.AuthenticateToken(c.UserContext(), raw)
			if err != nil {
				st.lang = s.langFor(c, nil)
				return err
			}
			st.user, st.scope, st.viaToken = u, u.Scope(), true
		} else if cookie := c.Cookies(sessionCookie); cookie != "" {
			done := s.dbTimer("auth.Authenticate")
			sess, u, err := s.deps.Auth.Authenticate(c.UserContext(), cookie)
			done()
			switch {
			case err == nil:
				st.user, st.session, st.scope = u, sess, u.Scope()
			case errors.Is(err, auth.ErrUnauthenticated):
				s.clearCookie(c, sessionCookie)
			default:
				return err
			}
		}
	}
	st.lang = s.langFor(c, st.user)
	return c.Next()
}

func bearer(c *fiber.Ctx) (string, bool) {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// langFor: the signed-in user's language; for visitors the language
// switch's cookie, else the browser's Accept-Language.
func (s *Server) langFor(c *fiber.Ctx, u *auth.User) i18n.Lang {
	if u != nil {
		return i18n.Parse(u.Lang)
	}
	if l := c.Cookies(langCookie); l != "" {
		return i18n.Parse(l)
	}
	return i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage))
}

// csrf guards every state-changing route (routes.go installs it with the
// body limit on each). API-token requests are exempt (no ambient
// credential); session-cookie API requests need the X-CSRF-Token header;
// page forms send csrf_token (a multipart form is checked by receive,
// before any file is written). Visitors without a session use a
// double-submit cookie.
func (s *Server) csrf(c *fiber.Ctx) error {
	st := state(c)
	if st.viaToken {
		return c.Next()
	}
	api := strings.HasPrefix(c.Path(), "/api/")
	if api && st.session == nil {
		// No ambient credential to abuse: the route itself refuses the
		// anonymous, and signing in takes a JSON body a form cannot send.
		return c.Next()
	}
	token := c.Get(csrfHeader)
	if token == "" && !api {
		switch ct := strings.ToLower(c.Get(fiber.HeaderContentType)); {
		case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
			token = c.FormValue(csrfField)
		case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
			st.csrfPending = true
			return c.Next()
		}
	}
	if !s.validCSRF(c, st, token) {
		return errCSRF
	}
	return c.Next()
}

func (s *Server) validCSRF(c *fiber.Ctx, st *reqState, token string) bool {
	if token == "" {
		return false
	}
	if st.session != nil {
		return st.session.VerifyCSRF(token)
	}
	cookie := c.Cookies(csrfCookie)
	return len(cookie) >= 32 && subtle.ConstantTimeCompare([]byte(cookie), []byte(token)) == 1
}

// loggedIn refuses the anonymous: pages redirect to the login form, the API answers 401.
func (s *Server) loggedIn(c *fiber.Ctx) error {
	if state(c).scope.IsAnonymous() {
		return auth.ErrUnauthenticated
	}
	return c.Next()
}

// allow lets only the given roles through (after loggedIn and inCoop, so an
// unseen cooperative is a 404 before a role is a 403).
func (s *Server) allow(roles ...auth.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r := state(c).scope.Role
		for _, ok := range roles {
			if r == ok {
				return c.Next()
			}
		}
		return auth.ErrForbidden
	}
}

// inCoop resolves the :coop_id parameter within the scope: a cooperative
// outside it is the same 404 as one that does not exist.
func (s *Server) inCoop(c *fiber.Ctx) error {
	co, err := s.findCoop(c, state(c).scope, c.Params("coop_id"))
	if err != nil {
		return err
	}
	c.Locals(coopKey, co)
	return c.Next()
}

func coopOf(c *fiber.Ctx) *Coop {
	co, _ := c.Locals(coopKey).(*Coop)
	return co
}

// limit bounds the request body of one route. Bodies are streamed, so the
// declared length is checked here and a body without one is refused
// (upload routes count the stream instead: see receive).
func (s *Server) limit(max int64, streamed bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		n := int64(c.Request().Header.ContentLength())
		switch {
		case n > max:
			return errTooLarge.with(i18n.Args{"max": humanBytes(state(c).lang, max)})
		case n == -1 && !streamed: // chunked: its size is unknown until read
			return errLengthRequired
		}
		return c.Next()
	}
}

// notFound ends the chain when no route matched.
func (s *Server) notFound(c *fiber.Ctx) error {
	c.Locals(unmatchedKey, true)
	return fiber.ErrNotFound
}

// loggedPath is the request path as a log may keep it: a reset link's token
// opens an account for a day, so it is never written down.
func loggedPath(c *fiber.Ctx) string {
	if p := c.Path(); !strings.HasPrefix(p, "/reset/") {
		return p
	}
	return "/reset/[redacted]"
}
