package dashboards

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata"

	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// templateFS holds the pages: layout.html wraps every page, files starting
// with "_" are partials shared by pages, each other file is one page
// defining "content".
//
//go:embed templates/*.html
var templateFS embed.FS

func (s *Server) loadTemplates() (map[string]*template.Template, error) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	base := template.New("layout.html").Funcs(template.FuncMap{
		"list":  func(xs ...any) []any { return xs },
		"toint": toInt,
		"join":  strings.Join,
	})
	if _, err := base.ParseFS(templateFS, "templates/layout.html"); err != nil {
		return nil, err
	}
	var pages []string
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "layout.html":
		case strings.HasPrefix(n, "_"):
			if _, err := base.ParseFS(templateFS, "templates/"+n); err != nil {
				return nil, err
			}
		default:
			pages = append(pages, n)
		}
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, "templates/"+p); err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		out[strings.TrimSuffix(p, path.Ext(p))] = t
	}
	return out, nil
}

// view is what every template receives: the request's language, user and
// CSRF token, helpers for words, numbers and dates, and the page's own Data.
type view struct {
	s         *Server
	Lang      i18n.Lang
	Theme     string // "light", "dark" or "" (follow the system)
	User      *auth.User
	Scope     auth.Scope
	CSRF      string
	Title     string // i18n key of the page title
	Nav       []navItem
	Flash     string
	Path      string
	RequestID string
	Version   string
	Data      any
}

type navItem struct {
	Href, Key string
	Current   bool
}

func (s *Server) newView(c *fiber.Ctx, title string, data any) *view {
	st := state(c)
	rid, _ := c.Locals(requestIDKey).(string)
	v := &view{s: s, Lang: st.lang, User: st.user, Scope: st.scope, CSRF: s.csrfToken(c), Title: title,
		Path: c.Path(), RequestID: rid, Version: s.deps.Version, Data: data}
	if t := c.Cookies(themeCookie); t == "light" || t == "dark" {
		v.Theme = t
	}
	v.Flash = s.takeFlash(c, st.lang)
	v.Nav = navFor(st.scope, c.Path())
	return v
}

// navFor is the main menu of a role.
func navFor(sc auth.Scope, current string) []navItem {
	var items []navItem
	add := func(href, key string) {
		cur := href == current || (href != "/" && strings.HasPrefix(current, href+"/"))
		items = append(items, navItem{Href: href, Key: key, Current: cur})
	}
	if sc.IsAnonymous() {
		add("/login", "nav.login")
		return items
	}
	add("/", "nav.home")
	switch sc.Role {
	case auth.RoleHubAdmin:
		add("/coops", "nav.cooperatives")
		add("/upload", "nav.upload")
		add("/runs", "nav.ingest_history")
		add("/templates", "nav.templates")
		add("/users", "nav.users")
	case auth.RoleHubAnalyst:
		add("/coops", "nav.cooperatives")
		add("/templates", "nav.templates")
	case auth.RoleCoopAdmin:
		add("/coops/"+sc.CoopID+"/upload", "nav.upload")
		add("/coops/"+sc.CoopID+"/runs", "nav.ingest_history")
		add("/templates", "nav.templates")
		add("/users", "nav.users")
	case auth.RoleBoard, auth.RoleStaff:
		add("/coops/"+sc.CoopID, "nav.cooperative")
	}
	add("/settings", "nav.settings")
	return items
}

// T translates key; a key the files lack is recorded (tests fail on it).
func (v *view) T(key string, args ...any) string {
	if !i18n.Has(v.Lang, key) {
		v.s.missingKeys.Store(string(v.Lang)+":"+key, true)
	}
	return i18n.T(v.Lang, key, args...)
}

// TN is T for a counted message (key.one / key.other).
func (v *view) TN(key string, n any, args ...any) string {
	k := toInt(n)
	form := key + ".other"
	if k == 1 {
		form = key + ".one"
	}
	if !i18n.Has(v.Lang, form) {
		v.s.missingKeys.Store(string(v.Lang)+":"+form, true)
	}
	return i18n.TN(v.Lang, key, k, args...)
}

