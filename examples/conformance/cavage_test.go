package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/signet-go/signet/core/signettest"
)

// TestCavageVectors replays every vector of cavage.json over HTTP, in every
// framework, in the draft dialect, requiring no header, and checks the strict draft-12
// verdict with the code core/cavage_test.go expects for each rejection.
func TestCavageVectors(t *testing.T) { eachFramework(t, testCavageVectors) }

func testCavageVectors(t *testing.T, srv *testServer) {
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 35)
	keys := cavageKeys(table, false)
	rejections := map[string]string{
		"hs-hmac-sha256-created-expires":        "malformed_signature", // (created) with hmac-sha256 (draft-12 §2.3)
		"hs-hmac-sha256-duplicates-array-quirk": "invalid_signature",
		"apisig-request-target-without-query":   "invalid_signature",
		"draft12-C3-all-headers-as-printed":     "malformed_signature", // (created) with rsa-sha256
		"quirk-expires-grace-window":            "expired",             // no grace, unlike http-signature
		"neg-tampered-header":                   "invalid_signature",
		"neg-tampered-body-with-digest":         "digest_mismatch", // both npm peers miss it
		"neg-wrong-key":                         "invalid_signature",
		"neg-unknown-keyid":                     "unknown_key",
		"neg-skewed-date":                       "expired",
		"neg-method-changed":                    "invalid_signature",
		"neg-alg-confusion-rsa-pubkey-as-hmac":  "unsupported_algorithm",
	}
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			srv.configure(t, cavageConfig(v.Now, keys, map[string]any{"required_headers": []string{}}))
			resp := srv.raw(t, cavageRequest(v))
			if v.Expected.Reference.Accept {
				assertCavageEcho(t, resp, v, table)
				return
			}
			code, ok := rejections[v.ID]
			require.True(t, ok, "a rejection without an expected code: %s", v.Expected.Reference.Reason)
			assertCavageRejected(t, resp, code)
		})
	}
}

// TestCavageVectorsAPISignatureDialect replays cavage.json, in every
// framework, in the api-signature dialect, with api-signature's getSecret
// (the HMAC keys), against what the real middleware answered: the 200s
// pass, and each rejection is the signet code of the middleware's error
// (apiSignatureErrors), or the code apiSignatureDialectDeviations gives
// with its reason.
func TestCavageVectorsAPISignatureDialect(t *testing.T) {
	eachFramework(t, testCavageVectorsAPISignatureDialect)
}

// apiSignatureErrors maps the errors api-signature throws to the signet
// code for the same failure, and the status api-signature answers with it.
// The statuses agree but for UnsupportedAlgorithmError: api-signature
// answers 401, signet's unsupported_algorithm is a 400.
var apiSignatureErrors = map[string]struct {
	status int
	code   string
}{
	"BadSignatureError":                   {http.StatusUnauthorized, "invalid_signature"},
	"UnauthorizedError":                   {http.StatusUnauthorized, "unknown_key"}, // "Unknown api key"
	"ExpiredRequestError":                 {http.StatusUnauthorized, "expired"},
	"UnsupportedAlgorithmError":           {http.StatusUnauthorized, "unsupported_algorithm"},
	"MissingRequiredHeadersError":         {http.StatusBadRequest, "missing_required_header"},
	"MissingRequiredSignatureParamsError": {http.StatusBadRequest, "malformed_signature"},
}

// apiSignatureDialectDeviations are signet's codes where they are not the
// code of api-signature's answer, and why.
var apiSignatureDialectDeviations = map[string]string{
	// Signed in a Signature header: api-signature reports the absent
	// Authorization header as a missing required header, signet as a
	// missing signature.
	"hs-rsa-sha256-signature-header-digest": "missing_signature",
	"hs-hmac-sha256-created-expires":        "missing_signature",
	"draft12-C1-default-signature-header":   "missing_signature",
	"ref-hs2019-ed25519-created-expires":    "missing_signature",
	// api-signature refuses a non-HMAC algorithm before it asks getSecret;
	// signet looks the key up first, and getSecret has only HMAC keys.
	"hs-rsa-sha256-no-request-target":  "unknown_key",
	"hs-ecdsa-sha256-p256":             "unknown_key",
	"hs-ed25519-sha512":                "unknown_key",
	"draft12-C1-default-authorization": "unknown_key",
	"draft12-C2-basic-authorization":   "unknown_key",
	"draft09-C3-all-headers":           "unknown_key",
	// (created) is no pseudo-header in api-signature: a signed
	// "(created)" names a header the request lacks, which signet finds
	// before it checks the algorithm (rsa-sha256, hs2019, ed25519-sha512).
	"draft12-C3-all-headers-as-printed": "missing_required_header",
	"ref-hs2019-hmac-sha512-created":    "missing_required_header",
	"quirk-expires-grace-window":        "missing_required_header",
	"quirk-integer-param-last":          "missing_required_header",
	// api-signature never checks Digest; signet does, in both dialects (a
	// documented deviation).
	"neg-tampered-body-with-digest": "digest_mismatch",
}

