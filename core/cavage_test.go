package signet_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// cavageKeys registers the vectors' key table as both reference servers
// did: every key under its id, unpinned, with its credentials. With
// hmacOnly, only the HMAC keys (api-signature's getSecret).
func cavageKeys(t testing.TB, table map[string]signettest.CavageKey, hmacOnly bool) *signet.StaticKeys {
	t.Helper()
	var secrets []signet.Secret
	for id, k := range table {
		if hmacOnly && k.Type != "hmac" {
			continue
		}
		secrets = append(secrets, signet.Secret{ID: id, Key: cavageKey(t, k, false), Credentials: k.Credentials})
	}
	return staticKeys(t, secrets...)
}

// cavageKey returns the verification (or, with private, signing) key.
func cavageKey(t testing.TB, k signettest.CavageKey, private bool) *signet.Key {
	t.Helper()
	var key *signet.Key
	var err error
	switch {
	case k.Type == "hmac":
		key = signet.NewHMACKey([]byte(k.Secret))
	case private:
		key, err = signet.ParsePrivateKeyPEM([]byte(k.PrivateKeyPEM))
	default:
		key, err = signet.ParsePublicKeyPEM([]byte(k.PublicKeyPEM))
	}
	require.NoError(t, err)
	return key
}

// cavageRequest replays a vector's request byte for byte: its target, its
// header lines in order (Host into r.Host, as net/http puts it) and body.
func cavageRequest(v signettest.CavageVector) *http.Request {
	return replayRequest(v.Request.Method, v.Request.URL, v.Request.Body, v.Request.Headers)
}

// replayRequest is the server's view of a recorded request: the target as
// sent, the header lines in order (Host into r.Host, as net/http puts it)
// and the body. No Content-Length header is added.
func replayRequest(method, target, body string, headers [][2]string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header = http.Header{}
	for _, h := range headers {
		if strings.EqualFold(h[0], "Host") {
			r.Host = h[1]
			continue
		}
		r.Header.Add(h[0], h[1])
	}
	return r
}

// TestCavageVectors replays every vector of cavage.json in the draft dialect
// and checks the strict draft-12 verdict, with the precise code for each
// rejection.
func TestCavageVectors(t *testing.T) {
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 35)
	keys := cavageKeys(t, table, false)
	rejections := map[string]error{
		"hs-hmac-sha256-created-expires":        signet.ErrMalformed, // (created) with hmac-sha256 (draft-12 §2.3)
		"hs-hmac-sha256-duplicates-array-quirk": signet.ErrInvalidSignature,
		"apisig-request-target-without-query":   signet.ErrInvalidSignature,
		"draft12-C3-all-headers-as-printed":     signet.ErrMalformed, // (created) with rsa-sha256
		"quirk-expires-grace-window":            signet.ErrExpired,   // no grace, unlike http-signature
		"neg-tampered-header":                   signet.ErrInvalidSignature,
		"neg-tampered-body-with-digest":         signet.ErrDigestMismatch, // both npm peers miss it
		"neg-wrong-key":                         signet.ErrInvalidSignature,
		"neg-unknown-keyid":                     signet.ErrUnknownKey,
		"neg-skewed-date":                       signet.ErrExpired,
		"neg-method-changed":                    signet.ErrInvalidSignature,
		"neg-alg-confusion-rsa-pubkey-as-hmac":  signet.ErrUnsupportedAlgorithm,
	}
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			verifier, err := signet.NewCavage(keys, clockAt(v.Now))
			require.NoError(t, err)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(cavageRequest(v)))
			if v.Expected.Reference.Accept {
				require.NoError(t, err)
				assert.Equal(t, v.Key.KeyID, res.KeyID)
				assert.JSONEq(t, string(table[v.Key.KeyID].Credentials), string(res.Credentials.(json.RawMessage)))
				assert.Equal(t, "cavage", res.Scheme)
				return
			}
			want, ok := rejections[v.ID]
			require.True(t, ok, "a rejection without an expected code: %s", v.Expected.Reference.Reason)
			require.ErrorIs(t, err, want, v.Expected.Reference.Reason)
			e := signet.AsError(err)
			if e.Status() == 401 {
				assert.Equal(t, `Signature realm="signet",headers="date"`, e.Challenge())
			}
		})
	}
}

