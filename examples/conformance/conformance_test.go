package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signethttp "github.com/signet-go/signet/nethttp"
)

// The test key: every config of these tests has this one key.
const (
	keyID      = "sa"
	testSecret = "test-secret"
)

// testCredentials are the test key's credentials, as the echo decodes them.
var testCredentials = map[string]any{"app": "sa"}

// TestSASigningVectors replays the upstream vectors over HTTP, in every
// framework: 18 of the 20 send the vector's request; for meta-key-field and
// body-field, upstream answers 500 to every request and signet refuses the
// config, so only the refusal is checked and the case is reported as
// skipped, with that reason (TestSASigningBodyField checks the signet
// extension body-field points at).
func TestSASigningVectors(t *testing.T) { eachFramework(t, testSASigningVectors) }

// saSigningRefused are the vectors whose config signet refuses, with the
// message of the refusal and why.
var saSigningRefused = map[string]struct{ message, why string }{
	"meta-key-field": {`"HTTP_HOST"`, "config refused deliberately: upstream cannot resolve the HTTP_HOST field (500 on every request); signet refuses the field when the verifier is built, so the vector's request is not sent"},
	// body is a signet extension, which needs a delimiter: a body's start
	// could otherwise pass for the path's end.
	"body-field": {"need a delimiter", "config refused deliberately: upstream cannot sign a body (500 on every request); signet's body field needs a delimiter, which the vector has not, so the vector's request is not sent"},
}

func testSASigningVectors(t *testing.T, srv *testServer) {
	vectors, err := signettest.SASigningVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 20)
	refused := 0 // counted from the vectors, so that a -run filter picking some still passes
	for _, v := range vectors {
		if _, ok := saSigningRefused[v.ID]; ok {
			refused++
		}
	}
	require.Equal(t, len(saSigningRefused), refused, "every refused config names a vector: 18 requests are sent")

	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			options := map[string]any{"fields": v.Settings.Fields, "delimiter": *v.Settings.Delimiter, "hash": v.Settings.Hash}
			if v.Request.Scheme != "" {
				options["scheme"] = v.Request.Scheme
			}
			if v.Request.ScriptName != "" {
				options["mount"] = v.Request.ScriptName
			}
			resp := srv.put(t, "/_conformance/config", saConfig(v.Settings.Secret, options))
			if r, ok := saSigningRefused[v.ID]; ok {
				require.Equal(t, "field_error", v.Expected.Outcome)
				assertInvalidConfig(t, resp, r.message)
				t.Skip(r.why)
			}
			require.Equal(t, http.StatusNoContent, resp.status, "config: %s", resp.body)

			req := vectorRequest(v)
			resp = srv.raw(t, req)
			switch sig := req.header.Get("Signature"); v.Expected.Outcome {
			case "pass":
				assertEcho(t, resp, req.method, req.target, req.body)
			case "missing_header":
				assertRejected(t, resp, http.StatusUnauthorized, "missing_signature")
			case "mismatch":
				if wellFormed(t, sig, v.Settings.Hash) {
					assertRejected(t, resp, http.StatusUnauthorized, "invalid_signature")
				} else {
					assertRejected(t, resp, http.StatusBadRequest, "malformed_signature")
				}
			case "field_error":
				// signet checks the signature's shape before it resolves any
				// field, and these vectors send "anything".
				require.False(t, wellFormed(t, sig, v.Settings.Hash))
				assertRejected(t, resp, http.StatusBadRequest, "malformed_signature")
				checkFieldError(t, srv, v, req)
			default:
				t.Fatalf("unknown outcome %q", v.Expected.Outcome)
			}
		})
	}
}

// checkFieldError checks what signet does for a field_error vector (after
// its replay, req, was rejected as malformed) with a well-formed signature.
func checkFieldError(t *testing.T, srv *testServer, v signettest.SASigningVector, req rawRequest) {
	switch v.ID {
	case "content-type-field-absent":
		// The missing Content-Type is reported once the signature looks
		// right.
		req.header.Set("Signature", base64.StdEncoding.EncodeToString(make([]byte, digestSizes[v.Settings.Hash])))
		assertRejected(t, srv.raw(t, req), http.StatusBadRequest, "missing_required_header")
	default:
		t.Fatalf("no expectation for field_error vector %s", v.ID)
	}
}

// TestSASigningBodyField checks, in every framework, the signet extension
// that the vector body-field points at (upstream cannot sign a body): with
// a delimiter, which the vector has not, a client signing its fields, path
// and body, passes, and the handler still reads the body.
func TestSASigningBodyField(t *testing.T) { eachFramework(t, testSASigningBodyField) }

func testSASigningBodyField(t *testing.T, srv *testServer) {
	vectors, err := signettest.SASigningVectors()
	require.NoError(t, err)
	i := slices.IndexFunc(vectors, func(v signettest.SASigningVector) bool { return v.ID == "body-field" })
	require.GreaterOrEqual(t, i, 0)
	v := vectors[i]
	options := map[string]any{"fields": v.Settings.Fields, "delimiter": "\n", "hash": v.Settings.Hash}
	resp := srv.put(t, "/_conformance/config", saConfig(v.Settings.Secret, options))
	require.Equal(t, http.StatusNoContent, resp.status, "config: %s", resp.body)
	signer := newSigner(t, v.Settings.Secret, signet.SASigningFields(v.Settings.Fields...),
		signet.SASigningDelimiter("\n"), signet.SASigningHash(v.Settings.Hash))
	req := vectorRequest(v)
	resp = srv.signed(t, signer, req.method, req.target, req.body)
	assertEcho(t, resp, req.method, req.target, req.body)
}

