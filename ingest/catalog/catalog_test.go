package catalog

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// contract is datasets.md written out by hand: "name:type" with "*" for required, in the
// contract's order. The catalogue must match it exactly.
var contract = []struct {
	name    string
	columns []string
}{
	{"cooperatives", []string{"coop_id:text*", "name:text*", "coop_type:text*", "region:text*", "province:text",
		"municipality_code:text", "founded_year:year", "cohort:text"}},
	{"workers", []string{"coop_id:text*", "person_id:text*", "gender:text*", "birth_year:year", "is_member:bool*",
		"contract_type:text*", "fte:dec*", "start_date:date*", "end_date:date", "exit_reason:text",
		"role_category:text", "is_manager:bool", "annual_gross_pay:dec", "is_disadvantaged:bool",
		"disadvantage_category:text"}},
	{"hours", []string{"coop_id:text*", "person_id:text*", "month:month*", "activity:text*", "hours:dec*"}},
	{"finance", []string{"coop_id:text*", "year:year*", "value_of_production:dec*", "revenue_sales:dec",
		"revenue_sales_members:dec", "public_grants:dec", "private_donations:dec", "production_costs:dec*",
		"costs_services:dec", "costs_services_member_labour:dec", "personnel_cost:dec*",
		"personnel_cost_members:dec", "depreciation:dec", "net_result:dec", "total_assets:dec", "equity:dec",
		"current_assets:dec", "current_liabilities:dec", "cash:dec", "receivables_public:dec",
		"digital_investment:dec"}},
	{"revenue_sources", []string{"coop_id:text*", "year:year*", "counterparty_type:text*", "is_public:bool*",
		"amount:dec*", "receivables_end:dec"}},
	{"beneficiaries", []string{"coop_id:text*", "beneficiary_id:text*", "birth_year:year", "gender:text",
		"municipality_code:text*", "disability:bool", "non_self_sufficient:bool", "minor:bool",
		"family_with_disability:bool", "double_disadvantage:bool", "request_date:date", "intake_date:date",
		"end_date:date"}},
	{"services", []string{"coop_id:text*", "beneficiary_id:text*", "month:month*", "service_type:text*", "hours:dec*"}},
	{"processes", []string{"coop_id:text*", "process_code:text*", "snapshot_date:date*", "area:text*",
		"digitization_level:int*", "tool_name:text", "go_live_date:date", "minutes_before:dec",
		"minutes_after:dec", "instances_per_year:int"}},
	{"certifications", []string{"coop_id:text*", "cert_type:text*", "scope:text", "issuer:text", "issue_date:date*",
		"expiry_date:date", "status:text*", "score:dec"}},
	{"trainings", []string{"coop_id:text*", "person_id:text*", "course_title:text*", "topic:text*",
		"digcomp_area:int", "hours:dec*", "completed:bool*", "end_date:date*", "cost:dec"}},
	{"skills_assessments", []string{"coop_id:text*", "person_id:text*", "competence_code:text*", "level:int*",
		"wave:text*", "assessed_on:date*"}},
	{"dma_responses", []string{"coop_id:text*", "wave:text*", "assessed_on:date*", "question_code:text*",
		"item_code:text*", "value:dec*"}},
	{"surveys", []string{"coop_id:text*", "survey_id:text*", "respondent_type:text*", "respondent_key:text*",
		"wave:text", "item_code:text*", "value:dec*"}},
	{"governance_meetings", []string{"coop_id:text*", "body:text*", "date:date*", "entitled:int*", "present:int*"}},
	{"targets", []string{"coop_id:text", "indicator_id:text*", "year:year*", "target_value:dec*",
		"baseline_value:dec", "direction:text*", "note:text"}},
}

func TestDefaultParses(t *testing.T) {
	c, err := Parse(embedded)
	if err != nil {
		t.Fatalf("embedded catalogue: %v", err)
	}
	if Default() == nil || len(c.Datasets) != len(contract) {
		t.Fatalf("got %d datasets, want %d", len(c.Datasets), len(contract))
	}
}

