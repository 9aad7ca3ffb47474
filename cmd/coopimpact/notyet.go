package main

import (
	"context"
	"fmt"
	"io"

	"coopimpact/internal/config"
)

// notYet stands for a subcommand a later issue fills in: it says so and exits 2
// rather than pretend to work.
func notYet(name, summary string) func(context.Context, []string, io.Writer, io.Writer) int {
	return func(_ context.Context, args []string, stdout, stderr io.Writer) int {
		fs := newFlags(name, summary+" (not available yet)", stdout)
		var common config.Common
		common.Register(fs)
		if code, done := parseFlags(fs, args, stderr); done {
			return code
		}
		fmt.Fprintf(stderr, "coopimpact %s: not available yet\n", name)
		return 2
	}
}