// vectorRequest is the request v sends. The vector's placeholder
// "<correct value>" stands for its expected signature.
func vectorRequest(v signettest.SASigningVector) rawRequest {
	req := rawRequest{method: v.Request.Method, target: v.Request.Target, header: http.Header{}, body: v.Request.Body}
	for name, value := range v.Request.Headers {
		if value == "<correct value>" && v.ExpectedSignature != nil {
			value = *v.ExpectedSignature
		}
		req.header.Set(name, value)
	}
	if s := v.SignatureHeader; s != nil && req.header.Values(s.Name) == nil {
		req.header.Set(s.Name, s.Value)
	}
	return req
}

// digestSizes are the digest sizes of the hashes, by hashlib name.
var digestSizes = map[string]int{"md5": 16, "sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}

// wellFormed reports whether sig has the shape signet requires before it
// compares anything: the padded standard base64 of one digest of hash.
func wellFormed(t *testing.T, sig, hash string) bool {
	size, ok := digestSizes[hash]
	require.True(t, ok, "unknown hash %q", hash)
	decoded, err := base64.StdEncoding.DecodeString(sig)
	return err == nil && len(decoded) == size && len(sig) == base64.StdEncoding.EncodedLen(size)
}

// TestControlEndpoints checks the /_conformance/ endpoints and the 503
// before any config, in every framework.
func TestControlEndpoints(t *testing.T) { eachFramework(t, testControlEndpoints) }

func testControlEndpoints(t *testing.T, srv *testServer) {

	resp := srv.raw(t, rawRequest{method: "GET", target: "/x"})
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	resp = srv.put(t, "/_conformance/clock", `{"now": 1}`)
	assertInvalidConfig(t, resp, "PUT /_conformance/config first")

	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"GET", "/_conformance/config", http.StatusMethodNotAllowed},
		{"POST", "/_conformance/clock", http.StatusMethodNotAllowed},
		{"PUT", "/_conformance/nope", http.StatusNotFound},
		{"GET", "/_conformance/", http.StatusNotFound},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			resp := srv.raw(t, rawRequest{method: tc.method, target: tc.target})
			assert.Equal(t, tc.status, resp.status)
			assert.NotContains(t, resp.header.Get("Content-Type"), "json", "no error code")
		})
	}

	resp = srv.put(t, "/_conformance/config", saConfig(testSecret, nil))
	require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
	resp = srv.raw(t, rawRequest{method: "GET", target: "/x"})
	assertRejected(t, resp, http.StatusUnauthorized, "missing_signature")

	for _, body := range []string{`nope`, `{"now": "soon"}`, `{"later": 1}`, `{"now": 1e300}`, `{"NOW": 1}`, `{"Now": null}`} {
		assertInvalidConfig(t, srv.put(t, "/_conformance/clock", body), "")
	}
	assertInvalidConfig(t, srv.put(t, "/_conformance/clock", `null`), "must be a JSON object")
}

