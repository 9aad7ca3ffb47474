package dashboards

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// static holds the portal's own CSS/JS and, under vendor/, the front-end
// libraries `make assets` copies from node_modules (pinned by package-lock.json).
//
//go:embed static
var staticFS embed.FS

// assets serves embedded files under content-hash URLs
// (/static/app.3f2a9c1d.css) so browsers may cache them forever.
type assets struct {
	byHashed map[string]asset // "app.3f2a9c1d.css" -> file
	urls     map[string]string
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byHashed: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel := strings.TrimPrefix(p, "static/")
		ext := path.Ext(rel)
		hashed := strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byHashed[hashed] = asset{body: b, contentType: ct}
		a.urls[rel] = "/static/" + hashed
		return nil
	})
	return a, err
}

// URL is the content-hash URL of a static file ("" when absent).
func (a *assets) URL(rel string) string { return a.urls[rel] }

func (s *Server) static(c *fiber.Ctx) error {
	f, ok := s.assets.byHashed[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, f.contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.body)
}
