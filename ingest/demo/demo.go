package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Options sets the size and period of the generated network. Zero values take
// the defaults: 120 cooperatives, 2019–2025, seed 1, cohort start 2023.
type Options struct {
	Coops            int
	YearFrom, YearTo int
	Seed             int64
	CohortStart      int // first year of the programme; needs YearFrom < CohortStart ≤ YearTo
}

// File is one generated file, ready for the normal ingestion path.
type File struct {
	Dataset string // canonical dataset name (datasets.md)
	Path    string // outDir joined with the file name
	Format  string // "csv" or "xlsx"
	Rows    int    // data rows, without title and header rows
}

// CoopInfo describes one generated cooperative.
type CoopInfo struct {
	ID               string // 11-digit partita IVA
	Name             string
	Type             string  // A, B, AB, consortium, worker, other
	Region           string  // ISTAT region name
	Province         string  // two-letter sigla
	MunicipalityCode string  // ISTAT code, 6 digits
	Cohort           string  // "2023" style, empty when not in the programme
	Workers          int     // headcount on 31 December of YearTo
	FTE              float64 // average FTE over the months of YearTo
}

// Manifest lists the files in load order (cooperatives first, targets last)
// and the cooperatives generated.
type Manifest struct {
	Files []File
	Coops []CoopInfo
}

// Built-in programme effects, in the indicators' own units, so tests of the
// programme-effect estimate (difference in differences) can refer to them.
// "Cohort" values apply to cooperatives in the programme from CohortStart on;
// "Control" values to all the others.
const (
	// DIG-03: DMA overall score change T0→T1, drawn uniformly per cooperative.
	CohortDMAGainMin, CohortDMAGainMax   = 15.0, 25.0
	ControlDMAGainMin, ControlDMAGainMax = 0.0, 5.0

	// TIM-01: fall of the admin-hours share in percentage points, drawn
	// uniformly per cooperative, phased in linearly over AdminRampMonths.
	CohortAdminShareDropMin, CohortAdminShareDropMax = 5.0, 8.0
	ControlAdminShareDrop                            = 0.0
	AdminRampMonths                                  = 18

	// DIG-05: mean latent DigComp level gain per person T0→T1.
	CohortDigCompGain  = 1.0
	ControlDigCompGain = 0.2

	// DIG-06: yearly chance that a worker attends a digital course and the
	// mean hours of such a course (cohort from CohortStart on).
	CohortDigitalCourseRate  = 0.70
	ControlDigitalCourseRate = 0.12
	CohortDigitalCourseHours = 14.0
	ControlDigitalCourseHrs  = 8.0

	// MGT-01: yearly chance that a process below level 3 moves up one level.
	CohortProcessUpgradeRate  = 0.45
	ControlProcessUpgradeRate = 0.07

	// ProgrammeNeutralIndicator is the indicator the programme does NOT move:
	// ECO-01 operating margin is drawn from one distribution for every
	// cooperative, with no trend, so its programme effect is exactly 0.
	ProgrammeNeutralIndicator = "ECO-01"
	NeutralIndicatorEffect    = 0.0
)

// Dataset file names, in load order.
var fileNames = []struct{ dataset, name, format string }{
	{"cooperatives", "01_anagrafica_cooperative.xlsx", "xlsx"},
	{"workers", "02_lavoratori.csv", "csv"},
	{"hours", "03_ore_lavorate.csv", "csv"},
	{"finance", "04_bilanci.csv", "csv"},
	{"revenue_sources", "05_ricavi_per_committente.csv", "csv"},
	{"beneficiaries", "06_utenti.csv", "csv"},
	{"services", "07_prestazioni.csv", "csv"},
	{"processes", "08_processi.csv", "csv"},
	{"certifications", "09_certificazioni.xlsx", "xlsx"},
	{"trainings", "10_formazione.csv", "csv"},
	{"skills_assessments", "11_competenze_digitali.csv", "csv"},
	{"dma_responses", "12_dma.csv", "csv"},
	{"surveys", "13_questionari.csv", "csv"},
	{"governance_meetings", "14_riunioni_organi.csv", "csv"},
	{"targets", "15_obiettivi.csv", "csv"},
}

