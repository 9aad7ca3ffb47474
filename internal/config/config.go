// Package config resolves settings in one order for every subcommand:
// command-line flag, then environment variable COOPIMPACT_<NAME>, then default.
package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvPrefix is the prefix of every environment variable coopimpact reads.
const EnvPrefix = "COOPIMPACT_"

// EnvName is the environment variable that backs a flag: "log-format" -> COOPIMPACT_LOG_FORMAT.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(flagName))
}

// ApplyEnv fills every flag of fs that was not given on the command line from
// its environment variable, so flags override environment override defaults.
// It is called after fs.Parse.
func ApplyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		if v, ok := lookup(EnvName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", EnvName(f.Name), v, e)
			}
		}
	})
	return err
}

// Common holds the settings every subcommand takes.
type Common struct {
	DataDir     string
	LogFormat   string
	LogLevel    string
	MemoryLimit string
}

// Register adds the common flags to fs.
func (c *Common) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", "./data", "folder holding the DuckDB file, the local object storage and the installation secret")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.MemoryLimit, "memory-limit", "768MB", "DuckDB's memory limit; past it DuckDB spills to DATA/tmp")
}

// DBPath is the DuckDB file inside the data folder.
func (c *Common) DBPath() string { return filepath.Join(c.DataDir, "coopimpact.duckdb") }

// BlobDir is the local object-storage folder inside the data folder.
func (c *Common) BlobDir() string { return filepath.Join(c.DataDir, "objects") }

// TempDir is where DuckDB spills and where uploads are streamed.
func (c *Common) TempDir() string { return filepath.Join(c.DataDir, "tmp") }

// SecretPath is the installation secret (pseudonymisation and encryption keys).
func (c *Common) SecretPath() string { return filepath.Join(c.DataDir, "secret.key") }
