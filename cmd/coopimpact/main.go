// Command coopimpact is the one binary of the platform: it ingests the
// cooperatives' files, computes the indicators and serves the portal.
// This file only dispatches subcommands; each lives in its own file.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand. run returns the process exit code:
// 0 success, 1 refused for the data's sake, 2 unusable input or failure.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists every subcommand in one place.
func commands() []command {
	return []command{
		{"serve", "start the web portal", runServe},
		{"demo", "generate and load the demo network of cooperatives", runDemo},
		{"ingest", "load cooperatives' files (CSV, XLSX, JSON, Parquet)", runIngest},
		{"metrics", "compute and show the indicators", runMetrics},
		{"courses", "import and manage training courses", notYet("courses", "import and manage training courses")},
		{"users", "manage portal accounts", runUsers},
		{"backup", "write a consistent backup of the data folder", notYet("backup", "write a consistent backup of the data folder")},
		{"restore", "restore a backup into an empty data folder", notYet("restore", "restore a backup into an empty data folder")},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "coopimpact: unknown command %q; run 'coopimpact --help' for the list\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "coopimpact — impact and sustainability indicators for a network of cooperatives")
	fmt.Fprintln(w, "\nUsage: coopimpact <command> [flags]   (coopimpact <command> --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set with COOPIMPACT_<FLAG> (e.g. COOPIMPACT_DATA); flags win over the environment.")
}
