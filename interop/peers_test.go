//go:build interop

package interop

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// peerSetup is how a peer signs and how the conformance server verifies.
type peerSetup struct {
	Peer       string
	Name       string // in the matrix
	Algorithms []string
	Dialect    string // the conformance server's cavage dialect
	FullTarget bool   // api-signature: the signer is given path and query
	SetsDate   bool   // the signer always stamps the current Date: no stale-Date variant
	// Created: http-signature signs (created) and (expires) too, with
	// expiresIn 60 s, and sends the signature in a Signature header.
	Created bool
}

// peerSetups: http-signature with every algorithm its signer has, and
// with (created), (expires) and the Signature header (signet accepts them
// with Ed25519 only: http-signature has no hs2019); api-signature's
// Signer (hmac-sha256 only) as its README uses it, and signing the query
// too, verified in the draft dialect.
var peerSetups = []peerSetup{
	{Peer: "http-signature", Name: "draft dialect", Algorithms: []string{"hmac-sha1", "hmac-sha256", "hmac-sha512", "rsa-sha256", "rsa-sha512", "ecdsa-sha256", "ed25519-sha512"}, Dialect: "draft", FullTarget: true},
	{Peer: "http-signature", Name: "draft dialect, (created) (expires), Signature header", Algorithms: []string{"ed25519-sha512"}, Dialect: "draft", FullTarget: true, Created: true},
	{Peer: "api-signature", Name: "api-signature dialect, path signed", Algorithms: []string{"hmac-sha256"}, Dialect: "api-signature", SetsDate: true},
	{Peer: "api-signature", Name: "draft dialect, path and query signed", Algorithms: []string{"hmac-sha256"}, Dialect: "draft", FullTarget: true, SetsDate: true},
}

// variants are the variants setup's signer can sign.
func (setup peerSetup) variants() []variant {
	if !setup.SetsDate {
		return variants
	}
	return slices.DeleteFunc(slices.Clone(variants), func(v variant) bool { return v.Name == staleDate.Name })
}

// signed is the header list setup's signer signs for v.
func (setup peerSetup) signed(v variant) []string {
	if setup.Created {
		return withCreated(signedHeaders(v))
	}
	return signedHeaders(v)
}

// peerCase is a request a peer signs for one framework's server.
type peerCase struct {
	setup     peerSetup
	algorithm string
	variant   variant
	framework string
}

// testPeersToSignet: requests signed live by the peers' signers are sent
// to the conformance server of every framework, as signed and tampered.
func testPeersToSignet(t *testing.T, s *servers) {
	var cases []peerCase
	var ds []description
	for _, f := range frameworks {
		for _, setup := range peerSetups {
			for _, alg := range setup.Algorithms {
				for _, v := range setup.variants() {
					cases = append(cases, peerCase{setup, alg, v, f})
					ds = append(ds, describe(t, setup, alg, v, s.conformance[f]))
					observed.expect(row{peersToSignet, setup.Peer, setup.Name, alg}, f, len(tampers(v, setup.signed(v))))
				}
			}
		}
	}
	signed := nodeSign(t, ds)

	for i, c := range cases {
		name := c.framework + "/" + c.setup.Peer + "/" + c.setup.Name + "/" + c.algorithm + "/" + c.variant.Name
		t.Run(name, func(t *testing.T) {
			url := s.conformance[c.framework]
			name, params := c.setup.peerForm()
			requireSignatureHeader(t, signed[i], name, params)
			configure(t, url, conformanceConfig(t, c.setup.Dialect))
			r := row{peersToSignet, c.setup.Peer, c.setup.Name, c.algorithm}
			for _, tp := range tampers(c.variant, c.setup.signed(c.variant)) {
				t.Run(tp.name(), func(t *testing.T) {
					w := c.setup.want(c.algorithm, c.variant, tp)
					checkAnswer(t, r, c.framework, c.variant, tp, w, send(t, url, tp.apply(signed[i])))
				})
			}
		})
	}
}

