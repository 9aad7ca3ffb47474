package catalog_test

import (
	"strconv"
	"strings"
	"testing"
)

// The hand-built fixture metrics/testdata/golden_dmw, worked by hand. _cy is
// every registered cooperative (DMWA, DMWB, DMWC, DMWD) × 2022–2025; _years
// is 2022–2025 plus 1980 (a year with no cooperative). Keys are
// cooperative|year|breakdown; a key not listed must have no row.
//
// DMA answers (checklist Σ selected, scales Σ points; items per question:
// Q15 10, Q16 10, Q17 10, Q18 7×5, Q19 7, Q20 8, Q21 8, Q22 6, Q23 5×5,
// Q24 10, Q25 5):
//
//	DMWA T0 (rows 20/12/2022 and 10/02/2023 → wave dated 10/02/2023, year 2023)
//	  Q15 1+.5+.5+1 = 3 → 3      Q16 2 → 2            D1 (3+2)×5      = 25
//	  Q17 5 → 5                  Q18 3+4 = 7 → 70/35 = 2  D2 (5+2)×5  = 35
//	  Q19 2 → 20/7               Q20 2 → 2.5          D3 (20/7+2.5)×5 = 100/7+12.5 ≈ 26.786
//	  Q21 2 → 2.5 (exclusive 0)  Q22 3 → 5            D4 (2.5+5)×5    = 37.5
//	  Q23 2+1 = 3 → 30/25 = 1.2                       D5 1.2×10       = 12
//	  Q24 3 → 3                  Q25 .5+1 → 15/5 = 3  D6 (3+3)×5      = 30
//	  overall (152 + 100/7)/6 ≈ 27.714 → 28 → average
//	DMWA T1 (20/11/2024)
//	  Q15 4+.5+.5 = 5  Q16 6 → D1 55;  Q17 8  Q18 14 → 4 → D2 60;
//	  Q19 7 → 10  Q20 6 → 7.5 → D3 87.5;  Q21 6 → 7.5  Q22 6 → 10 → D4 87.5;
//	  Q23 5+5+3+2 = 15 → 6 → D5 60;  Q24 8  Q25 4 → 8 → D6 80
//	  overall 430/6 ≈ 71.667 → 72 → moderately advanced
//	DMWB T0 (01/03/2023)
//	  Q15 0  Q16 1 → D1 5;  Q17 3  Q18 0 → D2 15;  Q19 0  Q20 1 → 1.25 → D3 6.25;
//	  Q21 "NOT_COLLECTED_DIGITALLY" selected → 0 (policy would give 2.5)
//	  Q22 2 → 10/3 → D4 50/3;  Q23 0 → D5 0;  Q24 1  Q25 .5 → 1 → D6 10
//	  overall (36.25 + 50/3)/6 ≈ 8.819 → basic
//	DMWB T1 (05/10/2024)
//	  Q15 1.5  Q16 2 → D1 17.5;  Q17 4  Q18 1 → 2/7 → D2 20+10/7;
//	  Q19 1 → 10/7  Q20 2.5 → D3 50/7+12.5;  Q21 2.5  Q22 5 → D4 37.5;
//	  Q23 1 → 0.4 → D5 4;  Q24 2  Q25 1 → 2 → D6 20
//	  overall (111.5 + 60/7)/6 ≈ 20.012 → basic
//	DMWC T0 (15/06/2024), no row for Q25
//	  D1 (1+1)×5 = 10;  D2 (1 + 10/7)×5;  D3 (10/7 + 1.25)×5;  D4 (1.25 + 10/6)×5;
//	  D5 2×10 = 20;  D6 NULL (Q25 unanswered) → overall NULL, no band
var (
	dmwAT0 = (152 + 100.0/7) / 6
	dmwAT1 = 430.0 / 6
	dmwBT0 = (36.25 + 50.0/3) / 6
	dmwBT1 = (111.5 + 60.0/7) / 6
)

