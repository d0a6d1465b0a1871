package signet_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestPysignedTargetLimit: a request-target over 16 KiB, the native signed
// URLs' limit, is malformed_signature before any key is looked up or any
// HMAC computed, however well it is signed; one of 16 KiB verifies.
func TestPysignedTargetLimit(t *testing.T) {
	f := newPysignedFixture(t)
	lookups := 0
	keys := signet.KeyFunc(func(ctx context.Context, id string) ([]signet.Secret, error) {
		lookups++
		return f.keys.Lookup(ctx, id)
	})
	verifier, err := signet.NewPysigned(keys, clockAt(pyNow))
	require.NoError(t, err)
	// signedOf returns a URL signed by hmac_a whose request-target is n
	// bytes, signed by hand as pysigned signs it: the signer refuses to
	// sign one over the limit.
	signedOf := func(n int) string {
		exp := strconv.Itoa(pyNow + 600)
		sign := func(value string) string {
			return "https://example.com/p?a=" + value + "&sig=" + hmacTag(t, f.table, exp+"\nhttps\nexample.com\n/p\n\na="+value) + "&exp=" + exp
		}
		short := sign("v") // the same length for any value of a
		value := strings.Repeat("v", 1+n-len(strings.TrimPrefix(short, "https://example.com")))
		signed := sign(value)
		require.Len(t, strings.TrimPrefix(signed, "https://example.com"), n)
		return signed
	}
	for _, tt := range []struct {
		name   string
		target int
		want   error // nil: accepted
	}{
		{"1 KiB", 1 << 10, nil},
		{"16 KiB", 16 << 10, nil},
		{"16 KiB and a byte", 16<<10 + 1, signet.ErrMalformed},
		{"1 MiB", 1 << 20, signet.ErrMalformed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lookups = 0
			_, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signedOf(tt.target))))
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorContains(t, err, "longer than the 16384 bytes")
			assert.Zero(t, lookups, "keys looked up")
		})
	}
}

// TestPysignedTargetLimitAbsoluteForm: the limit counts what signers count,
// the path and query: a URL at the limit verifies sent in absolute form too,
// as to a forward proxy.
func TestPysignedTargetLimitAbsoluteForm(t *testing.T) {
	f := newPysignedFixture(t)
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	const origin = "http://example.com"
	base := len(sentTarget(t, f.sign(t, f.hmac, origin+"/p?a=v"), origin))
	signed := f.sign(t, f.hmac, origin+"/p?a="+strings.Repeat("v", 1+urlMaxTarget-base))
	target := sentTarget(t, signed, origin)
	require.Len(t, target, urlMaxTarget)
	for _, requestURI := range []string{target, origin + target} {
		r := pysignedServerRequest(t, signed)
		r.RequestURI = requestURI
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
		assert.NoError(t, err, requestURI[:20])
	}
	r := pysignedServerRequest(t, signed)
	r.RequestURI = origin + target + "b"
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrMalformed)
}

// sentTarget is the request-target a client sends for the absolute URL
// signed, whose origin is origin: what follows it, without the fragment,
// "/" added before an empty path.
func sentTarget(t *testing.T, signed, origin string) string {
	t.Helper()
	target, ok := strings.CutPrefix(signed, origin)
	require.True(t, ok, "%.64q does not start with %q", signed, origin)
	target, _, _ = strings.Cut(target, "#")
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	return target
}

// TestPysignedSignerTargetLimit: a pysigned signer refuses a URL whose
// request-target, as a client sends it, would be longer than the 16384
// bytes a verifier reads, params and an empty path ("/") counted, through
// SignURL and Sign alike; one of 16384 bytes is signed, and verifies.
func TestPysignedSignerTargetLimit(t *testing.T) {
	f := newPysignedFixture(t)
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	const origin = "https://example.com"
	for _, tt := range []struct {
		name, prefix string // prefix is the URL signed, but for a's value
		verifies     bool   // pysigned signs an empty path as "", clients send "/"
	}{
		{"path", origin + "/p?a=", true},
		{"params", origin + "/p;x=1?a=", true},
		{"empty path", origin + "?a=", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The target grows with a's value byte for byte: 'v' is not escaped.
			base := len(sentTarget(t, f.sign(t, f.hmac, tt.prefix+"v"), origin))
			value := func(n int) string { return strings.Repeat("v", 1+n-base) } // a target of n bytes
			t.Run("at the limit", func(t *testing.T) {
				signed := f.sign(t, f.hmac, tt.prefix+value(urlMaxTarget))
				require.Len(t, sentTarget(t, signed, origin), urlMaxTarget)
				if tt.verifies {
					_, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
					assert.NoError(t, err)
				}
				r, err := http.NewRequest(http.MethodGet, tt.prefix+value(urlMaxTarget), nil)
				require.NoError(t, err)
				require.NoError(t, f.hmac.Sign(r))
				assert.Len(t, r.URL.RequestURI(), urlMaxTarget)
			})
			t.Run("over it", func(t *testing.T) {
				_, err := f.hmac.SignURL(tt.prefix + value(urlMaxTarget+1))
				assert.ErrorContains(t, err, "would be 16385 bytes long, and verifiers read at most 16384")
				r, err := http.NewRequest(http.MethodGet, tt.prefix+value(urlMaxTarget+1), nil)
				require.NoError(t, err)
				assert.ErrorContains(t, f.hmac.Sign(r), "verifiers read at most 16384")
			})
		})
	}
}

