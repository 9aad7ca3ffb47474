package demo

import (
	"math"
	"sort"
)

// DMAAnswer is how a DMA question is answered.
type DMAAnswer int

const (
	DMAChecklist    DMAAnswer = iota // 0/1 per item
	DMAScale05                       // 0–5 per item
	DMANoPartialYes                  // 0 / 0.5 / 1 per item
	DMAInvestPlan                    // already invested 1 / planned 0.5 / neither 0 per item
)

// DMAQuestion is one question of the EDIH DMA SME questionnaire with the
// item codes written in dma_responses.item_code.
type DMAQuestion struct {
	Code      string
	Dimension string // D1..D6
	Answer    DMAAnswer
	Items     []string
	Exclusive string // item that forces the question to 0 when selected (Q21)
}

// DMAQuestions is the questionnaire structure of indicators.md.
var DMAQuestions = []DMAQuestion{
	{"Q15", "D1", DMAInvestPlan, []string{"design", "planning", "operations", "value_chain", "inbound_logistics",
		"marketing_sales", "delivery_einvoicing", "admin_hr", "purchasing", "security_gdpr"}, ""},
	{"Q16", "D1", DMAChecklist, []string{"needs_aligned", "funding_year", "it_ready", "ict_staff", "management_ready",
		"staff_ready", "processes_adaptable", "servitisation", "client_monitoring", "risks_considered"}, ""},
	{"Q17", "D2", DMAChecklist, []string{"connectivity_cloud", "website", "web_forms", "chat_social", "ecommerce",
		"emarketing", "egovernment", "remote_collaboration", "intranet", "management_systems"}, ""},
	{"Q18", "D2", DMAScale05, []string{"simulation_twins", "vr_ar", "cad_cam", "mes", "iot", "blockchain",
		"additive_manufacturing"}, ""},
	{"Q19", "D3", DMAChecklist, []string{"skills_assessment", "training_plan", "short_courses", "learning_by_doing",
		"traineeships", "external_training", "subsidised_programmes"}, ""},
	{"Q20", "D3", DMAChecklist, []string{"awareness", "transparent_communication", "acceptance_monitoring",
		"staff_in_design", "autonomy", "job_redesign", "flexible_work", "digital_support_team"}, ""},
	{"Q21", "D4", DMAChecklist, []string{"policy", "not_collected_digitally", "stored_digitally", "integrated",
		"realtime_access", "analysed_decisions", "external_data", "self_service_dashboards"}, "not_collected_digitally"},
	{"Q22", "D4", DMAChecklist, []string{"policy", "client_data_protected", "staff_trained", "threats_monitored",
		"offsite_backup", "continuity_plan"}, ""},
	{"Q23", "D5", DMAScale05, []string{"language_chatbots", "computer_vision", "speech", "robotics",
		"bi_decision_support"}, ""},
	{"Q24", "D6", DMAChecklist, []string{"sustainable_business_model", "sustainable_services", "energy_efficiency",
		"emissions_reduction", "waste_reduction", "recycling", "green_mobility", "sustainable_procurement",
		"remote_meetings", "paperless_administration"}, ""},
	{"Q25", "D6", DMANoPartialYes, []string{"environment_in_strategy", "environmental_management_system",
		"green_procurement", "it_energy_monitored", "it_reuse_recycling"}, ""},
}

// dmaOffset shifts each question's answers from the cooperative's latent
// maturity: social cooperatives use basic tools and e-government widely,
// advanced manufacturing technologies and AI hardly at all.
var dmaOffset = map[string]float64{"Q15": 0, "Q16": 0, "Q17": 20, "Q18": -30, "Q19": 5, "Q20": 5,
	"Q21": 0, "Q22": -5, "Q23": -25, "Q24": -5, "Q25": -15}

// dmaAnswers returns one wave's answers for a latent maturity (0–100). The
// per-item thresholds u are fixed per cooperative, so a higher maturity
// only ever adds answers: T1 ⊇ T0.
func dmaAnswers(maturity float64, u map[string][]float64) map[string][]float64 {
	ans := map[string][]float64{}
	for _, q := range DMAQuestions {
		p := clamp((maturity+dmaOffset[q.Code])/100, 0.02, 0.98)
		th := u[q.Code]
		v := make([]float64, len(q.Items))
		for i := range q.Items {
			switch q.Answer {
			case DMAChecklist:
				if th[i] < p {
					v[i] = 1
				}
			case DMAInvestPlan:
				if th[i] < p-0.1 {
					v[i] = 1
				} else if th[i] < p+0.15 {
					v[i] = 0.5
				}
			case DMAScale05:
				v[i] = clamp(math.Round(5*p+3*(th[i]-0.5)), 0, 5)
			case DMANoPartialYes:
				s := 2*p + (th[i] - 0.5)
				if s >= 1.5 {
					v[i] = 1
				} else if s >= 0.5 {
					v[i] = 0.5
				}
			}
		}
		if q.Exclusive != "" {
			ex := indexOf(q.Items, q.Exclusive)
			if p < 0.15 {
				for i := range v {
					v[i] = 0
				}
				v[ex] = 1
			} else {
				v[ex] = 0
			}
		}
		ans[q.Code] = v
	}
	return ans
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// dmaThresholds draws stratified per-item thresholds: each question's items
// get evenly spaced values in random order, so the share of items selected
// tracks the maturity closely.
func dmaThresholds(r *rng) map[string][]float64 {
	u := map[string][]float64{}
	for _, q := range DMAQuestions {
		n := len(q.Items)
		t := make([]float64, n)
		for i, j := range r.perm(n) {
			t[j] = (float64(i) + r.float()) / float64(n)
		}
		u[q.Code] = t
	}
	return u
}

// dmaScore applies the scoring of indicators.md: each question to 0–10,
// two-question dimensions (Qa+Qb)×5, D5 = Q23×10, overall = mean of D1..D6.
func dmaScore(ans map[string][]float64) (overall float64, dims map[string]float64) {
	qs := map[string]float64{}
	byDim := map[string][]string{}
	for _, q := range DMAQuestions {
		v := ans[q.Code]
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		n := float64(len(q.Items))
		var s float64
		switch q.Answer {
		case DMAScale05:
			s = 10 * sum / (5 * n)
		default:
			s = 10 * sum / n
		}
		if q.Exclusive != "" && v[indexOf(q.Items, q.Exclusive)] == 1 {
			s = 0
		}
		qs[q.Code] = s
		byDim[q.Dimension] = append(byDim[q.Dimension], q.Code)
	}
	dims = map[string]float64{}
	keys := make([]string, 0, len(byDim))
	for d := range byDim {
		keys = append(keys, d)
	}
	sort.Strings(keys)
	for _, d := range keys {
		codes := byDim[d]
		if len(codes) == 1 {
			dims[d] = qs[codes[0]] * 10
		} else {
			dims[d] = (qs[codes[0]] + qs[codes[1]]) * 5
		}
		overall += dims[d]
	}
	return overall / float64(len(keys)), dims
}
