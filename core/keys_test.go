package signet_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		printed := fmt.Sprintf(format, signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte("hunter2"))})
		assert.NotContains(t, printed, "hunter2", format)
		assert.NotContains(t, printed, "0x68, 0x75", format) // %#v prints bytes in hex
	}
}

// A getSecret callback may append its own secrets to what a StaticKeys
// returns: that must not write into the store, which every request shares.
func TestStaticKeysLookupNotShared(t *testing.T) {
	var secrets []signet.Secret
	for i := range 3 { // append grows the id's slice to 4: room for one more
		secrets = append(secrets, signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte{'1' + byte(i)})})
	}
	keys := staticKeys(t, secrets...)
	for _, id := range []string{"a", signet.AnyKeyID} {
		first, err := keys.Lookup(context.Background(), id)
		require.NoError(t, err)
		mine := append(first, signet.Secret{ID: "request-1"})
		second, err := keys.Lookup(context.Background(), id)
		require.NoError(t, err)
		_ = append(second, signet.Secret{ID: "request-2"})
		assert.Equal(t, "request-1", mine[3].ID, id)
	}
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
		{"a zero Key", func(context.Context, string) ([]signet.Secret, error) {
			return []signet.Secret{{ID: "x", Key: &signet.Key{}}}, nil
		}, signet.ErrUnavailable, 503, "not usable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := signet.NewSASigning(tt.lookup)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			require.ErrorIs(t, err, tt.want)
			e := signet.AsError(err)
			assert.Equal(t, tt.status, e.Status())
			assert.NotContains(t, err.Error(), "10.0.0.7")
			body, jerr := json.Marshal(e)
			require.NoError(t, jerr)
			assert.NotContains(t, string(body), "10.0.0.7")
			assert.Contains(t, err.Error(), tt.message)
			switch tt.name {
			case "store down":
				assert.EqualError(t, e.Cause(), "dial tcp 10.0.0.7:5432: connection refused", "kept for the server's logs")
			case "a zero Key":
				assert.ErrorContains(t, e.Cause(), `secret for key id "x" is a zero Key`, "for the server's logs")
			default:
				assert.NoError(t, e.Cause())
			}
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

// dynamicKeys is a store of secrets that is not fixed: its secrets are
// checked per request, not when a verifier is built.
func dynamicKeys(t testing.TB, secrets ...signet.Secret) signet.KeyStore {
	return signet.KeyFunc(staticKeys(t, secrets...).Lookup)
}

// TestFixedStoresRefuseUnusableKeys: a fixed store (StaticKeys, JWKSKeys)
// with a key the scheme cannot verify with, or pinned to an algorithm for
// another kind of key, is a construction error naming the secret; other
// stores are checked per request, and nothing that can verify is refused.
func TestFixedStoresRefuseUnusableKeys(t *testing.T) {
	hmac := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ed, err := signet.NewPublicKey(edPub)
	require.NoError(t, err)
	ecPriv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ec, err := signet.NewPublicKey(&ecPriv.PublicKey)
	require.NoError(t, err)
	jwks, err := signet.ParseJWKS([]byte(`{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "okp", "x": "` +
		base64.RawURLEncoding.EncodeToString(edPub) + `"}]}`))
	require.NoError(t, err)

	cavage := func(keys signet.KeyStore, opts ...signet.CavageOption) error {
		_, err := signet.NewCavage(keys, opts...)
		return err
	}
	signway := func(keys signet.KeyStore) error { _, err := signet.NewSignway(keys); return err }
	sasigning := func(keys signet.KeyStore, opts ...signet.SASigningOption) error {
		_, err := signet.NewSASigning(keys, opts...)
		return err
	}
	signedURL := func(keys signet.KeyStore, opts ...signet.SignedURLOption) error {
		_, err := signet.NewSignedURL(keys, opts...)
		return err
	}
	pysigned := func(keys signet.KeyStore) error { _, err := signet.NewPysigned(keys); return err }
	secret := func(key *signet.Key, pin string) signet.Secret {
		return signet.Secret{ID: "k", Key: key, Algorithm: pin}
	}

	refused := []struct {
		name    string
		build   func(signet.KeyStore) error
		secret  signet.Secret
		message string
	}{
		{"cavage: an HMAC secret pinned to ed25519", func(k signet.KeyStore) error { return cavage(k) }, secret(hmac, "ed25519"),
			`secret 0 (id "k"), an HMAC secret pinned to "ed25519", cannot verify cavage requests: ed25519 needs an Ed25519 key`},
		{"cavage: an Ed25519 key pinned to RSA-SHA256", func(k signet.KeyStore) error { return cavage(k) }, secret(ed, "RSA-SHA256"),
			"RSA-SHA256 needs an RSA key"},
		{"api-signature: an Ed25519 key pinned to hmac-sha256", func(k signet.KeyStore) error { return cavage(k, signet.DialectAPISignature) }, secret(ed, "hmac-sha256"),
			`secret 0 (id "k"), an Ed25519 key pinned to "hmac-sha256", cannot verify cavage requests: hmac-sha256 needs an HMAC secret`},
		{"signway: an Ed25519 key", signway, secret(ed, ""), "cannot verify signway requests: it needs an HMAC secret"},
		{"signway: an HMAC secret pinned to ecdsa-sha256", signway, secret(hmac, "ecdsa-sha256"), "ecdsa-sha256 needs an ECDSA P-256 key"},
		{"sasigning: an Ed25519 key", func(k signet.KeyStore) error { return sasigning(k) }, secret(ed, ""), "cannot verify sasigning requests: it needs an HMAC secret"},
		{"signedurl: an ECDSA key", func(k signet.KeyStore) error { return signedURL(k) }, secret(ec, ""), "it needs an HMAC secret or an Ed25519 key"},
		{"pysigned: an ECDSA key", pysigned, secret(ec, ""), "cannot verify pysigned URLs"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorContains(t, tc.build(staticKeys(t, tc.secret)), tc.message)
			assert.NoError(t, tc.build(dynamicKeys(t, tc.secret)), "another store: per request")
		})
	}
	assert.ErrorContains(t, signway(jwks), `secret 0 (id "okp"), an Ed25519 key, cannot verify signway requests`)
	assert.ErrorContains(t, sasigning(jwks), `secret 0 (id "okp"), an Ed25519 key, cannot verify sasigning requests`)
	assert.ErrorContains(t, sasigning(jwks), "give each verifier a store of its own keys", "a key of the wrong kind may come from a shared store")

	// What some request can verify with is accepted; pins to another
	// algorithm of the key's kind, and allow-lists, stay per request.
	for name, err := range map[string]error{
		"cavage: an HMAC secret pinned to hs2019":            cavage(staticKeys(t, secret(hmac, "hs2019"))),
		"cavage: an Ed25519 key pinned to ed25519-sha512":    cavage(staticKeys(t, secret(ed, "ed25519-sha512"))),
		"cavage: an ECDSA key outside the allow-list":        cavage(staticKeys(t, secret(ec, "")), signet.WithAlgorithms("hmac-sha256")),
		"api-signature: an HMAC secret":                      cavage(staticKeys(t, secret(hmac, "HMAC-SHA512")), signet.DialectAPISignature),
		"api-signature: an ECDSA key, as a shared store may": cavage(staticKeys(t, secret(ec, "")), signet.DialectAPISignature),
		"signway: pinned to hmac-sha256":                     signway(staticKeys(t, secret(hmac, "hmac-sha256"))),
		"sasigning: pinned to another hash":                  sasigning(staticKeys(t, secret(hmac, "hmac-sha512"))),
		"signedurl: HMAC outside the allow-list":             signedURL(staticKeys(t, secret(hmac, "")), signet.WithAlgorithms("ed25519")),
		"signedurl: an Ed25519 key set":                      signedURL(jwks),
		"signedurl: pinned elsewhere, skipped per request":   signedURL(staticKeys(t, secret(ed, "hmac-sha256"), secret(hmac, ""))),
		"pysigned: an Ed25519 key set":                       pysigned(jwks),
	} {
		assert.NoError(t, err, name)
	}
}