// TestInvalidConfig checks that every invalid config is 400 invalid_config
// and leaves the server unconfigured.
func TestInvalidConfig(t *testing.T) {
	srv := startServer(t)
	key := `"keys": [{"id": "k", "secret": "s"}]`
	for _, tc := range []struct {
		name, config, message string
	}{
		{"not JSON", `scheme: sasigning`, ""},
		{"not an object", `[]`, ""},
		{"data after the config", `{"scheme": "sasigning"} {}`, "after the JSON value"},
		{"unknown member", `{"scheme": "sasigning", "nope": 1}`, `"nope"`},
		{"unknown option", `{"scheme": "sasigning", "options": {"nope": 1}}`, `"nope"`},
		{"option of another scheme", `{"scheme": "sasigning", "options": {"clock_skew": 1}}`, `"clock_skew"`},
		{"no scheme", `{}`, "not supported yet"},
		{"unsupported scheme", `{"scheme": "hawk"}`, `scheme "hawk" is not supported yet`},
		{"unknown field", `{"scheme": "sasigning", "options": {"fields": ["HTTP_HOST"]}}`, `"HTTP_HOST"`},
		{"no fields", `{"scheme": "sasigning", "options": {"fields": []}}`, "at least one field"},
		{"unknown hash", `{"scheme": "sasigning", "options": {"hash": "SHA256"}}`, `"SHA256"`},
		{"bad header", `{"scheme": "sasigning", "options": {"header": "a b"}}`, `"a b"`},
		{"bad scheme option", `{"scheme": "sasigning", "options": {"scheme": "ftp"}}`, `"ftp"`},
		{"bad mount", `{"scheme": "sasigning", "options": {"mount": "app"}}`, `"app"`},
		{"zero max_body_bytes", `{"scheme": "sasigning", "options": {"max_body_bytes": 0}}`, "max body bytes"},
		{"fractional max_body_bytes", `{"scheme": "sasigning", "options": {"max_body_bytes": 1.5}}`, ""},
		{"bad now", `{"scheme": "sasigning", "now": "soon"}`, ""},
		{"no key material", `{"scheme": "sasigning", "keys": [{"id": "k"}]}`, "exactly one of"},
		{"two secrets", `{"scheme": "sasigning", "keys": [{"id": "k", "secret": "a", "secret_hex": "00"}]}`, "exactly one of"},
		{"bad secret_hex", `{"scheme": "sasigning", "keys": [{"id": "k", "secret_hex": "zz"}]}`, "secret_hex"},
		{"bad secret_b64", `{"scheme": "sasigning", "keys": [{"id": "k", "secret_b64": "!!"}]}`, "secret_b64"},
		{"bad public_key_pem", `{"scheme": "sasigning", "keys": [{"id": "k", "public_key_pem": "-----BEGIN"}]}`, "keys[0]: public_key_pem: "},
		{"empty jwks", `{"scheme": "sasigning", "keys": [{"jwks": {"keys": []}}]}`, "keys[0]: jwks: signet: no 'keys' provided"},
		{"unknown key member", `{"scheme": "sasigning", "keys": [{"id": "k", "secret": "s", "nope": 1}]}`, `"nope"`},
		{"options not an object", `{"scheme": "sasigning", ` + key + `, "options": []}`, ""},
		// Names are matched exactly (encoding/json alone folds case, and
		// folds "ſ", U+017F, to "s"), at every level.
		{"upper-case names", `{"SCHEME": "cavage", "NOW": 1, "Keys": [{"ID": "k", "secret": "s"}], "Options": {"CLOCK_SKEW": 1}}`, `"Keys"`},
		{"upper-case scheme", `{"SCHEME": "sasigning"}`, `"SCHEME"`},
		{"long s", `{"ſcheme": "sasigning"}`, `"ſcheme"`},
		{"capitalised now", `{"scheme": "sasigning", ` + key + `, "Now": 1}`, `"Now"`},
		{"capitalised keys", `{"scheme": "sasigning", "Keys": [{"id": "k", "secret": "s"}]}`, `"Keys"`},
		{"upper-case key member", `{"scheme": "sasigning", "keys": [{"id": "k", "secret": "s"}, {"ID": "k2", "secret": "s"}]}`, `"ID" in keys[1]`},
		{"upper-case key material", `{"scheme": "sasigning", "keys": [{"id": "k", "SECRET_HEX": "00ff"}]}`, `"SECRET_HEX" in keys[0]`},
		{"capitalised options", `{"scheme": "sasigning", ` + key + `, "Options": {}}`, `"Options"`},
		{"upper-case option", `{"scheme": "sasigning", ` + key + `, "options": {"Fields": ["path"]}}`, `options: json: unknown field "Fields"`},
		{"upper-case embedded option", `{"scheme": "sasigning", ` + key + `, "options": {"MAX_BODY_BYTES": 8}}`, `"MAX_BODY_BYTES"`},
		{"long s in an option", `{"scheme": "sasigning", ` + key + `, "options": {"ſcheme": "https"}}`, `"ſcheme"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertInvalidConfig(t, srv.put(t, "/_conformance/config", tc.config), tc.message)
		})
	}
	assert.Equal(t, http.StatusServiceUnavailable, srv.raw(t, rawRequest{method: "GET", target: "/x"}).status)
}

// TestKeys checks the key material encodings, the default credentials,
// the list order and algorithm pinning.
func TestKeys(t *testing.T) {
	srv := startServer(t)
	// An empty secret, with which anyone could sign, and a pin to no known
	// algorithm (a typo) are refused.
	assertInvalidConfig(t, srv.put(t, "/_conformance/config", `{"scheme": "sasigning", "keys": [{"id": "e", "secret": ""}]}`), "empty HMAC secret")
	assertInvalidConfig(t, srv.put(t, "/_conformance/config", `{"scheme": "sasigning", "keys": [{"id": "p", "secret": "s", "algorithm": "nope"}]}`), "not an algorithm name")
	for _, tc := range []struct {
		name, keys, secret string
		keyID              string // "" when rejected
		credentials        any
	}{
		{"secret_hex", `[{"id": "h", "secret_hex": "00FF61"}]`, "\x00\xffa", "h", map[string]any{"key_id": "h"}},
		{"secret_b64", `[{"id": "b", "secret_b64": "AP9h"}]`, "\x00\xffa", "b", map[string]any{"key_id": "b"}},
		{"any JSON credentials", `[{"id": "c", "secret": "s", "credentials": [1, "two"]}]`, "s", "c", []any{1.0, "two"}},
		{"list order", `[{"id": "old", "secret": "s1"}, {"id": "new", "secret": "s2"}, {"id": "dup", "secret": "s2"}]`, "s2", "new", map[string]any{"key_id": "new"}},
		{"rotation under one id", `[{"id": "r", "secret": "s1", "credentials": 1}, {"id": "r", "secret": "s2", "credentials": 2}]`, "s2", "r", 2.0},
		{"pinned to its hash", `[{"id": "p", "secret": "s", "algorithm": "hmac-sha256"}]`, "s", "p", map[string]any{"key_id": "p"}},
		{"pinned to another hash", `[{"id": "p", "secret": "s", "algorithm": "hmac-sha512"}]`, "s", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.put(t, "/_conformance/config", `{"scheme": "sasigning", "keys": `+tc.keys+`}`)
			require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
			resp = srv.signed(t, newSigner(t, tc.secret), "GET", "/k", "")
			if tc.keyID == "" {
				assertRejected(t, resp, http.StatusBadRequest, "unsupported_algorithm")
				return
			}
			got := decodeEcho(t, resp)
			assert.Equal(t, tc.keyID, got.KeyID)
			assert.Equal(t, tc.credentials, got.Credentials)
		})
	}
}

// TestClock checks the config's now and PUT /_conformance/clock with the
// timestamp field, the only SASigning field that reads the clock.
func TestClock(t *testing.T) {
	const signedAt = 1700000000
	srv := startServer(t)
	options := map[string]any{"fields": []string{"timestamp", "path", "method"}, "delimiter": "\n"}
	config := saConfig(testSecret, options)
	config["now"] = signedAt + 0.25
	require.Equal(t, http.StatusNoContent, srv.put(t, "/_conformance/config", config).status)
	signer := newSigner(t, testSecret, signet.SASigningFields("timestamp", "path", "method"), signet.SASigningDelimiter("\n"),
		signet.WithClock(func() time.Time { return time.Unix(signedAt, 0) }))
	assertEcho(t, srv.signed(t, signer, "GET", "/t", ""), "GET", "/t", "")

	for _, tc := range []struct {
		now    any
		status int
		code   string
	}{
		{signedAt + 300, http.StatusOK, ""},
		{signedAt + 300.5, http.StatusUnauthorized, "expired"},
		{signedAt - 301, http.StatusUnauthorized, "not_yet_valid"},
		{nil, http.StatusUnauthorized, "expired"}, // the real clock, long after
		{signedAt, http.StatusOK, ""},
	} {
		t.Run(fmt.Sprint(tc.now), func(t *testing.T) {
			resp := srv.put(t, "/_conformance/clock", map[string]any{"now": tc.now})
			require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
			resp = srv.signed(t, signer, "GET", "/t", "")
			if tc.status == http.StatusOK {
				assertEcho(t, resp, "GET", "/t", "")
			} else {
				assertRejected(t, resp, tc.status, tc.code)
			}
		})
	}
	// A body without now is the real clock, as CONFORMANCE.md has it ("null
	// or absent = the real clock"): the request signed at signedAt is old.
	require.Equal(t, http.StatusNoContent, srv.put(t, "/_conformance/clock", `{}`).status)
	assertRejected(t, srv.signed(t, signer, "GET", "/t", ""), http.StatusUnauthorized, "expired")
}

// TestPathsServedAsReceived checks that paths reach the verifier
// uncleaned and unredirected, in every framework: signet signs the percent-decoded raw path,
// dot segments and empty segments included. A path holding %2F, whose decoded
// form is the path with '/', is refused: the signature of /a/b does not open
// /a%2Fb, which a router matching the escaped path serves elsewhere.
func TestPathsServedAsReceived(t *testing.T) { eachFramework(t, testPathsServedAsReceived) }

func testPathsServedAsReceived(t *testing.T, srv *testServer) {
	require.Equal(t, http.StatusNoContent, srv.put(t, "/_conformance/config", saConfig(testSecret, nil)).status)
	signer := newSigner(t, testSecret)
	for _, target := range []string{"/a/../b", "//x", "/a/./b/", "/a%20b?c=%2F", "/_conformance"} {
		t.Run(target, func(t *testing.T) {
			resp := srv.raw(t, rawRequest{method: "GET", target: target})
			assertRejected(t, resp, http.StatusUnauthorized, "missing_signature")
			assertEcho(t, srv.signed(t, signer, "GET", target, ""), "GET", target, "")
		})
	}
	signedAB, err := http.NewRequest("GET", "http://"+srv.addr+"/a/b", nil)
	require.NoError(t, err)
	require.NoError(t, signer.Sign(signedAB))
	resp := srv.raw(t, rawRequest{method: "GET", target: "/a%2Fb", header: signedAB.Header})
	assertRejected(t, resp, http.StatusBadRequest, "malformed_signature")
}

// TestOptionsAsterisk checks that "OPTIONS *" goes through the scheme like
// any other request, in every framework but fiber v3 (see unrouted): net/http's
// http.Server would otherwise answer it with 200 before any handler.
func TestOptionsAsterisk(t *testing.T) { eachFramework(t, testOptionsAsterisk) }

func testOptionsAsterisk(t *testing.T, srv *testServer) {
	srv.configure(t, saConfig(testSecret, nil))
	resp := srv.raw(t, rawRequest{method: "OPTIONS", target: "*"})
	if srv.unrouted(t, "*") {
		skipUnrouted(t, resp)
	}
	assertRejected(t, resp, http.StatusUnauthorized, "missing_signature")
}

// TestMethods checks that a correctly signed request with an uncommon
// method is verified and answered like any other, in every framework, and
// that unsigned it is rejected. fiber refuses an unregistered method before
// any handler, v2 and v3 in their own words (a documented deviation,
// docs/adapters.md). SASigning signs such methods with a delimiter a method
// cannot hold; without one (upstream's default), it verifies the nine
// standard methods only.
func TestMethods(t *testing.T) { eachFramework(t, testMethods) }

func testMethods(t *testing.T, srv *testServer) {
	srv.configure(t, saConfig(testSecret, nil))
	forged := srv.raw(t, rawRequest{method: "PURGE", target: "/m", header: http.Header{"Signature": {strings.Repeat("A", 43) + "="}}})
	assertRejected(t, forged, http.StatusBadRequest, "malformed_signature")

	srv.configure(t, saConfig(testSecret, map[string]any{"delimiter": "\n"}))
	signer := newSigner(t, testSecret, signet.SASigningDelimiter("\n"))
	unregistered := []string{"FOO", "foo"}
	refusal := map[string]struct {
		status int
		body   string
	}{"fiber": {http.StatusBadRequest, "Invalid http method"}, "fiberv3": {http.StatusNotImplemented, "Not Implemented"}}
	for _, method := range append([]string{"PURGE", "LOCK", "PROPFIND", "MKCOL", "VERSION-CONTROL", "QUERY"}, unregistered...) {
		t.Run(method, func(t *testing.T) {
			signed := srv.signed(t, signer, method, "/m?q=1", "body")
			unsigned := srv.raw(t, rawRequest{method: method, target: "/m"})
			if refused, ok := refusal[srv.framework]; ok && slices.Contains(unregistered, method) {
				for _, resp := range []response{signed, unsigned} {
					assert.Equal(t, refused.status, resp.status)
					assert.Equal(t, refused.body, string(resp.body))
				}
				return
			}
			assertEcho(t, signed, method, "/m?q=1", "body")
			assertRejected(t, unsigned, http.StatusUnauthorized, "missing_signature")
		})
	}
}

// TestUnreadableBody checks the answer to an accepted request whose body
// cannot be read (a bad chunk size), in every framework: the contract's
// JSON 400, never the framework's plain text.
func TestUnreadableBody(t *testing.T) { eachFramework(t, testUnreadableBody) }

func testUnreadableBody(t *testing.T, srv *testServer) {
	srv.configure(t, saConfig(testSecret, nil)) // path and method: the verifier reads no body
	signed, err := http.NewRequest("POST", "http://"+srv.addr+"/b", nil)
	require.NoError(t, err)
	require.NoError(t, newSigner(t, testSecret).Sign(signed))
	resp := srv.raw(t, rawRequest{method: "POST", target: "/b", header: signed.Header,
		lines: [][2]string{{"Transfer-Encoding", "chunked"}}, body: "zz\r\nabc\r\n0\r\n\r\n"})
	assertRejected(t, resp, http.StatusBadRequest, "malformed_signature")
}

// TestBody checks that the handler reads the body after verification, as
// text or as base64, and the max_body_bytes limit, in every framework.
func TestBody(t *testing.T) { eachFramework(t, testBody) }

func testBody(t *testing.T, srv *testServer) {
	for _, fields := range [][]string{{"path", "method"}, {"path", "body"}} {
		options := map[string]any{"fields": fields, "delimiter": "\n", "max_body_bytes": 8}
		require.Equal(t, http.StatusNoContent, srv.put(t, "/_conformance/config", saConfig(testSecret, options)).status)
		signer := newSigner(t, testSecret, signet.SASigningFields(fields...), signet.SASigningDelimiter("\n"))
		for _, tc := range []struct{ name, body string }{{"empty", ""}, {"text", "héllo"}, {"binary", "\xff\x00\xfe"}} {
			t.Run(strings.Join(fields, "+")+"/"+tc.name, func(t *testing.T) {
				assertEcho(t, srv.signed(t, signer, "POST", "/b", tc.body), "POST", "/b", tc.body)
			})
		}
	}
	// The last config signs the body: beyond max_body_bytes it is refused.
	signer := newSigner(t, testSecret, signet.SASigningFields("path", "body"), signet.SASigningDelimiter("\n"))
	assertRejected(t, srv.signed(t, signer, "POST", "/b", "123456789"), http.StatusRequestEntityTooLarge, "body_too_large")
}

// TestConfigFile checks -config.
func TestConfigFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	data, err := json.Marshal(saConfig(testSecret, map[string]any{"mount": "/app"}))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, data, 0o600))

	srv := startServer(t, "-config", file)
	signer := newSigner(t, testSecret, signet.SASigningMount("/app"))
	assertEcho(t, srv.signed(t, signer, "GET", "/app/x", ""), "GET", "/app/x", "")
	outside := rawRequest{method: "GET", target: "/other", header: http.Header{"Signature": {base64.StdEncoding.EncodeToString(make([]byte, 32))}}}
	assertRejected(t, srv.raw(t, outside), http.StatusBadRequest, "malformed_signature")

	require.NoError(t, os.WriteFile(file, []byte(`{"scheme": "nope"}`), 0o600))
	assert.ErrorContains(t, run(t.Context(), []string{"-config", file}, io.Discard), "not supported yet")
}

// TestRunErrors checks the command-line errors.
func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		message string
	}{
		{[]string{"-framework", "nope"}, `framework "nope" is not supported yet (supported: ` + strings.Join(frameworkNames(), ", ") + ")"},
		{[]string{"-nope"}, "-nope"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-config", filepath.Join(t.TempDir(), "missing.json")}, "missing.json"},
		{[]string{"-addr", "127.0.0.1:-1"}, "invalid port"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			assert.ErrorContains(t, run(t.Context(), tc.args, io.Discard), tc.message)
		})
	}
}

// saConfig is a sasigning config with the test key under secret and the
// given options.
func saConfig(secret string, options map[string]any) map[string]any {
	key := map[string]any{"id": keyID, "secret": secret, "credentials": testCredentials}
	return map[string]any{"scheme": "sasigning", "keys": []any{key}, "options": options}
}

// newSigner is a client-side signer for secret.
func newSigner(t *testing.T, secret string, opts ...signet.SASigningOption) *signet.SASigningSigner {
	signer, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte(secret)), opts...)
	require.NoError(t, err)
	return signer
}

// assertEcho asserts that resp is the 200 echo of the test key's sasigning
// request.
func assertEcho(t *testing.T, resp response, method, target, body string) {
	t.Helper()
	assertEchoOf(t, resp, echo{Scheme: "sasigning", KeyID: keyID, Credentials: testCredentials}, method, target, body)
}

// assertEchoOf asserts that resp is the 200 echo of a request verified as
// want says (its scheme, key id and credentials, as the echo decodes them)
// and sent with method, target and body.
func assertEchoOf(t *testing.T, resp response, want echo, method, target, body string) {
	t.Helper()
	got := decodeEcho(t, resp)
	want.Method = method
	want.Path, want.Query, _ = strings.Cut(withoutOrigin(t, target), "?")
	if utf8.ValidString(body) {
		want.Body = &body
	} else {
		b64 := base64.StdEncoding.EncodeToString([]byte(body))
		want.BodyB64 = &b64
	}
	assert.Equal(t, want, got)
}

// withoutOrigin is target without the scheme and authority of an
// absolute-form target ("http://host/p?q" is "/p?q"), as the echo's path
// and query give it: as received, so "http://host?q" is "?q", with an
// empty path. Any other target is returned as is.
func withoutOrigin(t *testing.T, target string) string {
	t.Helper()
	if strings.HasPrefix(target, "/") || !strings.Contains(target, "://") {
		return target
	}
	u, err := url.Parse(target)
	require.NoError(t, err)
	origin := u.Scheme + "://" + u.Host
	require.True(t, u.User == nil && u.Host != "" && strings.EqualFold(target[:len(origin)], origin), "not absolute-form: %q", target)
	return target[len(origin):]
}

// unrouted reports whether srv's framework answers target itself, 404
// before any handler: fiber v3 routes on the path fasthttp reads as
// received, which does not start with '/' for "*" and for an absolute-form
// target without a path but with a query ("http://host?q": fasthttp reads
// "http://host" with the path "/"). A documented deviation
// (docs/adapters.md); skipUnrouted checks the answer.
func (srv *testServer) unrouted(t *testing.T, target string) bool {
	rest := withoutOrigin(t, target)
	return srv.framework == "fiberv3" && rest != "" && !strings.HasPrefix(rest, "/")
}

// skipUnrouted asserts that resp is the framework's own 404, in the
// contract's JSON, and skips the rest of the test: the request never
// reached the scheme.
func skipUnrouted(t *testing.T, resp response) {
	t.Helper()
	assertRejected(t, resp, http.StatusNotFound, "malformed_signature")
	t.Skip("fiber v3 answers 404 before any handler: it routes on the path fasthttp reads, which does not start with '/' for this target")
}

// decodeEcho decodes the 200 echo in resp.
func decodeEcho(t *testing.T, resp response) echo {
	t.Helper()
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	assertJSONContentType(t, resp)
	var got echo
	require.NoError(t, json.Unmarshal(resp.body, &got))
	return got
}

// assertRejected asserts that resp is signet's rejection with status and
// code: a JSON error body and no challenge.
func assertRejected(t *testing.T, resp response, status int, code string) {
	t.Helper()
	assert.Equal(t, status, resp.status, "%s", resp.body)
	assertJSONError(t, resp, code, "")
	assert.Empty(t, resp.header.Values("WWW-Authenticate"))
}

// assertInvalidConfig asserts that resp is 400 invalid_config with a message
// containing message.
func assertInvalidConfig(t *testing.T, resp response, message string) {
	t.Helper()
	assert.Equal(t, http.StatusBadRequest, resp.status, "%s", resp.body)
	assertJSONError(t, resp, "invalid_config", message)
}

// assertJSONError asserts that resp has the JSON body {"error": code,
// "message": …} with a message containing message, and returns the code;
// code "" accepts any.
func assertJSONError(t *testing.T, resp response, code, message string) string {
	t.Helper()
	assertJSONContentType(t, resp)
	var body struct{ Error, Message string }
	require.NoError(t, json.Unmarshal(resp.body, &body), "%s", resp.body)
	if code != "" {
		assert.Equal(t, code, body.Error, body.Message)
	}
	assert.NotEmpty(t, body.Message)
	assert.Contains(t, body.Message, message)
	return body.Error
}

// frameworkNames are the -framework names, sorted.
func frameworkNames() []string { return slices.Sorted(maps.Keys(frameworks)) }

// eachFramework runs test in a subtest per framework, named after it, each
// against its own server of that framework: one this process starts, or
// the one $CONFORMANCE_SERVERS names.
func eachFramework(t *testing.T, test func(t *testing.T, srv *testServer)) {
	external := externalServers(t)
	for _, name := range frameworkNames() {
		t.Run(name, func(t *testing.T) {
			if addr, ok := external[name]; ok {
				transport := &http.Transport{}
				t.Cleanup(transport.CloseIdleConnections)
				test(t, &testServer{framework: name, addr: addr, client: newClient(transport)})
				return
			}
			srv := startServer(t, "-framework", name)
			srv.framework = name
			test(t, srv)
		})
	}
}

// externalServers reads $CONFORMANCE_SERVERS, "FRAMEWORK=HOST:PORT" pairs
// separated by commas: conformance servers already running, such as the
// processes the interop suite (interop/) starts to replay the vectors over
// HTTP. Tests run one at a time, so sharing a server is safe. Once set, it
// must name every framework: one left out would be tested in this process
// only, and the suite that set it would believe it had replayed there.
func externalServers(t *testing.T) map[string]string {
	list := os.Getenv("CONFORMANCE_SERVERS")
	servers := map[string]string{}
	for pair := range strings.SplitSeq(list, ",") {
		if pair == "" {
			continue
		}
		name, addr, ok := strings.Cut(pair, "=")
		require.True(t, ok && slices.Contains(frameworkNames(), name), "CONFORMANCE_SERVERS: bad pair %q", pair)
		servers[name] = addr
	}
	for _, name := range frameworkNames() {
		_, ok := servers[name]
		require.True(t, ok || list == "", "CONFORMANCE_SERVERS names no server for %s", name)
	}
	return servers
}

// testServer is a conformance server started by run in this process.
type testServer struct {
	framework string       // the -framework name; set by eachFramework only
	addr      string       // HOST:PORT
	client    *http.Client // does not follow redirects
}

// startServer runs the server with -framework nethttp -addr 127.0.0.1:0 and
// args (which may name another framework) until the test ends.
func startServer(t *testing.T, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-framework", "nethttp", "-addr", "127.0.0.1:0"}, args...), stdoutW)
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("run: %v", <-done)
	}
	m := regexp.MustCompile(`^listening http://(127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	require.NotNil(t, m, "first line: %q", line)
	transport := &http.Transport{}
	t.Cleanup(func() {
		transport.CloseIdleConnections()
		cancel()
		assert.NoError(t, <-done, "graceful shutdown")
	})
	return &testServer{addr: m[1], client: newClient(transport)}
}

// newClient is a client over transport that does not follow redirects.
func newClient(transport *http.Transport) *http.Client {
	return &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// response is what the server answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// put sends a control request; body is sent as is when a string, else as
// JSON.
func (s *testServer) put(t *testing.T, path string, body any) response {
	t.Helper()
	data, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		data = string(b)
	}
	return s.raw(t, rawRequest{method: "PUT", target: path, header: http.Header{"Content-Type": {"application/json"}}, body: data})
}

// configure PUTs config and requires it to be accepted.
func (s *testServer) configure(t *testing.T, config any) {
	t.Helper()
	resp := s.put(t, "/_conformance/config", config)
	require.Equal(t, http.StatusNoContent, resp.status, "config: %s", resp.body)
}

// signed sends a request signed by signer through signethttp.Transport.
func (s *testServer) signed(t *testing.T, signer signet.Signer, method, target, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+s.addr+target, strings.NewReader(body))
	require.NoError(t, err)
	if body == "" {
		req.Body = http.NoBody
	}
	client := *s.client
	client.Transport = &signethttp.Transport{Signer: signer, Base: s.client.Transport}
	resp, err := client.Do(req)
	require.NoError(t, err)
	return readResponse(t, resp)
}

// rawRequest is a request written to the connection byte for byte: the
// target exactly as given, lines in order, then header, and Host and
// Content-Length when neither gives them.
type rawRequest struct {
	method, target string
	lines          [][2]string // header lines (name, value), in order, duplicates kept
	header         http.Header // header lines written after lines
	body           string
}

// has reports whether req gives a header line named name.
func (req rawRequest) has(name string) bool {
	if req.header.Values(name) != nil {
		return true
	}
	return slices.ContainsFunc(req.lines, func(line [2]string) bool { return strings.EqualFold(line[0], name) })
}

// raw sends req on a new connection.
func (s *testServer) raw(t *testing.T, req rawRequest) response {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr)
	require.NoError(t, err)
	defer conn.Close()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", req.method, req.target)
	if !req.has("Host") {
		fmt.Fprintf(&b, "Host: %s\r\n", s.addr)
	}
	for _, line := range req.lines {
		fmt.Fprintf(&b, "%s: %s\r\n", line[0], line[1])
	}
	require.NoError(t, req.header.Write(&b))
	if req.body != "" && !req.has("Content-Length") {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(req.body))
	}
	fmt.Fprintf(&b, "Connection: close\r\n\r\n%s", req.body)
	_, err = conn.Write(b.Bytes())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: req.method})
	require.NoError(t, err)
	return readResponse(t, resp)
}

