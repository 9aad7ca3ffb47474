package read

import (
	"fmt"
	"testing"
)

func TestQuick(t *testing.T) {
	conn := newConn(t)
	content := "Report ore marzo 2024\n\ncoop;persona;mese;attivita;ore\n123;\"A;B\";03/2024;\"multi\nline\";1,5\n\n456;C;03/2024;x;2\n;;;;\n789;D;\"03/2024\";y;\"3\"\n"
	s, err := stage(t, conn, "a.csv", []byte(content), Options{HeaderScore: scoreNames("coop", "persona", "mese", "attivita", "ore")})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", *s)
	for _, r := range dump(t, conn, s) {
		fmt.Printf("%d %q\n", r.Line, r.Vals)
	}
}
