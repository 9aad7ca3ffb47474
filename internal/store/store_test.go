package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrationAppliedOnce(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	migs := []Migration{
		{ID: "0002_b", SQL: "INSERT INTO t VALUES (2);"},
		{ID: "0001_a", SQL: "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"},
	}
	applied, err := db.Migrate(ctx, migs)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(applied, ",") != "0001_a,0002_b" {
		t.Fatalf("applied %v, want in id order", applied)
	}
	applied, err = db.Migrate(ctx, migs)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second run applied %v, %v", applied, err)
	}
	if n := count(t, db, "SELECT count(*) FROM t"); n != 2 {
		t.Fatalf("rows in t = %d, want 2 (each migration once)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM schema_migrations"); n != 2 {
		t.Fatalf("schema_migrations has %d rows, want 2", n)
	}
}

func TestFailingMigrationLeavesFileAsItWas(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, []Migration{{ID: "0001_a", SQL: "CREATE TABLE t (x INTEGER);"}}); err != nil {
		t.Fatal(err)
	}
	bad := Migration{ID: "0002_bad", SQL: "CREATE TABLE u (y INTEGER); INSERT INTO t VALUES (1); SELECT * FROM no_such_table;"}
	_, err := db.Migrate(ctx, []Migration{{ID: "0001_a", SQL: "CREATE TABLE t (x INTEGER);"}, bad})
	var me *MigrationError
	if !errors.As(err, &me) || me.ID != "0002_bad" {
		t.Fatalf("want MigrationError for 0002_bad, got %v", err)
	}
	if n := count(t, db, "SELECT count(*) FROM schema_migrations"); n != 1 {
		t.Fatalf("schema_migrations has %d rows, want 1", n)
	}
	if n := count(t, db, "SELECT count(*) FROM t"); n != 0 {
		t.Fatalf("t has %d rows, want 0 (insert rolled back)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'u'"); n != 0 {
		t.Fatal("table u exists: the failed migration's DDL was not rolled back")
	}
}

func TestCoreMigrationsApply(t *testing.T) {
	db := openTemp(t)
	if _, err := db.Migrate(context.Background(), Core()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT count(*) FROM ingest_runs"); n != 0 {
		t.Fatalf("ingest_runs has %d rows", n)
	}
}

// The helper process holds the file until its stdin closes.
func TestMain(m *testing.M) {
	if p := os.Getenv("STORE_TEST_HOLD"); p != "" {
		db, err := Open(context.Background(), p, Options{})
		if err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		buf := make([]byte, 1)
		os.Stdin.Read(buf)
		db.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestSecondProcessGetsErrLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORE_TEST_HOLD="+path)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("helper did not hold the file: %q %v", buf, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := Open(ctx, path, Options{})
	var le *ErrLocked
	if !errors.As(err, &le) {
		t.Fatalf("want ErrLocked, got %v", err)
	}
	if le.PID != "" && le.PID != strconv.Itoa(cmd.Process.Pid) {
		t.Errorf("PID %s, want %d", le.PID, cmd.Process.Pid)
	}
	msg := err.Error()
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "use the running server") {
		t.Fatalf("want one plain sentence, got %q", msg)
	}
}
