package dashboards

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// Every /api/v1 route the app registers is in the OpenAPI document, and
// every operation the document describes is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	got := e.do(newReq("GET", "/api/v1/openapi.json"))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(got.body), &doc); err != nil || got.status != 200 {
		t.Fatalf("document: %d %v", got.status, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		route := path
		for strings.Contains(route, "{") {
			i, j := strings.Index(route, "{"), strings.Index(route, "}")
			route = route[:i] + ":" + route[i+1:j] + route[j+1:]
		}
		for method, op := range ops {
			var o struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || len(o.Responses) == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
			documented[strings.ToUpper(method)+" "+route] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		registered[r.Method+" "+r.Path] = true
	}
	for k := range registered {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for k := range documented {
		if !registered[k] {
			t.Errorf("openapi.json describes %s, which the app does not register", k)
		}
	}
	if len(registered) < 8 {
		t.Fatalf("only %d API routes", len(registered))
	}
	// Every $ref points at something the document defines.
	var whole map[string]any
	json.Unmarshal([]byte(got.body), &whole)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k == "$ref" {
					refs = append(refs, c.(string))
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(whole)
	sort.Strings(refs)
	for _, ref := range refs {
		var node any = whole
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := node.(map[string]any)
			if !ok || m[seg] == nil {
				t.Errorf("dangling $ref %s", ref)
				break
			}
			node = m[seg]
		}
	}
}
