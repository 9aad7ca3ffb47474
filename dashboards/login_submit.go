package dashboards

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// loginSubmit checks the e-mail and password and opens a new session. The
// refusal is worded the same whether or not the account exists, and after
// too many failures the lockout message says nothing more.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	if s.deps.Auth == nil {
		return errNotConfigured
	}
	st := state(c)
	form := loginForm{Email: c.FormValue("email"), Next: safeNext(c.FormValue("next"))}
	if _, err := s.login(c, form.Email, c.FormValue("password")); err != nil {
		status, key, ok := loginRefusal(c, err)
		if !ok {
			return err
		}
		form.Message = i18n.T(st.lang, key)
		return s.render(c, status, "login", "auth.login.title", form)
	}
	return c.Redirect(form.Next, fiber.StatusSeeOther)
}

// login signs in and hands the browser the new session id, ending the
// session it had before (the id always changes on login).
func (s *Server) login(c *fiber.Ctx, email, password string) (*auth.Session, error) {
	defer s.dbTimer("auth.Login")()
	sess, err := s.deps.Auth.LoginWith(c.UserContext(), auth.LoginRequest{Email: email, Password: password,
		IP: s.clientIP(c), UserAgent: c.Get(fiber.HeaderUserAgent)})
	if err != nil {
		return nil, err
	}
	if old := c.Cookies(sessionCookie); old != "" {
		if err := s.deps.Auth.Logout(c.UserContext(), old); err != nil {
			s.deps.Log.Warn("ending the previous session", "err", err)
		}
	}
	s.startSession(c, sess)
	return sess, nil
}

// loginRefusal words a failed login: one message for a wrong password, an
// unknown e-mail and a disabled account, another for the lockout (with
// Retry-After). ok is false for internal failures.
func loginRefusal(c *fiber.Ctx, err error) (status int, key string, ok bool) {
	var ae *auth.Error
	switch {
	case errors.Is(err, auth.ErrRateLimited):
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int((ae.RetryAfter+time.Second-1)/time.Second)))
		}
		return fiber.StatusTooManyRequests, "auth.login.locked", true
	case errors.Is(err, auth.ErrUnauthenticated):
		return fiber.StatusUnauthorized, "auth.login.failed", true
	}
	return 0, "", false
}
