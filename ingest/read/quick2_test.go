package read

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestQuickPerf(t *testing.T) {
	conn := newConn(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		conn.ExecContext(ctx, "DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS b")
		t0 := time.Now()
		_, err := conn.ExecContext(ctx, "CREATE TEMP TABLE b AS SELECT * FROM read_csv('/tmp/hours.csv', delim=';', header=true, auto_detect=false, decimal_separator=',', columns={'coop':'VARCHAR','m':'VARCHAR','mese':'VARCHAR','a':'VARCHAR','ore':'DOUBLE'})")
		if err != nil { t.Fatal(err) }
		bare := time.Since(t0)
		t0 = time.Now()
		s, err := Stage(ctx, conn, "/tmp/hours.csv", "t", Options{})
		if err != nil { t.Fatal(err) }
		ours := time.Since(t0)
		fmt.Println(bare, ours, float64(ours)/float64(bare), s.Rows)
	}
	// scan only
	f, _ := os.Open("/tmp/hours.csv")
	t0 := time.Now()
	sc := newCSVScanner(';', func(r *csvRecord) bool { return true })
	scanAll(ctx, f, sc, &utf8Check{})
	fmt.Println("scan", time.Since(t0), sc.records)
}
