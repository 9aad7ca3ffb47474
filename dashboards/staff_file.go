package dashboards

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"coopimpact/internal/auth"
)

// errStaffFile: the staff list cannot be read at all.
var errStaffFile = &webError{status: fiber.StatusBadRequest, code: "staff_file_unreadable", title: "error.invalid.title", text: "users.import.unreadable"}

// readStaffFile reads a staff list (name, email, role) from a CSV file
// (";" or "," sniffed from the header line; UTF-8, else Windows-1252) or
// the first sheet of an XLSX workbook. A header row naming the columns
// (Italian or English) may come first; without one the columns are name,
// email, role in this order. Rows keep their line number for messages.
func readStaffFile(path string) ([]auth.StaffRow, error) {
	head := make([]byte, 4)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 4 && bytes.Equal(head, []byte("PK\x03\x04")) {
		return readStaffXLSX(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return readStaffCSV(b)
}

func readStaffCSV(b []byte) ([]auth.StaffRow, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return nil, errStaffFile
		}
		b = dec
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, errStaffFile // binary, not text
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ','
	if bytes.Count(first, []byte(";")) >= bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errStaffFile
		}
		line, _ := r.FieldPos(0)
		records, lines = append(records, rec), append(lines, line)
	}
	return staffRows(records, lines), nil
}

func readStaffXLSX(path string) ([]auth.StaffRow, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, errStaffFile
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errStaffFile
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, errStaffFile
	}
	defer rows.Close()
	var records [][]string
	var lines []int
	for i := 1; rows.Next(); i++ {
		rec, err := rows.Columns()
		if err != nil {
			return nil, errStaffFile
		}
		records, lines = append(records, rec), append(lines, i)
	}
	return staffRows(records, lines), nil
}

// staffHeaders are the header spellings of each column, normalised.
var staffHeaders = map[string]string{
	"name": "name", "nome": "name", "nome e cognome": "name", "nominativo": "name", "cognome e nome": "name", "full name": "name",
	"email": "email", "e-mail": "email", "e mail": "email", "mail": "email", "indirizzo email": "email", "indirizzo e-mail": "email",
	"role": "role", "ruolo": "role", "profilo": "role",
}

// staffRows maps records to rows by the header if there is one, and skips blank rows.
func staffRows(records [][]string, lines []int) []auth.StaffRow {
	col := map[string]int{"name": 0, "email": 1, "role": 2}
	start := 0
	if len(records) > 0 {
		found := map[string]int{}
		for i, h := range records[0] {
			if k, ok := staffHeaders[strings.ToLower(strings.Join(strings.Fields(h), " "))]; ok {
				if _, dup := found[k]; !dup {
					found[k] = i
				}
			}
		}
		if _, ok := found["email"]; ok {
			col, start = map[string]int{"name": -1, "email": -1, "role": -1}, 1
			for k, i := range found {
				col[k] = i
			}
		}
	}
	get := func(rec []string, k string) string {
		if i := col[k]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	rows := []auth.StaffRow{}
	for i := start; i < len(records); i++ {
		rec := records[i]
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		rows = append(rows, auth.StaffRow{Line: lines[i], Name: get(rec, "name"), Email: get(rec, "email"), Role: get(rec, "role")})
	}
	return rows
}