func testCavageVectorsAPISignatureDialect(t *testing.T, srv *testServer) {
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 35)
	keys := cavageKeys(table, true)
	// Counted from the vectors, so that a -run filter picking some still passes.
	accepted, matched, deviations := 0, 0, 0
	for _, v := range vectors {
		switch _, deviation := apiSignatureDialectDeviations[v.ID]; {
		case deviation:
			deviations++
		case v.Expected.APISignature.Status == http.StatusOK:
			accepted++
		default:
			matched++
		}
	}
	assert.Equal(t, 8, accepted, "vectors api-signature and signet accept")
	assert.Equal(t, 12, matched, "vectors rejected with the code of api-signature's error")
	assert.Len(t, apiSignatureDialectDeviations, deviations, "every deviation names a vector")
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			srv.configure(t, cavageConfig(v.Now, keys, map[string]any{"dialect": "api-signature"}))
			resp := srv.raw(t, cavageRequest(v))
			peer := v.Expected.APISignature
			if code, ok := apiSignatureDialectDeviations[v.ID]; ok {
				assertCavageRejected(t, resp, code)
				return
			}
			if peer.Status == http.StatusOK {
				assertCavageEcho(t, resp, v, table)
				return
			}
			answer, ok := apiSignatureErrors[peer.Error]
			require.True(t, ok, "no signet code for api-signature's %s", peer.Error)
			assert.Equal(t, answer.status, peer.Status, "api-signature's status for %s", peer.Error)
			assertCavageRejected(t, resp, answer.code)
		})
	}
}

// TestAPISignatureVectors replays api-signature.json in every framework:
// each request sent as a request line and header lines (the vector's
// raw_header_lines where it gives them, else Node's view of the headers),
// the middleware's options mapped onto the cavage options, and its answer.
func TestAPISignatureVectors(t *testing.T) { eachFramework(t, testAPISignatureVectors) }

func testAPISignatureVectors(t *testing.T, srv *testServer) {
	vectors, getSecret, err := signettest.APISignatureVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 21)
	var keys []map[string]any
	for _, id := range slices.Sorted(maps.Keys(getSecret)) {
		keys = append(keys, map[string]any{"id": id, "secret": getSecret[id].Secret, "credentials": getSecret[id].Credentials})
	}
	codes := map[string]string{
		"expiry-boundary-exact": "expired",
		"expiry-future":         "not_yet_valid",
		"missing-authorization": "missing_signature",
		"bad-scheme":            "missing_signature",
		"space-after-comma":     "malformed_signature",
		"date-not-signed":       "missing_required_header",
		"algorithm-case":        "unsupported_algorithm",
		"bad-signature":         "invalid_signature",
		"unknown-key":           "unknown_key",
		"unparseable-date":      "malformed_signature",
		"listed-header-absent":  "missing_required_header",
		// The middleware lets a CORS preflight through unverified; signet
		// never passes an unsigned request: skipping preflights is the
		// middleware's job.
		"cors-preflight-bypass": "missing_signature",
	}
	rawLines := apiSignatureRawHeaderLines(t)
	require.Len(t, rawLines, 1, "vectors with raw_header_lines")
	require.Contains(t, rawLines, "duplicate-header-joined")
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			lifetime := 0 // null or 0: no Date window
			if v.Options.RequestLifetime != nil {
				lifetime = *v.Options.RequestLifetime
			}
			options := map[string]any{"dialect": "api-signature", "required_headers": v.Options.RequiredHeaders, "clock_skew": lifetime}
			srv.configure(t, cavageConfig(float64(v.NowMS)/1000, keys, options))

			req := rawRequest{method: v.Request.Method, target: v.Request.Path}
			if v.Request.OriginalURL != "" {
				req.target = v.Request.OriginalURL
			}
			req.lines = apiSignatureHeaderLines(t, v.Request.Headers, rawLines[v.ID])
			resp := srv.raw(t, req)
			if v.Expected.Outcome == "next" && v.Expected.CredentialsSet {
				m := keyIDParam.FindStringSubmatch(v.Request.Headers["authorization"])
				require.NotNil(t, m, "no keyId in %q", v.Request.Headers["authorization"])
				want := echo{Scheme: "cavage", KeyID: m[1], Credentials: decodeJSON(t, v.Expected.Credentials)}
				assertEchoOf(t, resp, want, req.method, req.target, "")
				return
			}
			code, ok := codes[v.ID]
			require.True(t, ok, "no expected code for %s", v.ID)
			assertCavageRejected(t, resp, code)
		})
	}
}

