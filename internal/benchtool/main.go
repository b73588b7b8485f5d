// Command benchtool measures slocat on generated catalogs of 10 to 10,000
// SLOs and writes BENCHMARKS.md. make bench runs it; it is not part of make
// test (it takes minutes).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

type row struct {
	slos, services                  int
	validateProc, check, load, plan time.Duration
	validateRSS                     int
	synth                           bool
	startup, construct, synthOn     time.Duration
	synthOff                        time.Duration
	wallOn                          time.Duration
	goRSS, nodeRSS, nodeRSSOff      int
	stacks, resources               int
	largest                         string
	largestRes, largestBytes        int
	msPerResource                   float64
	kernel                          string
	synthRuns                       int
	// Process wall time of slocat synth and of the JavaScript baseline
	// (jsbaseline.js), validation on and off, and the baseline's parts.
	procOn, procOff        time.Duration
	jsOn, jsOff            time.Duration
	jsConstruct, jsSynthOn time.Duration
	jsSynthOff             time.Duration
	jsRSSOn, jsRSSOff      int
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

var (
	reStacks  = regexp.MustCompile(`(?m)^(\d+) stacks, (\d+) resources`)
	reLargest = regexp.MustCompile(`(?m)^largest stack: (\S+), (\d+) resources, (\d+) bytes`)
	reTimes   = regexp.MustCompile(`(?m)in (\S+): jsii start-up (\S+), constructs (\S+) \(([0-9.]+) ms per resource\), synthesis and validation (\S+)$`)
	reRSS     = regexp.MustCompile(`(?m)^peak RSS: slocat (\d+) MB, node (\d+) MB`)
	reTimeRSS = regexp.MustCompile(`(?m)^MAXRSS (\d+)$`)
	reKernel  = regexp.MustCompile(`(?m)^jsii kernel: (.+)$`)
)

func mustDur(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func run(bin string, args ...string) (string, time.Duration) {
	return runEnv(nil, bin, args...)
}

// runEnv runs bin under /usr/bin/time with env added to the environment.
func runEnv(env []string, bin string, args ...string) (string, time.Duration) {
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "MAXRSS %M", bin}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s %v: %v\n%s", bin, args, err, out.String())
		os.Exit(1)
	}
	return out.String(), time.Since(start)
}

