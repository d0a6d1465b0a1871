package signet_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

func TestStaticKeys(t *testing.T) {
	a1 := signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte("1"))}
	a2 := signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte("2"))}
	b := signet.Secret{ID: "b", Key: signet.NewHMACKey([]byte("3"))}
	keys := staticKeys(t, a1, a2, b)

	got, err := keys.Lookup(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, []signet.Secret{a1, a2}, got, "rotation: every key of the id, in order")
	got, err = keys.Lookup(context.Background(), signet.AnyKeyID)
	require.NoError(t, err)
	assert.Equal(t, []signet.Secret{a1, a2, b}, got)
	_, err = keys.Lookup(context.Background(), "c")
	assert.ErrorIs(t, err, signet.ErrUnknownKey)

	_, err = signet.NewStaticKeys(signet.Secret{ID: "nokey"})
	assert.Error(t, err)
	assert.NotContains(t, fmt.Sprint(signet.NewHMACKey([]byte("hunter2"))), "hunter2")
}

// TestKeyFuncErrors: what a getSecret callback answers becomes a precise
// verifier error, and a store failure never leaks its text to the client.
func TestKeyFuncErrors(t *testing.T) {
	r := signedRequest(t, "GET", "/x", "")
	tests := []struct {
		name    string
		lookup  signet.KeyFunc
		want    error
		status  int
		message string // part of what the client reads
	}{
		{"unknown", func(context.Context, string) ([]signet.Secret, error) { return nil, signet.ErrUnknownKey }, signet.ErrUnknownKey, 401, "no key is configured"},
		{"wrapped unknown", func(context.Context, string) ([]signet.Secret, error) {
			return nil, fmt.Errorf("tenant db: %w", signet.ErrUnknownKey)
		}, signet.ErrUnknownKey, 401, "no key is configured"},
		{"empty", func(context.Context, string) ([]signet.Secret, error) { return nil, nil }, signet.ErrUnknownKey, 401, "no key is configured"},
		{"store down", func(context.Context, string) ([]signet.Secret, error) {
			return nil, errors.New("dial tcp 10.0.0.7:5432: connection refused")
		}, signet.ErrUnavailable, 503, "try again later"},
		{"the store's own answer", func(context.Context, string) ([]signet.Secret, error) {
			return nil, fmt.Errorf("tenant db: %w", signet.NewError(signet.ErrUnknownKey, "the key k was revoked on 2026-11-01; ask for a new one"))
		}, signet.ErrUnknownKey, 401, "revoked on 2026-11-01"},
		{"the store's nil *Error", func(context.Context, string) ([]signet.Secret, error) {
			var none *signet.Error
			return nil, none
		}, signet.ErrUnavailable, 503, "could not be verified"},
		{"the store's zero Error", func(context.Context, string) ([]signet.Secret, error) {
			return nil, &signet.Error{}
		}, signet.ErrUnavailable, 503, "could not be verified"},
		{"not an HMAC key", func(context.Context, string) ([]signet.Secret, error) {
			return []signet.Secret{{ID: "x", Key: &signet.Key{}}}, nil
		}, signet.ErrUnsupportedAlgorithm, 400, "not an HMAC secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := signet.NewSASigning(tt.lookup)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, tt.status, signet.AsError(err).Status())
			assert.NotContains(t, err.Error(), "10.0.0.7")
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

// TestCandidatesBounded: a store returning many keys costs at most a bounded
// number of MACs per request, and a StaticKeys store with secrets that
// would never be tried is refused when the verifier is built.
func TestCandidatesBounded(t *testing.T) {
	var secrets []signet.Secret
	for i := range 16 {
		secrets = append(secrets, signet.Secret{ID: fmt.Sprint(i), Key: signet.NewHMACKey([]byte(fmt.Sprint(i)))})
	}
	right := signet.Secret{ID: "right", Key: signet.NewHMACKey([]byte(testSecret))}
	r := signedRequest(t, "GET", "/x", "")

	v, err := signet.NewSASigning(staticKeys(t, append(secrets[:15:15], right)...))
	require.NoError(t, err)
	res, err := v.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err, "the 16th key is tried")
	assert.Equal(t, "right", res.KeyID)

	many := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return append(secrets, right), nil })
	v, err = signet.NewSASigning(many)
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature, "the 17th key is never tried")

	_, err = signet.NewSASigning(staticKeys(t, append(secrets, right)...))
	assert.ErrorContains(t, err, "17 secrets")
	_, err = signet.NewPysigned(staticKeys(t, append(secrets, right)...))
	assert.ErrorContains(t, err, "17 secrets")

	var jwks []string // pysigned signs with the last key: it must be tried
	for i := range 17 {
		k := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat(fmt.Sprint(i%10), 64)))
		jwks = append(jwks, fmt.Sprintf(`{"kty":"oct","alg":"HS512","kid":"k%d","k":%q}`, i, k))
	}
	set, err := signet.ParseJWKS([]byte(`{"keys":[` + strings.Join(jwks, ",") + `]}`))
	require.NoError(t, err)
	_, err = signet.NewPysigned(set)
	assert.ErrorContains(t, err, "17 secrets")

	_, err = signet.NewStaticKeys(append(secrets, right, right)...)
	assert.NoError(t, err, "16 under one id, 2 under another")
	for i := range secrets {
		secrets[i].ID = "rotated"
	}
	_, err = signet.NewStaticKeys(append(secrets, signet.Secret{ID: "rotated", Key: right.Key})...)
	assert.ErrorContains(t, err, `more than 16 secrets under the id "rotated"`)
}