// dmwDims are the dimension points (Σ question scores) of each wave; max 20
// for two-question dimensions and 10 for D5; -1 marks DMWC's unscored D6.
var dmwDims = map[string][6]float64{
	"A.T0": {5, 7, 20.0/7 + 2.5, 7.5, 1.2, 6},
	"A.T1": {11, 12, 17.5, 17.5, 6, 16},
	"B.T0": {1, 3, 1.25, 10.0 / 3, 0, 2},
	"B.T1": {3.5, 4 + 2.0/7, 10.0/7 + 2.5, 7.5, 0.4, 4},
	"C.T0": {2, 1 + 10.0/7, 10.0/7 + 1.25, 1.25 + 10.0/6, 2, -1}, // -1: D6 not scored
}

// dmwWaveOf says which wave is reported for a cooperative-year (the latest
// assessed up to the year).
var dmwWaveOf = map[string]string{
	"DMWA|2023": "A.T0", "DMWA|2024": "A.T1", "DMWA|2025": "A.T1",
	"DMWB|2023": "B.T0", "DMWB|2024": "B.T1", "DMWB|2025": "B.T1",
	"DMWC|2024": "C.T0", "DMWC|2025": "C.T0",
}

var dmwOverall = map[string]float64{"A.T0": dmwAT0, "A.T1": dmwAT1, "B.T0": dmwBT0, "B.T1": dmwBT1}

func dmwCoopYear(k string) (string, int) {
	coop, year, _ := strings.Cut(k, "|")
	y, _ := strconv.Atoi(year)
	return coop, y
}

// dmwGoldenDMA builds DIG-01, DIG-02 and MGT-05 expectations from the hand
// scores above.
func dmwGoldenDMA() (dig01, dig02, mgt05 []dmwExp) {
	for k, w := range dmwWaveOf {
		coop, y := dmwCoopYear(k)
		d := dmwDims[w]
		if o, ok := dmwOverall[w]; ok {
			sum := 0.0 // Σ dimension scores: points × 5, D5's × 10
			for i, p := range d {
				if i == 4 {
					sum += 10 * p
				} else {
					sum += 5 * p
				}
			}
			dig01 = append(dig01, dmwExp{coop, y, "", dmwF(o), dmwF(sum), dmwF(6), 6})
			dig02 = append(dig02, dmwExp{coop, y, "", dmwF(o), dmwF(sum), dmwF(6), 6})
		} else { // C: five dimensions scored
			dig01 = append(dig01, dmwExp{coop, y, "", nil, nil, dmwF(6), 5})
			dig02 = append(dig02, dmwExp{coop, y, "", nil, nil, dmwF(6), 5})
		}
		for i, p := range d {
			dim := "dimension=D" + string(rune('1'+i))
			max, n := 20.0, int64(2)
			if i == 4 {
				max, n = 10, 1
			}
			if p < 0 {
				dig02 = append(dig02, dmwExp{coop, y, dim, nil, nil, dmwF(max), 1})
				continue
			}
			dig02 = append(dig02, dmwExp{coop, y, dim, dmwF(100 * p / max), dmwF(p), dmwF(max), n})
		}
		mgt05 = append(mgt05, dmwExp{coop, y, "", dmwF(100 * d[3] / 20), dmwF(d[3]), dmwF(20), 2})
	}
	return
}

