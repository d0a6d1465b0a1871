package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// pysignedRejections are the codes of the verify cases signet rejects, by
// vector id and case index (the same as core/pysigned_test.go): every other
// false case is invalid_signature. Upstream answers False to all of them,
// 403 {"detail":"Forbidden"} under FastAPI.
var pysignedRejections = map[string]string{
	"expiry-boundary/1":             "expired", // now == exp
	"expiry-boundary/4":             "expired", // now == exp + skew
	"expired-at-signing/0":          "expired",
	"missing-or-malformed-params/0": "malformed_signature", // exp missing
	"missing-or-malformed-params/1": "missing_signature",   // sig missing
	"missing-or-malformed-params/2": "malformed_signature", // exp=soon
	"missing-or-malformed-params/3": "malformed_signature", // exp=0
	"missing-or-malformed-params/4": "missing_signature",   // sig= is dropped by parse_qsl
	// Not the hex of 64 bytes: no key can match, so signet rejects it before
	// trying any key (upstream tries them all).
	"missing-or-malformed-params/5": "malformed_signature", // sig=nothex
	"duplicate-sig-exp/1":           "malformed_signature", // the last sig, 00, wins
	// Upstream raises TypeError (FastAPI: 500) when a non-ASCII sig meets
	// an HMAC key; signet answers 400 for the sig's shape, never a 5xx.
	"non-ascii-sig/0": "malformed_signature",
	"non-ascii-sig/1": "malformed_signature",
}

// pysignedStatuses are the statuses of the codes a pysigned verifier
// answers.
var pysignedStatuses = map[string]int{
	"missing_signature":     http.StatusUnauthorized,
	"malformed_signature":   http.StatusBadRequest,
	"unknown_key":           http.StatusUnauthorized,
	"unsupported_algorithm": http.StatusBadRequest,
	"invalid_signature":     http.StatusUnauthorized,
	"expired":               http.StatusUnauthorized,
	"replayed":              http.StatusUnauthorized,
}

// pysignedConfig is a pysigned config with the clock at now, keys and
// options.
func pysignedConfig(now any, keys []map[string]any, options map[string]any) map[string]any {
	return map[string]any{"scheme": "pysigned", "now": now, "keys": keys, "options": options}
}

// pysignedKeyConfig is the config entry of the vectors' key name: its HMAC
// secret in hex, or its Ed25519 public key in PEM, under its name.
func pysignedKeyConfig(t *testing.T, table map[string]signettest.PysignedKey, name string) map[string]any {
	t.Helper()
	k, ok := table[name]
	require.True(t, ok, "no key %q", name)
	if k.Type == "hmac" {
		return map[string]any{"id": name, "secret_hex": k.SecretHex}
	}
	public, err := hex.DecodeString(k.PublicHex)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(ed25519.PublicKey(public))
	require.NoError(t, err)
	return map[string]any{"id": name, "public_key_pem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
}

// pysignedTarget is how a client requests rawURL: the origin (scheme and
// authority) it was signed for, and the request-target it sends, without
// the fragment no client sends. An empty path cannot be sent in origin-form,
// so such a URL is sent in absolute-form, which keeps the empty path; the
// echo gives that path as received, "" (assertEchoOf compares the target
// without its origin).
func pysignedTarget(t *testing.T, rawURL string) (origin, target string) {
	t.Helper()
	rawURL, _, _ = strings.Cut(rawURL, "#")
	scheme, rest, ok := strings.Cut(rawURL, "://")
	require.True(t, ok, "not an absolute URL: %q", rawURL)
	end := len(rest)
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		end = i
	}
	origin, target = scheme+"://"+rest[:end], rest[end:]
	if !strings.HasPrefix(target, "/") {
		target = rawURL
	}
	return origin, target
}

// TestPysignedVectors replays every verify case of pysigned.json over HTTP,
// as pysigned 0.2.5 and 0.2.8, each URL requested from the plain-HTTP
// server with the origin option naming the scheme and authority it was
// signed for.
func TestPysignedVectors(t *testing.T) { eachFramework(t, testPysignedVectors) }

