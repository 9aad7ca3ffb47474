package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The SQL HMAC must equal crypto/hmac: a second, independent computation.
func TestPseudoMacroIsHMACSHA256(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // TEMP macros live on one connection
	key := []byte("0123456789abcdef0123456789abcdef")
	if _, err := db.Exec(pseudoMacroSQL(key)); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"RSSMRA80A01H501U", "", "à è ì ò ù €", "x", string(make([]byte, 200))} {
		var got string
		if err := db.QueryRow(`SELECT lower(hex(ci_pseudo(?)))`, in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(in))
		if want := hex.EncodeToString(m.Sum(nil)); got != want {
			t.Fatalf("ci_pseudo(%q) = %s, want %s", in, got, want)
		}
	}
	var null sql.NullString
	db.QueryRow(`SELECT ci_pseudo(NULL)`).Scan(&null)
	if null.Valid {
		t.Fatal("NULL must stay NULL")
	}
}
