package dashboards

import (
	"net/url"
	"strings"
)

// attachment is a Content-Disposition header for a download named name:
// an ASCII fallback and the exact name in RFC 5987 form.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + strings.ReplaceAll(url.QueryEscape(name), "+", "%20")
}
