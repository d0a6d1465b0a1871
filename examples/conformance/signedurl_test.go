package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// signedURLStatuses are the statuses of the codes a signedurl verifier
// answers.
var signedURLStatuses = map[string]int{
	"missing_signature":       http.StatusUnauthorized,
	"malformed_signature":     http.StatusBadRequest,
	"unknown_key":             http.StatusUnauthorized,
	"unsupported_algorithm":   http.StatusBadRequest,
	"invalid_signature":       http.StatusUnauthorized,
	"expired":                 http.StatusUnauthorized,
	"not_yet_valid":           http.StatusUnauthorized,
	"missing_required_header": http.StatusBadRequest,
}

// TestSignedURLVectors replays every verification case of
// core/testdata/signedurl/vectors.json over HTTP: the vector's options as
// conformance options, its keys (credentials: the key's name), its clock,
// and the request-target and Host exactly as the vector gives them. The
// server speaks plain HTTP, so a case that binds the origin of a request
// made over TLS is given that origin instead, with the origin option
// (SignedURLOrigin): https:// and its Host, which signs the same origin.
func TestSignedURLVectors(t *testing.T) { eachFramework(t, testSignedURLVectors) }

func testSignedURLVectors(t *testing.T, srv *testServer) {
	file, err := signettest.SignedURLVectors()
	require.NoError(t, err)
	cases, viaOrigin := 0, 0 // counted outside the subtests, so that a -run filter picking some still passes
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			cfg, err := c.EffectiveConfig(v)
			require.NoError(t, err)
			cases++
			if c.Scheme == "https" && cfg.Origin == nil && cfg.BindOrigin != nil && *cfg.BindOrigin {
				origin := "https://" + c.Host
				cfg.Origin = &origin
				viaOrigin++
			}
			t.Run(v.ID+"/"+c.Note, func(t *testing.T) {
				srv.configure(t, signedURLConfig(t, file, c, cfg))
				resp := srv.raw(t, rawRequest{method: c.Method, target: c.Target, lines: [][2]string{{"Host", c.Host}}})
				if srv.unrouted(t, c.Target) {
					skipUnrouted(t, resp)
				}
				if c.Method == http.MethodHead { // no body to read
					want := http.StatusOK
					if !c.Expected.Valid {
						want = signedURLStatuses[c.Expected.Error]
					}
					assert.Equal(t, want, resp.status) // frameworks differ on HEAD's Content-Type
					return
				}
				if c.Expected.Valid {
					want := echo{Scheme: "signedurl", KeyID: keyIDOf(c, c.Expected.Key), Credentials: map[string]any{"key": c.Expected.Key}}
					assertEchoOf(t, resp, want, c.Method, c.Target, "")
					return
				}
				assertSignedURLRejected(t, resp, c.Expected.Error)
			})
		}
	}
	assert.Equal(t, 152, cases)
	assert.Equal(t, 5, viaOrigin, "the https cases of the origin vectors, given their origin")
}

// signedURLConfig is the conformance config of a vector case.
func signedURLConfig(t *testing.T, file *signettest.SignedURLVectorFile, c signettest.SignedURLCase, cfg signettest.SignedURLConfig) map[string]any {
	t.Helper()
	var keys []map[string]any
	for _, k := range c.Keys {
		key := map[string]any{"id": k.ID, "credentials": map[string]string{"key": k.Key}}
		switch material := file.Keys[k.Key]; material.Type {
		case "hmac":
			key["secret_hex"] = material.SecretHex
		default:
			key["public_key_pem"] = material.PublicKeyPEM
		}
		if k.Algorithm != "" {
			key["algorithm"] = k.Algorithm
		}
		keys = append(keys, key)
	}
	options, err := json.Marshal(cfg)
	require.NoError(t, err)
	return map[string]any{"scheme": "signedurl", "now": c.Now, "keys": keys, "options": json.RawMessage(options)}
}

// keyIDOf is the id a case's key store gives the key name.
func keyIDOf(c signettest.SignedURLCase, name string) string {
	for _, k := range c.Keys {
		if k.Key == name {
			return k.ID
		}
	}
	return ""
}

// assertSignedURLRejected asserts that resp is a signedurl rejection with
// code: its status, a JSON error body, no challenge.
func assertSignedURLRejected(t *testing.T, resp response, code string) {
	t.Helper()
	status, ok := signedURLStatuses[code]
	require.True(t, ok, "unexpected code %q", code)
	assertRejected(t, resp, status, code)
}