// TestSignersRefuseEmptySecret: an empty HMAC secret (an unset environment
// variable, say) is a construction error for every signer, as it is for a
// StaticKeys store.
func TestSignersRefuseEmptySecret(t *testing.T) {
	empty := signet.NewHMACKey(nil)
	for _, tt := range []struct {
		scheme, want string
		build        func() error
	}{
		{"sasigning", "empty", func() error { _, err := signet.NewSASigningSigner(empty); return err }},
		{"cavage", "empty", func() error { _, err := signet.NewCavageSigner("k", empty); return err }},
		{"signedurl", "empty", func() error { _, err := signet.NewSignedURLSigner("k", empty); return err }},
		{"signway", "empty", func() error { _, err := signet.NewSignwaySigner("id", empty, "https://gw.example/"); return err }},
		{"pysigned", "shorter than the 64 bytes", func() error { _, err := signet.NewPysignedSigner(empty); return err }},
	} {
		assert.ErrorContains(t, tt.build(), tt.want, tt.scheme)
	}
}

// TestResultKeyIDOutlivesRequest: a store that names its Secret by the key
// id it was asked for (or a part of it) hands back memory that later
// requests reuse (here signet's scratch, for an id the URL percent-encodes;
// on fasthttp, the request's buffers), so the verifier copies that ID: a
// Result, and a copy of it kept by the handler, keep their caller's id.
func TestResultKeyIDOutlivesRequest(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("k", 64)))
	echo := func(id func(string) string) signet.KeyStore {
		return signet.KeyFunc(func(_ context.Context, keyID string) ([]signet.Secret, error) {
			return []signet.Secret{{ID: id(keyID), Key: key}}, nil
		})
	}
	whole := func(keyID string) string { return keyID }
	signway := func(t *testing.T, id string) string {
		s, err := signet.NewSignwaySigner(id, key, "http://gw.example/")
		require.NoError(t, err)
		u, err := s.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://upstream.example/a", Expiry: time.Minute})
		require.NoError(t, err)
		return u
	}
	pysigned := func(t *testing.T, id string) string {
		s, err := signet.NewPysignedSigner(key, signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedKeyID(id))
		require.NoError(t, err)
		u, err := s.SignURL("http://example.com/x")
		require.NoError(t, err)
		return u
	}
	for _, c := range []struct {
		name        string
		newVerifier func(signet.KeyStore) (signet.Verifier, error)
		sign        func(t *testing.T, id string) string
		id          func(string) string
		want        string
	}{
		{"signway", func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewSignway(k) }, signway, whole, "alice key"},
		{"signway, a part of the id", func(k signet.KeyStore) (signet.Verifier, error) { return signet.NewSignway(k) }, signway,
			func(keyID string) string { return keyID[len("alice "):] }, "key"},
		{"pysigned", func(k signet.KeyStore) (signet.Verifier, error) {
			return signet.NewPysigned(k, signet.Pysigned028, signet.PysignedRequireKid())
		}, pysigned, whole, "alice key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.newVerifier(echo(c.id))
			require.NoError(t, err)
			first, later := c.sign(t, "alice key"), c.sign(t, "mallory!!")
			res, err := v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", first, nil)))
			require.NoError(t, err)
			kept := *res
			for range 10 {
				_, err := v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", later, nil)))
				require.NoError(t, err)
			}
			assert.Equal(t, c.want, res.KeyID)
			assert.Equal(t, c.want, kept.KeyID)
		})
	}
}

// TestKeyNeverPrintsItsMaterial: whatever the verb, a Key prints the same
// redacted text, alone or inside a Secret.
func TestKeyNeverPrintsItsMaterial(t *testing.T) {
	hmacKey := signet.NewHMACKey([]byte("TOPSECRET-hmac-key"))
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edKey, err := signet.NewPrivateKey(priv)
	require.NoError(t, err)
	for _, key := range []*signet.Key{hmacKey, edKey} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%o", "%b", "%c", "%U", "%t"} {
			assert.Equal(t, "signet.Key(redacted)", fmt.Sprintf(verb, key), verb)
		}
		assert.Equal(t, `signet.Secret{ID:"k1", Key:signet.Key(redacted), Algorithm:"", Credentials:interface {}(nil)}`,
			fmt.Sprintf("%#v", signet.Secret{ID: "k1", Key: key}))
		assert.Equal(t, "[{k1 signet.Key(redacted)  <nil>}]", fmt.Sprintf("%v", []signet.Secret{{ID: "k1", Key: key}}))
	}
}
