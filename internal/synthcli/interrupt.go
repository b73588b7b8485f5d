package synthcli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/jsii-runtime-go"
)

// interrupts makes SIGINT and SIGTERM during a synth end it cleanly: the
// Node.js processes of jsii are stopped, the temporary assembly folder and
// the runtime folder jsii extracted are removed, and the process exits 130
// or 143 (128 + the signal), leaving --out as it was.
type interrupts struct {
	stderr io.Writer
	target string

	mu   sync.Mutex
	tmp  string // the temporary folder to remove; "" once swapped in
	jsii bool   // jsii calls are under way: the main goroutine must park first

	stopping chan struct{} // closed when a signal arrived
	parked   chan struct{} // closed when the main goroutine stopped calling jsii
	parkOnce sync.Once
	sigs     chan os.Signal
}

// catchInterrupts starts handling SIGINT and SIGTERM.
func catchInterrupts(stderr io.Writer, target string) *interrupts {
	in := &interrupts{stderr: stderr, target: target, stopping: make(chan struct{}), parked: make(chan struct{}), sigs: make(chan os.Signal, 1)}
	signal.Notify(in.sigs, syscall.SIGINT, syscall.SIGTERM)
	go in.handle()
	return in
}

// startJSII says that the main goroutine is about to make jsii calls.
func (in *interrupts) startJSII() {
	in.mu.Lock()
	in.jsii = true
	in.mu.Unlock()
}

// locked runs f unless a signal arrived, holding off the handler meanwhile
// (for swapping in the assembly); it reports whether f ran.
func (in *interrupts) locked(f func()) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	select {
	case <-in.stopping:
		return false
	default:
	}
	f()
	return true
}

// parkIfStopping blocks forever if a signal arrived (the handler then ends
// the process): what failed because the handler stopped Node.js is not
// reported as a synth failure.
func (in *interrupts) parkIfStopping() {
	select {
	case <-in.stopping:
		in.parkOnce.Do(func() { close(in.parked) })
		select {}
	default:
	}
}

func (in *interrupts) handle() {
	sig := (<-in.sigs).(syscall.Signal)
	close(in.stopping)
	in.mu.Lock()
	busy := in.jsii
	in.mu.Unlock()
	if busy {
		// Stopping Node.js makes the pending jsii call fail; wait until the
		// main goroutine has seen that and stopped calling jsii, which would
		// otherwise start a new kernel.
		stopDescendants(2 * time.Second)
		select {
		case <-in.parked:
		case <-time.After(5 * time.Second):
		}
	}
	jsii.Close() // removes the runtime folder jsii extracted, once Node.js is gone
	in.mu.Lock()
	if in.tmp != "" {
		os.RemoveAll(in.tmp)
		in.tmp = ""
	}
	fmt.Fprintf(in.stderr, "slocat: synth interrupted (%v); %s was left as it was\n", sig, in.target)
	os.Exit(128 + int(sig))
}

// stopDescendants sends SIGTERM to every process descended from this one
// (jsii's Node.js wrapper and the kernel process it starts), and SIGKILL
// to those still running after grace. It finds them in /proc; elsewhere it
// finds none, and jsii.Close ends the kernel instead.
func stopDescendants(grace time.Duration) {
	pids := descendants(os.Getpid())
	for _, p := range pids {
		syscall.Kill(p, syscall.SIGTERM)
	}
	deadline := time.Now().Add(grace)
	for len(pids) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		live := pids[:0]
		for _, p := range pids {
			if startTime(p) != -1 {
				live = append(live, p)
			}
		}
		pids = live
	}
	for _, p := range pids {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// descendants lists the processes whose parent chain leads to root, from
// /proc/PID/stat (field 4 is the parent).
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}