// Num formats a number the language's way.
func (v *view) Num(x any, decimals int) string {
	return i18n.FormatNumber(v.Lang, toFloat(x), decimals)
}

// Date and DateTime take a time.Time or a *time.Time (nil: the "missing" dash).
func (v *view) Date(t any) string { return i18n.FormatDate(v.Lang, toTime(t)) }
func (v *view) DateTime(t any) string {
	tt := toTime(t)
	if !tt.IsZero() {
		tt = tt.In(italy)
	}
	return i18n.FormatDateTime(v.Lang, tt)
}

// italy is the time zone dates and times are shown in, whatever the
// server's own (tzdata is embedded, so a bare container knows it too).
var italy = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

func toTime(x any) time.Time {
	switch t := x.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}

// Role is a role's name in the page language.
func (v *view) Role(r auth.Role) string { return v.T("role." + string(r)) }

// Asset is the content-hash URL of a static file ("" when not built).
func (v *view) Asset(name string) string { return v.s.assets.URL(name) }

// Is tells whether the page's user has one of the roles.
func (v *view) Is(roles ...string) bool {
	for _, r := range roles {
		if string(v.Scope.Role) == r {
			return true
		}
	}
	return false
}

// ProblemLines counts the distinct rows a report's problems are on.
func (v *view) ProblemLines(r *ingest.Report) int {
	seen := map[string]bool{}
	for _, p := range r.Problems {
		seen[p.Sheet+"!"+strconv.FormatInt(p.Line, 10)] = true
	}
	return len(seen)
}

// DatasetTitle is a dataset's name for people (its code if unknown).
func (v *view) DatasetTitle(name string) string {
	if d, ok := v.s.catalog().Dataset(name); ok {
		return d.Title.Get(string(v.Lang))
	}
	return name
}

// UploadLimit is the largest upload request, in bytes.
func (v *view) UploadLimit() int64 { return v.s.deps.UploadLimit }

// Bytes is a file size for people.
func (v *view) Bytes(n int64) string { return humanBytes(v.Lang, n) }

func toInt(x any) int {
	switch n := x.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case int32:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func toFloat(x any) float64 {
	switch n := x.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	case *float64:
		if n == nil {
			return math.NaN()
		}
		return *n
	}
	return math.NaN()
}

// humanBytes writes a size in KB, MB or GB (powers of 1024, as upload limits are set).
func humanBytes(lang i18n.Lang, n int64) string {
	units := []string{"byte", "KB", "MB", "GB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	dec := 0
	if f != math.Trunc(f) {
		dec = 1
	}
	return i18n.FormatNumber(lang, f, dec) + "\u00a0" + units[u]
}

func (s *Server) uploadLimitText(lang i18n.Lang) string { return humanBytes(lang, s.deps.UploadLimit) }

// render writes a whole page.
func (s *Server) render(c *fiber.Ctx, status int, page, title string, data any) error {
	return s.execute(c, status, page, "layout", s.newView(c, title, data))
}

// renderBlock writes one named block of a page (htmx partial responses).
func (s *Server) renderBlock(c *fiber.Ctx, status int, page, block, title string, data any) error {
	return s.execute(c, status, page, block, s.newView(c, title, data))
}

func (s *Server) execute(c *fiber.Ctx, status int, page, name string, v *view) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// renderError shows a failure as a page (or, for htmx, the message alone).
func (s *Server) renderError(c *fiber.Ctx, f failure, rid string) error {
	data := map[string]any{"Failure": f, "RequestID": rid}
	if isHTMX(c) {
		return s.renderBlock(c, f.Status, "error", "message", "error.generic.title", data)
	}
	return s.render(c, f.Status, "error", "error.generic.title", data)
}
