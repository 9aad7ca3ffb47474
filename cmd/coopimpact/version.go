package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "print the version of coopimpact and of its embedded DuckDB", stdout)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	duck := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/duckdb/duckdb-go/v2" {
				duck = d.Version
			}
		}
	}
	fmt.Fprintf(stdout, "coopimpact %s (%s, duckdb-go %s)\n", version, runtime.Version(), duck)
	return 0
}
