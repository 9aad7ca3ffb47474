package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"coopimpact/internal/config"
)

// newFlags builds a subcommand's flag set whose --help shows each flag with
// its environment variable, so `coopimpact serve --help` lists every setting.
// commandFlags is newFlags with the flags every command shares (data
// folder, logging, memory limit) already registered.
func commandFlags(name, summary string, out io.Writer) (*flag.FlagSet, *config.Common) {
	fs := newFlags(name, summary, out)
	common := &config.Common{}
	common.Register(fs)
	return fs, common
}

func newFlags(name, summary string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: coopimpact %s [flags]\n\n%s\n\nFlags (each also read from the environment variable shown):\n", name, summary)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
			fmt.Fprintf(out, "  --%-16s %s%s\n      env %s\n", f.Name, f.Usage, def, config.EnvName(f.Name))
		})
	}
	return fs
}

// parseFlags parses args then the environment. It returns (exit code, done):
// done is true when the caller must return the code (help shown or bad flags).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if err := config.ApplyEnv(fs, nil); err != nil {
		fmt.Fprintf(stderr, "coopimpact %s: %v\n", fs.Name(), err)
		return 2, true
	}
	return 0, false
}

// oneLine keeps an error to its first line: users get a sentence, not a trace.
func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// parseFlagsInterleaved is parseFlags for commands that take files: flags may
// come before or after the files (`ingest a.csv --json` works like `ingest --json a.csv`).
func parseFlagsInterleaved(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, int, bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, true
			}
			return nil, 2, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if err := config.ApplyEnv(fs, nil); err != nil {
		fmt.Fprintf(stderr, "coopimpact %s: %v\n", fs.Name(), err)
		return nil, 2, true
	}
	return positional, 0, false
}