func TestContractColumns(t *testing.T) {
	c := Default()
	var want []string
	for _, ds := range contract {
		want = append(want, ds.name)
	}
	if got := c.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("datasets = %v\nwant %v", got, want)
	}
	for _, ds := range contract {
		d, ok := c.Dataset(ds.name)
		if !ok {
			t.Fatalf("dataset %s missing", ds.name)
		}
		if d.Table != ds.name {
			t.Errorf("%s: table %q", ds.name, d.Table)
		}
		var got []string
		for _, col := range d.Columns {
			s := col.Name + ":" + string(col.Type)
			if col.Required {
				s += "*"
			}
			got = append(got, s)
		}
		if !reflect.DeepEqual(got, ds.columns) {
			t.Errorf("%s columns\n got %v\nwant %v", ds.name, got, ds.columns)
		}
	}
}

func TestLevelsSlicesKeys(t *testing.T) {
	tests := []struct {
		ds        string
		level     Level
		kind      SliceKind
		column    string // or from..to
		firstKeys string
	}{
		{"cooperatives", LevelHub, SliceKey, "coop_id", "coop_id"},
		{"workers", LevelCoop, SliceYearSpan, "start_date..end_date", "coop_id,person_id,start_date"},
		{"hours", LevelCoop, SliceMonth, "month", "coop_id,person_id,month,activity"},
		{"finance", LevelCoop, SliceYear, "year", "coop_id,year"},
		{"revenue_sources", LevelCoop, SliceYear, "year", "coop_id,year,counterparty_type"},
		{"beneficiaries", LevelCoop, SliceCoop, "", "coop_id,beneficiary_id"},
		{"services", LevelCoop, SliceMonth, "month", "coop_id,beneficiary_id,month,service_type"},
		{"processes", LevelCoop, SliceYearOf, "snapshot_date", "coop_id,process_code,snapshot_date"},
		{"certifications", LevelCoop, SliceCoop, "", "coop_id,cert_type,issue_date"},
		{"trainings", LevelCoop, SliceYearOf, "end_date", "coop_id,person_id,course_title,end_date"},
		{"skills_assessments", LevelCoop, SliceValue, "wave", "coop_id,person_id,competence_code,wave"},
		{"dma_responses", LevelCoop, SliceValue, "wave", "coop_id,wave,question_code,item_code"},
		{"surveys", LevelCoop, SliceValue, "survey_id", "coop_id,survey_id,respondent_key,item_code"},
		{"governance_meetings", LevelCoop, SliceYearOf, "date", "coop_id,body,date"},
		{"targets", LevelHub, SliceYear, "year", "coop_id,indicator_id,year"},
	}
	for _, tt := range tests {
		d, _ := Default().Dataset(tt.ds)
		col := d.Slice.Column
		if d.Slice.Kind == SliceYearSpan {
			col = d.Slice.From + ".." + d.Slice.To
		}
		if d.Level != tt.level || d.Slice.Kind != tt.kind || col != tt.column || strings.Join(d.Keys, ",") != tt.firstKeys {
			t.Errorf("%s: level %s slice %s(%s) keys %v", tt.ds, d.Level, d.Slice.Kind, col, d.Keys)
		}
	}
}

func TestPseudonymisedColumns(t *testing.T) {
	want := map[string]string{
		"workers": "person_id", "hours": "person_id", "beneficiaries": "beneficiary_id",
		"services": "beneficiary_id", "trainings": "person_id", "skills_assessments": "person_id",
		"surveys": "respondent_key",
	}
	for _, d := range Default().Datasets {
		var got []string
		for _, col := range d.Pseudonymised() {
			got = append(got, col.Name)
		}
		if strings.Join(got, ",") != want[d.Name] {
			t.Errorf("%s: pseudonymised %v, want %q", d.Name, got, want[d.Name])
		}
		for _, col := range d.Columns {
			if col.Pseudonymise && col.Type.SQL() != "VARCHAR" {
				t.Errorf("%s.%s: pseudonymised column stored as %s", d.Name, col.Name, col.Type.SQL())
			}
		}
	}
	w, _ := Default().Dataset("workers")
	if got := w.RejectValue("person_id", "RSSMRA80A01H501U"); got != MaskedValue {
		t.Errorf("RejectValue(person_id) = %q, want masked", got)
	}
	if got := w.RejectValue("fte", "1,5"); got != "1,5" {
		t.Errorf("RejectValue(fte) = %q", got)
	}
}