// peerForm is the header setup's peer sends the signature in, and what
// that header must contain.
func (setup peerSetup) peerForm() (name string, params []string) {
	if setup.Created {
		return "Signature", []string{"created=", "expires="}
	}
	return "Authorization", []string{"Signature "}
}

// describe is the description of v for setup's signer, to the server at url.
func describe(t *testing.T, setup peerSetup, alg string, v variant, url string) description {
	key := testKeys(t)[keyIDs[alg]]
	d := description{
		Peer: setup.Peer, Method: v.Method, Target: v.Target, RequestTarget: v.Target,
		Headers: append([][2]string{{"Host", strings.TrimPrefix(url, "http://")}}, v.Header...),
		Body:    v.Body, Digest: v.Body != "",
		KeyID: keyIDs[alg], Algorithm: alg, SignedHeaders: setup.signed(v),
	}
	if setup.Created {
		d.ExpiresIn = 60
		d.AuthorizationHeaderName = "Signature"
	}
	if key.Type == "hmac" {
		d.Secret = &key.Secret
	} else {
		d.PrivateKeyPEM = key.PrivateKeyPEM
	}
	if !setup.FullTarget {
		d.RequestTarget, _, _ = strings.Cut(v.Target, "?")
	}
	return d
}

// conformanceConfig is the cavage config of the conformance server for
// dialect: the real clock, the test keys, a body needs a signed Digest.
func conformanceConfig(t *testing.T, dialect string) map[string]any {
	return map[string]any{
		"scheme":  "cavage",
		"keys":    conformanceKeys(t, dialect == "api-signature"),
		"options": map[string]any{"dialect": dialect, "digest": "require"},
	}
}

// want is signet's answer to a request setup's peer signed with alg.
func (setup peerSetup) want(alg string, v variant, tp tamper) want {
	switch {
	case v.Name == staleDate.Name:
		return want{Status: http.StatusUnauthorized, Code: "expired"}
	case tp == asSigned && v.Name == nonASCII.Name && !nonASCIIInteroperates(setup.Dialect == "api-signature", alg):
		return want{Status: http.StatusUnauthorized, Code: "invalid_signature", Limitation: latin1Limitation}
	case tp == asSigned:
		return accepted
	case tp == tamperBody:
		return want{Status: http.StatusBadRequest, Code: "digest_mismatch"}
	case tp == tamperQuery && setup.Dialect == "api-signature":
		return want{Status: http.StatusOK, Limitation: queryLimitation}
	case tp == tamperAlgorithm && setup.Created && !sameKeyType(alg, swappedLabel[alg]):
		// Refused as it is parsed: only Ed25519 and hs2019 may sign (created).
		return want{Status: http.StatusBadRequest, Code: "malformed_signature"}
	case tp == tamperAlgorithm && !sameKeyType(alg, swappedLabel[alg]):
		return want{Status: http.StatusBadRequest, Code: "unsupported_algorithm"}
	case tp == tamperDigest:
		return want{Status: http.StatusBadRequest, Code: "missing_required_header"}
	}
	return want{Status: http.StatusUnauthorized, Code: "invalid_signature"}
}

// sameKeyType reports whether the algorithm labels a and b name the same
// key type (hmac, rsa, ecdsa, ed25519).
func sameKeyType(a, b string) bool {
	ta, _, _ := strings.Cut(a, "-")
	tb, _, _ := strings.Cut(b, "-")
	return ta == tb
}

// The known peer limitations the suite checks.
const (
	queryLimitation  = "api-signature signs the path without the query"
	digestLimitation = "api-signature has no Digest check"
	latin1Limitation = "Node reads header bytes as latin1 and signs that text as UTF-8; signet's draft dialect signs the bytes"
)

// nonASCIIInteroperates reports whether a non-ASCII header value verifies
// between Node, which reads header bytes as latin1 text and signs that
// text as UTF-8 (sshpk's Ed25519 excepted: it signs it as latin1 again),
// and signet, byte-exact in the draft dialect and Node-like in the
// api-signature dialect.
func nonASCIIInteroperates(apiSignatureDialect bool, alg string) bool {
	return apiSignatureDialect || alg == "ed25519-sha512"
}