// TestAPISignatureVectors replays api-signature.json: Node's view of each
// request, the middleware's options and its answer.
func TestAPISignatureVectors(t *testing.T) {
	vectors, getSecret, err := signettest.APISignatureVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 21)
	var secrets []signet.Secret
	for id, k := range getSecret {
		secrets = append(secrets, signet.Secret{ID: id, Key: signet.NewHMACKey([]byte(k.Secret)), Credentials: k.Credentials})
	}
	keys := staticKeys(t, secrets...)
	codes := map[string]error{
		"expiry-boundary-exact": signet.ErrExpired,
		"expiry-future":         signet.ErrNotYetValid,
		"missing-authorization": signet.ErrMissingSignature,
		"bad-scheme":            signet.ErrMissingSignature,
		"space-after-comma":     signet.ErrMalformed,
		"date-not-signed":       signet.ErrMissingHeader,
		"algorithm-case":        signet.ErrUnsupportedAlgorithm,
		"bad-signature":         signet.ErrInvalidSignature,
		"unknown-key":           signet.ErrUnknownKey,
		"unparseable-date":      signet.ErrMalformed,
		"listed-header-absent":  signet.ErrMissingHeader,
		// The middleware lets a CORS preflight through unverified; signet's
		// verifier never passes an unsigned request: skip preflights in the
		// middleware (signethttp.WithSkipper) instead.
		"cors-preflight-bypass": signet.ErrMissingSignature,
	}
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			target := v.Request.Path
			if v.Request.OriginalURL != "" {
				target = v.Request.OriginalURL
			}
			r := httptest.NewRequest(v.Request.Method, target, nil)
			for name, value := range v.Request.Headers {
				if name == "host" {
					r.Host = value
					continue
				}
				r.Header.Set(name, value)
			}
			opts := []signet.CavageOption{signet.DialectAPISignature, signet.CavageRequiredHeaders(v.Options.RequiredHeaders...),
				fixedClock(time.UnixMilli(v.NowMS))}
			if lifetime := v.Options.RequestLifetime; lifetime == nil || *lifetime == 0 {
				opts = append(opts, signet.WithClockSkew(0))
			} else {
				opts = append(opts, signet.WithClockSkew(time.Duration(*lifetime)*time.Second))
			}
			verifier, err := signet.NewCavage(keys, opts...)
			require.NoError(t, err)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
			if v.Expected.Outcome == "next" && v.Expected.CredentialsSet {
				require.NoError(t, err)
				assert.JSONEq(t, string(v.Expected.Credentials), string(res.Credentials.(json.RawMessage)))
				return
			}
			want, ok := codes[v.ID]
			require.True(t, ok, "no expected code for %s", v.ID)
			assert.ErrorIs(t, err, want, v.Expected.Message)
		})
	}
}

// TestParseHTTPDate checks the fast date parser against net/http's.
func TestParseHTTPDate(t *testing.T) {
	for unix := int64(0); unix < 5_000_000_000; unix += 7_777_777 {
		text := time.Unix(unix, 0).UTC().Format(http.TimeFormat)
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Date", text)
		r.Header.Set("Authorization", `Signature keyId="k",algorithm="hmac-sha256",headers="date",signature="AAAA"`)
		v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s"))}),
			fixedClock(time.Unix(unix, 0)), signet.WithClockSkew(time.Second))
		require.NoError(t, err)
		_, err = v.Verify(context.Background(), signet.FromHTTP(r))
		require.ErrorIs(t, err, signet.ErrInvalidSignature, text) // the date parsed (the time is checked once a signature matches)
	}
	for _, bad := range []string{"Mon, 30 Feb 2024 00:00:00 GMT", "Mon, 01 Foo 2024 00:00:00 GMT", "yesterday"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Date", bad)
		r.Header.Set("Authorization", `Signature keyId="k",algorithm="hmac-sha256",headers="date",signature="AAAA"`)
		v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s"))}))
		require.NoError(t, err)
		_, err = v.Verify(context.Background(), signet.FromHTTP(r))
		assert.ErrorIs(t, err, signet.ErrMalformed, bad)
	}
}

// TestCavageChallenge checks the WWW-Authenticate challenge of a 401: the
// realm and the headers a signature must cover, as configured.
func TestCavageChallenge(t *testing.T) {
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("secret"))})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		opts []signet.CavageOption
		want string
	}{
		{"default", nil, `Signature realm="signet",headers="date"`},
		{"required headers", []signet.CavageOption{signet.CavageRequiredHeaders("(request-target)", "date", "digest")},
			`Signature realm="signet",headers="(request-target) date digest"`},
		{"realm", []signet.CavageOption{signet.CavageRealm("billing")}, `Signature realm="billing",headers="date"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verifier, err := signet.NewCavage(keys, tc.opts...)
			require.NoError(t, err)
			_, err = verifier.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("POST", "/jobs", nil)))
			e := signet.AsError(err)
			require.ErrorIs(t, e, signet.ErrMissingSignature)
			assert.Equal(t, tc.want, e.Challenge())
		})
	}
}