// apiSignatureVectorsFile is the repository's copy of api-signature.json,
// the file signettest decodes.
const apiSignatureVectorsFile = "../../core/internal/vectors/testdata/vectors/api-signature.json"

// apiSignatureRawHeaderLines reads request.raw_header_lines of the vectors
// of api-signature.json that give them, by id: the header lines as the
// client sent them, where request.headers is Node's view, repeated headers
// joined. signettest does not decode them.
func apiSignatureRawHeaderLines(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(apiSignatureVectorsFile))
	require.NoError(t, err)
	var file struct {
		Vectors []struct {
			ID      string `json:"id"`
			Request struct {
				RawHeaderLines []string `json:"raw_header_lines"`
			} `json:"request"`
		} `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	lines := map[string][]string{}
	for _, v := range file.Vectors {
		if v.Request.RawHeaderLines != nil {
			lines[v.ID] = v.Request.RawHeaderLines
		}
	}
	return lines
}

// apiSignatureHeaderLines are the header lines of a vector's request: the
// vector's raw lines, as given, for the headers they name, and a line per
// other header of Node's view, in name order. Each header the raw lines
// name must be, in Node's view, their values joined by ", ".
func apiSignatureHeaderLines(t *testing.T, headers map[string]string, raw []string) [][2]string {
	t.Helper()
	byName := map[string][][2]string{}
	for _, line := range raw {
		name, value, ok := strings.Cut(line, ":")
		require.True(t, ok, "raw header line %q", line)
		key := strings.ToLower(name)
		byName[key] = append(byName[key], [2]string{name, strings.TrimSpace(value)})
	}
	var lines [][2]string
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		sent, ok := byName[name]
		if !ok {
			lines = append(lines, [2]string{name, headers[name]})
			continue
		}
		var values []string
		for _, line := range sent {
			values = append(values, line[1])
		}
		require.Equal(t, headers[name], strings.Join(values, ", "), "the raw %s lines, joined", name)
		lines = append(lines, sent...)
		delete(byName, name)
	}
	require.Empty(t, byName, "raw lines of headers Node did not see")
	return lines
}

// keyIDParam finds the keyId parameter in an Authorization header, as
// api-signature reads it (name in any case, quoted value).
var keyIDParam = regexp.MustCompile(`(?i)keyid="([^"]*)"`)

