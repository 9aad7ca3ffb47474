package dashboards

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// The portal's cookies. All are HttpOnly and SameSite=Lax, and Secure when
// the page was served over HTTPS; none holds anything but an opaque id or a preference.
const (
	sessionCookie = "coopimpact_session" // the session id (auth stores only its hash)
	csrfCookie    = "coopimpact_csrf"    // visitors' double-submit CSRF value
	langCookie    = "coopimpact_lang"    // a visitor's language choice
	themeCookie   = "coopimpact_theme"   // light | dark (absent: follow the system)
	flashCookie   = "coopimpact_flash"   // an i18n key shown once on the next page
)

func (s *Server) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", Expires: expires, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.isHTTPS(c)})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", Expires: time.Unix(1, 0), HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.isHTTPS(c)})
}

// startSession hands the browser a new session id; the cookie lasts as long
// as the session can (the server ends it sooner after inactivity).
func (s *Server) startSession(c *fiber.Ctx, sess *auth.Session) {
	s.setCookie(c, sessionCookie, sess.ID, sess.ExpiresAt)
}

// csrfToken is the token forms of this response carry: the session's, or
// for a visitor the double-submit value (set now if the browser has none).
func (s *Server) csrfToken(c *fiber.Ctx) string {
	st := state(c)
	if st.session != nil {
		return st.session.CSRFToken()
	}
	if v := c.Cookies(csrfCookie); len(v) >= 32 {
		return v
	}
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail
	v := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(c, csrfCookie, v, time.Time{})
	return v
}

// flash remembers a message key for the next page.
func (s *Server) flash(c *fiber.Ctx, key string) {
	s.setCookie(c, flashCookie, key, time.Time{})
}

// takeFlash returns the pending message in lang ("" if none) and clears it.
// Only keys the translation files know are shown, so the cookie cannot inject text.
func (s *Server) takeFlash(c *fiber.Ctx, lang i18n.Lang) string {
	key := c.Cookies(flashCookie)
	if key == "" {
		return ""
	}
	s.clearCookie(c, flashCookie)
	if !i18n.Has(lang, key) {
		return ""
	}
	return i18n.T(lang, key)
}