// enumValues is every enum of the contract, written by hand.
var enumValues = map[string][]string{
	"cooperatives.coop_type":            {"A", "B", "AB", "consortium", "worker", "other"},
	"cooperatives.region":               {"Piemonte", "Valle d'Aosta", "Lombardia", "Trentino-Alto Adige", "Veneto", "Friuli-Venezia Giulia", "Liguria", "Emilia-Romagna", "Toscana", "Umbria", "Marche", "Lazio", "Abruzzo", "Molise", "Campania", "Puglia", "Basilicata", "Calabria", "Sicilia", "Sardegna"},
	"workers.gender":                    {"F", "M", "X"},
	"workers.contract_type":             {"permanent", "fixed_term", "collaborator", "intern", "other"},
	"workers.exit_reason":               {"voluntary", "involuntary", "retirement", "end_of_term", "to_external_job"},
	"workers.role_category":             {"direct_care", "coordination", "admin", "management", "other"},
	"workers.disadvantage_category":     {"physical", "psychic", "sensory", "addiction", "detention", "minor_family", "other"},
	"hours.activity":                    {"direct_service", "coordination", "admin_hr", "admin_accounting", "admin_reporting", "training", "travel", "other"},
	"revenue_sources.counterparty_type": {"municipality", "health_authority", "region", "other_public", "family_private", "company", "third_sector", "member"},
	"beneficiaries.gender":              {"F", "M", "X"},
	"services.service_type":             {"home_care", "day_centre", "residential", "school_support", "work_integration", "family_support", "other"},
	"processes.area":                    {"hr", "administration", "reporting", "communication", "service_delivery"},
	"certifications.cert_type":          {"ISO9001", "ISO45001", "ISO14001", "ISO27001", "SA8000", "UNI_PDR_125", "regional_accreditation", "legality_rating", "other"},
	"certifications.status":             {"valid", "suspended", "expired"},
	"trainings.topic":                   {"digital", "safety", "professional", "soft"},
	"skills_assessments.competence_code": {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "3.4",
		"4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4"},
	"skills_assessments.wave":  {"T0", "T1", "T2"},
	"dma_responses.wave":       {"T0", "T1", "T2"},
	"surveys.respondent_type":  {"beneficiary", "family", "worker"},
	"surveys.wave":             {"T0", "T1", "T2"},
	"governance_meetings.body": {"assembly", "board"},
	"targets.direction":        {"increase", "decrease", "maintain"},
}

func TestEnumValuesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Default().Datasets {
		for _, col := range d.Columns {
			if len(col.Enum) == 0 {
				continue
			}
			key := d.Name + "." + col.Name
			seen[key] = true
			want, ok := enumValues[key]
			if !ok {
				t.Errorf("%s: enum not in the contract", key)
				continue
			}
			if got := col.EnumValues(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s enum\n got %v\nwant %v", key, got, want)
			}
			for _, v := range want {
				if got, ok := col.EnumValue(v); !ok || got != v {
					t.Errorf("%s: canonical %q maps to %q, %v", key, v, got, ok)
				}
			}
		}
	}
	for key := range enumValues {
		if !seen[key] {
			t.Errorf("%s: enum missing from the catalogue", key)
		}
	}
}

