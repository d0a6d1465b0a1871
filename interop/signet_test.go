//go:build interop

package interop

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// transportColumn is the matrix column of the requests signet signs.
const transportColumn = "signethttp.Transport"

// signetSetup is how signethttp.Transport signs for a peer's server.
type signetSetup struct {
	Peer       string
	Name       string
	Algorithms []string
	Dialect    signet.CavageDialect
}

// signetSetups: every algorithm each peer verifies.
var signetSetups = []signetSetup{
	{"http-signature", "draft dialect", []string{"hmac-sha1", "hmac-sha256", "hmac-sha512", "rsa-sha256", "rsa-sha512", "ecdsa-sha256", "ed25519-sha512"}, signet.DialectDraft},
	{"api-signature", "api-signature dialect", []string{"hmac-sha1", "hmac-sha256", "hmac-sha512"}, signet.DialectAPISignature},
}

// testSignetToPeers: requests signed by signethttp.Transport are sent to
// the servers the peers protect, as signed and tampered.
func testSignetToPeers(t *testing.T, s *servers) {
	for _, setup := range signetSetups {
		for _, alg := range setup.Algorithms {
			r := row{signetToPeers, setup.Peer, setup.Name, alg}
			for _, v := range variants {
				observed.expect(r, transportColumn, len(tampers(v)))
			}
			for _, v := range variants {
				t.Run(setup.Peer+"/"+alg+"/"+v.Name, func(t *testing.T) {
					url := s.peers[setup.Peer]
					signer := newSigner(t, keyIDs[alg], signingKey(t, keyIDs[alg]), setup.Dialect,
						signet.CavageSignAlgorithm(alg), signet.CavageSignHeaders(signedHeaders(v)...))
					signed := transportSign(t, signer, v, url)
					for _, tp := range tampers(v) {
						t.Run(tp.name(), func(t *testing.T) {
							checkAnswer(t, r, transportColumn, v, tp, setup.want(alg, v, tp), send(t, url, tp.apply(signed)))
						})
					}
				})
			}
		}
	}
}

// newSigner is a Cavage signer of key under keyID.
func newSigner(t *testing.T, keyID string, key *signet.Key, opts ...signet.CavageSignerOption) signet.Signer {
	t.Helper()
	signer, err := signet.NewCavageSigner(keyID, key, opts...)
	require.NoError(t, err)
	return signer
}

// want is the peer's answer to a request signet signed with alg; the
// statuses are the peer servers' (serve.js), the codes the error names
// the peers report (http-signature's, and DigestMismatchError from the
// Digest check serve.js adds).
func (setup signetSetup) want(alg string, v variant, tp tamper) want {
	unsigned := map[tamper]string{tamperQuery: queryLimitation, tamperBody: digestLimitation}
	switch {
	case v.Name == staleDate.Name:
		return want{Status: http.StatusUnauthorized, Code: "ExpiredRequestError"}
	case tp == asSigned && v.Name == nonASCII.Name && !nonASCIIInteroperates(setup.Dialect == signet.DialectAPISignature, alg):
		return want{Status: http.StatusUnauthorized, Code: "BadSignatureError", Limitation: latin1Limitation}
	case tp == asSigned:
		return accepted
	case setup.Peer == "api-signature" && unsigned[tp] != "":
		return want{Status: http.StatusOK, Limitation: unsigned[tp]}
	case tp == tamperBody:
		return want{Status: http.StatusBadRequest, Code: "DigestMismatchError"}
	}
	return want{Status: http.StatusUnauthorized, Code: "BadSignatureError"}
}

// transportSign returns v for the server at url as signethttp.Transport
// sends it: Transport signs, and its Base captures the request instead of
// sending it, so that it can be tampered with before send writes it.
func transportSign(t *testing.T, signer signet.Signer, v variant, url string) wireRequest {
	t.Helper()
	req, err := http.NewRequest(v.Method, url+v.Target, strings.NewReader(v.Body))
	require.NoError(t, err)
	for _, h := range v.Header {
		req.Header.Add(h[0], h[1])
	}
	var c capture
	resp, err := (&signethttp.Transport{Signer: signer, Base: &c}).RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	return c.req
}

// capture is a RoundTripper keeping the request it is given, as Go would
// write it (Host first, then the header in sorted order), and answering
// 204 without sending anything.
type capture struct{ req wireRequest }

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	body := ""
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = string(b)
	}
	header := [][2]string{{"Host", r.URL.Host}}
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, value := range r.Header[name] {
			header = append(header, [2]string{name, value})
		}
	}
	c.req = wireRequest{Method: r.Method, Target: r.URL.RequestURI(), Header: header, Body: body}
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: r}, nil
}
