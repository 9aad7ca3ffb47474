// Package ingesttest gives tests outside package ingest a real DuckDB file
// with the canonical tables, filled through ingest.Service exactly as a
// user's upload would be. It lives apart from testsupport because it imports
// ingest, whose own tests use testsupport.
package ingesttest

import (
	"context"
	"path/filepath"
	"testing"

	"coopimpact/ingest"
	ingestcatalog "coopimpact/ingest/catalog"
	"coopimpact/internal/store"
	"coopimpact/internal/testsupport"
)

// Hub is the scope fixtures load as: the network's administrator.
var Hub = ingest.Scope{User: "hub@test", Hub: true, Admin: true}

// Network is a real DuckDB file and the ingestion service writing to it.
type Network struct {
	DB  *store.DB
	Svc *ingest.Service
}

// Open opens dir/name with the core and ingest migrations plus extra, and an
// ingestion service keeping its objects and temporary files under dir.
func Open(t testing.TB, dir, name string, extra ...store.Migration) *Network {
	t.Helper()
	db := testsupport.OpenDB(t, dir, name, append(ingest.Migrations(), extra...)...)
	svc := &ingest.Service{DB: db, Blob: testsupport.LocalBlob(t, dir), Catalog: ingestcatalog.Default(),
		PseudoKey: testsupport.PseudoKey(), ArchiveKey: testsupport.ArchiveKey(), TempDir: filepath.Join(dir, "tmp")}
	return &Network{DB: db, Svc: svc}
}

// MustLoad ingests the file at path as dataset, as Hub, and fails the test
// unless it is loaded; rejected rows are the caller's to judge.
func (n *Network) MustLoad(t testing.TB, dataset, path string) *ingest.Report {
	t.Helper()
	rep, err := n.Svc.Ingest(context.Background(), Hub, ingest.Request{Dataset: dataset, Path: path, FileName: filepath.Base(path)})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if rep.Status != ingest.StatusLoaded {
		t.Fatalf("%s: status %s, problems %+v, error %+v", path, rep.Status, rep.Problems, rep.Error)
	}
	return rep
}