var dmwGolden = map[string][]dmwExp{
	// DIG-03: T1 − T0, only in the T1 year; DMWC has T0 only.
	"DIG-03": {
		{"DMWA", 2024, "", dmwF(dmwAT1 - dmwAT0), dmwF(dmwAT1 - dmwAT0), nil, 2},
		{"DMWB", 2024, "", dmwF(dmwBT1 - dmwBT0), dmwF(dmwBT1 - dmwBT0), nil, 2},
	},
	// DIG-04 (area level = mean). DMWA T0 (dated 20/01/2023 though P1 began
	// 15/12/2022): P1 areas 1: (3+4)/2, 2: 3, 5: (2+4)/2 → min 3 ✓; P2 area 1
	// (2+3)/2 = 2.5 ✗; P3 6 ✓ → 2/3. T1: P1 ✓, P2 area 3 = 2 ✗, P4 4 ✓ → 2/3,
	// held in 2025. DMWB T1 only: P9 3 ✓. DMWC T0 and T1 both in 2024: T1 (P8 4) ✓.
	"DIG-04": {
		{"DMWA", 2023, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3},
		{"DMWA", 2024, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3},
		{"DMWA", 2025, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3},
		{"DMWB", 2024, "", dmwF(100), dmwF(1), dmwF(1), 1},
		{"DMWB", 2025, "", dmwF(100), dmwF(1), dmwF(1), 1},
		{"DMWC", 2024, "", dmwF(100), dmwF(1), dmwF(1), 1},
		{"DMWC", 2025, "", dmwF(100), dmwF(1), dmwF(1), 1},
	},
	// DIG-05: DMWA pairs P1 1.1 +1, 1.2 0, 2.1 +1, 5.1 +1, 5.2 0; P2 1.1 +1,
	// 1.2 0, 2.1 0 (3.1 and P4 unpaired) → 4/8. DMWC: T0 P7, T1 P8, no pair →
	// NULL over 0 pairs. DMWB: no T0, no row.
	"DIG-05": {
		{"DMWA", 2024, "", dmwF(0.5), dmwF(4), dmwF(8), 8},
		{"DMWC", 2024, "", nil, dmwF(0), dmwF(0), 0},
	},
	// DIG-06: completed digital hours ÷ hc_end. DMWA 2023: 10 (W2's 6 h not
	// completed, W3's safety) ÷ 3 (W1, W2, W3); 2024: 12+4.5+3 ÷ 4 (W1, W3,
	// W4 from 31/12, W5). DMWB 2024: 5 h, nobody on 31 Dec → NULL. DMWC 2024:
	// safety only → 0 ÷ 1.
	"DIG-06": {
		{"DMWA", 2023, "", dmwF(10.0 / 3), dmwF(10), dmwF(3), 3},
		{"DMWA", 2024, "", dmwF(4.875), dmwF(19.5), dmwF(4), 4},
		{"DMWB", 2024, "", nil, dmwF(5), dmwF(0), 0},
		{"DMWC", 2024, "", dmwF(0), dmwF(0), dmwF(1), 1},
	},
	// MGT-01: each process at its latest snapshot of the year. DMWA 2023:
	// pa_reporting 2 (June only), payroll 3, timesheets 1 (December beats
	// June's 0), invoicing 2, onboarding 0 → 8 ÷ 15. 2024: 3+2+3+1+2 = 11 ÷ 15.
	// DMWB 0+1 ÷ 6. DMWC 2 ÷ 3.
	"MGT-01": {
		{"DMWA", 2023, "", dmwF(800.0 / 15), dmwF(8), dmwF(15), 5},
		{"DMWA", 2024, "", dmwF(1100.0 / 15), dmwF(11), dmwF(15), 5},
		{"DMWB", 2024, "", dmwF(100.0 / 6), dmwF(1), dmwF(6), 2},
		{"DMWC", 2024, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 1},
	},
	"MGT-02": {
		{"DMWA", 2023, "", dmwF(60), dmwF(3), dmwF(5), 5},
		{"DMWA", 2024, "", dmwF(80), dmwF(4), dmwF(5), 5},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), dmwF(2), 2},
		{"DMWC", 2024, "", dmwF(100), dmwF(1), dmwF(1), 1},
	},
	// MGT-03: DMWA 2023 (30+13) ÷ (50+52); 2024 33 ÷ 55; DMWB boards only →
	// NULL; DMWC one assembly with 0 entitled → NULL over 0.
	"MGT-03": {
		{"DMWA", 2023, "", dmwF(4300.0 / 102), dmwF(43), dmwF(102), 2},
		{"DMWA", 2024, "", dmwF(60), dmwF(33), dmwF(55), 1},
		{"DMWB", 2024, "", nil, nil, nil, 0},
		{"DMWC", 2024, "", nil, dmwF(0), dmwF(0), 1},
	},
	"MGT-04": {
		{"DMWA", 2023, "", dmwF(4), dmwF(4), nil, 4},
		{"DMWA", 2024, "", dmwF(6), dmwF(6), nil, 6},
		{"DMWB", 2024, "", dmwF(3), dmwF(3), nil, 3},
		{"DMWC", 2024, "", dmwF(0), dmwF(0), nil, 0},
	},
	// CRT-01 on 31 Dec. DMWA: ISO9001 10/06/2021–09/06/2024 (now expired),
	// ISO9001 from 10/06/2024, legality rating from 15/01/2023 (no expiry),
	// ISO14001 01/01/2022–31/12/2024 (now expired), ISO45001 suspended (never):
	// 2022 2, 2023 3, 2024 3 (new 9001, 14001, rating), 2025 2. DMWB: regional
	// accreditation (no expiry, valid) 1; ISO9001 suspended and ISO27001
	// "expired" with no expiry date never count. DMWC, DMWD: none → 0.
	"CRT-01": dmwCounts(map[string][4]float64{
		"DMWA": {2, 3, 3, 2}, "DMWB": {1, 1, 1, 1}, "DMWC": {0, 0, 0, 0}, "DMWD": {0, 0, 0, 0},
	}),
	// CRT-02: registry founded by the year — DMWA 1990, DMWB 2000, DMWD 2010,
	// DMWC 2024; with a management-system certificate only DMWA.
	"CRT-02": {
		{"", 1980, "", nil, dmwF(0), dmwF(0), 0},
		{"", 2022, "", dmwF(100.0 / 3), dmwF(1), dmwF(3), 3},
		{"", 2023, "", dmwF(100.0 / 3), dmwF(1), dmwF(3), 3},
		{"", 2024, "", dmwF(25), dmwF(1), dmwF(4), 4},
		{"", 2025, "", dmwF(25), dmwF(1), dmwF(4), 4},
	},
	// CRT-03: DMWA holds ISO9001 on 31/12/2023 and 31/12/2024 → MGT-02's
	// processes; DMWB's is suspended, DMWC has none → 0.
	"CRT-03": {
		{"DMWA", 2023, "", dmwF(60), dmwF(3), dmwF(5), 5},
		{"DMWA", 2024, "", dmwF(80), dmwF(4), dmwF(5), 5},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), dmwF(2), 2},
		{"DMWC", 2024, "", dmwF(0), dmwF(0), dmwF(1), 1},
	},
	// Services. DMWA 2023: B1 home_care 10+12, B2 school_support 20, B3
	// home_care 8 and day_centre 0 → served B1 B2 B3. 2024: B1 home_care 15,
	// B2 school_support 10, B4 day_centre 30, B5 family_support 5.5, X9 (not
	// in the register) home_care 4 → 5 served. DMWB 2024: BB1 0 h → nobody.
	"WEL-01": {
		{"DMWA", 2023, "", dmwF(3), dmwF(3), nil, 3},
		{"DMWA", 2024, "", dmwF(5), dmwF(5), nil, 5},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), nil, 0},
	},
	// WEL-02: 2023 B1 disability, B2 minor; 2024 B1, B2, B4 not
	// self-sufficient, B5 family with disability (X9 unknown: not fragile).
	"WEL-02": {
		{"DMWA", 2023, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3},
		{"DMWA", 2024, "", dmwF(80), dmwF(4), dmwF(5), 5},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 0},
	},
	"WEL-03": {
		{"DMWA", 2023, "", dmwF(1), dmwF(1), nil, 1},
		{"DMWA", 2024, "", dmwF(2), dmwF(2), nil, 2},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), nil, 0},
	},
	"WEL-04": {
		{"DMWA", 2023, "", dmwF(50), dmwF(50), nil, 3},
		{"DMWA", 2023, "service_type=home_care", dmwF(30), dmwF(30), nil, 2},
		{"DMWA", 2023, "service_type=school_support", dmwF(20), dmwF(20), nil, 1},
		{"DMWA", 2023, "service_type=day_centre", dmwF(0), dmwF(0), nil, 0},
		{"DMWA", 2024, "", dmwF(64.5), dmwF(64.5), nil, 5},
		{"DMWA", 2024, "service_type=home_care", dmwF(19), dmwF(19), nil, 2},
		{"DMWA", 2024, "service_type=school_support", dmwF(10), dmwF(10), nil, 1},
		{"DMWA", 2024, "service_type=day_centre", dmwF(30), dmwF(30), nil, 1},
		{"DMWA", 2024, "service_type=family_support", dmwF(5.5), dmwF(5.5), nil, 1},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), nil, 0},
		{"DMWB", 2024, "service_type=work_integration", dmwF(0), dmwF(0), nil, 0},
	},
	"WEL-05": {
		{"DMWA", 2023, "", dmwF(50.0 / 3), dmwF(50), dmwF(3), 3},
		{"DMWA", 2024, "", dmwF(12.9), dmwF(64.5), dmwF(5), 5},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 0},
	},
	// WEL-06: 2023 015146 (B1, B2), 015147 (B3); 2024 015146 (B1, B2, B5),
	// 015148 (B4), X9 unknown (n counts the 4 in the register).
	"WEL-06": {
		{"DMWA", 2023, "", dmwF(2), dmwF(2), nil, 3},
		{"DMWA", 2024, "", dmwF(2), dmwF(2), nil, 4},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), nil, 0},
	},
	// WEL-07: intakes of the year with a request date. 2023: B1 40 (01/12/2022
	// → 10/01/2023), B2 10, B3 20 → 20. 2024: B4 30, B7 14 (never served, still
	// an intake) → 22; B5 has no request date, B6 no intake. DMWB: BB1 0.
	"WEL-07": {
		{"DMWA", 2023, "", dmwF(20), nil, nil, 3},
		{"DMWA", 2024, "", dmwF(22), nil, nil, 2},
		{"DMWB", 2024, "", dmwF(0), nil, nil, 1},
	},
	// WEL-08: 2023 has no 2022 services → NULL over 0; 2024 B1, B2 of {B1, B2,
	// B3}; DMWB 2023 none.
	"WEL-08": {
		{"DMWA", 2023, "", nil, dmwF(0), dmwF(0), 0},
		{"DMWA", 2024, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 0},
	},
	// WEL-09: QS-2023 beneficiaries/families 10, 9, 7, 6 (the worker's 0 and
	// R1's "overall" left out) → (2 − 1) ÷ 4; QS-2024 "NPS" 3, 5, 8 → (0 − 2)
	// ÷ 3; DMWB workers only → NULL over 0; DMWC's QS-ANNUALE has no year.
	"WEL-09": {
		{"DMWA", 2023, "", dmwF(25), dmwF(1), dmwF(4), 4},
		{"DMWA", 2024, "", dmwF(-200.0 / 3), dmwF(-2), dmwF(3), 3},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 0},
	},
	// Hours. DMWA 2023: direct 100+50, admin 20+10+5, coordination 15 = 200
	// (3 persons). 2024: direct 100, training 10, other 20, admin_hr 30,
	// travel 0 = 160 (2 persons). DMWB 2024: 0 h → NULL over 0.
	"TIM-01": {
		{"DMWA", 2023, "", dmwF(17.5), dmwF(35), dmwF(200), 3},
		{"DMWA", 2024, "", dmwF(18.75), dmwF(30), dmwF(160), 2},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 1},
	},
	"TIM-02": {
		{"DMWA", 2023, "", dmwF(75), dmwF(150), dmwF(200), 3},
		{"DMWA", 2024, "", dmwF(62.5), dmwF(100), dmwF(160), 2},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 1},
	},
	// TIM-03 over level ≥ 2 with minutes before and after. DMWA 2023:
	// pa_reporting (300−120)/60×12 = 36, payroll 17/60×48 = 13.6, invoicing
	// 20/60×100 = 100/3. 2024: payroll 13.6, timesheets 28/60×48 = 22.4,
	// invoicing 24/60×100 = 40 (documents has no "after"). DMWB: nothing
	// digital → 0. DMWC: care_plans level 2 without minutes → NULL.
	"TIM-03": {
		{"DMWA", 2023, "", dmwF(49.6 + 100.0/3), dmwF(49.6 + 100.0/3), nil, 3},
		{"DMWA", 2024, "", dmwF(76), dmwF(76), nil, 3},
		{"DMWB", 2024, "", dmwF(0), dmwF(0), nil, 0},
		{"DMWC", 2024, "", nil, nil, nil, 0},
	},
	// TIM-04 = TIM-03 × personnel cost ÷ hours: DMWA 2023 × 400,000 ÷ 200;
	// 2024 76 × 480,000 ÷ 160 = 228,000; DMWB 0 × 100,000 ÷ 0 h → NULL; DMWC
	// no TIM-03, accounts or hours → NULL.
	"TIM-04": {
		{"DMWA", 2023, "", dmwF((49.6 + 100.0/3) * 2000), dmwF((49.6 + 100.0/3) * 400000), dmwF(200), 1},
		{"DMWA", 2024, "", dmwF(228000), dmwF(76 * 480000), dmwF(160), 1},
		{"DMWB", 2024, "", nil, dmwF(0), dmwF(0), 1},
		{"DMWC", 2024, "", nil, nil, nil, 1},
	},
}

