package demo

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZTry(t *testing.T) {
	dir := os.Getenv("DEMO_OUT")
	if dir == "" {
		t.Skip()
	}
	st := time.Now()
	m, err := Generate(context.Background(), Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("elapsed", time.Since(st))
	for _, f := range m.Files {
		fi, _ := os.Stat(f.Path)
		t.Logf("%-22s %8d rows %10d bytes", f.Dataset, f.Rows, fi.Size())
	}
}