func testPysignedVectors(t *testing.T, srv *testServer) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	for _, version := range []string{"0.2.5", "0.2.8"} {
		cases := 0
		for _, v := range vectors {
			for i, c := range v.Verify {
				cases++
				t.Run(fmt.Sprintf("%s/%s/%d", version, v.ID, i), func(t *testing.T) {
					var keys []map[string]any
					for _, name := range c.Keys {
						keys = append(keys, pysignedKeyConfig(t, table, name))
					}
					origin, target := pysignedTarget(t, c.URL)
					srv.configure(t, pysignedConfig(c.Now, keys, map[string]any{"version": version,
						"ignore_query_params": c.IgnoreQueryParams, "skew": c.Skew, "origin": origin}))
					resp := srv.raw(t, rawRequest{method: "GET", target: target})
					if srv.unrouted(t, target) {
						skipUnrouted(t, resp)
					}
					if strings.Contains(target, " ") {
						// "fully decoded path, as FastAPI's request.url would
						// rebuild it": a raw space cannot be sent in a
						// request-target (RFC 9112 §3.2): net/http refuses the
						// request line itself, fasthttp lets the verifier reject it.
						require.False(t, c.Expected.Valid)
						assert.GreaterOrEqual(t, resp.status, 400)
						assert.Less(t, resp.status, 500)
						return
					}
					if version == "0.2.8" && v.HasTag("version-difference") {
						// 0.2.6+ leaves kid out of the message: the signature
						// over kid=abc fails whatever kid is sent.
						assertPysignedRejected(t, resp, "invalid_signature")
						return
					}
					if c.Expected.Valid {
						key, ok := signettest.PysignedMatchingKey(table, v.Sign.SigningKey, c.Keys)
						require.True(t, ok, "a key of %v verifies %s's signatures", c.Keys, v.Sign.SigningKey)
						want := echo{Scheme: "pysigned", KeyID: key, Credentials: map[string]any{"key_id": key}}
						assertEchoOf(t, resp, want, "GET", target, "")
						if v.ID == "empty-query-and-empty-path" { // https://example.com?sig=…
							assert.Empty(t, decodeEcho(t, resp).Path, "the empty path, as received")
						}
						return
					}
					code, ok := pysignedRejections[fmt.Sprintf("%s/%d", v.ID, i)]
					if !ok {
						code = "invalid_signature"
					}
					assertPysignedRejected(t, resp, code)
				})
			}
		}
		assert.Equal(t, 89, cases)
	}
}

// TestPysignedRawFragment: a client that sends a fragment anyway is
// refused: Go's server keeps what follows the '#' in the query a handler
// reads, and pysigned signs no fragment. (Clients strip it: the vectors'
// URLs with fragments verify as sent by TestPysignedVectors.)
func TestPysignedRawFragment(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	srv := startServer(t)
	v := vectors[0]
	require.Equal(t, "hmac-basic", v.ID)
	srv.configure(t, pysignedConfig(v.Sign.Now, []map[string]any{pysignedKeyConfig(t, table, "hmac_a")},
		map[string]any{"origin": "https://example.com"}))
	_, target := pysignedTarget(t, v.Sign.SignedURL)
	for _, fragment := range []string{"#frag", "#&admin=1"} {
		assertRejected(t, srv.raw(t, rawRequest{method: "GET", target: target + fragment}), 400, "malformed_signature")
	}
}

