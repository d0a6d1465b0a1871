package signet_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// readGET reads a GET of target as net/http's server does: it keeps
// what follows a '#' in URL.RawQuery, where a handler reads it as more of
// the query (clients never send a fragment).
func readGET(t *testing.T, target, host string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")))
	require.NoError(t, err)
	return r
}

// TestHashInRequestTarget: a '#' appended to a signed URL's target (or to
// a pair moved to its end) adds or changes what a handler reads as the
// query, so no scheme verifies such a URL as if the bytes were not there.
func TestHashInRequestTarget(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	secret := []byte(strings.Repeat("k", 64))
	key := signet.NewHMACKey(secret)
	keys := staticKeys(t, signet.Secret{ID: "k", Key: key})

	pySigner, err := signet.NewPysignedSigner(key, fixedClock(at))
	require.NoError(t, err)
	pyVerifier, err := signet.NewPysigned(keys, fixedClock(at))
	require.NoError(t, err)
	pySigned, err := pySigner.SignURL("http://files.example/files?name=report.pdf")
	require.NoError(t, err)

	swSigner, err := signet.NewSignwaySigner("k", key, "https://gw.example", fixedClock(at))
	require.NoError(t, err)
	swVerifier, err := signet.NewSignway(keys, fixedClock(at), signet.SignwayStrict())
	require.NoError(t, err)
	swSigned, err := swSigner.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://api.example/v1", Expiry: time.Minute})
	require.NoError(t, err)

	sasOpts := []signet.SASigningOption{signet.SASigningFields("path", "query"), signet.SASigningDelimiter("\n")}
	sasSigner, err := signet.NewSASigningSigner(key, sasOpts...)
	require.NoError(t, err)
	sasVerifier, err := signet.NewSASigning(keys, sasOpts...)
	require.NoError(t, err)
	out, err := http.NewRequest("GET", "http://api.example/orders?id=1", nil)
	require.NoError(t, err)
	require.NoError(t, sasSigner.Sign(out))

	target := func(signed string) string {
		u, err := url.Parse(signed)
		require.NoError(t, err)
		return u.RequestURI()
	}
	pyTarget := target(pySigned)
	name, rest, _ := strings.Cut(strings.TrimPrefix(pyTarget, "/files?"), "&")
	for _, tt := range []struct {
		name, target string
		verifier     signet.Verifier
		header       http.Header
	}{
		{"pysigned, a parameter added", pyTarget + "#&admin=1", pyVerifier, nil},
		{"pysigned, a signed value extended", "/files?" + rest + "&" + name + "#/../../etc/passwd", pyVerifier, nil},
		{"Signway strict, a parameter added", target(swSigned) + "#&evil=1", swVerifier, nil},
		{"SASigning query field, a parameter added", "/orders?id=1#&admin=1", sasVerifier, out.Header},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := readGET(t, tt.target, "files.example")
			for k, v := range tt.header {
				r.Header[k] = v
			}
			require.Contains(t, r.URL.RawQuery, "#", "what the handler reads as its query")
			_, err := tt.verifier.Verify(context.Background(), signet.FromHTTP(r))
			require.Error(t, err)
			assert.Equal(t, 4, signet.AsError(err).Status()/100, "%v", err)
		})
	}
}