// readResponse reads and closes resp.
func readResponse(t *testing.T, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// assertJSONContentType checks for a JSON media type; frameworks differ in
// whether they add "; charset=utf-8".
func assertJSONContentType(t *testing.T, resp response) {
	t.Helper()
	mediaType, _, err := mime.ParseMediaType(resp.header.Get("Content-Type"))
	assert.NoError(t, err)
	assert.Equal(t, "application/json", mediaType)
}

// TestAbsoluteFormTargets checks requests whose request-target is in
// absolute-form ("PUT http://host/_conformance/config HTTP/1.1"), in every
// framework: the control endpoints answer them as they answer origin-form,
// and the echo's path and query are those of the target, after its
// authority, as received (an empty path stays empty).
func TestAbsoluteFormTargets(t *testing.T) { eachFramework(t, testAbsoluteFormTargets) }

func testAbsoluteFormTargets(t *testing.T, srv *testServer) {
	origin := "http://" + srv.addr
	resp := srv.put(t, origin+"/_conformance/config", saConfig(testSecret, nil))
	require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
	resp = srv.put(t, "HTTP://"+srv.addr+"/_conformance/clock?x=1", `{"now": null}`)
	assert.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
	assertInvalidConfig(t, srv.put(t, origin+"/_conformance/clock", `{"later": 1}`), "")
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"GET", origin + "/_conformance/config", http.StatusMethodNotAllowed},
		{"PUT", origin + "/_conformance/nope", http.StatusNotFound},
	} {
		resp := srv.raw(t, rawRequest{method: tc.method, target: tc.target})
		assert.Equal(t, tc.status, resp.status, "%s %s: %s", tc.method, tc.target, resp.body)
		assert.NotContains(t, resp.header.Get("Content-Type"), "json", "no error code")
	}

	signer := newSigner(t, testSecret)
	for _, tc := range []struct {
		target string
		signed string // the origin-form request signet verifies it as
		echoed string // the path and query the echo gives, joined by '?'
	}{
		{origin + "/foo?a=1&b=%2F", "/foo?a=1&b=%2F", "/foo?a=1&b=%2F"},
		{"HTTP://" + srv.addr + "/a/../b", "/a/../b", "/a/../b"},
		{origin + "/_conformance", "/_conformance", "/_conformance"},
		{origin + "?a=1", "/?a=1", "?a=1"},
		{origin, "/", ""},
	} {
		t.Run(tc.target, func(t *testing.T) {
			req := rawRequest{method: "GET", target: tc.target}
			if srv.unrouted(t, tc.target) {
				skipUnrouted(t, srv.raw(t, req))
			}
			assertRejected(t, srv.raw(t, req), http.StatusUnauthorized, "missing_signature")
			req.header = signedHeader(t, signer, "GET", origin+tc.signed)
			assertEcho(t, srv.raw(t, req), "GET", tc.echoed, "")
		})
	}
}