func main() {
	bin := flag.String("slocat", "", "slocat binary to measure")
	out := flag.String("out", "BENCHMARKS.md", "report to write")
	sizes := flag.String("sizes", "10,100,1000,10000", "catalog sizes in SLOs")
	synthMax := flag.Int("synth-max", 1000, "largest catalog to synthesize")
	flag.Parse()
	work, err := os.MkdirTemp("", "slocat-bench-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(work)
	js, err := prepareJSBaseline(work)
	if err != nil {
		fmt.Fprintf(os.Stderr, "JavaScript baseline: %v\n", err)
		os.Exit(1)
	}
	var rows []row
	for _, f := range strings.Split(*sizes, ",") {
		n := atoi(f)
		r := row{slos: n, services: max(1, n/10)}
		dir := filepath.Join(work, fmt.Sprintf("catalog-%d", n))
		if err := gen.Write(dir, gen.Options{Services: r.services, SLOs: n}); err != nil {
			panic(err)
		}
		fmt.Fprintf(os.Stderr, "%d SLOs: validate...\n", n)
		var procs, checks, loads, plans []time.Duration
		for i := 0; i < 5; i++ {
			o, d := run(*bin, "validate", dir)
			procs = append(procs, d)
			if m := reTimeRSS.FindStringSubmatch(o); m != nil {
				r.validateRSS = max(r.validateRSS, atoi(m[1])/1024)
			}
		}
		for i := 0; i < 3; i++ {
			start := time.Now()
			if _, _, err := pipeline.Check(dir); err != nil {
				panic(err)
			}
			checks = append(checks, time.Since(start))
			start = time.Now()
			cat, _, err := pipeline.Load(dir)
			if err != nil {
				panic(err)
			}
			loads = append(loads, time.Since(start))
			start = time.Now()
			var diags diag.Diagnostics
			plan.Build(cat.Catalog, &diags)
			plans = append(plans, time.Since(start))
		}
		r.validateProc, r.check, r.load, r.plan = median(procs), median(checks), median(loads), median(plans)
		if n <= *synthMax {
			r.synth = true
			// Three runs at every size: this machine's construct time varies
			// by up to half between runs minutes apart (shared host).
			runs := 3
			r.synthRuns = runs
			var walls, starts, cons, syn, synOff []time.Duration
			var procOn, procOff, jsOn, jsOff, jsCons, jsSynOn, jsSynOff []time.Duration
			// Interleaved: slocat on, baseline on, slocat off, baseline off,
			// so that a slower minute of this shared machine hits both sides.
			for i := 0; i < runs; i++ {
				fmt.Fprintf(os.Stderr, "%d SLOs: synth %d/%d...\n", n, i+1, runs)
				o, wall := run(*bin, "synth", "-q", "--stats", "--out", filepath.Join(work, "out"), dir)
				procOn = append(procOn, wall)
				jr := mustJS(js.run(filepath.Join(work, "out"), filepath.Join(work, "js-out"), true))
				jsOn, jsCons, jsSynOn = append(jsOn, jr.Wall), append(jsCons, ms2d(jr.ConstructMs)), append(jsSynOn, ms2d(jr.SynthMs))
				r.jsRSSOn = max(r.jsRSSOn, jr.PeakRssMb)
				m := reTimes.FindStringSubmatch(o)
				if m == nil {
					panic("no timing line in:\n" + o)
				}
				walls = append(walls, mustDur(m[1]))
				starts = append(starts, mustDur(m[2]))
				cons = append(cons, mustDur(m[3]))
				syn = append(syn, mustDur(m[5]))
				if s := reStacks.FindStringSubmatch(o); s != nil {
					r.stacks, r.resources = atoi(s[1]), atoi(s[2])
				}
				if l := reLargest.FindStringSubmatch(o); l != nil {
					r.largest, r.largestRes, r.largestBytes = l[1], atoi(l[2]), atoi(l[3])
				}
				if x := reRSS.FindStringSubmatch(o); x != nil {
					r.goRSS, r.nodeRSS = max(r.goRSS, atoi(x[1])), max(r.nodeRSS, atoi(x[2]))
				}
				if k := reKernel.FindStringSubmatch(o); k != nil {
					r.kernel = k[1]
				}
				o, wall = run(*bin, "synth", "-q", "--stats", "--no-validate", "--out", filepath.Join(work, "out"), dir)
				procOff = append(procOff, wall)
				m = reTimes.FindStringSubmatch(o)
				if m == nil {
					panic("no timing line in:\n" + o)
				}
				synOff = append(synOff, mustDur(m[5]))
				if x := reRSS.FindStringSubmatch(o); x != nil {
					r.nodeRSSOff = max(r.nodeRSSOff, atoi(x[2]))
				}
				jr = mustJS(js.run(filepath.Join(work, "out"), filepath.Join(work, "js-out"), false))
				jsOff, jsSynOff = append(jsOff, jr.Wall), append(jsSynOff, ms2d(jr.SynthMs))
				r.jsRSSOff = max(r.jsRSSOff, jr.PeakRssMb)
			}
			r.procOn, r.procOff, r.jsOn, r.jsOff = median(procOn), median(procOff), median(jsOn), median(jsOff)
			r.jsConstruct, r.jsSynthOn, r.jsSynthOff = median(jsCons), median(jsSynOn), median(jsSynOff)
			r.wallOn, r.startup, r.construct, r.synthOn, r.synthOff = median(walls), median(starts), median(cons), median(syn), median(synOff)
			if r.resources > 0 {
				r.msPerResource = float64(r.construct.Microseconds()) / 1000 / float64(r.resources)
			}
		}
		rows = append(rows, r)
	}
	write(*out, rows)
}

func ms2d(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

func mustJS(r *jsResult, err error) *jsResult {
	if err != nil {
		fmt.Fprintf(os.Stderr, "JavaScript baseline: %v\n", err)
		os.Exit(1)
	}
	return r
}

// ratio is a over b, as "1.58x".
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(b); m != nil {
			model = string(m[1])
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^MemTotal:\s*(\d+) kB`).FindSubmatch(b); m != nil {
			mem = fmt.Sprintf(", %d GiB", atoi(string(m[1]))/1024/1024)
		}
	}
	node := os.Getenv("JSII_NODE")
	v, _ := exec.Command(node, "--version").Output()
	return fmt.Sprintf("%d CPUs (%s)%s; %s; Node.js %s (jsii)", runtime.NumCPU(), model, mem, runtime.Version(), strings.TrimSpace(string(v)))
}

func write(path string, rows []row) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmarks\n\nWritten by `make bench` (internal/benchtool) on %s.\nMachine: %s.\n\n", time.Now().UTC().Format("2006-01-02"), machine())
	b.WriteString("Catalogs from `slocat gen` (one service per 10 SLOs, two environments, the default catalog's mix of alarms, canaries, RUM and trace groups). ")
	b.WriteString("Validate: the whole `slocat validate` process (median of 5 runs, the largest peak RSS), and in-process (median of 3) `pipeline.Check` (what validate runs: parse, check, plan without keeping it), `pipeline.Load` (the same, keeping the plan, as plan and synth do) and `plan.Build` alone. ")
	b.WriteString("Synth: `slocat synth --stats`, CDK validation on and off (`--no-validate`); median of the runs given. ")
	b.WriteString("jsii ms/resource is construct time over generated resources (jsii-runtime-go's own kernel process, in the bundled Node.js). Peak RSS of Node is the jsii child's. ")
	b.WriteString("JS aws-cdk-lib: the same templates built by plain JavaScript (internal/benchtool/jsbaseline.js: the assembly slocat wrote, read back and rebuilt as one `CfnResource` per resource at its construct path, with slocat's context and app settings, in the same Node.js and the same aws-cdk-lib, unpacked from the Go module's tarball; `go test ./internal/benchtool` holds its templates byte-identical to slocat's); whole process, validation on / off, run interleaved with slocat's runs. ")
	b.WriteString("Ratio: slocat synth's whole process over the baseline's, on / off (issue 18).\n\n")
	b.WriteString("| SLOs | validate (process) | check in-process | load in-process | plan | validate peak RSS | synth runs | stacks | resources | largest stack (resources, bytes) | jsii start-up | constructs | ms/resource | synthesis, validation on | synthesis, validation off | synth total | peak RSS slocat / node (on) / node (off) | slocat process (on/off) | JS aws-cdk-lib (on/off) | JS constructs / synthesis (on/off) | ratio (on/off) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %d MB |", r.slos, ms(r.validateProc), ms(r.check), ms(r.load), ms(r.plan), r.validateRSS)
		if !r.synth {
			b.WriteString(" not synthesized | | | | | | | | | | | | | | |\n")
			continue
		}
		fmt.Fprintf(&b, " %d | %d | %d | %s (%d, %d) | %s | %s | %.2f | %s | %s | %s | %d / %d / %d MB |",
			r.synthRuns, r.stacks, r.resources, r.largest, r.largestRes, r.largestBytes, ms(r.startup), ms(r.construct), r.msPerResource, ms(r.synthOn), ms(r.synthOff), ms(r.wallOn), r.goRSS, r.nodeRSS, r.nodeRSSOff)
		fmt.Fprintf(&b, " %s / %s | %s / %s (peak RSS %d / %d MB) | %s / %s / %s | %s / %s |\n",
			ms(r.procOn), ms(r.procOff), ms(r.jsOn), ms(r.jsOff), r.jsRSSOn, r.jsRSSOff, ms(r.jsConstruct), ms(r.jsSynthOn), ms(r.jsSynthOff), ratio(r.procOn, r.jsOn), ratio(r.procOff, r.jsOff))
	}
	for _, r := range rows {
		if r.kernel != "" {
			fmt.Fprintf(&b, "\njsii kernel of the synth runs: %s.\n", r.kernel)
			break
		}
	}
	b.WriteString("\nTargets (issue 6): validate of 10,000 SLOs <= 0.3 s; <= 0.5 ms of jsii per resource; every stack <= 500 resources and <= 1 MB.\n")
	b.WriteString("Targets (issue 18): slocat synth over the JavaScript baseline <= 1.2x with validation on, <= 2.5x off.\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s\n", path)
}
