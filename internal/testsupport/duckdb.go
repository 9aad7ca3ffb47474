package testsupport

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"coopimpact/internal/blob"
	"coopimpact/internal/store"
)

// Fixed keys: tests need repeatable pseudonyms and ciphertexts. Functions,
// not variables, so no test can change what another one gets.
func PseudoKey() []byte  { return bytes.Repeat([]byte{1}, 32) }
func ArchiveKey() []byte { return bytes.Repeat([]byte{2}, 32) }
func BlobKey() []byte    { return bytes.Repeat([]byte{3}, 32) }

// OpenDB opens (creating it) the real DuckDB file dir/name, spilling to
// dir/tmp, applies the core migrations and then migs, and closes the file
// when the test ends.
func OpenDB(t testing.TB, dir, name string, migs ...store.Migration) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, name), store.Options{TempDir: filepath.Join(dir, "tmp")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, append(store.Core(), migs...)); err != nil {
		t.Fatal(err)
	}
	return db
}

// LocalBlob is a local object store in dir/objects sealed with BlobKey.
func LocalBlob(t testing.TB, dir string) *blob.Local {
	t.Helper()
	bl, err := blob.NewLocal(filepath.Join(dir, "objects"), BlobKey(), "")
	if err != nil {
		t.Fatal(err)
	}
	return bl
}

// Querier is what *sql.DB, *sql.Conn and *store.DB have in common; TEMP
// objects live on a connection, so some tests must query through one.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Rows runs q and returns every row's values as the driver scans them into any.
func Rows(t testing.TB, db Querier, q string, args ...any) [][]any {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Columns returns the result columns of q as "name TYPE", with DuckDB's
// type names, in order.
func Columns(t testing.TB, db Querier, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cts {
		out = append(out, c.Name()+" "+c.DatabaseTypeName())
	}
	return out
}

// SharedPath finds shared/<rel...> beside the repository by walking up from
// the package folder. When it is missing the test is skipped, except under
// CI=true, where the shared material must be there.
func SharedPath(t testing.TB, rel ...string) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(append([]string{dir, "shared"}, rel...)...)
		if _, err := os.Stat(cand); err == nil {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	msg := "shared test material " + filepath.Join(append([]string{"shared"}, rel...)...) + " not found beside the repository"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
