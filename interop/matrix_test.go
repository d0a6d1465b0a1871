//go:build interop

package interop

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The directions of the matrix's tables.
const (
	peersToSignet = "peers → signet"
	signetToPeers = "signet → peers"
)

// row is a line of the compatibility matrix.
type row struct {
	Direction string // peersToSignet or signetToPeers
	Peer      string
	Setup     string // the configuration both sides use
	Algorithm string
}

// tally counts the checks of a matrix cell: Want is how many the cell
// expects (the vector replays' tallies leave it 0).
type tally struct{ Pass, Fail, Skip, Want int }

// String is the cell as the matrix shows it: "pass n/n" only when every
// expected check ran and passed; a check that failed, or that never
// reported (its test aborted, say), shows against the expected total.
func (c tally) String() string {
	switch {
	case c.Fail > 0 && c.Pass+c.Fail < c.Want:
		return fmt.Sprintf("**FAIL** %d/%d, **INCOMPLETE**", c.Pass, c.Want)
	case c.Fail > 0:
		return fmt.Sprintf("**FAIL** %d/%d", c.Pass, c.Want)
	case c.Pass < c.Want:
		return fmt.Sprintf("**INCOMPLETE** %d/%d", c.Pass, c.Want)
	case c.Pass > c.Want:
		return fmt.Sprintf("**UNEXPECTED** %d/%d", c.Pass, c.Want)
	}
	return fmt.Sprintf("pass %d/%d", c.Pass, c.Want)
}

// complete reports whether every expected check ran and passed.
func (c tally) complete() bool { return c.Fail == 0 && c.Pass == c.Want }

// limitation is a check whose expected answer shows a known peer
// limitation.
type limitation struct {
	Direction, Peer, Setup, Request string
	Status                          int
	Limitation                      string
}

// matrix is what the suite observed: a tally per row and column (a
// framework, or signethttp.Transport), the limitations checked, and the
// vector replays.
type matrix struct {
	mu     sync.Mutex
	rows   []row                     // in the order first seen
	cells  map[row]map[string]*tally // by row, then column
	limits []limitation              // in the order first seen
	algs   map[limitation][]string   // the algorithms each was checked with
	files  map[string]map[string]tally
	skips  []skip // the vector cases a replay skipped, in the order first seen
}

// skip is a vector case a replay skipped, and the frameworks it skipped it
// in.
type skip struct {
	Test, Case, Reason string
	Frameworks         []string
}

var observed = &matrix{cells: map[row]map[string]*tally{}, algs: map[limitation][]string{}, files: map[string]map[string]tally{}}

// checkAnswer checks got, the answer to v tampered by tp, against w and
// records the result in the matrix.
func checkAnswer(t *testing.T, r row, column string, v variant, tp tamper, w want, got answer) {
	t.Helper()
	err := w.check(got)
	observed.record(r, column, err)
	if err != nil {
		t.Error(err)
	} else if w.Limitation != "" {
		observed.recordLimitation(limitation{r.Direction, r.Peer, r.Setup, v.Name + ", " + tp.name(), w.Status, w.Limitation}, r.Algorithm)
	}
}

// recordLimitation notes that l was checked with alg.
func (m *matrix) recordLimitation(l limitation, alg string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.algs[l] == nil {
		m.limits = append(m.limits, l)
	}
	if !slices.Contains(m.algs[l], alg) {
		m.algs[l] = append(m.algs[l], alg)
	}
}

// cell is the tally of r in column, added when missing; m.mu is held.
func (m *matrix) cell(r row, column string) *tally {
	if m.cells[r] == nil {
		m.rows = append(m.rows, r)
		m.cells[r] = map[string]*tally{}
	}
	c := m.cells[r][column]
	if c == nil {
		c = new(tally)
		m.cells[r][column] = c
	}
	return c
}

// expect adds n to the checks r expects in column. The directions call it
// for every request before sending any, so that a check that never
// reports leaves its cell short.
func (m *matrix) expect(r row, column string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cell(r, column).Want += n
}

// record counts a check of r in column, passed when err is nil.
func (m *matrix) record(r row, column string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cell(r, column)
	if err == nil {
		c.Pass++
	} else {
		c.Fail++
	}
}

