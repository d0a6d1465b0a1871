package signet_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestSignedURLSignerConfigErrors: a signer that could only make URLs no
// verifier accepts is refused at construction.
func TestSignedURLSignerConfigErrors(t *testing.T) {
	hmacKey := signet.NewHMACKey([]byte("s"))
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edPublic, err := signet.NewPublicKey(edPriv.Public())
	require.NoError(t, err)
	ecPriv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecKey, err := signet.NewPrivateKey(ecPriv)
	require.NoError(t, err)
	tests := []struct {
		name    string
		keyID   string
		key     *signet.Key
		opts    []signet.SignedURLOption
		message string
	}{
		{"empty key id", "", hmacKey, nil, "key id"},
		{"key id needing escapes", "a b", hmacKey, nil, "key id"},
		{"key id of 129 characters", strings.Repeat("k", 129), hmacKey, nil, "key id"},
		{"no key", "k1", nil, nil, "HMAC secret or an Ed25519 private key"},
		{"an Ed25519 public key", "k1", edPublic, nil, "HMAC secret or an Ed25519 private key"},
		{"an ECDSA key", "k1", ecKey, nil, "HMAC secret or an Ed25519 private key"},
		{"nil option", "k1", hmacKey, []signet.SignedURLOption{nil}, "nil SignedURLOption"},
		{"a verifier's clock skew", "k1", hmacKey, []signet.SignedURLOption{signet.WithClockSkew(time.Second)}, "WithClockSkew is not used by the signedurl signer"},
		{"a nonce store", "k1", hmacKey, []signet.SignedURLOption{signet.WithNonceStore(&memoryNonces{})}, "WithNonceStore is not used"},
		{"algorithms: the key decides", "k1", hmacKey, []signet.SignedURLOption{signet.WithAlgorithms("ed25519")}, "WithAlgorithms is not used"},
		{"a TTL under a second", "k1", hmacKey, []signet.SignedURLOption{signet.SignedURLTTL(time.Millisecond)}, "shorter than a second"},
		{"a TTL over the maximum", "k1", hmacKey, []signet.SignedURLOption{signet.WithMaxAge(time.Minute), signet.SignedURLTTL(2 * time.Minute)}, "longer than the maximum TTL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewSignedURLSigner(tc.keyID, tc.key, tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.message)
		})
	}
	edKey, err := signet.NewPrivateKey(edPriv)
	require.NoError(t, err)
	_, err = signet.NewSignedURLSigner("a-Z_0.9~", edKey)
	assert.NoError(t, err, "every unreserved character, an Ed25519 private key")
}

// TestSignedURLSignURL: the shapes of URL a signer takes, and what it
// makes of them.
func TestSignedURLSignURL(t *testing.T) {
	tests := []struct {
		name, method, url string
		opts              []signet.SignedURLOption
		prefix, suffix    string // of the signed URL
	}{
		{"a path", "GET", "/a?x=1", nil, "/a?x=1&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000300&sn-sig=", ""},
		{"a bare '?'", "GET", "https://example.com/a?", nil, "https://example.com/a?sn-kid=k1&", ""},
		{"no path", "GET", "https://example.com?x", nil, "https://example.com/?x&sn-kid=", ""},
		{"upper-case scheme and host kept as written", "GET", "HTTPS://EXAMPLE.COM/A", nil, "HTTPS://EXAMPLE.COM/A?sn-kid=", ""},
		{"a fragment kept, escaped like a query", "GET", "https://example.com/a#b c#d?/'", nil, "https://example.com/a?sn-kid=", "#b%20c%23d?/%27"},
		{"an empty fragment kept", "GET", "https://example.com/a#", nil, "https://example.com/a?sn-kid=", "#"},
		{"no method when unbound", "", "/a", []signet.SignedURLOption{signet.SignedURLBindMethod(false)}, "/a?sn-kid=", ""},
		{"a path with a public origin", "GET", "/a", []signet.SignedURLOption{signet.SignedURLOrigin("https://example.com")}, "/a?sn-kid=", ""},
		{"escapes written in lower case kept", "GET", "/%c3%bc?q=%2f", nil, "/%c3%bc?q=%2f&sn-kid=", ""},
		{"what clients escape, escaped", "GET", "/a b\"<>\\^`{|}?q=' \"<>{}", nil, "/a%20b%22%3C%3E%5C%5E%60%7B%7C%7D?q=%27%20%22%3C%3E%7B%7D&sn-kid=", ""},
		{"a control character escaped", "GET", "/a\tb", nil, "/a%09b?sn-kid=", ""},
		{"dots inside segments are fine", "GET", "/a.b/..c/.../x.", nil, "/a.b/..c/.../x.?sn-kid=", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newSignedURLFixture(t, tc.opts...)
			signed, err := f.signer.SignURL(tc.method, tc.url, 5*time.Minute)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(signed, tc.prefix), "%s does not start with %s", signed, tc.prefix)
			assert.True(t, strings.HasSuffix(signed, tc.suffix), "%s does not end with %s", signed, tc.suffix)

			target, _, _ := strings.Cut(signed, "#")
			if i := strings.Index(target, "://"); i >= 0 {
				target = "/" + strings.SplitN(target[i+3:], "/", 2)[1]
			}
			method := tc.method
			if method == "" {
				method = "POST"
			}
			r := signedURLServerRequest(method, "https", "example.com", target)
			_, err = f.verifier(t, tc.opts...).Verify(context.Background(), signet.FromHTTP(r))
			assert.NoError(t, err)
		})
	}
}