func dmwCounts(m map[string][4]float64) []dmwExp {
	var out []dmwExp
	for coop, vs := range m {
		for i, v := range vs {
			out = append(out, dmwExp{coop, 2022 + i, "", dmwF(v), dmwF(v), nil, int64(v)})
		}
	}
	return out
}

var dmwYears = []int{2022, 2023, 2024, 2025}

// Every indicator of dig, mgt, crt, wel and tim on the golden fixture.
func TestDmwGoldenEveryIndicator(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears, 1980)
	dig01, dig02, mgt05 := dmwGoldenDMA()
	want := map[string][]dmwExp{"DIG-01": dig01, "DIG-02": dig02, "MGT-05": mgt05}
	for id, w := range dmwGolden {
		want[id] = w
	}
	for _, ind := range dmwIndicators(t) {
		w, ok := want[ind.ID]
		if !ok {
			t.Errorf("%s: no golden expectation", ind.ID)
			continue
		}
		dmwCheck(t, ind.ID, s.run(t, ind), w)
		delete(want, ind.ID)
	}
	for id := range want {
		t.Errorf("%s: expected but not in the catalogue", id)
	}
}

// Parameter variants change the value as documented.
func TestDmwGoldenParamVariants(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears, 1980)

	// DIG-04 T0 of DMWA. min: every competence ≥ 3 → only P3. max: P1 (areas
	// 4, 3, 4), P2 (3, 5), P3 → all. T1 stays 2/3 either way (P2's 3.1 is 2).
	for _, c := range []struct {
		level      string
		a2023, num float64
	}{{"min", 100.0 / 3, 1}, {"max", 100, 3}, {"mean", 200.0 / 3, 2}} {
		s.set(t, "DIG-04", "area_level", c.level)
		got := s.run(t, dmwIndicatorByID(t, "DIG-04"))
		dmwCheckOne(t, "DIG-04 "+c.level, got, dmwExp{"DMWA", 2023, "", dmwF(c.a2023), dmwF(c.num), dmwF(3), 3})
		dmwCheckOne(t, "DIG-04 "+c.level, got, dmwExp{"DMWA", 2024, "", dmwF(200.0 / 3), dmwF(2), dmwF(3), 3})
	}

	// WEL-09 on another item: "overall" has only R1's 3 in 2023 → −100; none in 2024.
	s.set(t, "WEL-09", "item", "OVERALL")
	got := s.run(t, dmwIndicatorByID(t, "WEL-09"))
	dmwCheckOne(t, "WEL-09 overall", got, dmwExp{"DMWA", 2023, "", dmwF(-100), dmwF(-1), dmwF(1), 1})
	dmwCheckOne(t, "WEL-09 overall", got, dmwExp{"DMWA", 2024, "", nil, dmwF(0), dmwF(0), 0})

	// CRT-02 with accreditations only: DMWB's regional accreditation counts.
	s.set(t, "CRT-02", "types", "regional_accreditation, ISO45001")
	got = s.run(t, dmwIndicatorByID(t, "CRT-02"))
	dmwCheckOne(t, "CRT-02 accreditation", got, dmwExp{"", 2022, "", dmwF(100.0 / 3), dmwF(1), dmwF(3), 3})
	dmwCheckOne(t, "CRT-02 accreditation", got, dmwExp{"", 2025, "", dmwF(25), dmwF(1), dmwF(4), 4})

	// CRT-03 under the legality rating: DMWA holds it from 2023.
	s.set(t, "CRT-03", "cert", "legality_rating")
	got = s.run(t, dmwIndicatorByID(t, "CRT-03"))
	dmwCheckOne(t, "CRT-03 legality", got, dmwExp{"DMWA", 2023, "", dmwF(60), dmwF(3), dmwF(5), 5})
	s.set(t, "CRT-03", "cert", "ISO14001")
	got = s.run(t, dmwIndicatorByID(t, "CRT-03"))
	dmwCheckOne(t, "CRT-03 ISO14001", got, dmwExp{"DMWA", 2024, "", dmwF(80), dmwF(4), dmwF(5), 5})
	s.set(t, "CRT-03", "cert", "SA8000")
	got = s.run(t, dmwIndicatorByID(t, "CRT-03"))
	dmwCheckOne(t, "CRT-03 SA8000", got, dmwExp{"DMWA", 2024, "", dmwF(0), dmwF(0), dmwF(5), 5})
}