// markdown renders the matrix: a table per direction, then a table of
// vector replays per framework.
func (m *matrix) markdown() string {
	var b strings.Builder
	for _, dir := range []struct {
		name    string
		columns []string
	}{
		{peersToSignet, frameworks},
		{signetToPeers, []string{transportColumn}},
	} {
		fmt.Fprintf(&b, "### %s\n\n| peer | setup | algorithm | %s |\n|---|---|---|%s\n",
			dir.name, strings.Join(dir.columns, " | "), strings.Repeat("---|", len(dir.columns)))
		for _, r := range m.rows {
			if r.Direction != dir.name {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s |", r.Peer, r.Setup, r.Algorithm)
			for _, c := range dir.columns {
				if t := m.cells[r][c]; t != nil {
					fmt.Fprintf(&b, " %s |", t)
				} else {
					b.WriteString(" not run |")
				}
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("### Known peer limitations, as checked\n\n| direction | peer | setup | request | answer | because | algorithms |\n|---|---|---|---|---|---|---|\n")
	for _, l := range m.limits {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s | %s |\n",
			l.Direction, l.Peer, l.Setup, l.Request, l.Status, l.Limitation, strings.Join(m.algs[l], ", "))
	}
	b.WriteString("\n### vectors → signet\n")
	for _, f := range frameworks {
		fmt.Fprintf(&b, "\n**%s**\n\n| vector file | replay | passed | failed | skipped |\n|---|---|---|---|---|\n", f)
		for _, replay := range vectorReplays {
			t := m.files[f][replay.Test]
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", replay.File, replay.Test, t.Pass, t.Fail, t.Skip)
		}
	}
	if len(m.skips) > 0 {
		b.WriteString("\n**Skipped vector cases, and why** (no request is checked for them)\n\n| replay | case | frameworks | why |\n|---|---|---|---|\n")
		replay := func(test string) int {
			return slices.IndexFunc(vectorReplays, func(r struct{ Test, File string }) bool { return r.Test == test })
		}
		slices.SortFunc(m.skips, func(a, b skip) int {
			return cmp.Or(cmp.Compare(replay(a.Test), replay(b.Test)), strings.Compare(a.Case, b.Case), strings.Compare(a.Reason, b.Reason))
		})
		for _, s := range m.skips {
			slices.SortFunc(s.Frameworks, func(a, b string) int {
				return cmp.Compare(slices.Index(frameworks, a), slices.Index(frameworks, b))
			})
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", s.Test, s.Case, strings.Join(s.Frameworks, ", "), strings.ReplaceAll(s.Reason, "|", "\\|"))
		}
	}
	return b.String()
}

// incomplete is the cells, as "row/column: cell", whose checks did not
// all run and pass.
func (m *matrix) incomplete() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, r := range m.rows {
		for _, column := range slices.Sorted(maps.Keys(m.cells[r])) {
			if c := m.cells[r][column]; !c.complete() {
				out = append(out, fmt.Sprintf("%s/%s/%s/%s/%s: %s", r.Direction, r.Peer, r.Setup, r.Algorithm, column, c))
			}
		}
	}
	return out
}

// The generated section of docs/compatibility.md lies between these.
const (
	docsFile    = "../docs/compatibility.md"
	matrixBegin = "<!-- matrix:begin -->\n"
	matrixEnd   = "<!-- matrix:end -->\n"
)

// writeMatrix replaces the generated section of docs/compatibility.md
// with the matrix observed.
func writeMatrix(t *testing.T) {
	data, err := os.ReadFile(docsFile)
	require.NoError(t, err)
	head, rest, ok := strings.Cut(string(data), matrixBegin)
	require.True(t, ok, "%s has no %q", docsFile, matrixBegin)
	_, tail, ok := strings.Cut(rest, matrixEnd)
	require.True(t, ok, "%s has no %q", docsFile, matrixEnd)
	generated := "<!-- Generated by make interop from the last run: do not edit. -->\n\n" + observed.markdown()
	require.NoError(t, os.WriteFile(docsFile, []byte(head+matrixBegin+generated+matrixEnd+tail), 0o644))
}

// recordReplay counts a vector replayed by test in framework.
func (m *matrix) recordReplay(framework, test, action string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files[framework] == nil {
		m.files[framework] = map[string]tally{}
	}
	t := m.files[framework][test]
	switch action {
	case "pass":
		t.Pass++
	case "skip":
		t.Skip++
	default:
		t.Fail++
	}
	m.files[framework][test] = t
}

// recordSkip notes that test skipped the vector case name in framework,
// because of reason (its t.Skip message).
func (m *matrix) recordSkip(test, name, framework, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.skips, func(s skip) bool { return s.Test == test && s.Case == name && s.Reason == reason })
	if i < 0 {
		m.skips = append(m.skips, skip{Test: test, Case: name, Reason: reason})
		i = len(m.skips) - 1
	}
	m.skips[i].Frameworks = append(m.skips[i].Frameworks, framework)
}

// TestTallyString: a cell reads "pass n/n" only when every expected check
// ran and passed.
func TestTallyString(t *testing.T) {
	for _, tc := range []struct {
		tally    tally
		want     string
		complete bool
	}{
		{tally{Pass: 14, Want: 14}, "pass 14/14", true},
		{tally{Pass: 13, Want: 14}, "**INCOMPLETE** 13/14", false},
		{tally{Pass: 0, Want: 14}, "**INCOMPLETE** 0/14", false},
		{tally{Pass: 12, Fail: 1, Want: 14}, "**FAIL** 12/14, **INCOMPLETE**", false},
		{tally{Pass: 13, Fail: 1, Want: 14}, "**FAIL** 13/14", false},
		{tally{Pass: 15, Want: 14}, "**UNEXPECTED** 15/14", false},
	} {
		require.Equal(t, tc.want, tc.tally.String(), "%+v", tc.tally)
		require.Equal(t, tc.complete, tc.tally.complete(), "%+v", tc.tally)
	}
}
