//go:build interop

package interop

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startTimeout bounds how long a server may take to print its listening
// lines; stopTimeout how long it may take to exit once interrupted.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 5 * time.Second
)

// startProcess starts name with args and returns the first n lines it
// prints. The process is stopped, by its PID, when the test ends, and
// killed (on Linux) if the test binary exits first.
func startProcess(t *testing.T, n int, name string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(name, args...)
	dieWithParent(cmd)
	cmd.Stderr = os.Stderr
	stdout, w := io.Pipe()
	cmd.Stdout = w // Wait returns once the process exited and its output was read
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stop(t, cmd)
		w.Close()
	})

	lines := make(chan []string, 1)
	go func() {
		var got []string
		scanner := bufio.NewScanner(stdout)
		for len(got) < n && scanner.Scan() {
			got = append(got, scanner.Text())
		}
		lines <- got
		io.Copy(io.Discard, stdout) // the pipe must not fill up
	}()
	select {
	case got := <-lines:
		require.Len(t, got, n, "%s printed %q before exiting", name, got)
		return got
	case <-time.After(startTimeout):
		t.Fatalf("%s did not start within %v", name, startTimeout)
		return nil
	}
}

// stop interrupts cmd's process and waits for it, killing it when it does
// not exit in time.
func stop(t *testing.T, cmd *exec.Cmd) {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Logf("interrupt %d: %v", cmd.Process.Pid, err)
	}
	select {
	case <-exited:
	case <-time.After(stopTimeout):
		t.Logf("%d did not exit within %v: killed", cmd.Process.Pid, stopTimeout)
		cmd.Process.Kill()
		<-exited
	}
}

// listeningURL is the URL of a "listening [NAME] http://127.0.0.1:PORT"
// line, checked to be on 127.0.0.1.
func listeningURL(t *testing.T, line, name string) string {
	t.Helper()
	prefix := strings.TrimSpace("listening " + name)
	url, ok := strings.CutPrefix(line, prefix+" ")
	require.True(t, ok, "want %q…, got %q", prefix, line)
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), "not on 127.0.0.1: %q", line)
	return url
}

// buildConformance builds examples/conformance into a temporary directory.
func buildConformance(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "conformance")
	cmd := exec.Command("go", "build", "-o", bin, "./conformance")
	cmd.Dir = "../examples"
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}
