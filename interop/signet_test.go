//go:build interop

package interop

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// transportColumn is the matrix column of the requests signet signs.
const transportColumn = "signethttp.Transport"

// signerForm is the way a signetSetup configures its CavageSigner.
type signerForm int

const (
	// explicitForm: CavageSignAlgorithm and CavageSignHeaders with the
	// suite's list (signedHeaders).
	explicitForm signerForm = iota
	// defaultForm: no option, so the key type's default label and the
	// default list, (request-target) host date [digest]: X-Client unsigned.
	defaultForm
	// createdForm: the suite's list with (created) and (expires),
	// CavageExpiresIn(time.Minute) and CavageSignatureHeader().
	createdForm
)

// signetSetup is how signethttp.Transport signs for a peer's server.
type signetSetup struct {
	Peer       string
	Name       string
	Algorithms []string // with defaultForm, the labels the keys' defaults send
	Dialect    signet.CavageDialect
	Form       signerForm
}

// signetSetups: every algorithm each peer verifies, the signer's defaults
// for every key type each peer verifies, and (created), (expires) and the
// Signature header to http-signature (with Ed25519: CavageExpiresIn needs
// Ed25519 or hs2019, which http-signature lacks). api-signature reads
// neither (created)/(expires) nor a Signature header.
var signetSetups = []signetSetup{
	{"http-signature", "draft dialect", []string{"hmac-sha1", "hmac-sha256", "hmac-sha512", "rsa-sha256", "rsa-sha512", "ecdsa-sha256", "ed25519-sha512"}, signet.DialectDraft, explicitForm},
	{"http-signature", "draft dialect, signer defaults", []string{"hmac-sha256", "rsa-sha256", "ecdsa-sha256", "ed25519-sha512"}, signet.DialectDraft, defaultForm},
	{"http-signature", "draft dialect, CavageExpiresIn, CavageSignatureHeader", []string{"ed25519-sha512"}, signet.DialectDraft, createdForm},
	{"api-signature", "api-signature dialect", []string{"hmac-sha1", "hmac-sha256", "hmac-sha512"}, signet.DialectAPISignature, explicitForm},
	{"api-signature", "api-signature dialect, signer defaults", []string{"hmac-sha256"}, signet.DialectAPISignature, defaultForm},
}

// signed is the header list setup's signer signs for v.
func (setup signetSetup) signed(v variant) []string {
	switch setup.Form {
	case defaultForm:
		names := []string{"(request-target)", "host", "date"}
		if v.Body != "" {
			names = append(names, "digest")
		}
		return names
	case createdForm:
		return withCreated(signedHeaders(v))
	}
	return signedHeaders(v)
}

// options are the signer options of setup for alg and v.
func (setup signetSetup) options(alg string, v variant) []signet.CavageSignerOption {
	opts := []signet.CavageSignerOption{setup.Dialect}
	switch setup.Form {
	case explicitForm:
		opts = append(opts, signet.CavageSignAlgorithm(alg), signet.CavageSignHeaders(setup.signed(v)...))
	case createdForm:
		opts = append(opts, signet.CavageSignHeaders(setup.signed(v)...),
			signet.CavageExpiresIn(time.Minute), signet.CavageSignatureHeader())
	}
	return opts
}

// signatureHeader is the header setup's signer sends the signature in,
// and the parameters it must contain besides signature.
func (setup signetSetup) signatureHeader(alg string, v variant) (name string, params []string) {
	name = "Authorization"
	params = []string{`algorithm="` + alg + `"`, `headers="` + strings.Join(setup.signed(v), " ") + `"`}
	if setup.Form == createdForm {
		name = "Signature"
		params = append(params, "created=", "expires=")
	}
	return name, params
}

// testSignetToPeers: requests signed by signethttp.Transport are sent to
// the servers the peers protect, as signed and tampered. Each signed
// request must carry the form its setup asks for (header, label, list).
func testSignetToPeers(t *testing.T, s *servers) {
	for _, setup := range signetSetups {
		for _, alg := range setup.Algorithms {
			r := row{signetToPeers, setup.Peer, setup.Name, alg}
			for _, v := range variants {
				observed.expect(r, transportColumn, len(tampers(v, setup.signed(v))))
			}
			for _, v := range variants {
				t.Run(setup.Peer+"/"+setup.Name+"/"+alg+"/"+v.Name, func(t *testing.T) {
					url := s.peers[setup.Peer]
					signer := newSigner(t, keyIDs[alg], signingKey(t, keyIDs[alg]), setup.options(alg, v)...)
					signed := transportSign(t, signer, v, url)
					name, params := setup.signatureHeader(alg, v)
					requireSignatureHeader(t, signed, name, params)
					for _, tp := range tampers(v, setup.signed(v)) {
						t.Run(tp.name(), func(t *testing.T) {
							checkAnswer(t, r, transportColumn, v, tp, setup.want(alg, v, tp), send(t, url, tp.apply(signed)))
						})
					}
				})
			}
		}
	}
}

// requireSignatureHeader requires r to carry its signature in one header,
// name (Authorization or Signature, in any case), containing params.
func requireSignatureHeader(t *testing.T, r wireRequest, name string, params []string) {
	t.Helper()
	var values []string
	for _, h := range r.Header {
		if strings.EqualFold(h[0], "Authorization") || strings.EqualFold(h[0], "Signature") {
			require.True(t, strings.EqualFold(name, h[0]), "want the signature in %s, got %s", name, h[0])
			values = append(values, h[1])
		}
	}
	require.Len(t, values, 1, "want one %s header", name)
	for _, p := range params {
		require.Contains(t, values[0], p)
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
	clientSigned := slices.Contains(setup.signed(v), "x-client")
	switch {
	case v.Name == staleDate.Name:
		return want{Status: http.StatusUnauthorized, Code: "ExpiredRequestError"}
	case tp == asSigned && v.Name == nonASCII.Name && clientSigned && !nonASCIIInteroperates(setup.Dialect == signet.DialectAPISignature, alg):
		return want{Status: http.StatusUnauthorized, Code: "BadSignatureError", Limitation: latin1Limitation}
	case tp == asSigned:
		return accepted
	case setup.Peer == "api-signature" && unsigned[tp] != "":
		return want{Status: http.StatusOK, Limitation: unsigned[tp]}
	case tp == tamperBody:
		return want{Status: http.StatusBadRequest, Code: "DigestMismatchError"}
	case tp == tamperDigest && setup.Peer == "http-signature":
		return want{Status: http.StatusUnauthorized, Code: "MissingHeaderError"}
	case tp == tamperDigest:
		return want{Status: http.StatusBadRequest, Code: "MissingRequiredHeadersError"}
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
