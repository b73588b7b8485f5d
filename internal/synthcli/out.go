package synthcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// OutError is an --out that slocat synth will not replace: a regular file,
// a symbolic link, or a folder that holds something other than a cloud
// assembly. It is refused before anything is written or deleted.
type OutError struct {
	Path   string
	Reason string
}

func (e *OutError) Error() string {
	return fmt.Sprintf("--out %s: %s; slocat synth replaces only a cloud assembly folder (cdk.out), an empty folder or nothing: remove it yourself or choose another --out", e.Path, e.Reason)
}

// checkOut returns nil when target may be replaced by a new assembly: it
// does not exist, or is an empty folder, or a cloud assembly.
func checkOut(target string) error {
	st, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0:
		return &OutError{target, "is a symbolic link"}
	case !st.IsDir():
		return &OutError{target, "is a file, not a folder"}
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return err
	}
	if len(entries) == 0 || isAssembly(target) {
		return nil
	}
	return &OutError{target, "is a folder that is not a cloud assembly (no manifest.json and cdk.out of the CDK cloud assembly schema)"}
}

// semver is the version of the cloud assembly schema an assembly records.
var semver = regexp.MustCompile(`^\d+\.\d+\.\d+`)

// isAssembly reports whether dir is a CDK cloud assembly: its manifest.json
// and cdk.out both record a schema version, as every assembly the CDK writes
// (slocat synth's, the CDK CLI's) does.
func isAssembly(dir string) bool {
	for _, name := range []string{"manifest.json", "cdk.out"} {
		st, err := os.Lstat(filepath.Join(dir, name))
		if err != nil || !st.Mode().IsRegular() || st.Size() > 64<<20 {
			return false
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return false
		}
		var m struct {
			Version string `json:"version"`
		}
		if json.Unmarshal(b, &m) != nil || !semver.MatchString(m.Version) {
			return false
		}
	}
	return true
}

// catalogInside returns a catalog file that lies inside target, if any:
// replacing target would delete the catalog.
func catalogInside(target string, files []string) string {
	abs, err := filepath.Abs(target)
	if err != nil {
		return ""
	}
	for _, f := range files {
		af, err := filepath.Abs(f)
		if err != nil {
			continue
		}
		if r, err := filepath.Rel(abs, af); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return f
		}
	}
	return ""
}

// The temporary folder a synth writes into, beside --out, is named
// OUT.tmp-HOST.PID.START-RANDOM: a hash of the host name, the process id
// and the process's start time (clock ticks since boot, from /proc; 0
// where there is none). A later run on the same host removes it once that
// process is gone, which is what proves it abandoned.
var tmpName = regexp.MustCompile(`\.tmp-([0-9a-f]{8})\.(\d+)\.(\d+)-[^/]*$`)

// tmpPattern is the os.MkdirTemp pattern of this process's temporary
// folder for target.
func tmpPattern(target string) string {
	return fmt.Sprintf("%s.tmp-%s.%d.%d-*", filepath.Base(target), hostTag(), os.Getpid(), startTime(os.Getpid()))
}

func hostTag() string {
	h := fnv.New32a()
	name, _ := os.Hostname()
	h.Write([]byte(name))
	return fmt.Sprintf("%08x", h.Sum32())
}

// startTime is when process pid started, in clock ticks since boot (field
// 22 of /proc/PID/stat); 0 if unknown, -1 if there is no such process.
func startTime(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		if _, err := os.Stat("/proc/self/stat"); err != nil {
			// No /proc: only whether the process exists can be known.
			if syscall.Kill(pid, 0) == syscall.ESRCH {
				return -1
			}
			return 0
		}
		return -1
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis (field 3 is the first).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0
	}
	if f[0] == "Z" || f[0] == "X" {
		return -1 // a zombie has finished
	}
	n, _ := strconv.ParseInt(f[19], 10, 64)
	return n
}

// removeStale removes the temporary folders beside target that earlier
// synths on this host left when they were killed: their process is gone,
// or its id now belongs to a process started at another time. Folders of
// running synths, of other hosts and of other names are left alone.
func removeStale(target string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Clean(target)), globEscape(filepath.Base(target))+".tmp-*"))
	host := hostTag()
	for _, m := range matches {
		p := tmpName.FindStringSubmatch(m)
		if p == nil || p[1] != host || filepath.Base(m) != filepath.Base(filepath.Clean(target))+m[len(m)-len(p[0]):] {
			continue
		}
		pid, err1 := strconv.Atoi(p[2])
		start, err2 := strconv.ParseInt(p[3], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if now := startTime(pid); now == -1 || (start != 0 && now != 0 && now != start) {
			os.RemoveAll(m)
		}
	}
}

// globEscape quotes the pattern characters of filepath.Match in s.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
