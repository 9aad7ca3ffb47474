package read

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// detectHead is how much of the file Detect looks at.
const detectHead = 8 << 10

// Detect tells the format of the file at path by its content (magic bytes
// first); the extension only breaks ties. Anything else, or a file that is
// empty, comes back as *FileError naming the accepted formats.
func Detect(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
	}
	defer f.Close()
	head := make([]byte, detectHead)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fileErrorf(CodeUnreadable, err, "il file non si può leggere", "the file cannot be read")
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(path))
	if len(head) == 0 {
		return "", fileErrorf(CodeEmpty, nil, "il file è vuoto", "the file is empty")
	}

	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return detectZip(path)
	case bytes.HasPrefix(head, []byte("PAR1")):
		return Parquet, nil
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è una cartella di lavoro Excel nel vecchio formato .xls oppure protetta da password: salvarla come .xlsx senza password oppure come CSV",
			"it is an Excel workbook in the old .xls format or a password-protected one: save it as .xlsx without a password, or as CSV")
	}
	if kind := binaryKind(head); kind != "" {
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è un file %s, non una tabella di dati: "+acceptedIt,
			"it is a %s file, not a data table: "+acceptedEn, kind)
	}
	enc, text := decodeHead(head)
	if enc == "" {
		return "", fileErrorf(CodeUnknownFormat, nil,
			"non è un file di testo né un formato di dati riconosciuto: "+acceptedIt,
			"it is neither a text file nor a known data format: "+acceptedEn)
	}
	body := bytes.TrimLeft(text, " \t\r\n\f\v")
	if len(body) == 0 {
		if len(head) < detectHead {
			return "", fileErrorf(CodeEmpty, nil, "il file è vuoto (contiene solo spazi)", "the file is empty (only blanks)")
		}
		return CSV, nil // a long blank preamble: let the CSV reader decide
	}
	jsonExt := ext == ".json" || ext == ".ndjson" || ext == ".jsonl"
	next := func() byte {
		rest := bytes.TrimLeft(body[1:], " \t\r\n")
		if len(rest) == 0 {
			return 0
		}
		return rest[0]
	}
	switch body[0] {
	case '[':
		if c := next(); c == '{' || c == ']' || jsonExt {
			return JSON, nil
		}
	case '{':
		if c := next(); c == '"' || c == '}' || jsonExt {
			return NDJSON, nil
		}
	case '<':
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è una pagina web o un file XML, non una tabella di dati: "+acceptedIt,
			"it is a web page or an XML file, not a data table: "+acceptedEn)
	}
	switch ext {
	case ".json", ".ndjson", ".jsonl":
		return "", fileErrorf(CodeJSON, nil,
			"il nome finisce in %s ma il contenuto non è JSON: servono un array di oggetti o un oggetto per riga",
			"its name ends in %s but it does not hold JSON: it must be an array of objects or one object per line", ext)
	case ".xlsx", ".xlsm":
		return "", fileErrorf(CodeXLSX, nil,
			"il nome finisce in %s ma non è una cartella di lavoro Excel valida (file danneggiato o rinominato)",
			"its name ends in %s but it is not a valid Excel workbook (damaged or renamed)", ext)
	case ".parquet":
		return "", fileErrorf(CodeParquet, nil,
			"il nome finisce in .parquet ma non è un file Parquet valido",
			"its name ends in .parquet but it is not a valid Parquet file")
	}
	return CSV, nil
}