func TestEnumSynonyms(t *testing.T) {
	tests := []struct {
		col, raw, want string // want "" = not accepted
	}{
		{"workers.contract_type", "Tempo Indeterminato", "permanent"},
		{"workers.contract_type", "  DETERMINATO ", "fixed_term"},
		{"workers.contract_type", "indeterminato", "permanent"},
		{"workers.contract_type", "collaborazione", "collaborator"},
		{"workers.contract_type", "tirocinio", "intern"},
		{"workers.contract_type", "fixed-term", "fixed_term"},
		{"workers.contract_type", "Co.Co.Co.", "collaborator"},
		{"workers.contract_type", "part time", ""},
		{"workers.gender", "Femmina", "F"},
		{"workers.gender", "m", "M"},
		{"workers.gender", "altro", "X"},
		{"workers.exit_reason", "Dimissioni", "voluntary"},
		{"workers.exit_reason", "licenziamento", "involuntary"},
		{"workers.exit_reason", "Pensionamento", "retirement"},
		{"workers.exit_reason", "scadenza_contratto", "end_of_term"},
		{"workers.role_category", "OSS", "direct_care"},
		{"workers.role_category", "Coordinatrice", "coordination"},
		{"workers.disadvantage_category", "Tossicodipendente", "addiction"},
		{"hours.activity", "Servizio diretto", "direct_service"},
		{"hours.activity", "coordinamento", "coordination"},
		{"hours.activity", "Amministrazione personale", "admin_hr"},
		{"hours.activity", "CONTABILITÀ", "admin_accounting"},
		{"hours.activity", "rendicontazione", "admin_reporting"},
		{"hours.activity", "Formazione", "training"},
		{"hours.activity", "trasferta", "travel"},
		{"hours.activity", "altro", "other"},
		{"cooperatives.region", "lombardia", "Lombardia"},
		{"cooperatives.region", "03", "Lombardia"},
		{"cooperatives.region", "3", "Lombardia"},
		{"cooperatives.region", "Valle d’Aosta/Vallée d’Aoste", "Valle d'Aosta"},
		{"cooperatives.region", "VALLE D'AOSTA", "Valle d'Aosta"},
		{"cooperatives.region", "Trentino-Alto Adige/Südtirol", "Trentino-Alto Adige"},
		{"cooperatives.region", "Trentino Alto Adige / Südtirol", "Trentino-Alto Adige"},
		{"cooperatives.region", "Friuli Venezia Giulia", "Friuli-Venezia Giulia"},
		{"cooperatives.region", "Emilia Romagna", "Emilia-Romagna"},
		{"cooperatives.region", "20", "Sardegna"},
		{"cooperatives.region", "21", ""},
		{"cooperatives.coop_type", "A+B", "AB"},
		{"cooperatives.coop_type", "Consorzio", "consortium"},
		{"cooperatives.coop_type", "b", "B"},
		{"revenue_sources.counterparty_type", "Comune", "municipality"},
		{"revenue_sources.counterparty_type", "ASL", "health_authority"},
		{"revenue_sources.counterparty_type", "Regione", "region"},
		{"services.service_type", "Assistenza domiciliare", "home_care"},
		{"processes.area", "Risorse umane", "hr"},
		{"certifications.cert_type", "ISO 9001", "ISO9001"},
		{"certifications.cert_type", "UNI/PdR 125:2022", "UNI_PDR_125"},
		{"certifications.status", "Valido", "valid"},
		{"certifications.status", "sospeso", "suspended"},
		{"certifications.status", "Scaduto", "expired"},
		{"trainings.topic", "digitale", "digital"},
		{"trainings.topic", "Sicurezza", "safety"},
		{"trainings.topic", "professionale", "professional"},
		{"trainings.topic", "trasversale", "soft"},
		{"skills_assessments.competence_code", "1,1", "1.1"},
		{"skills_assessments.competence_code", "5.4", "5.4"},
		{"skills_assessments.competence_code", "5.5", ""},
		{"skills_assessments.competence_code", "2.7", ""},
		{"skills_assessments.wave", "t0", "T0"},
		{"dma_responses.wave", "T2", "T2"},
		{"surveys.respondent_type", "Utente", "beneficiary"},
		{"surveys.respondent_type", "famiglia", "family"},
		{"surveys.respondent_type", "lavoratore", "worker"},
		{"governance_meetings.body", "Assemblea", "assembly"},
		{"governance_meetings.body", "CdA", "board"},
		{"governance_meetings.body", "Consiglio di Amministrazione", "board"},
		{"targets.direction", "aumentare", "increase"},
		{"targets.direction", "Diminuire", "decrease"},
		{"targets.direction", "mantenere", "maintain"},
	}
	for _, tt := range tests {
		ds, cn, _ := strings.Cut(tt.col, ".")
		d, _ := Default().Dataset(ds)
		col, ok := d.Column(cn)
		if !ok {
			t.Fatalf("%s: no column", tt.col)
		}
		got, ok := col.EnumValue(tt.raw)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: %q -> %q, %v; want %q", tt.col, tt.raw, got, ok, tt.want)
		}
		// The loader's map must agree with the column helper.
		m, _ := d.Enum(cn)
		if m[NormalizeEnumKey(tt.raw)] != tt.want {
			t.Errorf("%s: Enum map disagrees for %q", tt.col, tt.raw)
		}
	}
	w, _ := Default().Dataset("workers")
	if _, ok := w.Enum("fte"); ok {
		t.Error("Enum(fte) reported an enum")
	}
	pairs := mustCol(t, "workers", "gender").EnumPairs()
	if !sort.SliceIsSorted(pairs, func(i, j int) bool { return pairs[i].Key < pairs[j].Key }) || len(pairs) == 0 {
		t.Error("EnumPairs not sorted")
	}
}