// signedHeader is the header signer gives a method request to url.
func signedHeader(t *testing.T, signer signet.Signer, method, url string) http.Header {
	t.Helper()
	req, err := http.NewRequest(method, url, http.NoBody)
	require.NoError(t, err)
	require.NoError(t, signer.Sign(req))
	return req.Header
}

// TestFasthttpOwnAnswers: what fasthttp (under fiber or alone) refuses
// before any handler runs (a header block over its read buffer, a body over
// its limit) is answered in the contract's JSON, as a rejection, not in
// fasthttp's plain text.
func TestFasthttpOwnAnswers(t *testing.T) {
	for _, framework := range []string{"fiber", "fiberv3", "fasthttp"} {
		t.Run(framework, func(t *testing.T) {
			srv := startServer(t, "-framework", framework)
			srv.configure(t, saConfig(testSecret, nil))
			for _, tc := range []struct {
				request string
				status  int
				code    string
			}{
				{"GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 40<<10) + "\r\n\r\n", http.StatusRequestHeaderFieldsTooLarge, "malformed_signature"},
				{"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 33554433\r\n\r\n" + strings.Repeat("b", 64<<10), http.StatusRequestEntityTooLarge, "body_too_large"},
				{"PUT /_conformance/config HTTP/1.1\r\nHost: h\r\nContent-Length: 33554433\r\n\r\n" + strings.Repeat("b", 64<<10), http.StatusRequestEntityTooLarge, "body_too_large"},
			} {
				conn, err := net.Dial("tcp", srv.addr)
				require.NoError(t, err)
				go conn.Write([]byte(tc.request)) // the server may answer, and close, before reading it all
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				require.NoError(t, err)
				assertRejected(t, readResponse(t, resp), tc.status, tc.code)
				conn.Close()
			}
			// A config PUT fasthttp fails to read (a trailer it refuses)
			// changes nothing.
			config := `{"scheme":"sasigning","keys":[{"id":"k","secret":"another"}]}`
			conn, err := net.Dial("tcp", srv.addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = fmt.Fprintf(conn, "PUT /_conformance/config HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\nHost: h\r\n\r\n", len(config), config)
			require.NoError(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, readResponse(t, resp).status)
			assertEcho(t, srv.signed(t, newSigner(t, testSecret), "GET", "/x", ""), "GET", "/x", "")
		})
	}
}
