//go:build interop

package interop

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The frameworks of the conformance server, and the peers.
var (
	frameworks = []string{"nethttp", "gin", "echo", "echov5", "fiber", "fiberv3", "fasthttp"}
	peers      = []string{"api-signature", "http-signature"}
)

// servers are the base URLs ("http://127.0.0.1:PORT") of the processes
// the suite started: a conformance server per framework and an app per
// peer (node harness.js serve).
type servers struct {
	conformance map[string]string // by framework
	peers       map[string]string // by peer
}

// startServers starts every server for the test's duration.
func startServers(t *testing.T) *servers {
	t.Helper()
	s := &servers{conformance: map[string]string{}, peers: map[string]string{}}
	bin := buildConformance(t)
	for _, f := range frameworks {
		line := startProcess(t, 1, bin, "-framework", f, "-addr", "127.0.0.1:0")[0]
		s.conformance[f] = listeningURL(t, line, "")
	}

	keysFile := filepath.Join(t.TempDir(), "keys.json")
	data, err := json.Marshal(peerKeys(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keysFile, data, 0o600))
	lines := startProcess(t, len(peers), "node", "harness.js", "serve", keysFile)
	for i, p := range peers {
		s.peers[p] = listeningURL(t, lines[i], p)
	}
	return s
}

// configure PUTs config to the conformance server at url.
func configure(t *testing.T, url string, config any) {
	t.Helper()
	data, err := json.Marshal(config)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPut, url+"/_conformance/config", bytes.NewReader(data))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusNoContent, resp.StatusCode, "config: %s", body)
}
