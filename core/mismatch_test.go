package signet_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestMismatchCause: an invalid_signature carries a Cause for the
// server's logs that tells a wrong secret from a wrong origin or an
// algorithm the key chose: how many keys were tried, with which
// algorithms, and what the scheme bound. The client's answer is unchanged,
// and the Cause holds neither the signature nor the signing string.
func TestMismatchCause(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	wrong := signet.NewHMACKey([]byte(strings.Repeat("w", 64)))
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ed, err := signet.NewPublicKey(edPub)
	require.NoError(t, err)
	secrets := func(keys ...*signet.Key) signet.KeyStore {
		var s []signet.Secret
		for _, k := range keys {
			s = append(s, signet.Secret{ID: "k", Key: k})
		}
		return signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return s, nil })
	}
	signedURL := func(t *testing.T, opts ...signet.SignedURLOption) (link, sig string) {
		s, err := signet.NewSignedURLSigner("k", key, opts...)
		require.NoError(t, err)
		link, err = s.SignURL("GET", "https://files.example.com/report.pdf", 5*time.Minute)
		require.NoError(t, err)
		u, err := url.Parse(link)
		require.NoError(t, err)
		return link, u.Query().Get(signet.SignedURLSignatureParam)
	}
	cavage := func(t *testing.T, label string) (*http.Request, string) {
		s, err := signet.NewCavageSigner("k", key) // hmac-sha256
		require.NoError(t, err)
		out, err := http.NewRequest("GET", "http://api.example.com/x", nil)
		require.NoError(t, err)
		require.NoError(t, s.Sign(out))
		in := serverRequest(out, "")
		in.Header.Set("Authorization", strings.Replace(in.Header.Get("Authorization"), `algorithm="hmac-sha256",`, label, 1))
		_, sig, _ := strings.Cut(in.Header.Get("Authorization"), `signature="`)
		return in, strings.TrimSuffix(sig, `"`)
	}

	for _, tc := range []struct {
		name  string
		run   func(t *testing.T) (sig string, err error)
		cause []string
	}{
		{"signedurl: the request's origin, behind a TLS proxy", func(t *testing.T) (string, error) {
			link, sig := signedURL(t, signet.SignedURLBindOrigin())
			v, err := signet.NewSignedURL(secrets(key), signet.SignedURLBindOrigin())
			require.NoError(t, err)
			u, err := url.Parse(link)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest("GET", "http", u.Host, u.RequestURI())))
			return sig, err
		}, []string{`tried 1 key of key id "k", with hmac-sha256;`,
			`origin "http://files.example.com", from the request (SignedURLBindOrigin; behind a proxy, use SignedURLOrigin)`}},
		{"signedurl: the configured origin, a wrong secret and an Ed25519 key", func(t *testing.T) (string, error) {
			origin := signet.SignedURLOrigin("https://files.example.com")
			link, sig := signedURL(t, origin)
			v, err := signet.NewSignedURL(secrets(wrong, ed), origin)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(signedURLRequestFor(t, "GET", link)))
			return sig, err
		}, []string{`tried 2 keys of key id "k", with hmac-sha256, ed25519;`, `origin "https://files.example.com" (SignedURLOrigin)`}},
		{"cavage: hs2019 on an unpinned HMAC key", func(t *testing.T) (string, error) {
			r, sig := cavage(t, `algorithm="hs2019",`)
			v, err := signet.NewCavage(secrets(key))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			return sig, err
		}, []string{`tried 1 key of key id "k", with hmac-sha512;`, `algorithm "hs2019" was sent, so the key's pin or type chose it`}},
		{"cavage: no algorithm, one key refused by policy", func(t *testing.T) (string, error) {
			r, sig := cavage(t, ``)
			v, err := signet.NewCavage(signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
				return []signet.Secret{{ID: "k", Key: key, Algorithm: "rsa-sha256"}, {ID: "k", Key: key}}, nil
			}))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			return sig, err
		}, []string{`tried 1 of the 2 keys of key id "k", with hmac-sha512;`, `no algorithm was sent, so the key's pin or type chose it`}},
		{"cavage: a wrong secret", func(t *testing.T) (string, error) {
			r, sig := cavage(t, `algorithm="hmac-sha256",`)
			v, err := signet.NewCavage(secrets(wrong))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			return sig, err
		}, []string{`signet: no key verified the signature: tried 1 key of key id "k", with hmac-sha256`}},
		{"cavage: hs2019, behind a path prefix", func(t *testing.T) (string, error) {
			r, sig := cavage(t, `algorithm="hs2019",`)
			v, err := signet.NewCavage(secrets(key), signet.CavagePathPrefix("/api"))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			return sig, err
		}, []string{`with hmac-sha512; algorithm "hs2019" was sent`,
			`pinned to it); path prefix "/api", put back on the path (CavagePathPrefix)`}},
		{"cavage: a wrong secret, behind a path prefix", func(t *testing.T) (string, error) {
			r, sig := cavage(t, `algorithm="hmac-sha256",`)
			v, err := signet.NewCavage(secrets(wrong), signet.CavagePathPrefix("/api"))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			return sig, err
		}, []string{`with hmac-sha256; path prefix "/api", put back on the path (CavagePathPrefix)`}},
		{"pysigned: the request's origin", func(t *testing.T) (string, error) {
			s, err := signet.NewPysignedSigner(key)
			require.NoError(t, err)
			link, err := s.SignURL("https://example.com/x?a=1")
			require.NoError(t, err)
			v, err := signet.NewPysigned(secrets(key))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, strings.Replace(link, "https:", "http:", 1))))
			u, _ := url.Parse(link)
			return u.Query().Get("sig"), err
		}, []string{`tried 1 key, with hmac-sha512;`, `origin "http://example.com", from the request (behind a proxy, use PysignedOrigin)`}},
		{"sasigning: a wrong secret", func(t *testing.T) (string, error) {
			s, err := signet.NewSASigningSigner(key)
			require.NoError(t, err)
			out, err := http.NewRequest("GET", "http://api.example.com/x", nil)
			require.NoError(t, err)
			require.NoError(t, s.Sign(out))
			v, err := signet.NewSASigning(secrets(wrong))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(serverRequest(out, "")))
			return out.Header.Get("Signature"), err
		}, []string{`tried 1 key, with hmac-sha256`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := tc.run(t)
			require.ErrorIs(t, err, signet.ErrInvalidSignature)
			e := signet.AsError(err)
			require.Error(t, e.Cause())
			cause := e.Cause().Error()
			for _, want := range tc.cause {
				assert.Contains(t, cause, want)
			}
			require.NotEmpty(t, sig)
			assert.NotContains(t, cause, sig, "the signature")
			assert.NotContains(t, cause, "\n", "a signing string")
			assert.False(t, errors.Is(err, e.Cause()), "the Cause is not wrapped")
			assert.Equal(t, "the signature does not match the request", e.Error())
			body, err := json.Marshal(e)
			require.NoError(t, err)
			assert.JSONEq(t, `{"error":"invalid_signature","message":"the signature does not match the request"}`, string(body))
		})
	}
}

