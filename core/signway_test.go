package signet_test

import (
	"context"
	"io"

	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// signwayKeys registers a vector's known ids, each with the credentials
// "cred:<id>".
func signwayKeys(t testing.TB, known map[string]string) *signet.StaticKeys {
	t.Helper()
	var secrets []signet.Secret
	for id, secret := range known {
		secrets = append(secrets, signet.Secret{ID: id, Key: signet.NewHMACKey([]byte(secret)), Credentials: "cred:" + id})
	}
	return staticKeys(t, secrets...)
}

// signwayRequest builds the server-side request a vector sends: its URL
// (query bytes as they are), header lines (Host into r.Host, as net/http
// puts it) and body. No Content-Length header is added.
func signwayRequest(t testing.TB, v signettest.SignwayVector) *http.Request {
	t.Helper()
	var body string
	if v.Request.Body != nil {
		body = *v.Request.Body
	}
	return replayRequest(v.Request.Method, v.Request.URL, body, v.Request.Headers)
}

// unixTime converts a vector's (possibly fractional) unix seconds.
// signwayRejections is the answer signet gives to each vector Signway
// rejects. Signway answers 400 to all but unknown-id (401); signet's codes
// and statuses are its own (docs/schemes/signway.md, "Answers").
var signwayRejections = map[string]error{
	"tampered-proxy-query":               signet.ErrInvalidSignature,
	"wrong-secret":                       signet.ErrInvalidSignature,
	"expired-by-one-second":              signet.ErrExpired,
	"expired-by-one-millisecond":         signet.ErrExpired,
	"tampered-body":                      signet.ErrInvalidSignature,
	"missing-signed-header":              signet.ErrMissingHeader,
	"wrong-signed-header-value":          signet.ErrInvalidSignature,
	"signed-body-without-content-length": signet.ErrMissingHeader,
	"method-changed":                     signet.ErrInvalidSignature,
	"expires-extended":                   signet.ErrInvalidSignature,
	// Deviation: Signway answers 400; a missing signature is 401
	// missing_signature in signet, as in every scheme.
	"missing-signature": signet.ErrMissingSignature,
	// Signway compares strings and answers 400 "signature mismatch"; signet
	// answers 400 too, malformed_signature, before any key is looked up.
	"uppercase-signature-hex": signet.ErrMalformed,
	"unknown-id":              signet.ErrUnknownKey,
	// Signway normalises X-Sw-Proxy before recomputing; so does signet.
	"python-sdk-unnormalized-proxy": signet.ErrInvalidSignature,
}

// TestSignwayVectors replays every vector of signway.json through the
// default (Signway-compatible) verifier: the 7 that Signway accepts pass,
// with the details a gateway forwards; the 14 it rejects are rejected, with
// signet's code for each.
func TestSignwayVectors(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 21)
	accepted := 0
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			verifier, err := signet.NewSignway(signwayKeys(t, v.Verify.KnownIDs), fixedClock(unixTime(v.Verify.Now.Unix)))
			require.NoError(t, err)
			r := signwayRequest(t, v)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
			if !v.Verify.Expected.Valid {
				want, ok := signwayRejections[v.Name]
				require.True(t, ok, "no expected code for %s (%s)", v.Name, v.Verify.Expected.Reason)
				require.ErrorIs(t, err, want, v.Verify.Expected.Reason)
				e := signet.AsError(err)
				assert.GreaterOrEqual(t, e.Status(), 400)
				assert.Less(t, e.Status(), 500)
				if v.Verify.Expected.Status == http.StatusUnauthorized {
					assert.Equal(t, http.StatusUnauthorized, e.Status(), "Signway's 401 stays a 401")
				}
				assert.NotContains(t, e.Error(), v.Signature, "no signature in messages")
				return
			}
			require.NoError(t, err, v.Description)
			accepted++
			assert.Equal(t, "signway", res.Scheme)
			assert.Equal(t, v.Sign.ID, res.KeyID)
			assert.Equal(t, "cred:"+v.Sign.ID, res.Credentials)
			assert.Equal(t, "SW1-HMAC-SHA256", res.Algorithm)
			signedAt := time.Unix(v.Sign.Datetime.Unix, 0)
			assert.True(t, res.Created.Equal(signedAt))
			assert.True(t, res.Expires.Equal(signedAt.Add(time.Duration(v.Sign.ExpirySeconds)*time.Second)))

			details, ok := res.Details.(*signet.SignwayDetails)
			require.True(t, ok, "Details is a %T", res.Details)
			assert.Equal(t, v.Sign.ProxyURLNormalized, details.Proxy)
			var want []signet.SignwayHeader
			var names []string
			for _, h := range v.Sign.SignedHeaders {
				want = append(want, signet.SignwayHeader{Name: strings.ToLower(h[0]), Value: h[1]})
				names = append(names, strings.ToLower(h[0]))
			}
			assert.Equal(t, want, details.SignedHeaders)
			assert.Equal(t, names, res.Covered)
			assert.Equal(t, v.Sign.Body != nil, details.BodySigned)
			if v.Request.Body != nil { // the handler still reads the body
				body, err := readAll(r)
				require.NoError(t, err)
				assert.Equal(t, *v.Request.Body, body)
			}
		})
	}
	assert.Equal(t, 7, accepted)
}