// TestPysignedSignerParamLimit: a pysigned signer refuses a URL that would
// carry more parameters, with sig and exp, than the 1000 a verifier reads;
// one with 1000 is signed, and verifies.
func TestPysignedSignerParamLimit(t *testing.T) {
	f := newPysignedFixture(t)
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	url := func(params int) string { return "https://example.com/p?" + strings.Repeat("a=1&", params-1) + "a=1" }
	signed := f.sign(t, f.hmac, url(998))
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
	assert.NoError(t, err)
	_, err = f.hmac.SignURL(url(999))
	assert.ErrorContains(t, err, "would have 1001 query parameters, and verifiers read at most 1000")
}

// pysignedForgedHost is a URL for host, signed by the vectors' hmac_a as
// pysigned signs it (no signer signs a host this long).
func pysignedForgedHost(t *testing.T, f *pysignedFixture, host string) string {
	exp := strconv.Itoa(pyNow + 600)
	sig := hmacTag(t, f.table, exp+"\nhttps\n"+host+"\n/p\n\na=1")
	return "https://" + host + "/p?a=1&sig=" + sig + "&exp=" + exp
}

// TestPysignedHostLimit: a pysigned verifier refuses a request whose Host,
// signed, is longer than 1024 bytes, as malformed_signature before any key
// is looked up, however well the URL is signed; its signer refuses to sign
// for such a host, and PysignedOrigin refuses such an authority. A Host of
// 1024 bytes is signed and verifies, and under PysignedOrigin, where the
// Host is not signed, any Host does.
func TestPysignedHostLimit(t *testing.T) {
	f := newPysignedFixture(t)
	lookups := 0
	verifier, err := signet.NewPysigned(countingKeys(f.keys, &lookups), clockAt(pyNow))
	require.NoError(t, err)
	verify := func(v *signet.Pysigned, signed, host string) error {
		r := pysignedServerRequest(t, signed)
		r.Host = host
		_, err := v.Verify(context.Background(), signet.FromHTTP(r))
		return err
	}

	t.Run("at the limit", func(t *testing.T) {
		host := hostOf(urlMaxHost)
		signed := f.sign(t, f.hmac, "https://"+host+"/p?a=1")
		assert.Equal(t, pysignedForgedHost(t, &f, host), signed)
		assert.NoError(t, verify(verifier, signed, host))
		r, err := http.NewRequest(http.MethodGet, "https://"+host+"/p?a=1", nil)
		require.NoError(t, err)
		assert.NoError(t, f.hmac.Sign(r))
	})
	for _, n := range []int{urlMaxHost + 1, 1 << 20} {
		t.Run("Host of "+strconv.Itoa(n)+" bytes", func(t *testing.T) {
			host := hostOf(n)
			lookups = 0
			err := verify(verifier, pysignedForgedHost(t, &f, host), host)
			assert.ErrorIs(t, err, signet.ErrMalformed)
			assert.ErrorContains(t, err, "host is longer than the 1024 bytes")
			assert.Zero(t, lookups, "keys looked up")

			_, err = f.hmac.SignURL("https://" + host + "/p?a=1")
			assert.ErrorContains(t, err, "verifiers read at most 1024")
			r, err := http.NewRequest(http.MethodGet, "https://example.com/p?a=1", nil)
			require.NoError(t, err)
			r.Host = host
			err = f.hmac.Sign(r)
			if assert.ErrorContains(t, err, "verifiers read at most 1024") {
				assert.Less(t, len(err.Error()), 200, "the error quotes the host")
			}

			_, err = signet.NewPysigned(f.keys, signet.PysignedOrigin("https://"+host))
			assert.ErrorContains(t, err, "longer than 1024 bytes")
		})
	}
	t.Run("unsigned Host", func(t *testing.T) {
		v, err := signet.NewPysigned(f.keys, clockAt(pyNow), signet.PysignedOrigin("https://example.com"))
		require.NoError(t, err)
		signed := f.sign(t, f.hmac, "https://example.com/p?a=1")
		assert.NoError(t, verify(v, signed, hostOf(1<<20)))
	})
}