// TestPysignedJWKSKeys loads the vectors' keys from jwks entries: with a
// kid each key answers under it, without one under pysigned's default id
// of the configured version, and the entry's credentials apply to every
// key.
func TestPysignedJWKSKeys(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	srv := startServer(t)
	jwk := func(name string, kid bool) map[string]any {
		k := maps.Clone(table[name].JWK)
		if kid {
			k["kid"] = "jwk-" + name
		}
		return k
	}
	for _, version := range []string{"0.2.5", "0.2.8"} {
		for _, v := range vectors {
			c := v.Verify[0]
			if !c.Expected.Valid {
				continue
			}
			t.Run(version+"/"+v.ID, func(t *testing.T) {
				var jwks []map[string]any
				for i, name := range c.Keys {
					jwks = append(jwks, jwk(name, i%2 == 1))
				}
				keys := []map[string]any{{"jwks": map[string]any{"keys": jwks}}}
				origin, target := pysignedTarget(t, c.URL)
				srv.configure(t, pysignedConfig(c.Now, keys, map[string]any{"version": version,
					"ignore_query_params": c.IgnoreQueryParams, "skew": c.Skew, "origin": origin}))
				resp := srv.raw(t, rawRequest{method: "GET", target: target})
				if version == "0.2.8" && v.HasTag("version-difference") {
					assertPysignedRejected(t, resp, "invalid_signature")
					return
				}
				name, ok := signettest.PysignedMatchingKey(table, v.Sign.SigningKey, c.Keys)
				require.True(t, ok, "a key of %v verifies %s's signatures", c.Keys, v.Sign.SigningKey)
				id := map[string]string{"0.2.5": table[name].ID025, "0.2.8": table[name].ID028}[version]
				for i, n := range c.Keys {
					if n == name && i%2 == 1 {
						id = "jwk-" + name
					}
				}
				assertEchoOf(t, resp, echo{Scheme: "pysigned", KeyID: id, Credentials: map[string]any{"key_id": id}}, "GET", target, "")
			})
		}
	}

	// One entry's credentials go with each of its keys.
	v := vectors[0]
	keys := []map[string]any{{"jwks": map[string]any{"keys": []any{jwk("hmac_b", true), jwk("hmac_a", false)}}, "credentials": map[string]any{"app": "cdn"}}}
	srv.configure(t, pysignedConfig(v.Sign.Now, keys, map[string]any{"origin": "https://example.com"}))
	_, target := pysignedTarget(t, v.Sign.SignedURL)
	assertEchoOf(t, srv.raw(t, rawRequest{method: "GET", target: target}),
		echo{Scheme: "pysigned", KeyID: table["hmac_a"].ID025, Credentials: map[string]any{"app": "cdn"}}, "GET", target, "")
}

