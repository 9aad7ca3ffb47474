package ingest

import (
	"context"
	"database/sql"
	"errors"

	"coopimpact/ingest/catalog"
	"coopimpact/ingest/read"
)

// input is the file being loaded: staged in the temp table stg, or (a
// regular CSV file) in the reader's lane, a numbered copy DuckDB reads
// directly and stages only when the detailed checks need it.
type input struct {
	ds      *catalog.Dataset
	b       *binding
	notices []Notice
	staged  *read.Staged
	lane    *read.Lane // nil once staged
	copies  []*read.Lane
}

// read stages the file, or prepares it in the lane, and binds its headers
// to the dataset (named, or detected from the headers).
func (s *Service) read(ctx context.Context, conn *sql.Conn, req Request, format read.Format, ds *catalog.Dataset,
	sc Scope, coopCtx, file string) (*input, error) {
	in := &input{}
	opts := read.Options{Sheet: req.Sheet, HeaderScore: s.headerScore(ds), TempDir: s.TempDir}
	if format == read.CSV && !s.noLane {
		lane, err := read.PrepareCSV(ctx, req.Path, opts, func(headers []string, line int) (read.LanePlan, error) {
			st := &read.Staged{Format: read.CSV, Headers: headers, HeaderLine: line}
			if err := in.resolve(s, ds, st, sc, coopCtx, file); err != nil {
				return read.LanePlan{}, err
			}
			return read.LanePlan{
				Keys:  stagedIndexes(in.b, in.ds.Keys),
				Tuple: stagedIndexes(in.b, sliceColumns(in.ds)),
			}, nil
		})
		if err != nil {
			return nil, asFileError(err, file)
		}
		if lane != nil {
			in.lane, in.staged = lane, &lane.Staged
			in.copies = append(in.copies, lane)
			s.debug("csv lane", "rows", lane.Rows, "keys_distinct", lane.KeysDistinct, "tuples", len(lane.Tuples))
			return in, nil
		}
	}
	staged, err := read.Stage(ctx, conn, req.Path, "stg", opts)
	if err != nil {
		return nil, asFileError(err, file)
	}
	if err := in.resolve(s, ds, staged, sc, coopCtx, file); err != nil {
		return nil, err
	}
	in.staged = staged
	return in, nil
}

// resolve finds the dataset (when not named) and binds the headers.
func (in *input) resolve(s *Service, ds *catalog.Dataset, st *read.Staged, sc Scope, coopCtx, file string) error {
	if ds == nil {
		if ds, _ = s.Catalog.Detect(st.Headers); ds == nil {
			return fileErr("unknown_dataset",
				"non riesco a capire che dati contiene %s dalle intestazioni: indicare il tipo di dati (ad es. workers, hours, finance)",
				"cannot tell which dataset %s holds from its headers: name the dataset (e.g. workers, hours, finance)", file)
		}
		if ds.Level == catalog.LevelHub && !sc.Hub {
			return fileErr("hub_only", "i dati «%s» li carica solo l'hub della rete", "only the network hub may load %q data", ds.Name)
		}
	}
	b, notices, err := s.bind(ds, st, coopCtx, file)
	if err != nil {
		return err
	}
	in.ds, in.b, in.notices = ds, b, notices
	return nil
}

// stage turns a lane into the staged table stg.
func (in *input) stage(ctx context.Context, conn *sql.Conn) error {
	if in.lane == nil {
		return nil
	}
	if err := in.lane.Stage(ctx, conn, "stg"); err != nil {
		return err
	}
	in.lane = nil
	return nil
}

// mapInput builds the maps of distinct spellings (Service.buildMaps): from
// the lane's spellings, or from the staged table — staging the lane first
// when its spellings cannot make a map.
func (s *Service) mapInput(ctx context.Context, conn *sql.Conn, in *input) error {
	if in.lane != nil {
		err := s.buildMaps(ctx, conn, in.ds, in.b, in.staged.Rows, in.lane.Spellings, in.lane.Codes)
		if !errors.Is(err, errNeedStage) {
			return err
		}
		s.debug("lane staged", "why", "an enum or yes/no column has too many spellings")
		if err := in.stage(ctx, conn); err != nil {
			return err
		}
	}
	return s.buildMaps(ctx, conn, in.ds, in.b, in.staged.Rows, nil, nil)
}

// spellings is a table expression of the distinct spellings of the staged
// columns cols are read from (see distinctStaged).
func (in *input) spellings(ctx context.Context, conn *sql.Conn, cols []string) (string, error) {
	if in.lane == nil {
		return distinctStaged(in.b, cols, "stg"), nil
	}
	raws := stagedColumns(in.b, cols)
	if len(raws) == 0 || in.lane.Tuples == nil {
		return distinctStaged(in.b, cols, in.lane.Source()), nil
	}
	defs := make([]string, len(raws))
	for i, r := range raws {
		defs[i] = r + " VARCHAR"
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _tuples ("+joinComma(defs)+")"); err != nil {
		return "", err
	}
	if err := read.AppendTemp(conn, "_tuples", in.lane.Tuples); err != nil {
		return "", err
	}
	return "_tuples", nil
}

func (in *input) close() {
	for _, l := range in.copies {
		l.Close()
	}
}