// signedURLTestConfig is a signedurl config with one HMAC key, k1.
func signedURLTestConfig(now any, options map[string]any) map[string]any {
	key := map[string]any{"id": "k1", "secret": testSecret, "credentials": testCredentials}
	return map[string]any{"scheme": "signedurl", "now": now, "keys": []any{key}, "options": options}
}

// TestSignedURLTransport: a SignedURLSigner in signethttp.Transport signs
// the URL of each request, which the server accepts; the clock endpoint
// moves the verifier past sn-exp, exactly.
func TestSignedURLTransport(t *testing.T) {
	const signedAt = 1_700_000_000
	srv := startServer(t)
	srv.configure(t, signedURLTestConfig(signedAt, map[string]any{"bind_origin": true, "ignore_params": []string{"utm_*"}}))
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte(testSecret)),
		signet.SignedURLBindOrigin(), signet.SignedURLIgnoreParams("utm_*"), signet.SignedURLTTL(time.Minute),
		signet.WithClock(func() time.Time { return time.Unix(signedAt, 0) }))
	require.NoError(t, err)

	want := echo{Scheme: "signedurl", KeyID: "k1", Credentials: testCredentials}
	resp := srv.signed(t, signer, "GET", "/files/a b?q=ü&utm_x=1", "")
	got := decodeEcho(t, resp)
	assert.Equal(t, want.Scheme, got.Scheme)
	assert.Equal(t, "/files/a%20b", got.Path)
	assert.True(t, strings.HasPrefix(got.Query, "q=%C3%BC&utm_x=1&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000060&sn-sig="), got.Query)

	for _, tc := range []struct {
		now  float64
		code string
	}{
		{signedAt + 60, ""},
		{signedAt + 60.5, "expired"},
		{signedAt - 60, ""},
		{signedAt - 61, "not_yet_valid"},
	} {
		require.Equal(t, http.StatusNoContent, srv.put(t, "/_conformance/clock", map[string]any{"now": tc.now}).status)
		resp := srv.signed(t, signer, "DELETE", "/x", "")
		if tc.code == "" {
			assertEchoOf(t, resp, want, "DELETE", "/x?"+decodeEcho(t, resp).Query, "")
		} else {
			assertSignedURLRejected(t, resp, tc.code)
		}
	}
}

// TestSignedURLInvalidConfig: a signedurl config signet refuses is 400
// invalid_config.
func TestSignedURLInvalidConfig(t *testing.T) {
	srv := startServer(t)
	for _, tc := range []struct {
		name    string
		options map[string]any
		message string
	}{
		{"unknown option", map[string]any{"ttl": 60}, `"ttl"`},
		{"an option of another scheme", map[string]any{"max_body_bytes": 10}, `"max_body_bytes"`},
		{"pysigned's name", map[string]any{"ignore_query_params": []string{"utm_source"}}, `"ignore_query_params"`},
		{"origin and bind_origin false", map[string]any{"origin": "https://example.com", "bind_origin": false}, "drop bind_origin false"},
		{"ftp origin", map[string]any{"origin": "ftp://example.com"}, "http:// or https://"},
		{"origin with a path", map[string]any{"origin": "https://example.com/app"}, "without a path"},
		{"ignore everything", map[string]any{"ignore_params": []string{"*"}}, "every parameter"},
		{"ignore the signature", map[string]any{"ignore_params": []string{"sn-sig"}}, "reserved"},
		{"zero max_age", map[string]any{"max_age": 0}, "max age must be positive"},
		{"max_age under a second", map[string]any{"max_age": 0.5}, "shorter than a second"},
		{"huge max_age", map[string]any{"max_age": 1e300}, "out of range"},
		{"negative clock_skew", map[string]any{"clock_skew": -1}, "negative clock skew"},
		{"unknown algorithm", map[string]any{"algorithms": []string{"hmac-sha512"}}, `"hmac-sha512"`},
		{"bind_method not a bool", map[string]any{"bind_method": "yes"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertInvalidConfig(t, srv.put(t, "/_conformance/config", signedURLTestConfig(nil, tc.options)), tc.message)
		})
	}
	assert.Equal(t, http.StatusServiceUnavailable, srv.raw(t, rawRequest{method: "GET", target: "/x"}).status)
}
