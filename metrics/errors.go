package metrics

import (
	"errors"
	"strings"
)

// Refusals of the Go API. The portal maps each to one status code.
var (
	// ErrNotFound: an indicator or cooperative that does not exist, or one the
	// scope may not see (the same answer, so existence does not leak).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: visible to the scope but not its to change.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: a request the caller can fix (a parameter value not allowed).
	ErrInvalid = errors.New("invalid input")
)

// Text is a sentence or a label in Italian and English.
type Text struct {
	It string `json:"it" yaml:"it"`
	En string `json:"en" yaml:"en"`
}

// In returns the text in lang ("en" for English, anything else Italian).
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.En
	}
	return t.It
}

// CatalogError is one problem of one catalogue file: which file, which
// indicator (empty for a problem of the whole file) and why, in both languages.
type CatalogError struct {
	File string // file name as given: "eco.yaml", or the path inside --catalog
	ID   string // indicator id, when the problem is one indicator's
	Text        // the problem
}

func (e *CatalogError) Error() string { return e.Message("en") }

// Message is the problem as one sentence in lang, naming the file and indicator.
func (e *CatalogError) Message(lang string) string {
	where := e.File
	if e.ID != "" {
		if lang == "en" {
			where += ", indicator " + e.ID
		} else {
			where += ", indicatore " + e.ID
		}
	}
	return where + ": " + e.In(lang)
}

// CatalogErrors is every problem found while loading or checking the
// catalogue; the catalogue is unusable while there is any.
type CatalogErrors []*CatalogError

func (es CatalogErrors) Error() string {
	var b strings.Builder
	if len(es) > 1 {
		b.WriteString("the indicator catalogue has problems: ")
	}
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// IndicatorError is an indicator whose SQL failed while computing (after the
// start-up checks passed: data-dependent failures such as two rows for one key).
// The recompute that met it wrote nothing.
type IndicatorError struct {
	ID   string
	File string
	Err  error
}

func (e *IndicatorError) Error() string {
	return "indicator " + e.ID + " (" + e.File + "): " + e.Err.Error()
}

func (e *IndicatorError) Unwrap() error { return e.Err }