// detectZip tells an xlsx from other zip archives.
func detectZip(path string) (Format, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", fileErrorf(CodeXLSX, err,
			"è un archivio ZIP o una cartella di lavoro Excel danneggiata e non si può aprire",
			"it is a damaged ZIP archive or Excel workbook and cannot be opened")
	}
	defer zr.Close()
	var ods, xlsb, docx bool
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		switch {
		case name == "xl/workbook.xml":
			return XLSX, nil
		case name == "xl/workbook.bin":
			xlsb = true
		case name == "word/document.xml" || name == "ppt/presentation.xml":
			docx = true
		case name == "mimetype":
			if rc, err := zf.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 200))
				rc.Close()
				ods = bytes.Contains(b, []byte("opendocument.spreadsheet"))
			}
		}
	}
	switch {
	case xlsb:
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è una cartella di lavoro Excel binaria (.xlsb): salvarla come .xlsx oppure come CSV",
			"it is a binary Excel workbook (.xlsb): save it as .xlsx or as CSV")
	case ods:
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è un foglio di calcolo OpenDocument (.ods): salvarlo come .xlsx oppure come CSV",
			"it is an OpenDocument spreadsheet (.ods): save it as .xlsx or as CSV")
	case docx:
		return "", fileErrorf(CodeUnknownFormat, nil,
			"è un documento Word o PowerPoint, non una tabella di dati: "+acceptedIt,
			"it is a Word or PowerPoint document, not a data table: "+acceptedEn)
	}
	return "", fileErrorf(CodeUnknownFormat, nil,
		"è un archivio ZIP e non una cartella di lavoro Excel: estrarre il file di dati e caricarlo; "+acceptedIt,
		"it is a ZIP archive, not an Excel workbook: extract the data file and upload it; "+acceptedEn)
}

// binaryKind names well-known non-tabular formats by their magic bytes.
func binaryKind(h []byte) string {
	magic := []struct{ prefix, kind string }{
		{"%PDF", "PDF"},
		{"\x89PNG", "PNG"},
		{"\xFF\xD8\xFF", "JPEG"},
		{"GIF87a", "GIF"}, {"GIF89a", "GIF"},
		{"II*\x00", "TIFF"}, {"MM\x00*", "TIFF"},
		{"\x1F\x8B", "gzip"},
		{"7z\xBC\xAF\x27\x1C", "7-Zip"},
		{"Rar!", "RAR"},
		{"{\\rtf", "RTF"},
		{"\x7FELF", "ELF"},
		{"SQLite format 3", "SQLite"},
		{"\x28\xB5\x2F\xFD", "zstd"},
	}
	for _, m := range magic {
		if bytes.HasPrefix(h, []byte(m.prefix)) {
			return m.kind
		}
	}
	if bytes.HasPrefix(h, []byte("RIFF")) && len(h) >= 12 && string(h[8:12]) == "WEBP" {
		return "WEBP"
	}
	return ""
}

// decodeHead guesses the text encoding of the first bytes and returns them
// as UTF-8 (invalid UTF-8 is fine here: only ASCII structure matters).
// enc is "" for binary content.
func decodeHead(h []byte) (enc string, text []byte) {
	switch {
	case bytes.HasPrefix(h, []byte("\xEF\xBB\xBF")):
		return "utf-8-bom", h[3:]
	case bytes.HasPrefix(h, []byte("\xFF\xFE")):
		return "utf-16le", utf16ToUTF8(h[2:], false)
	case bytes.HasPrefix(h, []byte("\xFE\xFF")):
		return "utf-16be", utf16ToUTF8(h[2:], true)
	}
	if le, ok := utf16NoBOM(h); ok {
		if le {
			return "utf-16le", utf16ToUTF8(h, false)
		}
		return "utf-16be", utf16ToUTF8(h, true)
	}
	ctrl := 0
	for _, c := range h {
		if c == 0 {
			return "", nil
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			ctrl++
		}
	}
	if ctrl*10 > len(h) {
		return "", nil
	}
	return "utf-8", h
}

// utf16NoBOM spots BOM-less UTF-16 text: ASCII characters leave a zero byte
// at every odd (LE) or even (BE) position.
func utf16NoBOM(h []byte) (le, ok bool) {
	n := len(h) &^ 1
	if n < 4 {
		return false, false
	}
	var zeroOdd, zeroEven int
	for i := 0; i < n; i += 2 {
		if h[i] == 0 {
			zeroEven++
		}
		if h[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 >= pairs*7 && zeroEven*10 < pairs:
		return true, true
	case zeroEven*10 >= pairs*7 && zeroOdd*10 < pairs:
		return false, true
	}
	return false, false
}
