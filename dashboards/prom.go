package dashboards

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// promRegistry keeps the portal's counters and histograms and writes them
// in the Prometheus text format (0.0.4) by hand: four families do not
// justify a client library.
type promRegistry struct {
	mu       sync.Mutex
	requests map[[3]string]uint64 // route, method, status
	latency  map[string]*histogram
	ingest   map[string]uint64 // run status
	db       map[string]*histogram
}

// Seconds; the upper ones cover uploads of large files.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func (h *histogram) observe(v float64) {
	h.count++
	h.sum += v
	for i, le := range latencyBuckets {
		if v <= le {
			h.counts[i]++
			return
		}
	}
}

func newPromRegistry() *promRegistry {
	return &promRegistry{requests: map[[3]string]uint64{}, latency: map[string]*histogram{},
		ingest: map[string]uint64{}, db: map[string]*histogram{}}
}

func observeInto(m map[string]*histogram, key string, d time.Duration) {
	h := m[key]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m[key] = h
	}
	h.observe(d.Seconds())
}

// request counts one answered request by its route pattern (never the raw
// path: ids would make the series unbounded).
func (r *promRegistry) request(route, method string, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Fiber's strings point into reused request buffers: copy what a map keeps.
	route, method = strings.Clone(route), strings.Clone(method)
	r.requests[[3]string{route, method, strconv.Itoa(status)}]++
	observeInto(r.latency, route, d)
}

func (r *promRegistry) ingestRun(status string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ingest[strings.Clone(status)]++
}

func (r *promRegistry) dbCall(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	observeInto(r.db, op, d)
}

// dbTimer times one domain call that queries DuckDB: defer s.dbTimer("op")().
func (s *Server) dbTimer(op string) func() {
	start := time.Now()
	return func() { s.prom.dbCall(op, time.Since(start)) }
}

// write prints every family, series sorted so the output is stable.
func (r *promRegistry) write(w io.Writer, version string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(w, "# HELP coopimpact_build_info The running version.\n# TYPE coopimpact_build_info gauge\n")
	fmt.Fprintf(w, "coopimpact_build_info{version=%s} 1\n", quote(version))

	fmt.Fprintf(w, "# HELP coopimpact_http_requests_total HTTP requests answered, by route pattern, method and status.\n")
	fmt.Fprintf(w, "# TYPE coopimpact_http_requests_total counter\n")
	keys := make([][3]string, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		if a[1] != b[1] {
			return a[1] < b[1]
		}
		return a[2] < b[2]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "coopimpact_http_requests_total{route=%s,method=%s,status=%s} %d\n", quote(k[0]), quote(k[1]), quote(k[2]), r.requests[k])
	}
	writeHistograms(w, "coopimpact_http_request_duration_seconds", "Time to answer HTTP requests, by route pattern.", "route", r.latency)

	fmt.Fprintf(w, "# HELP coopimpact_ingest_runs_total Files loaded through the portal and the API, by outcome.\n")
	fmt.Fprintf(w, "# TYPE coopimpact_ingest_runs_total counter\n")
	for _, st := range sortedKeys(r.ingest) {
		fmt.Fprintf(w, "coopimpact_ingest_runs_total{status=%s} %d\n", quote(st), r.ingest[st])
	}
	writeHistograms(w, "coopimpact_db_call_duration_seconds", "Time of the portal's calls into DuckDB-backed domain services, by operation.", "op", r.db)
}

func writeHistograms(w io.Writer, name, help, label string, m map[string]*histogram) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name)
	for _, k := range sortedKeys(m) {
		h := m[k]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "%s_bucket{%s=%s,le=%q} %d\n", name, label, quote(k), formatFloat(le), cum)
		}
		fmt.Fprintf(w, "%s_bucket{%s=%s,le=\"+Inf\"} %d\n", name, label, quote(k), h.count)
		fmt.Fprintf(w, "%s_sum{%s=%s} %s\n", name, label, quote(k), formatFloat(h.sum))
		fmt.Fprintf(w, "%s_count{%s=%s} %d\n", name, label, quote(k), h.count)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// quote writes a label value: backslash, double quote and newline escaped.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