func mustCol(t *testing.T, ds, cn string) *Column {
	t.Helper()
	d, ok := Default().Dataset(ds)
	if !ok {
		t.Fatalf("no dataset %s", ds)
	}
	col, ok := d.Column(cn)
	if !ok {
		t.Fatalf("no column %s.%s", ds, cn)
	}
	return col
}

func TestRanges(t *testing.T) {
	const year = 2026
	tests := []struct {
		col string
		v   float64
		ok  bool
	}{
		{"workers.fte", 0, false},
		{"workers.fte", 0.0001, true},
		{"workers.fte", 1, true},
		{"workers.fte", 1.01, false},
		{"workers.birth_year", 1929, false},
		{"workers.birth_year", 1930, true},
		{"workers.birth_year", 2012, true}, // 2026 - 14
		{"workers.birth_year", 2013, false},
		{"cooperatives.founded_year", 2026, true},
		{"cooperatives.founded_year", 2027, false},
		{"hours.hours", -0.5, false},
		{"hours.hours", 0, true},
		{"hours.hours", 400, true},
		{"hours.hours", 400.5, false},
		{"skills_assessments.level", 0, false},
		{"skills_assessments.level", 1, true},
		{"skills_assessments.level", 8, true},
		{"skills_assessments.level", 9, false},
		{"trainings.digcomp_area", 0, false},
		{"trainings.digcomp_area", 5, true},
		{"trainings.digcomp_area", 6, false},
		{"processes.digitization_level", -1, false},
		{"processes.digitization_level", 3, true},
		{"processes.digitization_level", 4, false},
		{"dma_responses.value", 0.5, true},
		{"dma_responses.value", 5, true},
		{"dma_responses.value", 5.5, false},
		{"surveys.value", 10, true},
		{"surveys.value", 11, false},
		{"surveys.value", -1, false},
		{"finance.value_of_production", -1, false},
		{"finance.net_result", -1000, true},
		{"finance.equity", -5, true},
		{"finance.year", 1999, false},
		{"finance.year", 2000, true},
		{"finance.year", 2100, true},
		{"finance.year", 2101, false},
		{"revenue_sources.amount", -0.01, false},
		{"revenue_sources.receivables_end", -0.01, false},
		{"workers.annual_gross_pay", -1, false},
		{"services.hours", -1, false},
		{"services.hours", 1000, true},
		{"trainings.cost", -1, false},
		{"governance_meetings.present", -1, false},
		{"targets.target_value", -50, true},
	}
	for _, tt := range tests {
		ds, cn, _ := strings.Cut(tt.col, ".")
		if got := mustCol(t, ds, cn).InRange(tt.v, year); got != tt.ok {
			t.Errorf("%s InRange(%v) = %v, want %v", tt.col, tt.v, got, tt.ok)
		}
	}
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		col, raw, norm string
		ok             bool
	}{
		{"cooperatives.province", "MI", "MI", true},
		{"cooperatives.province", " mi ", "MI", true},
		{"cooperatives.province", "MIL", "MIL", false},
		{"cooperatives.municipality_code", "15146", "015146", true},
		{"cooperatives.municipality_code", "001001", "001001", true},
		{"cooperatives.municipality_code", "1514a", "1514a", false},
		{"beneficiaries.municipality_code", "1234567", "1234567", false},
		{"cooperatives.coop_id", "01234567890", "01234567890", true},
		{"cooperatives.coop_id", "hub_north", "HUB_NORTH", true},
		{"cooperatives.coop_id", "A", "A", false},
		{"workers.coop_id", "coop rossa", "COOP ROSSA", false},
		{"dma_responses.question_code", "q15", "Q15", true},
		{"dma_responses.question_code", "Q25", "Q25", true},
		{"dma_responses.question_code", "Q14", "Q14", false},
		{"dma_responses.question_code", "Q26", "Q26", false},
		{"targets.indicator_id", "eco-01", "ECO-01", true},
		{"targets.indicator_id", "ECO-1", "ECO-1", false},
		{"targets.indicator_id", "ECO01", "ECO01", false},
		{"processes.process_code", " Payroll ", "payroll", true},
	}
	for _, tt := range tests {
		ds, cn, _ := strings.Cut(tt.col, ".")
		col := mustCol(t, ds, cn)
		n := col.NormalizeText(tt.raw)
		if n != tt.norm || col.MatchPattern(n) != tt.ok {
			t.Errorf("%s: %q -> %q match %v; want %q %v", tt.col, tt.raw, n, col.MatchPattern(n), tt.norm, tt.ok)
		}
	}
}