// TestPysignedOptions checks the options this program maps onto signet's,
// with URLs signed for the server's own address.
func TestPysignedOptions(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	srv := startServer(t)
	const now = 1_700_000_000
	secret, err := hex.DecodeString(table["hmac_a"].SecretHex)
	require.NoError(t, err)
	key := signet.NewHMACKey(secret)
	sign := func(t *testing.T, url string, opts ...signet.PysignedSignerOption) string {
		signer, err := signet.NewPysignedSigner(key, append(opts, signet.WithClock(func() time.Time { return time.Unix(now, 0) }))...)
		require.NoError(t, err)
		signed, err := signer.SignURL(url)
		require.NoError(t, err)
		_, target := pysignedTarget(t, signed)
		return target
	}
	local := "http://" + srv.addr
	hmacA := []map[string]any{pysignedKeyConfig(t, table, "hmac_a")}
	echoOf := func(id string) echo {
		return echo{Scheme: "pysigned", KeyID: id, Credentials: map[string]any{"key_id": id}}
	}
	for _, tc := range []struct {
		name    string
		url     string // signed, then requested from the server
		signer  []signet.PysignedSignerOption
		options map[string]any
		now     float64
		mutate  func(string) string
		code    string // "" when accepted
		keyID   string
	}{
		{"origin from the request", local + "/o?x=1", nil, nil, now, nil, "", "hmac_a"},
		{"another host", "http://example.com/o?x=1", nil, nil, now, nil, "invalid_signature", ""},
		{"another scheme", "https://" + srv.addr + "/o?x=1", nil, nil, now, nil, "invalid_signature", ""},
		{"origin option", "https://Example.COM/o", nil, map[string]any{"origin": "HTTPS://Example.COM"}, now, nil, "", "hmac_a"},
		{"null options", local + "/o", nil, map[string]any{"version": nil, "ignore_query_params": nil, "skew": nil, "require_kid": nil, "origin": nil}, now, nil, "", "hmac_a"},
		{"ignored parameter changed", local + "/i?x=1&utm=a", []signet.PysignedSignerOption{signet.PysignedIgnoreQueryParams("utm")},
			map[string]any{"ignore_query_params": []string{"utm"}}, now, func(s string) string { return strings.Replace(s, "utm=a", "utm=b", 1) }, "", "hmac_a"},
		{"parameter changed", local + "/i?x=1", nil, nil, now, func(s string) string { return strings.Replace(s, "x=1", "x=2", 1) }, "invalid_signature", ""},
		{"expired", local + "/e", nil, nil, now + 600, nil, "expired", ""},
		{"skew", local + "/e", nil, map[string]any{"skew": 30}, now + 629.5, nil, "", "hmac_a"},
		{"skew ends", local + "/e", nil, map[string]any{"skew": 30}, now + 630, nil, "expired", ""},
		{"negative skew", local + "/e", nil, map[string]any{"skew": -600}, now, nil, "expired", ""},
		{"require_kid", local + "/k", []signet.PysignedSignerOption{signet.Pysigned028, signet.PysignedRequireKid()},
			map[string]any{"version": "0.2.8", "require_kid": true}, now, nil, "", "hmac_a"},
		{"require_kid, default id", local + "/k", []signet.PysignedSignerOption{signet.Pysigned028, signet.PysignedRequireKid()},
			map[string]any{"version": "0.2.8", "require_kid": true}, now, nil, "", "hmac_a"},
		{"require_kid, no kid", local + "/k", []signet.PysignedSignerOption{signet.Pysigned028},
			map[string]any{"version": "0.2.8", "require_kid": true}, now, nil, "malformed_signature", ""},
		{"require_kid, unknown kid", local + "/k", []signet.PysignedSignerOption{signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedKeyID("nope")},
			map[string]any{"version": "0.2.8", "require_kid": true}, now, nil, "unknown_key", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer := tc.signer
			if tc.name == "require_kid" {
				signer = append(signer, signet.PysignedKeyID("hmac_a"))
			}
			target := sign(t, tc.url, signer...)
			if tc.mutate != nil {
				target = tc.mutate(target)
			}
			keys := hmacA
			if tc.name == "require_kid, default id" { // the key under pysigned 0.2.8's default id
				keys = []map[string]any{{"jwks": map[string]any{"keys": []any{table["hmac_a"].JWK}}, "credentials": map[string]any{"key_id": "hmac_a"}}}
			}
			srv.configure(t, pysignedConfig(tc.now, keys, tc.options))
			resp := srv.raw(t, rawRequest{method: "GET", target: target})
			if tc.code != "" {
				assertPysignedRejected(t, resp, tc.code)
				return
			}
			want := echoOf(tc.keyID)
			if tc.name == "require_kid, default id" {
				want.KeyID = table["hmac_a"].ID028
			}
			assertEchoOf(t, resp, want, "GET", target, "")
		})
	}
}

// TestPysignedTransport sends requests signed by signethttp.Transport with
// a PysignedSigner: the client signs the URL it sends, the server verifies
// it from its Host and raw request-target.
func TestPysignedTransport(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	srv := startServer(t)
	seed, err := hex.DecodeString(table["ed_b"].SeedHex)
	require.NoError(t, err)
	key, err := signet.NewPrivateKey(ed25519.NewKeyFromSeed(seed))
	require.NoError(t, err)
	signer, err := signet.NewPysignedSigner(key)
	require.NoError(t, err)
	srv.configure(t, pysignedConfig(nil, []map[string]any{pysignedKeyConfig(t, table, "ed_b")}, nil))
	for _, target := range []string{"/t", "/t/%2F/caf%C3%A9;v=1?q=a+b&q=%E2%82%AC&flag&blank=", "/t?a=1;b=2"} {
		resp := srv.signed(t, signer, "GET", target, "")
		got := decodeEcho(t, resp)
		assert.Equal(t, "ed_b", got.KeyID, target)
		assert.Contains(t, got.Query, "&exp=", target)
	}
}