// TestMismatchCauseCost: the Cause of an invalid_signature is built on
// failing requests only, and cheaply, as a flood of bad signatures pays for
// it: a failing signed URL bound to the request's origin allocates the
// answer, the Cause and its text, nothing more (with fmt it took 13
// allocations and doubled the cost of the failure).
func TestMismatchCauseCost(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items: allocations are counted without it")
	}
	key := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	wrong := signet.NewHMACKey([]byte(strings.Repeat("w", 64)))
	s, err := signet.NewSignedURLSigner("k", key, signet.SignedURLBindOrigin())
	require.NoError(t, err)
	link, err := s.SignURL("GET", "https://files.example.com/report.pdf", 5*time.Minute)
	require.NoError(t, err)
	u, err := url.Parse(link)
	require.NoError(t, err)
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: wrong})
	require.NoError(t, err)
	r := signedURLServerRequest("GET", "https", u.Host, u.RequestURI())
	for _, opts := range [][]signet.SignedURLOption{
		{signet.SignedURLBindOrigin()},
		{signet.SignedURLBindOrigin(), signet.SignedURLPathPrefix("/a/prefix/of/some/length")}, // the longest Cause
	} {
		v, err := signet.NewSignedURL(keys, opts...)
		require.NoError(t, err)
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := v.Verify(context.Background(), signet.FromHTTP(r)); !errors.Is(err, signet.ErrInvalidSignature) {
				t.Fatalf("err = %v, want invalid_signature", err)
			}
		})
		assert.LessOrEqual(t, allocs, 3.0, "%d options", len(opts))
	}
}