func TestRuleTexts(t *testing.T) {
	const year = 2026
	tests := []struct {
		col, rule, it, en string
	}{
		{"workers.fte", RuleRange, "deve essere maggiore di 0 e al massimo 1", "must be greater than 0 and at most 1"},
		{"hours.hours", RuleRange, "deve essere compreso tra 0 e 400", "must be between 0 and 400"},
		{"workers.birth_year", RuleRange, "deve essere compreso tra 1930 e 2012", "must be between 1930 and 2012"},
		{"cooperatives.founded_year", RuleRange, "deve essere compreso tra 1800 e 2026", "must be between 1800 and 2026"},
		{"finance.value_of_production", RuleRange, "deve essere almeno 0", "must be at least 0"},
		{"cooperatives.province", RulePattern, "deve avere il formato: sigla di due lettere (es. MI)", "must have the format: two-letter code (e.g. MI)"},
		{"targets.direction", RuleEnum, "deve essere uno tra: increase (aumentare), decrease (diminuire), maintain (mantenere)", "must be one of: increase, decrease, maintain"},
		{"workers.start_date", RuleType, "deve essere una data (GG/MM/AAAA oppure AAAA-MM-GG)", "must be a date (YYYY-MM-DD or DD/MM/YYYY)"},
		{"hours.month", RuleType, "deve essere un mese (AAAA-MM oppure MM/AAAA)", "must be a month (YYYY-MM or MM/YYYY)"},
		{"workers.fte", RuleRequired, "è obbligatorio", "is required"},
	}
	for _, tt := range tests {
		ds, cn, _ := strings.Cut(tt.col, ".")
		got := mustCol(t, ds, cn).Rule(tt.rule, year)
		if got.It != tt.it || got.En != tt.en {
			t.Errorf("%s %s:\n got %q / %q\nwant %q / %q", tt.col, tt.rule, got.It, got.En, tt.it, tt.en)
		}
	}
	if got := mustCol(t, "hours", "hours").RuleText(RuleRange, "en"); got != "must be between 0 and 400" {
		t.Errorf("RuleText en = %q", got)
	}
	if got := mustCol(t, "hours", "hours").RuleText(RuleRange, "it"); got != "deve essere compreso tra 0 e 400" {
		t.Errorf("RuleText it = %q", got)
	}

	rules := map[string][]string{
		"workers.fte":              {RuleRequired, RuleType, RuleRange},
		"cooperatives.province":    {RulePattern},
		"workers.contract_type":    {RuleRequired, RuleEnum},
		"workers.person_id":        {RuleRequired},
		"cooperatives.coop_id":     {RuleRequired, RulePattern},
		"beneficiaries.minor":      {RuleType},
		"workers.annual_gross_pay": {RuleType, RuleRange},
	}
	for key, want := range rules {
		ds, cn, _ := strings.Cut(key, ".")
		if got := mustCol(t, ds, cn).Rules(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s Rules() = %v, want %v", key, got, want)
		}
	}

	h, _ := Default().Dataset("hours")
	if got := h.DuplicateKeyText(); got.It != "riga duplicata: la combinazione (coop_id, person_id, month, activity) compare più volte nel file" ||
		got.En != "duplicate row: the combination (coop_id, person_id, month, activity) appears more than once in the file" {
		t.Errorf("DuplicateKeyText = %+v", got)
	}
	if got := Default().Message("missing_column", "column", "fte"); got.It != "manca la colonna obbligatoria fte" || got.En != "the required column fte is missing" {
		t.Errorf("Message = %+v", got)
	}
	if FormatNumber(0.5, "it") != "0,5" || FormatNumber(0.5, "en") != "0.5" || FormatNumber(2012, "it") != "2012" {
		t.Error("FormatNumber")
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		ds, rule, it string
		a, b         float64
		holds        bool
	}{
		{"workers", "end_date>=start_date", "la data di cessazione non può precedere la data di assunzione", 5, 5, true},
		{"workers", "end_date>=start_date", "la data di cessazione non può precedere la data di assunzione", 4, 5, false},
		{"beneficiaries", "intake_date>=request_date", "la presa in carico non può precedere la richiesta", 6, 5, true},
		{"governance_meetings", "present<=entitled", "i presenti non possono superare gli aventi diritto", 31, 30, false},
		{"governance_meetings", "present<=entitled", "i presenti non possono superare gli aventi diritto", 30, 30, true},
	}
	for _, tt := range tests {
		d, _ := Default().Dataset(tt.ds)
		if len(d.Checks) != 1 {
			t.Fatalf("%s: %d checks", tt.ds, len(d.Checks))
		}
		k := d.Checks[0]
		if k.Rule() != tt.rule || k.Message.It != tt.it || k.Message.En == "" || k.Holds(tt.a, tt.b) != tt.holds {
			t.Errorf("%s: rule %q msg %q holds(%v,%v)=%v", tt.ds, k.Rule(), k.Message.It, tt.a, tt.b, k.Holds(tt.a, tt.b))
		}
	}
	for _, d := range Default().Datasets {
		switch d.Name {
		case "workers", "beneficiaries", "governance_meetings":
		default:
			if len(d.Checks) != 0 {
				t.Errorf("%s: unexpected checks", d.Name)
			}
		}
	}
}