// TestPysignedInvalidConfig checks that a pysigned config signet refuses is
// 400 invalid_config.
func TestPysignedInvalidConfig(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	_, cavageTable, err := signettest.CavageVectors()
	require.NoError(t, err)
	rsaPublicKeyPEM := cavageTable["rsa-1"].PublicKeyPEM
	require.NotEmpty(t, rsaPublicKeyPEM)
	srv := startServer(t)
	hmacA := pysignedKeyConfig(t, table, "hmac_a")
	for _, tc := range []struct {
		name    string
		keys    []map[string]any
		options map[string]any
		message string
	}{
		{"unknown version", nil, map[string]any{"version": "0.2.9"}, `unknown pysigned version "0.2.9"`},
		{"require_kid in 0.2.5", nil, map[string]any{"require_kid": true}, "needs pysigned 0.2.8"},
		{"fractional skew", nil, map[string]any{"skew": 0.5}, "whole seconds"},
		{"huge skew", nil, map[string]any{"skew": 1e300}, "out of range"},
		{"origin with a path", nil, map[string]any{"origin": "https://example.com/x"}, "no path"},
		{"origin without scheme", nil, map[string]any{"origin": "example.com"}, "scheme://authority"},
		{"unknown option", nil, map[string]any{"ignoreQueryParams": []string{"x"}}, `"ignoreQueryParams"`},
		{"option of another scheme", nil, map[string]any{"clock_skew": 1}, `"clock_skew"`},
		{"capitalised option name", nil, map[string]any{"Version": "0.2.8"}, `"Version"`},
		{"short HMAC secret", []map[string]any{{"id": "s", "secret": "short"}}, nil, "shorter than the 64 bytes"},
		{"RSA key", []map[string]any{{"id": "r", "public_key_pem": rsaPublicKeyPEM}}, nil, "cannot verify pysigned URLs"},
		{"key pinned to another algorithm", []map[string]any{{"id": "h", "secret_hex": table["hmac_a"].SecretHex, "algorithm": "hmac-sha256"}}, nil, `pinned to "hmac-sha256"`},
		{"jwks with an id", []map[string]any{{"id": "x", "jwks": map[string]any{"keys": []any{table["hmac_a"].JWK}}}}, nil, "a jwks entry has no id"},
		{"jwks and a secret", []map[string]any{{"secret": "s", "jwks": map[string]any{"keys": []any{table["hmac_a"].JWK}}}}, nil, "exactly one of"},
		{"jwks of an unknown type", []map[string]any{{"jwks": map[string]any{"keys": []any{map[string]any{"kty": "RSA"}}}}}, nil, "keys[0]: jwks: signet: JWKS key 0: unknown key type"},
		{"jwks duplicate ids in 0.2.8", []map[string]any{hmacA, {"jwks": map[string]any{"keys": []any{table["ed_a"].JWK, table["ed_a_pub"].JWK}}}},
			map[string]any{"version": "0.2.8"}, "keys[1]: jwks: signet: JWKS key 1: duplicate key id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := tc.keys
			if keys == nil {
				keys = []map[string]any{hmacA}
			}
			assertInvalidConfig(t, srv.put(t, "/_conformance/config", pysignedConfig(nil, keys, tc.options)), tc.message)
		})
	}
	assert.Equal(t, http.StatusServiceUnavailable, srv.raw(t, rawRequest{method: "GET", target: "/x"}).status)

	// 0.2.5 keeps one of two JWKs with the same default id.
	keys := []map[string]any{{"jwks": map[string]any{"keys": []any{table["ed_a"].JWK, table["ed_a_pub"].JWK}}}}
	srv.configure(t, pysignedConfig(nil, keys, nil))
}

// assertPysignedRejected asserts that resp is a pysigned rejection with
// code: the code's status, a JSON error body, and no challenge.
func assertPysignedRejected(t *testing.T, resp response, code string) {
	t.Helper()
	status, ok := pysignedStatuses[code]
	require.True(t, ok, "unexpected code %q", code)
	assertRejected(t, resp, status, code)
}
