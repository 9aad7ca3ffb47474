package ingest

import "fmt"

// Problem is one row-level finding, reported where the clerk can find it:
// the line (or sheet and row), the column, the value as written, and the rule
// in plain Italian and English.
type Problem struct {
	Line      int64  `json:"line"`
	Sheet     string `json:"sheet"`
	Column    string `json:"column"`
	Value     string `json:"value"`
	Rule      string `json:"rule"`
	MessageIt string `json:"message_it"`
	MessageEn string `json:"message_en"`
}

// Where is "riga 12" / "Foglio1!12" style location for humans.
func (p Problem) Where(lang string) string {
	if p.Sheet != "" {
		return fmt.Sprintf("%s!%d", p.Sheet, p.Line)
	}
	if lang == "en" {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("riga %d", p.Line)
}

// Message is the rule in the user's language.
func (p Problem) Message(lang string) string {
	if lang == "en" {
		return p.MessageEn
	}
	return p.MessageIt
}

// FileError means the file (or the request) cannot be used at all: nothing
// was touched. It carries one sentence in each language.
type FileError struct {
	Code string
	It   string
	En   string
}

func (e *FileError) Error() string { return e.En }

// Message is the sentence in the user's language.
func (e *FileError) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.It
}

func fileErr(code, it, en string, args ...any) *FileError {
	return &FileError{Code: code, It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...)}
}