func TestBooleans(t *testing.T) {
	c := Default()
	tests := []struct {
		raw   string
		v, ok bool
		box   bool
	}{
		{"Sì", true, true, false},
		{"si", true, true, false},
		{"S", true, true, false},
		{"TRUE", true, true, false},
		{"1", true, true, false},
		{"x", true, true, true},
		{"X", true, true, true},
		{"NO", false, true, false},
		{"n", false, true, false},
		{"0", false, true, false},
		{"falso", false, true, false},
		{"", false, false, false},
		{"forse", false, false, false},
	}
	for _, tt := range tests {
		v, ok := c.Bool(tt.raw)
		if v != tt.v || ok != tt.ok || c.IsCheckboxMark(tt.raw) != tt.box {
			t.Errorf("Bool(%q) = %v, %v (checkbox %v)", tt.raw, v, ok, c.IsCheckboxMark(tt.raw))
		}
	}
	tk, fk := c.BoolKeys()
	if !sort.StringsAreSorted(tk) || !sort.StringsAreSorted(fk) || len(tk) == 0 || len(fk) == 0 {
		t.Errorf("BoolKeys %v %v", tk, fk)
	}
}

func TestColumnDocs(t *testing.T) {
	for _, d := range Default().Datasets {
		for _, col := range d.Columns {
			if col.Doc.It == "" || col.Doc.En == "" {
				t.Errorf("%s.%s: doc missing", d.Name, col.Name)
			}
			for _, r := range col.Rules() {
				if txt := col.Rule(r, 2026); txt.It == "" || txt.En == "" || txt.It == r {
					t.Errorf("%s.%s: rule %s has no text", d.Name, col.Name, r)
				}
			}
		}
	}
}

func TestErrorsAreTyped(t *testing.T) {
	_, err := Parse([]byte("version: 2\n"))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("errors.Is(ErrInvalid) false for %v", err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(*Error) false for %v", err)
	}
}