// OptionsError reports options that cannot produce a network; It and En carry
// the same message for the user in Italian and English.
type OptionsError struct {
	Field string
	It    string
	En    string
}

func (e *OptionsError) Error() string { return "demo: " + e.En }

// ErrOptions matches every *OptionsError with errors.Is.
var ErrOptions = errors.New("demo: invalid options")

func (e *OptionsError) Is(target error) bool { return target == ErrOptions }

func (o Options) normalise() (Options, error) {
	if o.Coops == 0 {
		o.Coops = 120
	}
	if o.YearFrom == 0 {
		o.YearFrom = 2019
	}
	if o.YearTo == 0 {
		o.YearTo = 2025
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.CohortStart == 0 {
		o.CohortStart = 2023
	}
	switch {
	case o.Coops < 1 || o.Coops > 100000:
		return o, &OptionsError{Field: "Coops",
			It: fmt.Sprintf("il numero di cooperative deve essere tra 1 e 100000 (indicato %d)", o.Coops),
			En: fmt.Sprintf("the number of cooperatives must be between 1 and 100000 (got %d)", o.Coops)}
	case o.YearFrom < 2000 || o.YearTo > 2100 || o.YearFrom > o.YearTo:
		return o, &OptionsError{Field: "YearFrom",
			It: fmt.Sprintf("il periodo %d–%d non è valido: servono anni tra 2000 e 2100, il primo non successivo all'ultimo", o.YearFrom, o.YearTo),
			En: fmt.Sprintf("the period %d–%d is not valid: years must lie in 2000–2100, the first not after the last", o.YearFrom, o.YearTo)}
	case o.CohortStart <= o.YearFrom || o.CohortStart > o.YearTo:
		return o, &OptionsError{Field: "CohortStart",
			It: fmt.Sprintf("l'anno di avvio della coorte (%d) deve cadere dopo il primo anno (%d) ed entro l'ultimo (%d), per avere un anno di riferimento", o.CohortStart, o.YearFrom, o.YearTo),
			En: fmt.Sprintf("the cohort start year (%d) must fall after the first year (%d) and not after the last (%d), so that a baseline year exists", o.CohortStart, o.YearFrom, o.YearTo)}
	}
	return o, nil
}

// Generate writes the demo network into outDir, one file per dataset, and
// returns the manifest. The same options always produce byte-identical files.
func Generate(ctx context.Context, opts Options, outDir string) (*Manifest, error) {
	o, err := opts.normalise()
	if err != nil {
		return nil, err
	}
	geo, err := loadGeography()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	n := newNetwork(o, geo)
	n.plan()
	out, err := openOutputs(outDir)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			out.closeAll()
		}
	}()
	for i := range n.coops {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n.simulate(n.coops[i], out)
	}
	n.writeTargets(out.targets)
	if err := out.closeAll(); err != nil {
		return nil, err
	}
	ok = true
	coopRows, err := n.writeCooperativesXLSX(filepath.Join(outDir, fileNames[0].name))
	if err != nil {
		return nil, err
	}
	certRows, err := n.writeCertificationsXLSX(filepath.Join(outDir, fileNames[8].name))
	if err != nil {
		return nil, err
	}
	m := &Manifest{}
	rows := map[string]int{"cooperatives": coopRows, "certifications": certRows}
	for ds, c := range out.byDataset() {
		rows[ds] = c.rows
	}
	for _, f := range fileNames {
		m.Files = append(m.Files, File{Dataset: f.dataset, Path: filepath.Join(outDir, f.name), Format: f.format, Rows: rows[f.dataset]})
	}
	for _, c := range n.coops {
		m.Coops = append(m.Coops, c.info())
	}
	return m, nil
}