// TestCavageOptions checks each cavage option, its default, and key
// pinning, on vectors of cavage.json whose verdict the option changes.
func TestCavageOptions(t *testing.T) {
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	byID := make(map[string]signettest.CavageVector, len(vectors))
	for _, v := range vectors {
		byID[v.ID] = v
	}
	srv := startServer(t)
	for _, tc := range []struct {
		name, vector string
		options      map[string]any
		pins         map[string]string // key id → algorithm
		code         string            // "" when accepted
	}{
		{"date required by default", "ref-hs2019-ed25519-created-expires", nil, nil, "missing_required_header"},
		{"date not required", "ref-hs2019-ed25519-created-expires", map[string]any{"required_headers": []string{}}, nil, ""},
		{"required header not signed", "hs-hmac-sha256-target-host-date", map[string]any{"required_headers": []string{"date", "digest"}}, nil, "missing_required_header"},
		{"required pseudo-header signed", "hs-hmac-sha256-target-host-date", map[string]any{"required_headers": []string{"(request-target)"}}, nil, ""},
		{"null options", "hs-hmac-sha256-target-host-date", map[string]any{"dialect": nil, "required_headers": nil, "digest": nil}, nil, ""},
		{"algorithm allowed", "hs-hmac-sha256-target-host-date", map[string]any{"algorithms": []string{"hmac-sha256"}}, nil, ""},
		{"algorithm not allowed", "hs-hmac-sha256-target-host-date", map[string]any{"algorithms": []string{"hmac-sha512"}}, nil, "unsupported_algorithm"},
		{"date within clock_skew", "hs-hmac-sha256-target-host-date", map[string]any{"clock_skew": 5}, nil, ""},
		{"date beyond clock_skew", "hs-hmac-sha256-target-host-date", map[string]any{"clock_skew": 4.5}, nil, "expired"},
		{"date beyond the default clock_skew", "neg-skewed-date", nil, nil, "expired"},
		{"api-signature clock_skew 0 disables the window", "neg-skewed-date", map[string]any{"dialect": "api-signature", "clock_skew": 0}, nil, ""},
		{"digest verify: unsigned Digest checked", "draft12-C2-basic-authorization", nil, nil, ""},
		{"digest require: unsigned Digest", "draft12-C2-basic-authorization", map[string]any{"digest": "require"}, nil, "missing_required_header"},
		{"digest require: signed Digest", "hs-hmac-sha512-post-digest", map[string]any{"digest": "require"}, nil, ""},
		{"body within max_body_bytes", "hs-hmac-sha512-post-digest", map[string]any{"max_body_bytes": 47}, nil, ""},
		{"body beyond max_body_bytes", "hs-hmac-sha512-post-digest", map[string]any{"max_body_bytes": 46}, nil, "body_too_large"},
		{"public key pinned to its algorithm", "hs-rsa-sha256-signature-header-digest", nil, map[string]string{"rsa-1": "rsa-sha256"}, ""},
		{"public key pinned to another algorithm", "hs-rsa-sha256-signature-header-digest", nil, map[string]string{"rsa-1": "rsa-sha512"}, "unsupported_algorithm"},
		{"ed25519 pin accepts ed25519-sha512", "hs-ed25519-sha512", nil, map[string]string{"ed25519-1": "ed25519"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := byID[tc.vector]
			require.True(t, ok, "no vector %s", tc.vector)
			keys := cavageKeys(table, false)
			for _, k := range keys {
				if alg, ok := tc.pins[k["id"].(string)]; ok {
					k["algorithm"] = alg
				}
			}
			config := cavageConfig(v.Now, keys, nil)
			if tc.options != nil {
				config["options"] = tc.options
			}
			srv.configure(t, config)
			resp := srv.raw(t, cavageRequest(v))
			if tc.code == "" {
				assertCavageEcho(t, resp, v, table)
			} else {
				assertCavageRejected(t, resp, tc.code)
			}
		})
	}
}

// TestCavageInvalidConfig checks that a cavage config signet refuses is
// 400 invalid_config.
func TestCavageInvalidConfig(t *testing.T) {
	srv := startServer(t)
	for _, tc := range []struct {
		name, config, message string
	}{
		{"unknown dialect", `{"options": {"dialect": "Draft"}}`, `dialect "Draft" is not one of api-signature, draft`},
		{"empty dialect", `{"options": {"dialect": ""}}`, `dialect ""`},
		{"unknown digest policy", `{"options": {"digest": "ignore"}}`, `digest "ignore" is not one of require, verify`},
		{"unknown algorithm", `{"options": {"algorithms": ["hmac-sha256", "HMAC-SHA512"]}}`, `"HMAC-SHA512"`},
		{"no algorithms", `{"options": {"algorithms": []}}`, "at least one algorithm"},
		{"required header with a space", `{"options": {"required_headers": ["x date"]}}`, `"x date"`},
		{"negative clock_skew", `{"options": {"clock_skew": -1}}`, "negative clock skew"},
		{"huge clock_skew", `{"options": {"clock_skew": 1e300}}`, "clock_skew 1e+300 is out of range"},
		{"clock_skew not a number", `{"options": {"clock_skew": "300"}}`, ""},
		{"zero max_body_bytes", `{"options": {"max_body_bytes": 0}}`, "max body bytes"},
		{"option of another scheme", `{"options": {"fields": ["path"]}}`, `"fields"`},
		{"http-signature's option name", `{"options": {"clockSkew": 300}}`, `"clockSkew"`},
		{"upper-case option name", `{"options": {"CLOCK_SKEW": 1}}`, `"CLOCK_SKEW"`},
		{"capitalised option name", `{"options": {"Required_headers": []}}`, `"Required_headers"`},
		{"public_key_pem not PEM", `{"keys": [{"id": "k", "public_key_pem": "MIIBIjAN"}]}`, "keys[0]: public_key_pem: "},
		{"public_key_pem not a key", `{"keys": [{"id": "k", "public_key_pem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}]}`, "keys[0]: public_key_pem: "},
		{"public_key_pem of a private key", `{"keys": [{"id": "k", "public_key_pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}]}`, "keys[0]: public_key_pem: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var config map[string]any
			require.NoError(t, json.Unmarshal([]byte(tc.config), &config))
			config["scheme"] = "cavage"
			assertInvalidConfig(t, srv.put(t, "/_conformance/config", config), tc.message)
		})
	}
	assert.Equal(t, http.StatusServiceUnavailable, srv.raw(t, rawRequest{method: "GET", target: "/x"}).status)
}