// TestSignedURLSignerTTL: whole seconds from the current second, at most
// the maximum TTL.
func TestSignedURLSignerTTL(t *testing.T) {
	now := time.Unix(signedAtUnix, 999_999_999) // late in the second
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("s")), signet.WithClock(func() time.Time { return now }),
		signet.WithMaxAge(time.Hour))
	require.NoError(t, err)
	signed, err := signer.SignURL("GET", "/a", 90*time.Second+900*time.Millisecond)
	require.NoError(t, err)
	assert.Contains(t, signed, "sn-iat=1700000000&sn-exp=1700000090&", "rounded down")
	_, err = signer.SignURL("GET", "/a", time.Hour)
	assert.NoError(t, err)
	_, err = signer.SignURL("GET", "/a", time.Hour+time.Second)
	assert.ErrorContains(t, err, "longer than the maximum TTL")
}

// TestSignedURLSignRequest: the signer as a signet.Signer signs the URL an
// outgoing request will be sent with; the server's view verifies.
func TestSignedURLSignRequest(t *testing.T) {
	key := signet.NewHMACKey([]byte(testSecret))
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	signer, err := signet.NewSignedURLSigner("k1", key, append(opts, signet.SignedURLTTL(time.Minute),
		signet.WithClock(func() time.Time { return signedAt }))...)
	require.NoError(t, err)
	var _ signet.Signer = signer
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: key})
	verifier, err := signet.NewSignedURL(keys, append(opts, signet.WithClock(func() time.Time { return signedAt }))...)
	require.NoError(t, err)

	for _, tc := range []struct{ name, method, url, host string }{
		{"plain", "GET", "https://api.example.com/v1/items?b=2&a=1", ""},
		{"raw bytes in the query", "GET", "https://api.example.com/s?q=ü x&t='", ""},
		{"escaped path", "DELETE", "https://api.example.com/a%2Fb/c d", ""},
		{"Host overriding the URL's", "GET", "http://10.0.0.1:8080/x", "API.example.com"},
		{"no path", "GET", "https://api.example.com", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(tc.method, tc.url, nil)
			require.NoError(t, err)
			r.Host = tc.host
			require.NoError(t, signer.Sign(r))
			assert.Contains(t, r.URL.RawQuery, "sn-exp=1700000060&sn-sig=")
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			in := signedURLServerRequest(tc.method, r.URL.Scheme, host, r.URL.RequestURI())
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(in))
			require.NoError(t, err, "target %s", in.RequestURI)
			assert.Equal(t, "k1", res.KeyID)

			in.Method = "PATCH"
			_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
			assert.ErrorIs(t, err, signet.ErrInvalidSignature)
		})
	}

	r, _ := http.NewRequest("GET", "https://api.example.com/a?sn-kid=x", nil)
	assert.ErrorContains(t, signer.Sign(r), "already has sn- parameters")
	r, _ = http.NewRequest("GET", "mailto:someone@example.com", nil)
	assert.Error(t, signer.Sign(r))
}
