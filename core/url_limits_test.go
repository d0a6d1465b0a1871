package signet_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// The limits of the URL schemes, as their doc pages state them.
const (
	urlMaxTarget = 16 << 10 // bytes of a request-target
	urlMaxHost   = 1 << 10  // bytes of a signed Host
)

// hostOf returns a host name of n bytes: labels of 63 letters joined by
// dots, as long as a DNS label may be.
func hostOf(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
		if i%64 == 63 && i != n-1 {
			b[i] = '.'
		}
	}
	return string(b)
}

// countingKeys wraps keys, counting the lookups in *n.
func countingKeys(keys signet.KeyStore, n *int) signet.KeyStore {
	return signet.KeyFunc(func(ctx context.Context, id string) ([]signet.Secret, error) {
		*n++
		return keys.Lookup(ctx, id)
	})
}

// signedURLHostFixture signs and verifies native signed URLs with one HMAC
// key, k1, at a fixed time.
type signedURLHostFixture struct {
	secret []byte
	keys   *signet.StaticKeys
	now    int64
}

func newSignedURLHostFixture(t *testing.T) signedURLHostFixture {
	secret := []byte("signedurl-host-limit-secret")
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k1", Key: signet.NewHMACKey(secret)})
	require.NoError(t, err)
	return signedURLHostFixture{secret: secret, keys: keys, now: 1_700_000_000}
}

// forge returns the request-target of GET /p?a=1 signed for the origin
// http://host, as docs/schemes/signedurl.md builds the message (no signer
// signs a host this long).
func (f *signedURLHostFixture) forge(host string) string {
	iat, exp := strconv.FormatInt(f.now, 10), strconv.FormatInt(f.now+300, 10)
	m := hmac.New(sha256.New, f.secret)
	m.Write([]byte("SN1-HMAC-SHA256\nk1\n" + iat + "\n" + exp + "\nGET\nhttp://" + host + "\n/p\na=1"))
	return "/p?a=1&sn-kid=k1&sn-iat=" + iat + "&sn-exp=" + exp + "&sn-sig=" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// request is a plain-HTTP GET of target, received with host.
func (f *signedURLHostFixture) request(target, host string) signet.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RequestURI, r.Host = target, host
	return signet.FromHTTP(r)
}

// TestSignedURLHostLimit: with the origin bound to the request's, a
// signed URL verifier refuses a Host longer than 1024 bytes as
// malformed_signature before any key is looked up, however well the URL is
// signed, and the signer refuses to sign for it (SignURL and Sign). A Host
// of 1024 bytes is signed and verifies; where the Host is not signed (no
// origin bound, or SignedURLOrigin), any Host verifies.
func TestSignedURLHostLimit(t *testing.T) {
	f := newSignedURLHostFixture(t)
	lookups := 0
	verifier, err := signet.NewSignedURL(countingKeys(f.keys, &lookups), clockAt(f.now), signet.SignedURLBindOrigin())
	require.NoError(t, err)
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey(f.secret), clockAt(f.now), signet.SignedURLBindOrigin())
	require.NoError(t, err)

	t.Run("at the limit", func(t *testing.T) {
		host := hostOf(urlMaxHost)
		signed, err := signer.SignURL(http.MethodGet, "http://"+host+"/p?a=1", 300*time.Second)
		require.NoError(t, err)
		assert.Equal(t, "http://"+host+f.forge(host), signed)
		_, err = verifier.Verify(context.Background(), f.request(f.forge(host), host))
		assert.NoError(t, err)
		r, err := http.NewRequest(http.MethodGet, "http://"+host+"/p?a=1", nil)
		require.NoError(t, err)
		assert.NoError(t, signer.Sign(r))
	})
	for _, n := range []int{urlMaxHost + 1, 1 << 20} {
		t.Run("Host of "+strconv.Itoa(n)+" bytes", func(t *testing.T) {
			host := hostOf(n)
			lookups = 0
			_, err := verifier.Verify(context.Background(), f.request(f.forge(host), host))
			assert.ErrorIs(t, err, signet.ErrMalformed)
			assert.ErrorContains(t, err, "Host header is longer than the 1024 bytes")
			assert.Zero(t, lookups, "keys looked up")

			_, err = signer.SignURL(http.MethodGet, "http://"+host+"/p?a=1", 300*time.Second)
			assert.ErrorContains(t, err, "verifiers read at most 1024")
			r, err := http.NewRequest(http.MethodGet, "http://example.com/p?a=1", nil)
			require.NoError(t, err)
			r.Host = host
			err = signer.Sign(r)
			if assert.ErrorContains(t, err, "verifiers read at most 1024") {
				assert.Less(t, len(err.Error()), 200, "the error quotes the host")
			}
		})
	}
	t.Run("unsigned Host", func(t *testing.T) {
		host := hostOf(1 << 20)
		for name, opts := range map[string][]signet.SignedURLOption{
			"origin not bound": nil,
			"SignedURLOrigin":  {signet.SignedURLOrigin("http://example.com")},
		} {
			s, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey(f.secret), append(opts, clockAt(f.now))...)
			require.NoError(t, err)
			v, err := signet.NewSignedURL(f.keys, append(opts, clockAt(f.now))...)
			require.NoError(t, err)
			signed, err := s.SignURL(http.MethodGet, "/p?a=1", 300*time.Second)
			require.NoError(t, err, name)
			_, err = v.Verify(context.Background(), f.request(signed, host))
			assert.NoError(t, err, name)
		}
	})
}