func dmwCheckOne(t *testing.T, id string, got map[string]catRow, w dmwExp) {
	t.Helper()
	k := catKey(w.Coop, w.Year, w.Breakdown)
	g, ok := got[k]
	if !ok {
		t.Errorf("%s %s: no row", id, k)
		return
	}
	if !sameFloat(g.Value, w.V) || !sameFloat(g.Num, w.Num) || !sameFloat(g.Den, w.Den) || g.N != w.N {
		t.Errorf("%s %s: got %s %s %s %d; want %s %s %s %d", id, k, fmtFloat(g.Value), fmtFloat(g.Num), fmtFloat(g.Den), g.N,
			fmtFloat(w.V), fmtFloat(w.Num), fmtFloat(w.Den), w.N)
	}
}

// The m_dma_* views themselves: overall, band and the years each wave holds.
func TestDmwGoldenDMAViews(t *testing.T) {
	d := dmwLoadGolden(t)
	s := dmwNewSession(t, d.db, dmwYears)
	got := s.query(t, `SELECT o.coop_id, o.wave, o.year, o.score0_100, o.band, o.dimensions, c.year_from, c.year_to
		FROM m_dma_overall o JOIN m_dma_current c USING (coop_id, wave) ORDER BY ALL`)
	want := [][]string{
		{"DMWA", "T0", "2023", fmtFloat(dmwF(dmwAT0)), "average", "6", "2023", "2023"},
		{"DMWA", "T1", "2024", fmtFloat(dmwF(dmwAT1)), "moderately_advanced", "6", "2024", "9999"},
		{"DMWB", "T0", "2023", fmtFloat(dmwF(dmwBT0)), "basic", "6", "2023", "2023"},
		{"DMWB", "T1", "2024", fmtFloat(dmwF(dmwBT1)), "basic", "6", "2024", "9999"},
		{"DMWC", "T0", "2024", "NULL", "NULL", "5", "2024", "9999"},
	}
	if len(got) != len(want) {
		t.Fatalf("m_dma_overall: %d rows, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("m_dma_overall row %d col %d: got %q want %q (%v)", i, j, got[i][j], want[i][j], got[i])
			}
		}
	}
	// Q21's exclusive item, written upper-case, forces DMWB T0 to 0 although
	// "policy" is selected too; DMWC's Q25 has no rows → NULL.
	q := s.query(t, `SELECT coop_id, wave, question_code, score0_10, answer_rows FROM m_dma_question
		WHERE (coop_id = 'DMWB' AND wave = 'T0' AND question_code = 'Q21') OR (coop_id = 'DMWC' AND question_code = 'Q25')
		ORDER BY ALL`)
	if w := [][]string{{"DMWB", "T0", "Q21", "0", "2"}, {"DMWC", "T0", "Q25", "NULL", "0"}}; dmwTable(q) != dmwTable(w) {
		t.Errorf("m_dma_question: got %v want %v", q, w)
	}
}

// Bands on the overall score rounded to a whole point (table test of the
// m_dma_band data).
func TestDmwBands(t *testing.T) {
	d := dmwOpen(t, t.TempDir())
	s := dmwNewSession(t, d.db, dmwYears)
	for _, c := range []struct {
		score float64
		band  string
	}{
		{0, "basic"}, {25, "basic"}, {25.49, "basic"}, {25.5, "average"}, {26, "average"}, {50.4, "average"},
		{50.5, "moderately_advanced"}, {75, "moderately_advanced"}, {75.5, "advanced"}, {76, "advanced"}, {100, "advanced"},
	} {
		got := s.query(t, "SELECT band FROM m_dma_band WHERE round("+fmtFloat(dmwF(c.score))+"::DOUBLE) BETWEEN lo AND hi")
		if len(got) != 1 || got[0][0] != c.band {
			t.Errorf("score %v: band %v, want %s", c.score, got, c.band)
		}
	}
}

func dmwTable(rows [][]string) string {
	s := ""
	for _, r := range rows {
		for _, c := range r {
			s += c + "|"
		}
		s += "\n"
	}
	return s
}
