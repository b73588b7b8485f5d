package delivery

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/jsiikernel"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/stacks"
)

func TestMain(m *testing.M) {
	jsiikernel.Setup(os.Stderr) // the bundled Node.js, as slocat synth uses
	code := m.Run()
	jsii.Close() // removes the runtime folder jsii extracted; stops Node
	os.Exit(code)
}

// synthesize loads a catalog and synthesizes it into a temporary folder
// (CDK's CloudFormation validation off: the harness reads the templates).
func synthesize(t *testing.T, catalog string) (string, *plan.Plan) {
	t.Helper()
	cat, _, err := pipeline.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	start := time.Now()
	if _, err := stacks.Synth(cat.Plan, stacks.Options{Outdir: dir, NoValidate: true}); err != nil {
		t.Fatalf("synth %s: %v", catalog, err)
	}
	t.Logf("synthesized %s in %v", catalog, time.Since(start).Round(time.Millisecond))
	return dir, cat.Plan
}

// TestDefaultCatalog delivers every rule target of the example catalog.
func TestDefaultCatalog(t *testing.T) {
	dir, catalogPlan := synthesize(t, "../../catalog")
	results := run(t, dir, catalogPlan)
	// The example catalog has every receiver; each must have been reached
	// both when an alarm fires and when it clears.
	for _, k := range []string{pagerDuty, opsgenie, slack, email} {
		for _, s := range []string{"ALARM", "OK"} {
			if !slices.ContainsFunc(results, func(r result) bool { return r.d.kind == k && r.d.state == s }) {
				t.Errorf("no %s delivery on %s: the harness did not reach every receiver", k, s)
			}
		}
	}
	report(t, results, true)
}

// TestGoldenTemplates delivers every rule target of the reviewed golden
// templates of the example catalog.
func TestGoldenTemplates(t *testing.T) {
	cat, _, err := pipeline.Load("../../catalog")
	if err != nil {
		t.Fatal(err)
	}
	report(t, run(t, "../../stacks/testdata/golden", cat.Plan), false)
}

// TestGeneratedCatalog delivers every rule target of a generated catalog of
// 100 SLOs over 10 services in two environments (slocat gen's defaults).
func TestGeneratedCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes a 100-SLO catalog")
	}
	src := t.TempDir()
	if err := gen.Write(src, gen.Options{Services: 10, SLOs: 100}); err != nil {
		t.Fatal(err)
	}
	dir, catalogPlan := synthesize(t, src)
	results := run(t, dir, catalogPlan)
	if len(results) < 40 {
		t.Errorf("only %d deliveries for 10 services in 2 environments", len(results))
	}
	report(t, results, false)
}

// result is one delivery and what is wrong with it.
type result struct {
	d        *delivery
	problems []string
}

// run makes every delivery of an assembly: transform, check the request
// built in process, send it to the local receiver over a real socket, and
// compare what the receiver found.
func run(t *testing.T, dir string, catalogPlan *plan.Plan) []result {
	t.Helper()
	a, err := loadAssembly(dir, catalogPlan)
	if err != nil {
		t.Fatal(err)
	}
	ds, problems := deliveries(a)
	for _, p := range problems {
		t.Errorf("cannot follow a rule target: %s", p)
	}
	if len(ds) == 0 {
		t.Fatal("no rule targets in the assembly")
	}
	srv := newReceiver(ds)
	defer srv.Close()
	var out []result
	for _, d := range ds {
		out = append(out, result{d, deliver(srv, d)})
	}
	t.Logf("%d deliveries, each sent to the receivers' stand-in on %s", len(ds), srv.URL)
	return out
}

// deliver makes one delivery and returns its problems.
func deliver(srv *receiver, d *delivery) []string {
	body, problems := payload(d)
	if body == nil {
		return problems
	}
	req, p := request(d, body)
	problems = append(problems, p...)
	if req == nil {
		return problems
	}
	raw, _ := io.ReadAll(req.Body)
	addressed := *req.URL
	local := check(d, &received{method: req.Method, url: &addressed, header: req.Header, body: raw})
	problems = append(problems, local...)

	// Over the socket: the same request to 127.0.0.1, addressed (Host) to
	// the receiver's host.
	req.Body = io.NopCloser(strings.NewReader(string(raw)))
	req.Host = addressed.Host
	target, _ := url.Parse(srv.URL)
	req.URL.Scheme, req.URL.Host = target.Scheme, target.Host
	req.Header.Set(deliveryHeader, d.name)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return append(problems, "POST to the local receiver: "+err.Error())
	}
	defer resp.Body.Close()
	var remote struct{ Problems []string }
	if err := json.NewDecoder(resp.Body).Decode(&remote); err != nil {
		return append(problems, fmt.Sprintf("local receiver answered %s without a verdict: %v", resp.Status, err))
	}
	if !slices.Equal(remote.Problems, local) {
		problems = append(problems, fmt.Sprintf("over the socket the receiver found %q, in process %q", remote.Problems, local))
	}
	return problems
}

// deliveryHeader tells the local receiver which delivery a request is.
const deliveryHeader = "X-Slocat-Test-Delivery"

// receiver is the stand-in of every receiver: an HTTP server on 127.0.0.1
// that checks each request against the contract of the receiver it was
// addressed to and answers with its verdict (202, or 400 with the
// problems).
type receiver struct {
	*httptest.Server
	mu sync.Mutex
	ds map[string]*delivery
}

func newReceiver(ds []*delivery) *receiver {
	r := &receiver{ds: map[string]*delivery{}}
	for _, d := range ds {
		r.ds[d.name] = d
	}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	d := r.ds[req.Header.Get(deliveryHeader)]
	r.mu.Unlock()
	if d == nil {
		http.Error(w, "unknown delivery", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h := req.Header.Clone()
	h.Del(deliveryHeader)
	u := &url.URL{Scheme: "https", Host: req.Host, Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	problems := check(d, &received{method: req.Method, url: u, header: h, body: body})
	status := http.StatusAccepted
	if len(problems) > 0 {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"problems": problems})
}

// report fails the test for every delivery with a problem: each one when
// verbose, otherwise a count per problem with one example.
func report(t *testing.T, results []result, verbose bool) {
	t.Helper()
	failed := 0
	type group struct {
		n       int
		example string
	}
	groups := map[string]*group{}
	for _, r := range results {
		if len(r.problems) == 0 {
			continue
		}
		failed++
		if verbose {
			t.Errorf("%s (%s, %s):\n\t%s", r.d.name, r.d.kind, r.d.state, strings.Join(r.problems, "\n\t"))
			continue
		}
		for _, p := range r.problems {
			key := fmt.Sprintf("%s %s: %s", r.d.kind, r.d.state, generalize(p, r.d))
			if groups[key] == nil {
				groups[key] = &group{example: r.d.name + ": " + p}
			}
			groups[key].n++
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%d× %s\n\te.g. %s", groups[k].n, k, groups[k].example)
	}
	if failed > 0 {
		t.Errorf("%d of %d deliveries break their receiver's contract", failed, len(results))
	}
}

// generalize replaces a delivery's own names in a problem so that equal
// problems of different alarms group together.
func generalize(p string, d *delivery) string {
	p = strings.ReplaceAll(p, d.alarmARN, "ALARM_ARN")
	p = strings.ReplaceAll(p, d.alarm, "ALARM_NAME")
	if r := []rune(p); len(r) > 160 {
		p = string(r[:160]) + "…"
	}
	return p
}