// TestKeyStoreErrorShared: a key store may return one *Error for every
// request; a verifier adding its challenge (Cavage) works on a copy.
func TestKeyStoreErrorShared(t *testing.T) {
	revoked := signet.NewError(signet.ErrUnknownKey, "this key was revoked")
	store := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return nil, revoked })
	v, err := signet.NewCavage(store)
	require.NoError(t, err)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
	r.Header.Set("Authorization", `Signature keyId="k",algorithm="hmac-sha256",headers="date",signature="AAAA"`)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	require.ErrorIs(t, err, signet.ErrUnknownKey)
	assert.Contains(t, err.Error(), "revoked")
	assert.NotEmpty(t, signet.AsError(err).Challenge(), "Cavage answers with its challenge")
	assert.Empty(t, revoked.Challenge(), "the store's error is left as it was")

	var none *signet.Error // a nil *Error, the classic Go slip, is the server's mistake
	v, err = signet.NewCavage(signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return nil, none }))
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrUnavailable)
}

// TestPinTypos: a fixed store with a secret pinned to no known algorithm
// is refused when the verifier is built; a pin to another scheme's
// algorithm is refused per request, as for any store.
func TestPinTypos(t *testing.T) {
	typo := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s")), Algorithm: "hmac-sha265"})
	_, err := signet.NewSASigning(typo)
	assert.ErrorContains(t, err, `"hmac-sha265", which is not an algorithm name`)
	for _, exact := range []string{"HMAC-SHA256", "Hmac-Sha256"} { // pins are read as written here
		upper := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s")), Algorithm: exact})
		_, err = signet.NewSASigning(upper)
		assert.Error(t, err, exact)
		_, err = signet.NewSignedURL(upper)
		assert.Error(t, err, exact)
		_, err = signet.NewCavage(upper)
		assert.NoError(t, err, "Cavage reads a pin in any case")
	}
	_, err = signet.NewCavage(typo)
	assert.Error(t, err)
	_, err = signet.NewSignway(typo)
	assert.Error(t, err)
	_, err = signet.NewSignedURL(typo)
	assert.Error(t, err)
	for _, pin := range []string{"hmac-sha512", "hmac-sha3_256", "hmac-md5"} { // refused per request if not this verifier's
		_, err := signet.NewSASigning(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s")), Algorithm: pin}))
		assert.NoError(t, err, pin)
	}
	_, err = signet.NewSignway(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s")), Algorithm: "sw1-hmac-sha256"}))
	assert.NoError(t, err, "Signway reads a pin in any case")
}

// TestParsePEMWrongKind: a private key given to ParsePublicKeyPEM, or a public
// one to ParsePrivateKeyPEM, is refused with the function to call instead.
func TestParsePEMWrongKind(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	k := table["rsa-1"]
	_, err = signet.ParsePublicKeyPEM([]byte(k.PrivateKeyPEM))
	assert.ErrorContains(t, err, "ParsePrivateKeyPEM reads private keys")
	_, err = signet.ParsePrivateKeyPEM([]byte(k.PublicKeyPEM))
	assert.ErrorContains(t, err, "ParsePublicKeyPEM reads public keys")
}
