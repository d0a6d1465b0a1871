//go:build interop

package interop

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// vectorReplays are the tests of examples/conformance that replay a
// vector file through every framework (eachFramework), and their files:
// the repository's copies under core/internal/vectors/testdata/vectors,
// equal to ../shared/vectors (make vectors-check), and signet's own
// signed-URL vectors. The Cavage replays read only cavage.json, vectors and
// the key table it embeds; cavage-testkeys.json holds that table alone, and
// core/internal/vectors' TestCavageTestKeys checks the two are equal, which
// is why the label of TestCavageVectors names both files.
var vectorReplays = []struct{ Test, File string }{
	{"TestCavageVectors", "cavage.json + cavage-testkeys.json, draft dialect"},
	{"TestCavageVectorsAPISignatureDialect", "cavage.json, api-signature dialect"},
	{"TestAPISignatureVectors", "api-signature.json"},
	{"TestSASigningVectors", "sasigning.json"},
	{"TestSignwayVectors", "signway.json"},
	{"TestPysignedVectors", "pysigned.json"},
	{"TestSignedURLVectors", "core/testdata/signedurl/vectors.json (native)"},
}

// testVectorsToSignet runs the replays of examples/conformance against the
// conformance servers this suite started ($CONFORMANCE_SERVERS), so every
// vector goes over HTTP to a separate process, and tallies each framework's
// results. Each server is first given a sentinel key the replays cannot
// know, and must have forgotten it afterwards: the replays reconfigured
// that very process, which replays run in-process would not.
func testVectorsToSignet(t *testing.T, s *servers) {
	sentinel := sentinels(t, s)
	var tests, servers []string
	for _, r := range vectorReplays {
		tests = append(tests, r.Test)
	}
	for _, f := range frameworks {
		servers = append(servers, f+"="+strings.TrimPrefix(s.conformance[f], "http://"))
	}
	cmd := exec.Command("go", "test", "-count=1", "-json", "-run", "^("+strings.Join(tests, "|")+")$", "./conformance")
	cmd.Dir = "../examples"
	cmd.Env = append(os.Environ(), "CONFORMANCE_SERVERS="+strings.Join(servers, ","))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()

	// The results of the leaves below Test/framework: a vector, or one
	// case of it.
	results, parents := map[string]string{}, map[string]bool{} // results: pass, fail or skip
	output := map[string]*strings.Builder{}                    // by test, for the failures
	scanner := bufio.NewScanner(bytes.NewReader(out))
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var e struct{ Action, Test, Output string }
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &e), "%s", scanner.Bytes())
		if strings.Count(e.Test, "/") < 2 {
			continue
		}
		parents[e.Test[:strings.LastIndex(e.Test, "/")]] = true
		switch e.Action {
		case "output":
			if output[e.Test] == nil {
				output[e.Test] = new(strings.Builder)
			}
			output[e.Test].WriteString(e.Output)
		case "pass", "fail", "skip":
			results[e.Test] = e.Action
		}
	}
	require.NoError(t, scanner.Err())

	// Tallied before the run's error is checked, so that the matrix and
	// the log say which vector failed.
	for test, action := range results {
		if parents[test] {
			continue
		}
		parts := strings.SplitN(test, "/", 3)
		observed.recordReplay(parts[1], parts[0], action)
		if action == "skip" {
			observed.recordSkip(parts[0], parts[2], parts[1], skipReason(output[test]))
		}
		if action == "fail" {
			t.Errorf("%s failed:\n%s", test, output[test])
		}
	}
	for _, f := range frameworks {
		got := send(t, s.conformance[f], sentinel[f])
		assert.NotEqual(t, http.StatusOK, got.Status,
			"the %s server still accepts the sentinel key: the replays never reconfigured it, so they did not reach that process", f)
	}
	require.NoError(t, runErr, "go test ./conformance: %s", stderr.String())
	for _, f := range frameworks {
		for _, r := range vectorReplays {
			got := observed.files[f][r.Test]
			assert.Positive(t, got.Pass+got.Fail, "%s replayed nothing in %s", r.Test, f)
		}
	}
}

// sentinels configures each conformance server with a key of its own,
// made up for this run, and returns by framework a request signed with
// it, which that server accepts until it is configured again.
func sentinels(t *testing.T, s *servers) map[string]wireRequest {
	t.Helper()
	id := fmt.Sprintf("sentinel-%d", os.Getpid())
	secret := rand.Text()
	signer := newSigner(t, id, signet.NewHMACKey([]byte(secret)), signet.DialectDraft,
		signet.CavageSignAlgorithm("hmac-sha256"), signet.CavageSignHeaders(signedHeaders(noBody)...))
	requests := map[string]wireRequest{}
	for _, f := range frameworks {
		url := s.conformance[f]
		configure(t, url, map[string]any{
			"scheme":  "cavage",
			"keys":    []map[string]string{{"id": id, "secret": secret}},
			"options": map[string]any{"dialect": "draft"},
		})
		requests[f] = transportSign(t, signer, noBody, url)
		require.NoError(t, accepted.check(send(t, url, requests[f])), "%s: the sentinel request", f)
	}
	return requests
}

// skipLog finds the lines a test logged (t.Log, t.Skip): "file.go:N: text".
var skipLog = regexp.MustCompile(`(?m)^\s+\S+\.go:\d+: (.*)$`)

// skipReason is the last line a skipped test logged in output: its
// t.Skip message.
func skipReason(output *strings.Builder) string {
	if output == nil {
		return "(no reason given)"
	}
	m := skipLog.FindAllStringSubmatch(output.String(), -1)
	if m == nil {
		return "(no reason given)"
	}
	return m[len(m)-1][1]
}