// cavageConfig is a cavage config with the clock at now, keys and options.
func cavageConfig(now any, keys []map[string]any, options map[string]any) map[string]any {
	return map[string]any{"scheme": "cavage", "now": now, "keys": keys, "options": options}
}

// cavageKeys are the config keys of the vectors' key table, in id order,
// as both reference servers registered them: HMAC keys by their secret, the
// others by their public key, unpinned, with their credentials. With
// hmacOnly, only the HMAC keys (api-signature's getSecret).
func cavageKeys(table map[string]signettest.CavageKey, hmacOnly bool) []map[string]any {
	var keys []map[string]any
	for _, id := range slices.Sorted(maps.Keys(table)) {
		k := table[id]
		key := map[string]any{"id": id, "credentials": k.Credentials}
		switch {
		case k.Type == "hmac":
			key["secret"] = k.Secret
		case hmacOnly:
			continue
		default:
			key["public_key_pem"] = k.PublicKeyPEM
		}
		keys = append(keys, key)
	}
	return keys
}

// cavageRequest is a vector's request as sent: its request-target, its
// header lines in order (Host and duplicates included) and its body.
func cavageRequest(v signettest.CavageVector) rawRequest {
	return rawRequest{method: v.Request.Method, target: v.Request.URL, lines: v.Request.Headers, body: v.Request.Body}
}

// assertCavageEcho asserts that resp is the 200 echo of v's request,
// verified with the key of the vector's keyId in table.
func assertCavageEcho(t *testing.T, resp response, v signettest.CavageVector, table map[string]signettest.CavageKey) {
	t.Helper()
	key, ok := table[v.Key.KeyID]
	require.True(t, ok, "no key %q in the table", v.Key.KeyID)
	want := echo{Scheme: "cavage", KeyID: v.Key.KeyID, Credentials: decodeJSON(t, key.Credentials)}
	assertEchoOf(t, resp, want, v.Request.Method, v.Request.URL, v.Request.Body)
}

// cavageStatuses are the statuses of the codes a cavage verifier answers.
var cavageStatuses = map[string]int{
	"missing_signature":       http.StatusUnauthorized,
	"malformed_signature":     http.StatusBadRequest,
	"unknown_key":             http.StatusUnauthorized,
	"unsupported_algorithm":   http.StatusBadRequest,
	"invalid_signature":       http.StatusUnauthorized,
	"expired":                 http.StatusUnauthorized,
	"not_yet_valid":           http.StatusUnauthorized,
	"missing_required_header": http.StatusBadRequest,
	"digest_mismatch":         http.StatusBadRequest,
	"body_too_large":          http.StatusRequestEntityTooLarge,
}

// cavageChallenge is the form of the WWW-Authenticate header of a cavage
// 401.
var cavageChallenge = regexp.MustCompile(`^Signature realm="[^"]*",headers="[^"]*"$`)

// assertCavageRejected asserts that resp is a cavage rejection with code
// ("" for any code): the code's status, a JSON error body, and a challenge
// exactly when the status is 401.
func assertCavageRejected(t *testing.T, resp response, code string) {
	t.Helper()
	code = assertJSONError(t, resp, code, "")
	status, ok := cavageStatuses[code]
	require.True(t, ok, "unexpected code %q: %s", code, resp.body)
	assert.Equal(t, status, resp.status, "%s", resp.body)
	if challenges := resp.header.Values("WWW-Authenticate"); status == http.StatusUnauthorized {
		require.Len(t, challenges, 1)
		assert.Regexp(t, cavageChallenge, challenges[0])
	} else {
		assert.Empty(t, challenges)
	}
}

// decodeJSON decodes raw, as the echo's credentials decode.
func decodeJSON(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v), "%s", raw)
	return v
}
