package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed locales/*.json
var localeFS embed.FS

// Args gives placeholder values by name: T(lang, key, Args{"file": name}).
type Args = map[string]any

// catalogue is one language's messages, and its keys in file order.
type catalogue struct {
	msgs  map[string]string
	order []string
}

var catalogues = func() map[Lang]*catalogue {
	m := map[Lang]*catalogue{}
	for _, l := range All() {
		b, err := localeFS.ReadFile("locales/" + string(l) + ".json")
		if err != nil {
			panic("i18n: " + err.Error())
		}
		c, err := decode(b)
		if err != nil {
			// The files are embedded: a broken one is a build defect the tests catch.
			panic(fmt.Sprintf("i18n: locales/%s.json: %v", l, err))
		}
		m[l] = c
	}
	return m
}()

var keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// decode reads one flat JSON object of non-empty strings, keeping key order
// and refusing duplicates, which encoding/json would silently overwrite.
func decode(b []byte) (*catalogue, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want one JSON object")
	}
	c := &catalogue{msgs: map[string]string{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // inside an object the decoder only yields string keys
		var val any
		if err := dec.Decode(&val); err != nil {
			return nil, fmt.Errorf("%s: %v", key, err)
		}
		s, ok := val.(string)
		switch {
		case !keyPattern.MatchString(key):
			return nil, fmt.Errorf("key %q: want dotted lower_snake_case segments", key)
		case !ok:
			return nil, fmt.Errorf("key %q: want a string value (the files are flat)", key)
		case strings.TrimSpace(s) == "":
			return nil, fmt.Errorf("key %q: empty value", key)
		}
		if _, dup := c.msgs[key]; dup {
			return nil, fmt.Errorf("key %q appears twice", key)
		}
		c.msgs[key] = s
		c.order = append(c.order, key)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	return c, nil
}

// warned remembers what was already logged, so a missing key on a busy page
// logs once per process, not once per request.
var warned sync.Map

func warnOnce(what string, attrs ...any) {
	id := what + fmt.Sprintf("%q", attrs)
	if _, loaded := warned.LoadOrStore(id, struct{}{}); !loaded {
		slog.Warn(what, attrs...)
	}
}

// T returns the message for key in lang with its {placeholders} filled from
// args: alternating name/value pairs, or one Args map (see the package doc).
// A missing key returns the key itself and is logged once.
func T(lang Lang, key string, args ...any) string {
	lang = valid(lang)
	msg, ok := catalogues[lang].msgs[key]
	if !ok {
		warnOnce("i18n: missing translation", "lang", string(lang), "key", key)
		return key
	}
	if !strings.Contains(msg, "{") {
		return msg
	}
	return fill(lang, key, msg, argMap(args))
}

// TN returns the plural form of key for count n: key.one when n is 1, else
// key.other (the rule Italian and English share), with {n} set to n
// formatted for lang unless args give n themselves.
func TN(lang Lang, key string, n int, args ...any) string {
	lang = valid(lang)
	form := key + ".other"
	if n == 1 {
		form = key + ".one"
	}
	msg, ok := catalogues[lang].msgs[form]
	if !ok {
		warnOnce("i18n: missing translation", "lang", string(lang), "key", form)
		return form
	}
	m := argMap(args)
	if _, set := m["n"]; !set {
		m["n"] = FormatNumber(lang, float64(n), 0)
	}
	return fill(lang, form, msg, m)
}

// argMap turns T's variadic args into a map; a non-string name or an odd
// trailing name is dropped, as slog would make it a "!BADKEY" anyway.
func argMap(args []any) map[string]any {
	if len(args) == 1 {
		if m, ok := args[0].(map[string]any); ok {
			c := make(map[string]any, len(m)+1) // a copy: TN adds n
			maps.Copy(c, m)
			return c
		}
	}
	m := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if name, ok := args[i].(string); ok {
			m[name] = args[i+1]
		}
	}
	return m
}

// fill replaces each {name} in msg by its value; braces that do not form a
// placeholder are copied as they are.
func fill(lang Lang, key, msg string, args map[string]any) string {
	var b strings.Builder
	b.Grow(len(msg) + 16)
	for {
		open := strings.IndexByte(msg, '{')
		if open < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := strings.IndexByte(msg[open:], '}')
		if end < 0 {
			b.WriteString(msg)
			return b.String()
		}
		name := msg[open+1 : open+end]
		if !placeholderName(name) {
			b.WriteString(msg[:open+1])
			msg = msg[open+1:]
			continue
		}
		b.WriteString(msg[:open])
		if v, ok := args[name]; ok {
			b.WriteString(fmt.Sprint(v))
		} else {
			warnOnce("i18n: placeholder without a value", "lang", string(lang), "key", key, "placeholder", name)
			b.WriteString(msg[open : open+end+1])
		}
		msg = msg[open+end+1:]
	}
}

func placeholderName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// placeholders lists the distinct placeholder names in msg, sorted.
func placeholders(msg string) []string {
	var names []string
	for {
		open := strings.IndexByte(msg, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(msg[open:], '}')
		if end < 0 {
			break
		}
		if name := msg[open+1 : open+end]; placeholderName(name) {
			names = append(names, name)
			msg = msg[open+end+1:]
		} else {
			msg = msg[open+1:]
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Has reports whether lang has a message for key.
func Has(lang Lang, key string) bool {
	_, ok := catalogues[valid(lang)].msgs[key]
	return ok
}

// Keys lists lang's keys, sorted.
func Keys(lang Lang) []string {
	return slices.Sorted(slices.Values(catalogues[valid(lang)].order))
}
