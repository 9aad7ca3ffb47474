package dashboards

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"coopimpact/internal/auth"
)

// Request body limits, per route.
const (
	formLimit   = 64 << 10 // forms and JSON
	importLimit = 10 << 20 // a staff list (CSV or XLSX)
)

// routes installs every route of the portal, in one place. Each route lists
// what guards it, in order: the body limit and CSRF check (every
// state-changing route, via post/del), loggedIn (401, or the login page),
// inCoop (the :coop_id in scope, else 404) and allow (the roles, else 403).
func (s *Server) routes() {
	app := s.app
	app.Use(s.requestID, s.accessLog, s.securityHeaders, s.authenticate)

	hubAdmin := s.allow(auth.RoleHubAdmin)
	admins := s.allow(auth.RoleHubAdmin, auth.RoleCoopAdmin)
	readers := s.allow(auth.RoleHubAdmin, auth.RoleHubAnalyst, auth.RoleCoopAdmin, auth.RoleBoard)
	upload := s.deps.UploadLimit

	// Operations.
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.loggedIn, hubAdmin, s.metricsShow)
	app.Get("/static/*", s.static)
	if s.deps.BlobHandler != nil {
		app.Get("/blob/*", adaptor.HTTPHandler(s.deps.BlobHandler))
	}

	// Signing in and out, passwords, preferences.
	app.Get("/login", s.loginShow)
	s.post("/login", formLimit, s.loginSubmit)
	s.post("/logout", formLimit, s.logoutSubmit)
	app.Get("/reset/:token", s.resetShow)
	s.post("/reset/:token", formLimit, s.resetSubmit)
	s.post("/preferences", formLimit, s.preferencesSubmit)
	app.Get("/password", s.loggedIn, s.passwordShow)
	s.post("/password", formLimit, s.loggedIn, s.passwordSubmit)
	app.Get("/settings", s.loggedIn, s.settingsShow)
	s.post("/settings", formLimit, s.loggedIn, s.settingsSubmit)
	app.Get("/settings/tokens", s.loggedIn, s.tokensList)
	s.post("/settings/tokens", formLimit, s.loggedIn, s.tokenCreate)
	s.post("/settings/tokens/:id/revoke", formLimit, s.loggedIn, s.tokenRevoke)

	// Pages.
	app.Get("/", s.loggedIn, s.homeShow)
	app.Get("/coops", s.loggedIn, s.coopsList)
	app.Get("/coops/:coop_id", s.loggedIn, s.inCoop, s.coopShow)
	app.Get("/templates", s.loggedIn, s.templatesList)
	app.Get("/templates/:dataset/:format", s.loggedIn, s.templateDownload)

	// Data: uploads and their history.
	app.Get("/upload", s.loggedIn, hubAdmin, s.uploadShow)
	s.postStream("/upload", upload, s.loggedIn, hubAdmin, s.uploadSubmit)
	app.Get("/coops/:coop_id/upload", s.loggedIn, s.inCoop, admins, s.uploadShow)
	s.postStream("/coops/:coop_id/upload", upload, s.loggedIn, s.inCoop, admins, s.uploadSubmit)
	app.Get("/runs", s.loggedIn, hubAdmin, s.runsList)
	app.Get("/coops/:coop_id/runs", s.loggedIn, s.inCoop, admins, s.runsList)
	app.Get("/runs/:run_id/file", s.loggedIn, s.runDownload)

	// Accounts.
	app.Get("/users", s.loggedIn, admins, s.usersList)
	app.Get("/users/new", s.loggedIn, admins, s.userNew)
	s.post("/users", formLimit, s.loggedIn, admins, s.userCreate)
	app.Get("/users/import", s.loggedIn, admins, s.usersImportShow)
	s.postStream("/users/import", importLimit, s.loggedIn, admins, s.usersImportSubmit)
	app.Get("/users/:id<int>", s.loggedIn, s.userShow)
	s.post("/users/:id<int>", formLimit, s.loggedIn, s.userUpdate)
	s.post("/users/:id<int>/disable", formLimit, s.loggedIn, s.userDisable)
	s.post("/users/:id<int>/enable", formLimit, s.loggedIn, s.userEnable)
	s.post("/users/:id<int>/reset-link", formLimit, s.loggedIn, s.userResetLink)

	// JSON API (documented in openapi.json; a test keeps the two in step).
	app.Get("/api/v1/openapi.json", s.apiOpenAPIShow)
	s.post("/api/v1/session", formLimit, s.apiSessionCreate)
	s.del("/api/v1/session", formLimit, s.apiSessionDelete)
	app.Get("/api/v1/me", s.loggedIn, s.apiMeShow)
	app.Get("/api/v1/cooperatives", s.loggedIn, s.apiCoopsList)
	app.Get("/api/v1/cooperatives/:coop_id/indicators", s.loggedIn, s.inCoop, readers, s.apiIndicatorsShow)
	s.postStream("/api/v1/cooperatives/:coop_id/uploads", upload, s.loggedIn, s.inCoop, admins, s.apiUploadCreate)
	app.Get("/api/v1/cooperatives/:coop_id/ingest-runs", s.loggedIn, s.inCoop, admins, s.apiRunsList)
	app.Get("/api/v1/ingest-runs/:run_id/file", s.loggedIn, s.runDownload)
	app.Get("/api/v1/datasets", s.loggedIn, s.apiDatasetsList)
	app.Get("/api/v1/templates/:dataset/:format", s.loggedIn, s.templateDownload)

	app.Use(s.notFound)
}

// post installs a state-changing route: body limit, then CSRF, then the rest.
func (s *Server) post(path string, max int64, h ...fiber.Handler) {
	s.app.Post(path, append([]fiber.Handler{s.limit(max, false), s.csrf}, h...)...)
}

// postStream is post for a multipart upload read as a stream (see receive).
func (s *Server) postStream(path string, max int64, h ...fiber.Handler) {
	s.app.Post(path, append([]fiber.Handler{s.limit(max, true), s.csrf}, h...)...)
}

func (s *Server) del(path string, max int64, h ...fiber.Handler) {
	s.app.Delete(path, append([]fiber.Handler{s.limit(max, false), s.csrf}, h...)...)
}
