package catalog

import (
	"reflect"
	"testing"
)

func TestNormalizeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{" Codice Fiscale ", "codice_fiscale"},
		{"Attività", "attivita"},
		{"Data-Assunzione", "data_assunzione"},
		{"data__assunzione", "data_assunzione"},
		{"DATA.ASSUNZIONE", "data_assunzione"},
		{"Tipo / Contratto", "tipo_contratto"},
		{"_ore_", "ore"},
		{"% Part-Time", "part_time"},
		{"Utile (perdita) dell'esercizio", "utile_perdita_dell_esercizio"},
		{"Crediti al 31/12", "crediti_al_31_12"},
		{"\ufeffcoop_id", "coop_id"},
		{"Anno\u00a0di\tnascita", "anno_di_nascita"},
		{"Città", "citta"},
		{"PERCENTUALE PART TIME", "percentuale_part_time"},
		{"", ""},
		{" - ", ""},
	}
	for _, tt := range tests {
		if got := NormalizeHeader(tt.in); got != tt.want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeEnumKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tempo  Indeterminato", "tempo indeterminato"},
		{" fixed_term ", "fixed term"},
		{"fixed-term", "fixed term"},
		{"Contabilità", "contabilita"},
		{"Valle d’Aosta", "valle d aosta"},
		{"Trentino-Alto Adige / Südtirol", "trentino alto adige/sudtirol"},
		{"1.1", "1.1"},
		{"1,1", "1,1"},
		{"SÌ", "si"},
		{"-", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeEnumKey(tt.in); got != tt.want {
			t.Errorf("NormalizeEnumKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchHeadersWorkers(t *testing.T) {
	d, _ := Default().Dataset("workers")
	headers := []string{" Codice Fiscale ", "SESSO", "Anno di nascita", "Socio", "Tipo Contratto",
		"Percentuale part-time", "Data-Assunzione", "data_cessazione", "Motivo cessazione", "Mansione",
		"Nome", "COGNOME", "Reparto", "", "Ral"}
	m := d.MatchHeaders(headers)
	wantCols := map[string]int{"person_id": 0, "gender": 1, "birth_year": 2, "is_member": 3, "contract_type": 4,
		"fte": 5, "start_date": 6, "end_date": 7, "exit_reason": 8, "role_category": 9, "annual_gross_pay": 14}
	if !reflect.DeepEqual(m.Columns, wantCols) {
		t.Errorf("Columns = %v\nwant %v", m.Columns, wantCols)
	}
	if !reflect.DeepEqual(m.Scale, map[string]float64{"fte": 0.01}) || m.ScaleOf("fte") != 0.01 || m.ScaleOf("gender") != 1 {
		t.Errorf("Scale = %v", m.Scale)
	}
	if !reflect.DeepEqual(m.Percent, map[string]bool{"fte": true}) {
		t.Errorf("Percent = %v", m.Percent)
	}
	if !reflect.DeepEqual(m.NameLike, []string{"Nome", "COGNOME"}) {
		t.Errorf("NameLike = %v", m.NameLike)
	}
	if !reflect.DeepEqual(m.Unknown, []string{"Reparto"}) {
		t.Errorf("Unknown = %v", m.Unknown)
	}
	if len(m.Missing) != 0 || !m.CoopIDMissing || !m.OK() || len(m.Ambiguous) != 0 {
		t.Errorf("Missing %v CoopIDMissing %v Ambiguous %v", m.Missing, m.CoopIDMissing, m.Ambiguous)
	}

	// "ULA" reads fte as it is: no scale, not a percentage.
	m = d.MatchHeaders([]string{"ULA"})
	if m.Columns["fte"] != 0 || len(m.Scale) != 0 || len(m.Percent) != 0 {
		t.Errorf("ULA: %+v", m)
	}
}

func TestMatchHeadersVariants(t *testing.T) {
	tests := []struct {
		ds, header, column string
	}{
		{"workers", "codice_fiscale", "person_id"},
		{"workers", "CODICE FISCALE", "person_id"},
		{"workers", "Codice-Fiscale", "person_id"},
		{"workers", "  codice fiscale\t", "person_id"},
		{"workers", "Matricola", "person_id"},
		{"workers", "id lavoratore", "person_id"},
		{"workers", "Genere", "gender"},
		{"workers", "anno_nascita", "birth_year"},
		{"workers", "tipo contratto", "contract_type"},
		{"workers", "ula", "fte"},
		{"workers", "Data assunzione", "start_date"},
		{"workers", "Data cessazione", "end_date"},
		{"workers", "motivo_cessazione", "exit_reason"},
		{"workers", "Qualifica", "role_category"},
		{"workers", "Responsabile", "is_manager"},
		{"workers", "RAL", "annual_gross_pay"},
		{"workers", "Svantaggiato", "is_disadvantaged"},
		{"workers", "Categoria svantaggio", "disadvantage_category"},
		{"workers", "FTE", "fte"},
		{"cooperatives", "CF", "coop_id"},
		{"cooperatives", "Partita IVA", "coop_id"},
		{"cooperatives", "P.IVA", "coop_id"},
		{"cooperatives", "piva", "coop_id"},
		{"cooperatives", "Denominazione", "name"},
		{"cooperatives", "Ragione sociale", "name"},
		{"cooperatives", "Nome", "name"},
		{"cooperatives", "Tipologia", "coop_type"},
		{"cooperatives", "tipo", "coop_type"},
		{"cooperatives", "Regione", "region"},
		{"cooperatives", "Provincia", "province"},
		{"cooperatives", "codice comune", "municipality_code"},
		{"cooperatives", "comune_istat", "municipality_code"},
		{"cooperatives", "Anno costituzione", "founded_year"},
		{"cooperatives", "Coorte", "cohort"},
		{"cooperatives", "bando", "cohort"},
		{"hours", "Mese", "month"},
		{"hours", "periodo", "month"},
		{"hours", "Attività", "activity"},
		{"hours", "ORE", "hours"},
		{"finance", "Valore della produzione", "value_of_production"},
		{"finance", "valore_produzione", "value_of_production"},
		{"finance", "costi_produzione", "production_costs"},
		{"finance", "Costo del personale", "personnel_cost"},
		{"finance", "costo_personale", "personnel_cost"},
		{"finance", "patrimonio_netto", "equity"},
		{"finance", "attivo_circolante", "current_assets"},
		{"finance", "passivo_corrente", "current_liabilities"},
		{"finance", "disponibilita_liquide", "cash"},
		{"finance", "Disponibilità liquide", "cash"},
		{"finance", "crediti_pa", "receivables_public"},
		{"finance", "Utile (perdita)", "net_result"},
		{"finance", "utile_perdita", "net_result"},
		{"finance", "ammortamenti", "depreciation"},
		{"finance", "totale_attivo", "total_assets"},
		{"finance", "investimenti_digitali", "digital_investment"},
		{"finance", "B7", "costs_services"},
		{"finance", "Esercizio", "year"},
		{"finance", "codice fiscale", "coop_id"},
		{"revenue_sources", "Importo", "amount"},
		{"revenue_sources", "Tipo committente", "counterparty_type"},
		{"beneficiaries", "Codice utente", "beneficiary_id"},
		{"beneficiaries", "Non autosufficiente", "non_self_sufficient"},
		{"beneficiaries", "Data presa in carico", "intake_date"},
		{"services", "tipo_servizio", "service_type"},
		{"services", "Ore erogate", "hours"},
		{"processes", "Livello digitalizzazione", "digitization_level"},
		{"certifications", "tipo_certificazione", "cert_type"},
		{"certifications", "Data rilascio", "issue_date"},
		{"certifications", "data_scadenza", "expiry_date"},
		{"certifications", "Stato", "status"},
		{"trainings", "Titolo corso", "course_title"},
		{"skills_assessments", "codice_competenza", "competence_code"},
		{"skills_assessments", "Livello", "level"},
		{"skills_assessments", "Rilevazione", "wave"},
		{"dma_responses", "Domanda", "question_code"},
		{"dma_responses", "voce", "item_code"},
		{"dma_responses", "Valore", "value"},
		{"surveys", "Tipo rispondente", "respondent_type"},
		{"governance_meetings", "Organo", "body"},
		{"governance_meetings", "Data", "date"},
		{"governance_meetings", "Aventi diritto", "entitled"},
		{"governance_meetings", "Presenti", "present"},
		{"targets", "Indicatore", "indicator_id"},
		{"targets", "Direzione", "direction"},
		{"targets", "Baseline", "baseline_value"},
	}
	for _, tt := range tests {
		d, _ := Default().Dataset(tt.ds)
		m := d.MatchHeaders([]string{"x", tt.header})
		if idx, ok := m.Columns[tt.column]; !ok || idx != 1 {
			t.Errorf("%s: %q -> %v, want %s", tt.ds, tt.header, m.Columns, tt.column)
		}
	}
}

func TestMatchHeadersPrecedence(t *testing.T) {
	w, _ := Default().Dataset("workers")
	// The alias listed first wins; the other header is reported, not used.
	m := w.MatchHeaders([]string{"Matricola", "Codice fiscale"})
	if m.Columns["person_id"] != 1 || !reflect.DeepEqual(m.Ambiguous, [][2]string{{"person_id", "Matricola"}}) {
		t.Errorf("alias order: %v %v", m.Columns, m.Ambiguous)
	}
	// The canonical name beats any alias, whatever the order.
	m = w.MatchHeaders([]string{"cf", "person_id"})
	if m.Columns["person_id"] != 1 || !reflect.DeepEqual(m.Ambiguous, [][2]string{{"person_id", "cf"}}) {
		t.Errorf("canonical: %v %v", m.Columns, m.Ambiguous)
	}
	// Same alias twice: the leftmost stays.
	m = w.MatchHeaders([]string{"sesso", "Sesso"})
	if m.Columns["gender"] != 0 || !reflect.DeepEqual(m.Ambiguous, [][2]string{{"gender", "Sesso"}}) {
		t.Errorf("leftmost: %v %v", m.Columns, m.Ambiguous)
	}
}

func TestMatchHeadersMissing(t *testing.T) {
	h, _ := Default().Dataset("hours")
	m := h.MatchHeaders([]string{"coop_id", "mese"})
	if !reflect.DeepEqual(m.Missing, []string{"person_id", "activity", "hours"}) || m.CoopIDMissing || m.OK() {
		t.Errorf("hours: Missing %v CoopIDMissing %v", m.Missing, m.CoopIDMissing)
	}
	// targets: coop_id is optional (empty = network-wide), so no flag.
	tg, _ := Default().Dataset("targets")
	m = tg.MatchHeaders([]string{"indicatore", "anno", "obiettivo", "direzione"})
	if len(m.Missing) != 0 || m.CoopIDMissing {
		t.Errorf("targets: Missing %v CoopIDMissing %v", m.Missing, m.CoopIDMissing)
	}
	// cooperatives: "Nome" is the cooperative's name, not a person's.
	co, _ := Default().Dataset("cooperatives")
	m = co.MatchHeaders([]string{"Nome", "Regione", "Cognome"})
	if m.Columns["name"] != 0 || !reflect.DeepEqual(m.NameLike, []string{"Cognome"}) {
		t.Errorf("cooperatives: %v name-like %v", m.Columns, m.NameLike)
	}
	if !reflect.DeepEqual(m.Missing, []string{"coop_type"}) || !m.CoopIDMissing {
		t.Errorf("cooperatives: Missing %v CoopIDMissing %v", m.Missing, m.CoopIDMissing)
	}
}

func TestHeaderScore(t *testing.T) {
	h, _ := Default().Dataset("hours")
	rows := [][]string{
		{"Cooperativa Sociale Esempio", "", "Esportazione ore 2024"},
		{},
		{"Matricola", "Mese", "Attività", "Ore", "Note"},
		{"M001", "2024-01", "servizio diretto", "120"},
		{"Ore", "ore", "ORE"}, // one column, however many times
	}
	want := []int{0, 0, 4, 0, 1}
	for i, r := range rows {
		if got := h.HeaderScore(r); got != want[i] {
			t.Errorf("row %d: score %d, want %d", i, got, want[i])
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    string // "" = ambiguous or nothing
		score   int
	}{
		{"payroll roster", []string{"Matricola", "Cognome", "Nome", "Sesso", "Anno di nascita", "Socio", "Tipo contratto",
			"% part-time", "Percentuale part-time", "Data assunzione", "Data cessazione", "Qualifica"}, "workers", 9},
		{"timesheet", []string{"Matricola", "Mese", "Attività", "Ore"}, "hours", 4},
		{"accounts", []string{"Anno", "Valore della produzione", "Costi della produzione", "Costo del personale",
			"Utile (perdita) dell'esercizio", "Patrimonio netto", "Totale attivo"}, "finance", 7},
		{"revenue", []string{"Esercizio", "Tipo committente", "Pubblico", "Importo", "Crediti al 31/12"}, "revenue_sources", 5},
		{"register", []string{"Codice utente", "Anno di nascita", "Sesso", "Codice comune", "Disabilità",
			"Non autosufficiente", "Data presa in carico"}, "beneficiaries", 7},
		{"service hours", []string{"Codice utente", "Mese", "Tipo servizio", "Ore erogate"}, "services", 4},
		{"process map", []string{"Processo", "Area", "Livello digitalizzazione", "Software", "Data rilevazione"}, "processes", 5},
		{"certificates", []string{"Tipo certificazione", "Ente certificatore", "Data rilascio", "Data scadenza", "Stato"}, "certifications", 5},
		{"courses", []string{"Matricola", "Titolo corso", "Tema", "Ore", "Completato", "Data fine", "Costo"}, "trainings", 7},
		{"digcomp", []string{"Codice fiscale", "Codice competenza", "Livello", "Rilevazione", "Data valutazione"}, "skills_assessments", 5},
		{"dma", []string{"Rilevazione", "Data compilazione", "Domanda", "Voce", "Valore"}, "dma_responses", 5},
		{"survey", []string{"ID questionario", "Tipo rispondente", "ID rispondente", "Domanda", "Risposta"}, "surveys", 5},
		{"meetings", []string{"Organo", "Data", "Aventi diritto", "Presenti"}, "governance_meetings", 4},
		{"registry", []string{"Codice fiscale", "Denominazione", "Tipologia", "Regione", "Provincia", "Anno costituzione"}, "cooperatives", 6},
		{"targets", []string{"Indicatore", "Anno", "Obiettivo", "Baseline", "Direzione"}, "targets", 5},
		{"canonical names", []string{"coop_id", "person_id", "month", "activity", "hours"}, "hours", 5},
		{"tie", []string{"coop_id", "anno"}, "", 2},
		{"nothing", []string{"foo", "bar"}, "", 0},
	}
	for _, tt := range tests {
		d, score := Default().Detect(tt.headers)
		got := ""
		if d != nil {
			got = d.Name
		}
		if got != tt.want || score != tt.score {
			t.Errorf("%s: Detect = %q (%d), want %q (%d); rank %v", tt.name, got, score, tt.want, tt.score, rankNames(tt.headers))
		}
	}
}

func rankNames(h []string) []string {
	var out []string
	for _, c := range Default().Rank(h) {
		out = append(out, c.Dataset.Name)
	}
	return out
}
