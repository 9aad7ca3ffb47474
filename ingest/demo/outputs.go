package demo

import "path/filepath"

// outputs holds the CSV files written while the cooperatives are simulated
// one after another (the two XLSX files are written at the end).
type outputs struct {
	workers, hours, finance, revenue, benef, services, processes,
	trainings, skills, dma, surveys, gov, targets *csvOut
	closed bool
}

// Headers: Italian aliases from datasets.md where it lists them, canonical
// names otherwise. The finance header carries an accented alias on purpose.
var (
	hdrWorkers = []string{"coop_id", "codice_fiscale", "sesso", "anno_nascita", "socio", "tipo_contratto",
		"percentuale_part_time", "data_assunzione", "data_cessazione", "motivo_cessazione", "qualifica",
		"responsabile", "ral", "svantaggiato", "categoria_svantaggio"}
	hdrHours   = []string{"coop_id", "person_id", "mese", "attivita", "ore"}
	hdrFinance = []string{"coop_id", "year", "valore_produzione", "revenue_sales", "revenue_sales_members",
		"public_grants", "private_donations", "costi_produzione", "costs_services", "costs_services_member_labour",
		"costo_personale", "personnel_cost_members", "depreciation", "net_result", "total_assets",
		"patrimonio_netto", "attivo_circolante", "passivo_corrente", "disponibilità_liquide", "crediti_pa",
		"digital_investment"}
	hdrRevenue = []string{"coop_id", "year", "counterparty_type", "is_public", "amount", "receivables_end"}
	hdrBenef   = []string{"coop_id", "beneficiary_id", "birth_year", "gender", "municipality_code", "disability",
		"non_self_sufficient", "minor", "family_with_disability", "double_disadvantage", "request_date",
		"intake_date", "end_date"}
	hdrServices  = []string{"coop_id", "beneficiary_id", "month", "service_type", "hours"}
	hdrProcesses = []string{"coop_id", "process_code", "snapshot_date", "area", "digitization_level", "tool_name",
		"go_live_date", "minutes_before", "minutes_after", "instances_per_year"}
	hdrTrainings = []string{"coop_id", "person_id", "course_title", "topic", "digcomp_area", "hours", "completed",
		"end_date", "cost"}
	hdrSkills  = []string{"coop_id", "person_id", "competence_code", "level", "wave", "assessed_on"}
	hdrDMA     = []string{"coop_id", "wave", "assessed_on", "question_code", "item_code", "value"}
	hdrSurveys = []string{"coop_id", "survey_id", "respondent_type", "respondent_key", "wave", "item_code", "value"}
	hdrGov     = []string{"coop_id", "body", "date", "entitled", "present"}
	hdrTargets = []string{"coop_id", "indicator_id", "year", "target_value", "baseline_value", "direction"}
	hdrCoops   = []string{"codice_fiscale", "denominazione", "tipologia", "regione", "provincia", "codice_comune",
		"anno_costituzione", "coorte"}
	hdrCerts = []string{"coop_id", "cert_type", "scope", "issuer", "issue_date", "expiry_date", "status", "score"}
)

func openOutputs(dir string) (*outputs, error) {
	o := &outputs{}
	specs := []struct {
		dst    **csvOut
		name   string
		style  csvStyle
		header []string
	}{
		{&o.workers, fileNames[1].name, csvStyle{cp1252: true, crlf: true}, hdrWorkers},
		{&o.hours, fileNames[2].name, csvStyle{}, hdrHours},
		{&o.finance, fileNames[3].name, csvStyle{cp1252: true, crlf: true}, hdrFinance},
		{&o.revenue, fileNames[4].name, csvStyle{}, hdrRevenue},
		{&o.benef, fileNames[5].name, csvStyle{bom: true, crlf: true}, hdrBenef},
		{&o.services, fileNames[6].name, csvStyle{}, hdrServices},
		{&o.processes, fileNames[7].name, csvStyle{}, hdrProcesses},
		{&o.trainings, fileNames[9].name, csvStyle{}, hdrTrainings},
		{&o.skills, fileNames[10].name, csvStyle{}, hdrSkills},
		{&o.dma, fileNames[11].name, csvStyle{}, hdrDMA},
		{&o.surveys, fileNames[12].name, csvStyle{}, hdrSurveys},
		{&o.gov, fileNames[13].name, csvStyle{}, hdrGov},
		{&o.targets, fileNames[14].name, csvStyle{}, hdrTargets},
	}
	for _, s := range specs {
		c, err := createCSV(filepath.Join(dir, s.name), s.style, s.header...)
		if c != nil {
			*s.dst = c
		}
		if err != nil {
			o.closeAll()
			return nil, err
		}
	}
	return o, nil
}

func (o *outputs) byDataset() map[string]*csvOut {
	return map[string]*csvOut{
		"workers": o.workers, "hours": o.hours, "finance": o.finance, "revenue_sources": o.revenue,
		"beneficiaries": o.benef, "services": o.services, "processes": o.processes, "trainings": o.trainings,
		"skills_assessments": o.skills, "dma_responses": o.dma, "surveys": o.surveys,
		"governance_meetings": o.gov, "targets": o.targets,
	}
}

// closeAll flushes and closes every file once, returning the first error.
func (o *outputs) closeAll() error {
	if o.closed {
		return nil
	}
	o.closed = true
	var first error
	for _, c := range []*csvOut{o.workers, o.hours, o.finance, o.revenue, o.benef, o.services, o.processes,
		o.trainings, o.skills, o.dma, o.surveys, o.gov, o.targets} {
		if c == nil {
			continue
		}
		if err := c.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
