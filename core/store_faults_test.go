package signet_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// faultScheme is one scheme for the tests of what a dynamic key store gets
// wrong: how to build its verifier and signer, and two pins of its
// algorithm names, one that verifies the signer's requests and one that
// they contradict.
type faultScheme struct {
	name         string
	verifier     func(signet.KeyStore) (signet.Verifier, error)
	signer       func(*signet.Key) (signet.Signer, error)
	pin, against string
}

// faultSchemes are the five schemes, each signing with an HMAC secret.
var faultSchemes = []faultScheme{
	{"cavage",
		func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewCavage(k) },
		func(key *signet.Key) (signet.Signer, error) { return signet.NewCavageSigner("k", key) }, // labelled hmac-sha256
		"HMAC-SHA256", "hmac-sha512"},
	{"sasigning",
		func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewSASigning(k) },
		func(key *signet.Key) (signet.Signer, error) { return signet.NewSASigningSigner(key) },
		"hmac-sha256", "hmac-sha512"},
	{"signedurl",
		func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewSignedURL(k) },
		func(key *signet.Key) (signet.Signer, error) { return signet.NewSignedURLSigner("k", key) },
		"hmac-sha256", "ed25519"},
	{"signway",
		func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewSignway(k) },
		func(key *signet.Key) (signet.Signer, error) {
			return signet.NewSignwaySigner("k", key, "http://gw.example/")
		},
		"sw1-hmac-sha256", "hmac-sha256"},
	{"pysigned",
		func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewPysigned(k) },
		func(key *signet.Key) (signet.Signer, error) { return signet.NewPysignedSigner(key) },
		"hmac-sha512", "ed25519"},
}

// signedFor returns the server's view of a GET signed by sc's signer with
// key.
func (sc faultScheme) signedFor(t *testing.T, key *signet.Key) *http.Request {
	t.Helper()
	signer, err := sc.signer(key)
	require.NoError(t, err)
	out, err := http.NewRequest("GET", "http://api.example.com/files/x?a=1", nil)
	require.NoError(t, err)
	require.NoError(t, signer.Sign(out))
	return serverRequest(out, "")
}

// TestStorePinFaults: a dynamic key store (StaticKeys refuses these when
// the verifier is built) returning a secret pinned to a name that is no
// algorithm name of the scheme, a typo, is the server's fault, answered as
// an empty secret is: 503 verification_unavailable, the key id and the pin
// in the Cause for the logs, not in the client's answer. A valid pin that
// the request contradicts stays the client's 400.
func TestStorePinFaults(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	for _, sc := range faultSchemes {
		for _, tc := range []struct {
			name  string
			key   *signet.Key
			pin   string
			want  error  // nil: verified
			cause string // in the Cause
		}{
			{"pinned to its algorithm", key, sc.pin, nil, ""},
			{"pinned to another algorithm", key, sc.against, signet.ErrUnsupportedAlgorithm, ""},
			{"pinned to a typo", key, "hmac-sha265", signet.ErrUnavailable,
				`secret for key id "k" is pinned to "hmac-sha265", which is no algorithm name of the ` + sc.name + ` scheme`},
			{"an empty secret", signet.NewHMACKey(nil), "", signet.ErrUnavailable, `secret for key id "k" is an empty HMAC secret`},
			{"no Key", nil, "", signet.ErrUnavailable, `secret for key id "k" has no Key`},
			{"a zero Key", &signet.Key{}, "", signet.ErrUnavailable, `secret for key id "k" is a zero Key`},
		} {
			t.Run(sc.name+"/"+tc.name, func(t *testing.T) {
				store := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
					return []signet.Secret{{ID: "k", Key: tc.key, Algorithm: tc.pin}}, nil
				})
				v, err := sc.verifier(store)
				require.NoError(t, err)
				_, err = v.Verify(context.Background(), signet.FromHTTP(sc.signedFor(t, key)))
				if tc.want == nil {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, tc.want)
				e := signet.AsError(err)
				if tc.want == signet.ErrUnsupportedAlgorithm {
					assert.Equal(t, http.StatusBadRequest, e.Status())
					return
				}
				assert.Equal(t, http.StatusServiceUnavailable, e.Status())
				require.Error(t, e.Cause())
				assert.Contains(t, e.Cause().Error(), tc.cause)
				body, err := json.Marshal(e)
				require.NoError(t, err)
				assert.JSONEq(t, `{"error":"verification_unavailable","message":"this server's key for the request is not usable"}`, string(body))
				assert.Equal(t, "this server's key for the request is not usable", e.Error())
			})
		}
	}
	// Where pins are read as written, as StaticKeys reads them, the Cause
	// says so.
	store := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
		return []signet.Secret{{ID: "k", Key: key, Algorithm: "HMAC-SHA256"}}, nil
	})
	signedURL := faultSchemes[2]
	require.Equal(t, "signedurl", signedURL.name)
	v, err := signedURL.verifier(store)
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(signedURL.signedFor(t, key)))
	require.ErrorIs(t, err, signet.ErrUnavailable)
	assert.ErrorContains(t, signet.AsError(err).Cause(), `pinned to "HMAC-SHA256", which is no algorithm name of the signedurl scheme (its pins are read as written: "hmac-sha256")`)
}