// TestSignwayQuirkVectors states what each vector Signway accepts although
// the URL was altered after signing does: the default verifier matches
// Signway (the alterations are harmless: the canonical query is rebuilt
// from the values, and only the method, X-Sw-Proxy, the times, the id, the
// signed headers and the body are covered); SignwayStrict deliberately
// rejects them, so that nothing unsigned rides along in the URL.
func TestSignwayQuirkVectors(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	strictCodes := map[string]error{
		// X-Sw-Algorithm=whatever, a credential dated 19991231, a path
		// other than / and an extra utm_source parameter (each refused in strict
		// mode).
		"quirk-path-extra-params-and-credential-date-ignored": signet.ErrMalformed,
		// X-Sw-Expires=060 and X-Sw-SignedHeaders=X-Foo;;Content-Type;content-length;
		"quirk-signed-headers-param-case-and-empty-segments": signet.ErrMalformed,
	}
	quirks := 0
	for _, v := range vectors {
		if !v.Quirk {
			continue
		}
		quirks++
		t.Run(v.Name, func(t *testing.T) {
			require.True(t, v.Verify.Expected.Valid)
			keys := signwayKeys(t, v.Verify.KnownIDs)
			now := fixedClock(unixTime(v.Verify.Now.Unix))

			compatible, err := signet.NewSignway(keys, now)
			require.NoError(t, err)
			_, err = compatible.Verify(context.Background(), signet.FromHTTP(signwayRequest(t, v)))
			assert.NoError(t, err, "matches Signway")

			strict, err := signet.NewSignway(keys, now, signet.SignwayStrict())
			require.NoError(t, err)
			_, err = strict.Verify(context.Background(), signet.FromHTTP(signwayRequest(t, v)))
			assert.ErrorIs(t, err, strictCodes[v.Name], "SignwayStrict rejects it")
		})
	}
	assert.Equal(t, 2, quirks)
}

// TestSignwayStrictAcceptsSignedURLs checks that SignwayStrict accepts every
// vector Signway accepts unaltered, and rejects what the default rejects.
func TestSignwayStrictAcceptsSignedURLs(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	for _, v := range vectors {
		if v.Quirk {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			strict, err := signet.NewSignway(signwayKeys(t, v.Verify.KnownIDs),
				fixedClock(unixTime(v.Verify.Now.Unix)), signet.SignwayStrict())
			require.NoError(t, err)
			_, err = strict.Verify(context.Background(), signet.FromHTTP(signwayRequest(t, v)))
			if v.Verify.Expected.Valid {
				assert.NoError(t, err)
				return
			}
			want := signwayRejections[v.Name]
			if v.Name == "python-sdk-unnormalized-proxy" {
				want = signet.ErrMalformed // strict names the normal form instead
			}
			assert.ErrorIs(t, err, want)
		})
	}
}

// readAll reads what the handler would read of r's body.
func readAll(r *http.Request) (string, error) {
	b, err := io.ReadAll(r.Body)
	return string(b), err
}
