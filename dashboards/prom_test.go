package dashboards

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// /metrics counts requests by route pattern (never the raw path), their
// latency, ingest runs by outcome and the time of DuckDB-backed calls.
func TestMetricsEndpoint(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 2; i++ {
		e.do(newReq("GET", "/healthz"))
	}
	e.do(newReq("GET", "/nessuna/pagina"))
	admin := e.session("coop_admin")
	e.do(newReq("GET", "/coops/"+coopSole).as(admin))
	e.do(newReq("GET", "/coops/"+coopLuna).as(admin))
	up := func(data string) {
		e.do(newReq("POST", "/api/v1/cooperatives/"+coopSole+"/uploads?dataset=workers").as(admin).with(csrfHeader, admin.CSRFToken()).
			multipart(part{name: "file", file: "l.csv", data: []byte(data)}))
	}
	up(string(workersOf(t, coopSole)))
	up(string(workersOf(t, coopSole)))
	up(badWorkers)

	u := e.users["hub_admin"]
	raw, err := e.auth.CreateAPIToken(context.Background(), u.Scope(), u.ID, "prometheus")
	if err != nil {
		t.Fatal(err)
	}
	got := e.do(newReq("GET", "/metrics").with("Authorization", "Bearer "+raw))
	if got.status != 200 || !strings.HasPrefix(got.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %v", got.status, got.header)
	}
	for _, want := range []string{
		`coopimpact_build_info{version="test"} 1`,
		`coopimpact_http_requests_total{route="/healthz",method="GET",status="200"} 2`,
		`coopimpact_http_requests_total{route="unmatched",method="GET",status="404"} 1`,
		`coopimpact_http_requests_total{route="/coops/:coop_id",method="GET",status="200"} 1`,
		`coopimpact_http_requests_total{route="/coops/:coop_id",method="GET",status="404"} 1`,
		`coopimpact_http_requests_total{route="/api/v1/cooperatives/:coop_id/uploads",method="POST",status="200"} 2`,
		`coopimpact_http_requests_total{route="/api/v1/cooperatives/:coop_id/uploads",method="POST",status="422"} 1`,
		`coopimpact_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"} 2`,
		`coopimpact_http_request_duration_seconds_count{route="/healthz"} 2`,
		`coopimpact_ingest_runs_total{status="loaded"} 1`,
		`coopimpact_ingest_runs_total{status="unchanged"} 1`,
		`coopimpact_ingest_runs_total{status="rejected"} 1`,
		`coopimpact_db_call_duration_seconds_count{op="ingest.Ingest"} 3`,
		"# TYPE coopimpact_http_request_duration_seconds histogram",
	} {
		if !strings.Contains(got.body, want+"\n") {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(got.body, coopSole) {
		t.Error("a raw path (with an id) became a label")
	}
	// Buckets are cumulative and end at the count.
	var last int
	for _, line := range strings.Split(got.body, "\n") {
		if strings.HasPrefix(line, `coopimpact_http_request_duration_seconds_bucket{route="/healthz"`) {
			var n int
			fmtSscan(line[strings.LastIndex(line, " ")+1:], &n)
			if n < last {
				t.Errorf("bucket not cumulative: %s", line)
			}
			last = n
		}
	}
	if last != 2 {
		t.Errorf("+Inf bucket %d", last)
	}
	if got := e.do(newReq("GET", "/metrics").as(e.session("hub_analyst"))); got.status != 403 {
		t.Errorf("analyst: %d", got.status)
	}
}

func TestPromQuote(t *testing.T) {
	if got := quote("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Fatalf("%s", got)
	}
}

func fmtSscan(s string, n *int) { fmt.Sscan(s, n) }
