package catalog

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"coopimpact/internal/testsupport"
)

// Every municipality in ISTAT's list has a code the contract accepts and a region the
// region enum maps (ISTAT writes "Valle d'Aosta/Vallée d'Aoste", "Trentino-Alto Adige/Südtirol").
func TestISTATMunicipalitiesAndRegions(t *testing.T) {
	f, err := os.Open(filepath.Join(testsupport.SharedPath(t), "data", "istat", "istat_elenco_comuni.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7895 || rows[0][0] != "codice_istat" || rows[0][3] != "regione" || rows[0][5] != "sigla_provincia" {
		t.Fatalf("unexpected file: %d rows, header %v", len(rows), rows[0])
	}
	code := mustCol(t, "beneficiaries", "municipality_code")
	region := mustCol(t, "cooperatives", "region")
	prov := mustCol(t, "cooperatives", "province")
	regions := map[string]bool{}
	for _, r := range rows[1:] {
		if c := code.NormalizeText(r[0]); !code.MatchPattern(c) || c != r[0] {
			t.Errorf("code %q refused", r[0])
		}
		v, ok := region.EnumValue(r[3])
		if !ok {
			t.Errorf("region %q not mapped", r[3])
		}
		regions[v] = true
		if !prov.MatchPattern(prov.NormalizeText(r[5])) {
			t.Errorf("province %q refused", r[5])
		}
	}
	if len(regions) != 20 {
		t.Errorf("%d regions seen, want 20", len(regions))
	}
	// Excel drops the leading zeros of Piedmont's codes: 1001 is Agliè, 001001.
	if got := code.NormalizeText("1001"); got != "001001" {
		t.Errorf("zero padding: %q", got)
	}
}

// The competence enum is exactly DigComp 2.2's list.
func TestDigCompCompetences(t *testing.T) {
	f, err := os.Open(filepath.Join(testsupport.SharedPath(t), "data", "digcomp", "digcomp_2.2_competences.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := mustCol(t, "skills_assessments", "competence_code")
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	got := col.EnumValues()
	if len(got) != len(ids) {
		t.Fatalf("enum has %d codes, DigComp %d", len(got), len(ids))
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Errorf("code %d: %q, DigComp %q", i, got[i], ids[i])
		}
	}
}
